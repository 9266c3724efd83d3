""" "Ask me": which unlabelled mentions would teach the models most."""

from __future__ import annotations

import random

import numpy as np

from listener_app.domain.learning.asking import ask_order, landscape, uncertainty
from listener_app.domain.learning.documents import featurize, read

TOPICS = {
    "battery": "battery drains by noon, charger gets hot, battery percentage jumps",
    "delivery": "courier left the parcel at the depot, tracking says delivered, parcel missing",
    "camera": "camera app shows blurry night photos, portrait mode lens focus",
}


def _posts(per_topic: int = 40) -> tuple[list[str], list[str]]:
    rng = random.Random(5)
    texts, topics = [], []
    for topic, words in TOPICS.items():
        vocabulary = words.replace(",", "").split()
        for _ in range(per_topic):
            texts.append(" ".join(rng.sample(vocabulary, 6)))
            topics.append(topic)
    return texts, topics


def test_questions_before_any_model_cover_every_topic():
    texts, topics = _posts()
    land = landscape(featurize([read(t) for t in texts]))
    picks = ask_order(land, count=9)
    assert len(set(picks)) == 9
    assert {topics[i] for i in picks} == set(TOPICS)


def test_the_model_is_asked_first_where_it_is_least_sure():
    texts, _ = _posts()
    land = landscape(featurize([read(t) for t in texts]))
    sure = np.tile([0.95, 0.05], (len(texts), 1))
    unsure_rows = {3, 50, 100}
    for row in unsure_rows:
        sure[row] = [0.5, 0.5]
    assert set(ask_order(land, [sure], count=3)) == unsure_rows
    assert uncertainty(sure)[3] == 1.0 and round(uncertainty(sure)[0], 6) == 0.1


def test_nothing_to_ask_about():
    land = landscape(featurize([]))
    assert ask_order(land, count=5) == []
