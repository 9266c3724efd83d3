"""`make eval`'s learning curves: every figure the issue asks for, in both orders."""

from __future__ import annotations

import random

from listener_app.eval.learning_gain import curves, sentiment_case, weak_scorer_case

BROKEN = ("needs an RMA", "boot loops", "is a paperweight now", "went to the repair depot")
FINE = ("arrived today", "ships on Friday", "was on sale", "comes in grey")
GLAD = ("is wonderful", "works great", "is excellent", "is perfect")


def test_curves_show_learned_beside_automatic_and_plain_and_what_applying_does():
    rng = random.Random(6)
    texts, gold = [], []
    for _ in range(300):
        kind = rng.choice(("negative", "neutral", "positive"))
        words = {"negative": BROKEN, "neutral": FINE, "positive": GLAD}[kind]
        texts.append(
            f"my {rng.choice(('phone', 'watch', 'tablet'))} {rng.choice(words)} {rng.choice(('today', 'again', ''))}"
        )
        gold.append(kind)
    figures = curves(sentiment_case("synthetic", texts, gold), counts=(60, 120))
    points = [f for f in figures if f["eval"] == "learning_curve"]
    assert [(f["order"], f["labels"]) for f in points] == [
        ("random", 60), ("random", 120), ("ask me", 60), ("ask me", 120)
    ]  # fmt: skip
    for f in points:
        assert f["learned"] > f["automatic"]  # the scorer cannot know what "RMA" means here
        assert 0 <= f["plain_lr"] <= 1 and 0 <= f["coverage"] <= 1
        assert f["applied"] >= f["automatic"]
    calibration = [f for f in figures if f["eval"] == "calibration"]
    assert sum(f["count"] for f in calibration) == 150  # the test half, every mention in one bin


def test_the_weak_scorer_case_keeps_the_labels_and_swaps_the_automatic_verdicts():
    texts = ["what a wonderful phone", "the worst phone ever", "my phone is grey", "it is fine I guess"]
    case = sentiment_case("tiny", texts, ["positive", "negative", "neutral", "neutral"])
    weak = weak_scorer_case(case)
    assert weak.dataset == "tiny/weak" and weak.gold == case.gold and weak.pool == case.pool
    assert all(d.vader == 0.0 and d.score == d.blob for d in weak.docs)
    assert weak.X.shape == case.X.shape
