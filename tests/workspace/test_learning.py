"""The learner as a correction of the automatic verdict: it stays with the scorer until the
strategist's own labels show where it is wrong, and its leave-one-out calibration is exact."""

from __future__ import annotations

import random

import pytest

from listener_app.domain.learning import AUTO, MIN_EXAMPLES, Model, features, strength

ASKS = ["location", "contacts", "microphone", "photos", "camera", "calendar", "files", "messages", "wifi"]
COLOURS = ["blue", "red", "green", "black", "white", "silver", "gold", "pink", "grey"]
PRAISE = ["love the new camera", "support agent was lovely and quick", "camera photos look amazing"]


def _doc(text, auto, score, intent="other"):
    return features(text, auto, score, intent)


def _corrections():
    """The strategist keeps calling 'the app asks for my X' negative; the scorer reads it neutral."""
    docs = []
    for i, thing in enumerate(ASKS * 2):
        docs.append(("negative", _doc(f"the app asks for my {thing} again #{i}", "neutral", 0.0)))
    for i, colour in enumerate(COLOURS * 2):
        docs.append(("neutral", _doc(f"ordered the {colour} one today #{i}", "neutral", 0.0)))
    for i, text in enumerate(PRAISE * 6):
        docs.append(("positive", _doc(f"{text} #{i}", "positive", 0.55)))
    return docs


def _model(docs, name="sentiment"):
    model = Model(name)
    for label, feats in docs:
        model.add(label, feats)
    return model


def test_features_carry_the_automatic_verdicts_and_how_strong_the_score_was():
    feats = features("I love it", "positive", 0.6, "praise")
    assert "love" in feats and "love it" in feats
    assert {AUTO + "positive", AUTO + "positive:3", AUTO + "praise"} <= set(feats)
    assert [strength(s) for s in (0.0, 0.1, -0.3, 0.9)] == [0, 1, 2, 3]
    assert not any(f.startswith("~") for f in features("I love it"))


def test_it_learns_where_the_strategist_corrects_the_scorer():
    model = _model(_corrections())
    asks = _doc("the app asks for my bluetooth", "neutral", 0.0)
    label, confidence = model.predict(asks)
    assert label == "negative" and confidence >= 0.8
    assert model.baseline(asks) == "neutral" and model.replaces_from(0.8)
    assert model.decide(asks, 0.8) == "negative"
    # Where the strategist agreed with the scorer, the scorer's label stands.
    assert model.decide(_doc("ordered the purple one today", "neutral", 0.0), 0.8) in (None, "neutral")
    assert model.decide(_doc("love the new speaker", "positive", 0.5), 0.8) in (None, "positive")


def test_labels_that_always_agree_with_the_scorer_never_replace_it():
    docs = [(label, feats) for label, feats in _corrections() if label != "negative"]
    docs += [("negative", _doc(f"refund denied again #{i}", "negative", -0.43)) for i in range(MIN_EXAMPLES)]
    model = _model(docs)
    assert not model.replaces_from(0.5)
    for text in ("ordered the blue one today, love it", "refund denied for the new camera"):
        feats = _doc(text, "neutral", 0.0)
        assert model.decide(feats, 0.5) in (None, "neutral")


def test_labels_unrelated_to_the_text_change_nothing():
    rng = random.Random(3)
    words = "battery screen order refund camera app update price store support".split()
    docs = []
    for i in range(300):
        text = " ".join(rng.sample(words, 4)) + f" #{i}"
        auto = rng.choice(("negative", "neutral", "positive"))
        docs.append((rng.choice(("negative", "neutral", "positive")), _doc(text, auto, rng.uniform(-1, 1))))
    model = _model(docs)
    for _ in range(200):
        text = " ".join(rng.sample(words, 4))
        auto = rng.choice(("negative", "neutral", "positive"))
        assert model.decide(_doc(text, auto, 0.3), 0.8) in (None, auto)


def test_leave_one_out_is_exact():
    docs = _corrections()
    full = _model(docs)
    fit = full._fitted()
    for k in (0, 7, 20, len(docs) - 1):
        label, feats = docs[k]
        without = _model(docs[:k] + docs[k + 1 :])
        other = without._fitted()
        doc, out = full._read(fit, feats), fit.index[label]
        assert full._evidence(fit, doc, out) == pytest.approx(
            without._evidence(other, without._read(other, feats))
        )
        assert full._log_prior(fit, doc, out) == pytest.approx(
            without._log_prior(other, without._read(other, feats))
        )


