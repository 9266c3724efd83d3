"""Sentiment against human ratings: plain TextBlob, plain VADER and ours, in one run.

For each file: Pearson r of the score against the mean human rating, 3-class accuracy and
macro-F1. Gold labels: positive when the mean rating is >= 0.5, negative when <= -0.5, neutral
between (-4..4 scale). Plain VADER is cut at its standard +-0.05; plain TextBlob at +-0.05 too
(TextBlob has no documented cut; 0.05 is at least as good for it as 0 on these files).

The blend weight and the label cuts of ours are chosen by `tune`: a grid search that maximises
the mean, over the files, of (r + accuracy + macro-F1) / 3. `cross_validate` chooses them on one
file and scores the other (leave one file out), which is the honest estimate of how the method
does on data it was not tuned on; the shipped constants are the choice on both files together.
"""

from __future__ import annotations

import bisect
import math
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from listener_app.domain import sentiment as ours

CLASSES = ("negative", "neutral", "positive")
WEIGHTS = tuple(round(0.05 * i, 2) for i in range(21))
CUTS = tuple(round(0.025 * i, 3) for i in range(21))  # 0 .. 0.5


def gold_label(valence: float, cut: float = 0.5) -> str:
    return "positive" if valence >= cut else "negative" if valence <= -cut else "neutral"


def cut_label(score: float, positive_cut: float = 0.05, negative_cut: float = 0.05) -> str:
    return "positive" if score > positive_cut else "negative" if score < -negative_cut else "neutral"


def pearson(a: Sequence[float], b: Sequence[float]) -> float:
    if len(a) < 2:
        return 0.0
    ma, mb = statistics.fmean(a), statistics.fmean(b)
    num = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    den = math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))
    return num / den if den else 0.0


def _from_confusion(confusion: dict[tuple[str, str], int], n: int) -> tuple[float, float]:
    correct = sum(confusion.get((c, c), 0) for c in CLASSES)
    f1s = []
    for c in CLASSES:
        tp = confusion.get((c, c), 0)
        predicted = sum(confusion.get((g, c), 0) for g in CLASSES)
        actual = sum(confusion.get((c, p), 0) for p in CLASSES)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return (correct / n if n else 0.0), sum(f1s) / len(f1s)


def accuracy_and_macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    """3-class accuracy and macro-F1 (mean F1 over negative, neutral, positive)."""
    confusion: dict[tuple[str, str], int] = {}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g, p] = confusion.get((g, p), 0) + 1
    return _from_confusion(confusion, len(gold))


@dataclass
class Dataset:
    name: str
    valences: list[float]
    texts: list[str]
    parts: list[tuple[float, float, bool]]  # ours.components of each text

    @property
    def gold(self) -> list[str]:
        return [gold_label(v) for v in self.valences]


def load_dataset(name: str, rows: Sequence[tuple[float, str]]) -> Dataset:
    texts = [t for _, t in rows]
    return Dataset(name, [v for v, _ in rows], texts, [ours.components(t) for t in texts])


def _scores(data: Dataset, weight: float) -> list[float]:
    return [ours.combine(v, b, s, weight).score for v, b, s in data.parts]


def _grid(data: Dataset, weight: float) -> tuple[float, dict[tuple[float, float], tuple[float, float]]]:
    """r, and (accuracy, macro-F1) for every pair of cuts, for one weight (sorted-score counting)."""
    scores = _scores(data, weight)
    r = pearson(data.valences, scores)
    by_gold: dict[str, list[float]] = {c: [] for c in CLASSES}
    for g, s in zip(data.gold, scores, strict=True):
        by_gold[g].append(s)
    for values in by_gold.values():
        values.sort()
    table = {}
    for pos in CUTS:
        for neg in CUTS:
            confusion = {}
            for g, values in by_gold.items():
                below = bisect.bisect_left(values, -neg)  # score < -neg
                above = len(values) - bisect.bisect_right(values, pos)  # score > pos
                confusion[g, "negative"] = below
                confusion[g, "positive"] = above
                confusion[g, "neutral"] = len(values) - below - above
            table[pos, neg] = _from_confusion(confusion, len(scores))
    return r, table


def tune(datasets: Sequence[Dataset]) -> tuple[float, float, float]:
    """(weight, positive cut, negative cut) maximising the mean over datasets of (r + acc + F1) / 3."""
    best: tuple[float, tuple[float, float, float]] = (-1.0, (ours.VADER_WEIGHT, 0.05, 0.05))
    for weight in WEIGHTS:
        grids = [_grid(d, weight) for d in datasets]
        for cuts in grids[0][1]:
            objective = statistics.fmean((r + sum(table[cuts])) / 3 for r, table in grids)
            if objective > best[0] + 1e-12:
                best = (objective, (weight, *cuts))
    return best[1]


def figures_for(data: Dataset, scores: Sequence[float], labels: Sequence[str]) -> dict[str, float]:
    accuracy, macro_f1 = accuracy_and_macro_f1(data.gold, labels)
    return {
        "pearson_r": round(pearson(data.valences, scores), 4),
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro_f1, 4),
    }


def compare(data: Dataset) -> list[dict[str, object]]:
    """Figures of plain TextBlob, plain VADER and ours (shipped constants) on one dataset."""
    analyzer = SentimentIntensityAnalyzer()
    plain = {
        "textblob": [TextBlob(t).sentiment.polarity for t in data.texts],
        "vader": [analyzer.polarity_scores(t)["compound"] for t in data.texts],
    }
    rows: list[dict[str, object]] = []
    for scorer, scores in plain.items():
        labels = [cut_label(s) for s in scores]
        rows.append(
            {"eval": "sentiment", "dataset": data.name, "scorer": scorer, **figures_for(data, scores, labels)}
        )
    mine = [ours.combine(*p) for p in data.parts]
    rows.append(
        {
            "eval": "sentiment",
            "dataset": data.name,
            "scorer": "listener",
            **figures_for(data, [s.score for s in mine], [s.label for s in mine]),
        }
    )
    for row in rows:
        row["n"] = len(data.texts)
    return rows


def cross_validate(datasets: Sequence[Dataset]) -> list[dict[str, object]]:
    """Leave one file out: choose weight and cuts on the other files, score this one."""
    rows: list[dict[str, object]] = []
    if len(datasets) < 2:
        return rows
    for held in datasets:
        weight, pos, neg = tune([d for d in datasets if d is not held])
        mine = [ours.combine(v, b, s, weight, pos, neg) for v, b, s in held.parts]
        rows.append(
            {
                "eval": "sentiment",
                "dataset": held.name,
                "scorer": "listener_cv",
                "weight": weight,
                "positive_cut": pos,
                "negative_cut": neg,
                **figures_for(held, [s.score for s in mine], [s.label for s in mine]),
                "n": len(held.texts),
            }
        )
    return rows


def throughput(texts: Sequence[str], seconds: float = 2.0) -> dict[str, object]:
    """Texts per second of `score_texts` in this process (repeats the texts for ~`seconds`)."""
    texts = list(texts)
    ours.score_texts(texts[:200])  # warm up: lexicons loaded, regexes compiled
    done = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        ours.score_texts(texts)
        done += len(texts)
    elapsed = time.perf_counter() - started
    mean_chars = statistics.fmean(len(t) for t in texts) if texts else 0.0
    return {
        "eval": "sentiment_speed",
        "function": "score_texts",
        "texts_per_s": round(done / elapsed),
        "mean_chars": round(mean_chars),
        "n": done,
    }
