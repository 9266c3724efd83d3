"""`make eval`: sentiment (ours vs plain TextBlob and plain VADER), and the gain from learning.

Prints a readable table and one JSON line per figure. Gold labels: positive when the mean human
rating is >= 0.5, negative when <= -0.5, neutral between (on the -4..4 scale).
"""

from __future__ import annotations

import json
import math
import statistics
import sys
import time

from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from listener_app.core.sentiment import prepare, score_texts
from listener_app.eval.datasets import available, data_dir
from listener_app.eval.intent_eval import intent_figures, print_intent_table
from listener_app.eval.learning_gain import accuracy_and_macro_f1, gold_label, learning_gain


def pearson(a: list[float], b: list[float]) -> float:
    ma, mb = statistics.fmean(a), statistics.fmean(b)
    num = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    den = math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))
    return num / den if den else 0.0


def _cut(score: float, band: float = 0.05) -> str:
    return "positive" if score > band else "negative" if score < -band else "neutral"


def sentiment_figures(name: str, rows: list[tuple[float, str]]) -> list[dict[str, object]]:
    gold_values = [v for v, _ in rows]
    gold = [gold_label(v) for v in gold_values]
    texts = [t for _, t in rows]
    analyzer = SentimentIntensityAnalyzer()
    started = time.perf_counter()
    ours = score_texts(texts)
    rate = len(texts) / (time.perf_counter() - started)
    scorers = {
        "textblob": [TextBlob(t).sentiment.polarity for t in texts],
        "vader": [analyzer.polarity_scores(t)["compound"] for t in texts],
        "listener": [s.score for s in ours],
    }
    figures = []
    for scorer, scores in scorers.items():
        labels = [s.label for s in ours] if scorer == "listener" else [_cut(x) for x in scores]
        accuracy, macro_f1 = accuracy_and_macro_f1(gold, labels)
        figures.append(
            {
                "eval": "sentiment",
                "dataset": name,
                "scorer": scorer,
                "pearson_r": round(pearson(gold_values, scores), 4),
                "accuracy": round(accuracy, 4),
                "macro_f1": round(macro_f1, 4),
                "n": len(rows),
            }
        )
    figures.append({"eval": "sentiment_speed", "dataset": name, "texts_per_s": round(rate)})
    return figures


def main() -> int:
    sets = available()
    if not sets:
        print(f"No evaluation data at {data_dir()} (set LISTENER_EVAL_DATA); nothing to measure.")
        return 0
    figures: list[dict[str, object]] = []
    print(f"{'dataset':<8} {'scorer':<10} {'pearson r':>9} {'accuracy':>9} {'macro-F1':>9}")
    for name, rows in sets.items():
        for figure in sentiment_figures(name, rows):
            figures.append(figure)
            if figure["eval"] == "sentiment":
                print(
                    f"{name:<8} {figure['scorer']:<10} {figure['pearson_r']:>9.4f} "
                    f"{figure['accuracy']:>9.4f} {figure['macro_f1']:>9.4f}"
                )
    print("\nLearning from the strategist's labels (the rest of each set as test):")
    print(
        f"{'dataset':<8} {'labels':>6} {'accuracy':>9} {'macro-F1':>9}   automatic alone: accuracy, macro-F1"
    )
    for name, rows in sets.items():
        texts = [prepare(t)[0] or t for _, t in rows]
        for figure in learning_gain(texts, [gold_label(v) for v, _ in rows], name):
            figures.append(figure)
            print(
                f"{name:<8} {figure['labels']:>6} {figure['accuracy']:>9.4f} {figure['macro_f1']:>9.4f}   "
                f"{figure['auto_accuracy']:.4f}, {figure['auto_macro_f1']:.4f}"
            )
    print("\nIntent on the hand-labelled set (docs/intent-labeling.md):")
    intents = intent_figures()
    print_intent_table(intents)
    figures.extend(intents)
    print()
    for figure in figures:
        sys.stdout.write(json.dumps(figure) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
