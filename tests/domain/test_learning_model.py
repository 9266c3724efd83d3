"""The learned model (domain/learning): it learns a workspace's own words, says how much to trust
it on the strategist's labels, learns a new label at once, and stores itself safely."""

from __future__ import annotations

import io
import random
import subprocess
import sys

import numpy as np
import pytest

from listener_app.domain.learning.documents import Doc, featurize, read
from listener_app.domain.learning.model import Learner

PRODUCTS = ("phone", "tablet", "earbuds", "watch", "router", "laptop")
WHEN = ("after the update", "this morning", "since Tuesday", "on day two", "overnight", "again")
# Words a lexicon reads as neutral but this client's customers use for a dead device.
BROKEN = (
    "needs an RMA",
    "sent for RMA",
    "boot loops",
    "is a paperweight now",
    "went to the repair depot",
    "has the purple tint",
)
FINE = (
    "arrived today",
    "is in the box",
    "ships on Friday",
    "has a blue case",
    "was on sale",
    "comes in grey",
)
GLAD = (
    "is wonderful",
    "is brilliant, love it",
    "works great",
    "is excellent",
    "is a joy to use",
    "is perfect",
)


def _post(rng: random.Random, kind: str) -> str:
    words = {"negative": BROKEN, "neutral": FINE, "positive": GLAD}[kind]
    return f"My {rng.choice(PRODUCTS)} {rng.choice(words)} {rng.choice(WHEN)}"


def _labelled(n: int, seed: int = 1) -> tuple[list[Doc], list[str]]:
    rng = random.Random(seed)
    kinds = [rng.choice(("negative", "neutral", "positive")) for _ in range(n)]
    return [read(_post(rng, k)) for k in kinds], kinds


@pytest.fixture(scope="module")
def learned() -> tuple[Learner, list[Doc], list[str]]:
    docs, labels = _labelled(150)
    test_docs, test_labels = _labelled(60, seed=2)
    return Learner.fit("sentiment", docs, labels), test_docs, test_labels


def test_it_learns_the_workspaces_own_words_and_says_by_how_much(learned):
    learner, docs, labels = learned
    # The automatic scorer reads "RMA" and "boot loops" as neutral ...
    assert read("My phone needs an RMA again").sentiment == read("My phone boot loops").sentiment == "neutral"
    suggestions = learner.suggest(docs)
    right = sum(s.label == g for s, g in zip(suggestions, labels, strict=True))
    auto_right = sum(s.automatic == g for s, g in zip(suggestions, labels, strict=True))
    # ... the learned model reads them as this client's customers mean them
    assert right >= 0.9 * len(labels) and right > auto_right
    estimate = learner.estimate
    assert estimate.labels == 150 and estimate.learned > estimate.automatic + 0.2
    assert estimate.describe("sentiment").startswith(
        f"learned sentiment: {estimate.learned:.2f} macro-F1 on your 150 labels"
    )
    assert sum(b.count for b in estimate.calibration) == 150
    assert all(0.0 <= s.confidence <= 1.0 for s in suggestions)


def test_applying_sets_confident_learned_labels_only_when_they_beat_the_automatic_ones(learned):
    learner, docs, labels = learned
    assert learner.applies(0.8)
    decided = learner.decide(docs, 0.8)
    applied = [(d, g) for d, g in zip(decided, labels, strict=True) if d is not None]
    assert len(applied) > len(docs) / 2 and sum(d == g for d, g in applied) >= 0.9 * len(applied)
    # A model taught only what the scorer already says has nothing to add: it applies nothing.
    rng = random.Random(3)
    texts = [_post(rng, k) for k in ("negative", "neutral", "positive") for _ in range(30)]
    echo = [read(t) for t in texts]
    parrot = Learner.fit("sentiment", echo, [d.sentiment for d in echo])
    assert not parrot.applies(0.8) and parrot.decide(echo, 0.8) == [None] * len(echo)


def test_a_new_label_changes_the_next_suggestion_at_once(learned):
    learner, _, _ = learned
    post = [read("My phone needs a reflash of the bootloader since Tuesday")]
    before = learner.probabilities(featurize(post))[0][learner.classes.index("negative")]
    taught = learner.learn(["new"], post * 1, ["negative"])
    after = taught.probabilities(featurize(post))[0][taught.classes.index("negative")]
    assert after > before + 0.1
    assert taught.estimate == learner.estimate  # measured again by the next full fit
    # taking the label back (None) forgets it again
    untaught = taught.learn(["new"], post, [None])
    assert untaught.probabilities(featurize(post))[0][untaught.classes.index("negative")] < after


def test_labels_held_for_the_next_step_are_taken_in_by_it(learned):
    """`hold` keeps a label without a step (the weights stay); the next `learn` takes it in as
    if both had come together, and a held label can be replaced before then."""
    learner, _, _ = learned
    first, second = [read("My router needs a reflash since Tuesday")], [read("My router drops wifi hourly")]
    held = learner.hold(["a"], first, ["positive"]).hold(["a"], first, ["negative"])
    assert held.holding() == 1 and held.trained_labels()["a"] == "negative"
    assert np.array_equal(held.weights.coef, learner.weights.coef)
    stepped = held.learn(["b"], second, ["negative"])
    together = learner.learn(["a", "b"], first + second, ["negative", "negative"])
    assert stepped.holding() == 0 and stepped.trained_labels() == together.trained_labels()
    assert np.allclose(stepped.weights.coef, together.weights.coef)


