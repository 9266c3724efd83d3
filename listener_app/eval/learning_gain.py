"""How much learning from the strategist's labels adds over the automatic scorer.

For each human-rated file: shuffle once (fixed seed), take the first half as the pool the
"strategist" labels, the second half as the test set. With 200, 500 and 1,000 labels from the
pool, train the per-workspace model (core.learning) exactly as the app does, and compare its
3-class accuracy and macro-F1 on the test set with the automatic scorer alone. A learned label
replaces the automatic one where the app's apply would replace it at its default threshold
(Model.decide at APPLY_THRESHOLD).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from listener_app.domain.intent import classify_intent
from listener_app.domain.learning import APPLY_THRESHOLD, Model, features
from listener_app.domain.sentiment import score_texts

LABEL_COUNTS = (200, 500, 1000)
SEED = 20261122


def gold_label(valence: float, cut: float = 0.5) -> str:
    return "positive" if valence >= cut else "negative" if valence <= -cut else "neutral"


def accuracy_and_macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    labels = sorted(set(gold) | set(predicted))
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    f1s = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return correct / len(gold), sum(f1s) / len(f1s)


def learning_gain(texts: Sequence[str], gold: Sequence[str], name: str) -> list[dict[str, object]]:
    """Figures for one labelled dataset (texts with gold labels)."""
    order = list(range(len(texts)))
    random.Random(SEED).shuffle(order)
    half = len(order) // 2
    pool, test = order[:half], order[half:]
    scores = score_texts(list(texts))
    auto = [s.label for s in scores]
    # The document's features as the app makes them: words and the automatic verdicts.
    feats = [
        features(text, s.label, s.score, classify_intent(text, s))
        for text, s in zip(texts, scores, strict=True)
    ]
    test_gold = [gold[i] for i in test]
    auto_acc, auto_f1 = accuracy_and_macro_f1(test_gold, [auto[i] for i in test])
    figures: list[dict[str, object]] = []
    for count in LABEL_COUNTS:
        if count > len(pool):
            continue
        model = Model("sentiment")
        for i in pool[:count]:
            model.add(gold[i], feats[i])
        # As in the app's apply at its default threshold: the model decides, else the scorer stands.
        predicted = [model.decide(feats[i], APPLY_THRESHOLD) or auto[i] for i in test]
        acc, f1 = accuracy_and_macro_f1(test_gold, predicted)
        figures.append(
            {
                "eval": "learning_gain",
                "dataset": name,
                "labels": count,
                "accuracy": round(acc, 4),
                "macro_f1": round(f1, 4),
                "auto_accuracy": round(auto_acc, 4),
                "auto_macro_f1": round(auto_f1, 4),
                "test_size": len(test),
            }
        )
    return figures
