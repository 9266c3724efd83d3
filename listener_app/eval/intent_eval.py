"""Intent on the hand-labelled set (docs/intent-labeling.md): precision, recall and F1 per
intent, macro-F1 and accuracy, on the dev part, the held-out part and all of it."""

from __future__ import annotations

import json
from importlib import resources

from listener_app.domain.intent import INTENTS, classify_intent


def load_examples() -> list[dict[str, str]]:
    text = resources.files("listener_app.data").joinpath("intent_examples.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def intent_figures() -> list[dict[str, object]]:
    examples = load_examples()
    predicted = [classify_intent(e["text"]) for e in examples]
    figures: list[dict[str, object]] = []
    for split in ("dev", "heldout", "all"):
        pairs = [
            (e["intent"], p) for e, p in zip(examples, predicted, strict=True) if split in ("all", e["split"])
        ]
        if not pairs:
            continue
        f1s = []
        for intent in INTENTS:
            tp = sum(g == p == intent for g, p in pairs)
            fp = sum(p == intent != g for g, p in pairs)
            fn = sum(g == intent != p for g, p in pairs)
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            f1s.append(f1)
            figures.append({"eval": "intent", "split": split, "intent": intent, "precision": round(precision, 3),
                            "recall": round(recall, 3), "f1": round(f1, 3), "support": tp + fn})  # fmt: skip
        accuracy = sum(g == p for g, p in pairs) / len(pairs)
        figures.append({"eval": "intent", "split": split, "macro_f1": round(sum(f1s) / len(f1s), 3),
                        "accuracy": round(accuracy, 3), "n": len(pairs)})  # fmt: skip
    return figures


def print_intent_table(figures: list[dict[str, object]]) -> None:
    print(f"{'split':<8} {'intent':<11} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>5}")
    for f in figures:
        if "intent" in f:
            print(
                f"{f['split']:<8} {f['intent']:<11} {f['precision']:>9.3f} {f['recall']:>7.3f} {f['f1']:>6.3f} {f['support']:>5}"
            )
        else:
            print(
                f"{f['split']:<8} {'macro-F1':<11} {f['macro_f1']:>24.3f}   accuracy {f['accuracy']:.3f} (n={f['n']})"
            )