def test_a_tag_model_only_ever_adds_its_own_tag():
    rng = random.Random(4)
    texts = [_post(rng, "negative") for _ in range(40)] + [
        _post(rng, rng.choice(("neutral", "positive"))) for _ in range(60)
    ]
    docs = [read(t) for t in texts]
    tag = Learner.fit("tag", docs, ["yes"] * 40 + ["no"] * 60, name="tag:7")
    assert tag.classes == ["no", "yes"] and tag.name == "tag:7"
    assert tag.estimate.metric == "F1" and tag.estimate.automatic == 0.0
    decided = tag.decide([read("My watch boot loops overnight"), read("My watch comes in grey")], 0.8)
    assert decided == ["yes", None]


def test_too_few_labels_of_two_kinds_is_refused():
    docs, _ = _labelled(20)
    with pytest.raises(ValueError, match="8 labels of each of two classes"):
        Learner.fit("sentiment", docs, ["negative"] * 13 + ["positive"] * 7)


def test_a_stored_model_loads_without_unpickling_and_predicts_the_same(learned):
    learner, docs, _ = learned
    data = learner.to_bytes()
    loaded = Learner.from_bytes(data)
    before, after = learner.suggest(docs), loaded.suggest(docs)
    assert [s.label for s in after] == [s.label for s in before]
    assert np.allclose([s.confidence for s in after], [s.confidence for s in before], atol=1e-3)
    assert loaded.estimate == learner.estimate and loaded.classes == learner.classes
    with pytest.raises(ValueError, match="learns anew"):
        loaded.learn(["x"], docs[:1], ["negative"])
    # an archive holding a pickled object is refused, not run
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.array([{"kind": "sentiment"}], dtype=object))
    with pytest.raises(ValueError):
        Learner.from_bytes(buffer.getvalue())


def test_the_window_can_import_learning_without_paying_for_scikit_learn():
    code = "import sys, listener_app.domain.learning as l; l.APPLY_THRESHOLD; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_class_reaching_enough_labels_is_learned_and_applies_nothing_until_measured():
    docs, labels = _labelled(120, seed=8)
    two = [(d, g) for d, g in zip(docs, labels, strict=True) if g != "positive"]
    learner = Learner.fit("sentiment", [d for d, _ in two], [g for _, g in two])
    assert learner.classes == ["negative", "neutral"]
    glad = [(f"g{i}", d) for i, (d, g) in enumerate(zip(docs, labels, strict=True)) if g == "positive"][:8]
    grown = learner.learn([k for k, _ in glad], [d for _, d in glad], ["positive"] * 8)
    assert grown.classes == ["negative", "neutral", "positive"]
    assert grown.suggest([read("My watch is a joy to use overnight")])[0].label == "positive"
    assert not grown.applies(0.8) and grown.estimate.labels == 0


def test_a_stored_model_takes_new_labels_once_it_holds_its_labels_again(learned):
    learner, _, _ = learned
    docs, labels = _labelled(150)
    loaded = Learner.from_bytes(learner.to_bytes()).resume(docs, labels, keys=range(150))
    assert loaded.trained_labels() == dict(enumerate(labels))
    post = [read("My phone needs a reflash of the bootloader since Tuesday")]
    before = loaded.probabilities(featurize(post))[0][loaded.classes.index("negative")]
    taught = loaded.learn(["new"], post, ["negative"])
    assert taught.probabilities(featurize(post))[0][taught.classes.index("negative")] > before + 0.1


def test_the_estimates_scores_are_scikit_learns():
    from sklearn.metrics import f1_score

    from listener_app.domain.learning.model import _score

    rng = random.Random(7)
    gold = np.array([rng.choice("abc") for _ in range(300)])
    predicted = np.array([g if rng.random() < 0.6 else rng.choice("abcd") for g in gold])
    assert _score("sentiment", gold, predicted) == pytest.approx(
        f1_score(gold, predicted, labels=sorted(set(gold)), average="macro", zero_division=0)
    )
    yes = np.where(gold == "a", "yes", "no")
    guessed = np.where(predicted == "a", "yes", "no")
    assert _score("tag", yes, guessed) == pytest.approx(
        f1_score(yes, guessed, pos_label="yes", zero_division=0)
    )
    assert _score("tag", yes, np.full(300, "no")) == 0.0


def test_many_labels_later_a_new_label_still_moves_the_model(learned, monkeypatch):
    from listener_app.domain.learning import newton

    monkeypatch.setattr(newton, "HESSIAN_ROWS", 40)  # as with far more labels than the Hessian sample
    learner, _, _ = learned
    post = [read("My phone needs a reflash of the bootloader since Tuesday")]
    before = learner.probabilities(featurize(post))[0][learner.classes.index("negative")]
    taught = learner.learn(["new"], post, ["negative"])
    assert taught.probabilities(featurize(post))[0][taught.classes.index("negative")] > before + 0.1