def test_the_temperature_minimises_the_leave_one_out_log_loss():
    import math

    model = _model(_corrections())
    fit = model._fitted()
    rows = []
    for label, feats in _corrections():
        doc, out = model._read(fit, feats), fit.index[label]
        rows.append((model._log_prior(fit, doc, out), model._evidence(fit, doc, out), out))

    def loss(t):
        total = 0.0
        for prior, evidence, truth in rows:
            scores = [p + t * e for p, e in zip(prior, evidence, strict=True)]
            top = max(scores)
            total -= scores[truth] - top - math.log(sum(math.exp(s - top) for s in scores))
        return total

    t = fit.temperature
    assert t > 0
    assert loss(t) <= min(loss(t * 0.8), loss(t * 1.25), loss(t + 0.05), loss(max(0.0, t - 0.05))) + 1e-9


def test_taking_a_document_back_is_as_if_it_was_never_added():
    docs = _corrections()
    model = _model(docs)
    extra = ("positive", _doc("the app asks for my location, fine", "neutral", 0.0))
    model.add(*extra)
    model.add(*extra, sign=-1)
    fresh = _model(docs)
    probe = _doc("the app asks for my bluetooth", "neutral", 0.0)
    assert model.predict(probe) == pytest.approx(fresh.predict(probe))
    assert model._fitted().temperature == pytest.approx(fresh._fitted().temperature)


def test_stored_counts_and_examples_give_the_same_model_as_adding():
    docs = _corrections()
    added = _model(docs)
    loaded = Model("sentiment", examples=lambda: docs)
    for label, feats in docs:  # as db.learning stores them: the document count as feature ""
        loaded.add_count(label, "", 1)
        for feat in feats:
            loaded.add_count(label, feat, 1)
    probe = _doc("the app asks for my bluetooth", "neutral", 0.0)
    assert loaded.predict(probe) == pytest.approx(added.predict(probe))
    assert loaded.docs == added.docs and loaded.tokens == added.tokens


def test_a_calibration_is_reused_only_for_the_same_counts():
    docs = _corrections()
    first = Model("sentiment", examples=lambda: docs, calibration_key=("test", "sentiment"))
    for label, feats in docs:
        first.add_count(label, "", 1)
        for feat in feats:
            first.add_count(label, feat, 1)
    temperature = first._fitted().temperature
    again = Model(
        "sentiment", examples=lambda: pytest.fail("recalibrated"), calibration_key=("test", "sentiment")
    )
    for label, feats in docs:
        again.add_count(label, "", 1)
        for feat in feats:
            again.add_count(label, feat, 1)
    assert again._fitted().temperature == temperature
    again.add_count("neutral", "", 1)
    with pytest.raises(pytest.fail.Exception, match="recalibrated"):
        again._fitted()


def test_a_tag_model_replaces_no_tag_only_with_evidence():
    docs = [("yes", features(f"the app asks for my {t} again #{i}")) for i, t in enumerate(ASKS * 2)]
    docs += [("no", features(f"ordered the {c} one today #{i}")) for i, c in enumerate(COLOURS * 3)]
    model = _model(docs, "tag:1")
    assert model.default == "no"
    label, confidence = model.predict(features("the app asks for my bluetooth"))
    assert label == "yes" and confidence > 0.8
    assert model.decide(features("the app asks for my bluetooth"), 0.8) == "yes"
    assert model.decide(features("ordered the purple one today"), 0.8) in (None, "no")


def test_not_ready_before_enough_labels():
    model = _model(_corrections()[: MIN_EXAMPLES - 1])
    assert not model.ready
    assert model.predict(_doc("the app asks for my bluetooth", "neutral", 0.0)) is None
    assert model.decide(_doc("the app asks for my bluetooth", "neutral", 0.0), 0.5) is None


def test_documents_without_verdicts_never_justify_replacing_one():
    """Counts from before the verdicts were features (an older workspace, until Relearn)."""
    docs = [(label, [f for f in feats if not f.startswith("~")]) for label, feats in _corrections()]
    model = _model(docs)
    asks = features("the app asks for my bluetooth")
    assert model.decide(asks, 0.8) == "negative"  # where no label stands, it has evidence
    assert not model.replaces_from(0.5)
    assert model.decide(_doc("the app asks for my bluetooth", "neutral", 0.0), 0.8) in (None, "neutral")
