"""Learning from the strategist: per-workspace naive Bayes over their own manual labels.

Models: `sentiment` (negative/neutral/positive), `intent` (the five intents) and one per tag
(`tag:<id>`, yes/no) once the tag has MIN_EXAMPLES examples each way. A document's features are
its words and word pairs plus the automatic scorer's verdict (`~auto:positive`), so with few
labels the model leans on the scorer and with more it learns where the strategist disagrees.

Counts live in the workspace (db.learning), so learning survives restarts and is incremental:
a new label adds one document's counts, and the next suggestion already uses it.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

ALPHA = 0.5  # additive smoothing
APPLY_THRESHOLD = 0.8  # default confidence from which a suggestion replaces the automatic label
MIN_EXAMPLES = 8  # labels per class before a model suggests anything
MAX_TOKENS = 200
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'’]*|[\u2600-\u27bf\U0001f300-\U0001faff]|[:;]-?[()dp]", re.IGNORECASE)
_URL_OR_HANDLE = re.compile(r"https?://\S+|www\.\S+|@\w+")
_STOP = frozenset(
    "a an and are as at be been but by for from had has have i if in into is it its me my of on or our so "
    "that the their them they this to was we were will with you your".split()
)


def features(text: str, auto_label: str | None = None) -> list[str]:
    """Words (lower-cased, stop words kept out), adjacent word pairs, and the scorer's verdict."""
    words = [w.lower() for w in _TOKEN.findall(_URL_OR_HANDLE.sub(" ", text))][:MAX_TOKENS]
    grams = [w for w in words if (w not in _STOP and len(w) > 1) or not w.isascii()]
    grams += [f"{a} {b}" for a, b in itertools.pairwise(words)]
    if auto_label:
        grams.extend([f"~auto:{auto_label}"] * 3)
    return grams


@dataclass
class Model:
    """Counts of one model: documents and feature counts per label."""

    name: str
    docs: Counter[str] = field(default_factory=Counter)
    tokens: Counter[str] = field(default_factory=Counter)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    _vocabulary: int | None = field(default=None, repr=False, compare=False)

    def add(self, label: str, feats: list[str], sign: int = 1) -> None:
        self._vocabulary = None
        self.docs[label] += sign
        self.tokens[label] += sign * len(feats)
        bucket = self.counts.setdefault(label, Counter())
        for feat in feats:
            bucket[feat] += sign

    @property
    def ready(self) -> bool:
        labels = [label for label, n in self.docs.items() if n > 0]
        return len(labels) >= 2 and all(self.docs[label] >= MIN_EXAMPLES for label in labels)

    def vocabulary_size(self) -> int:
        """Distinct features with a count (kept until the next `add`: predict asks every time)."""
        if self._vocabulary is None:
            self._vocabulary = len({f for bucket in self.counts.values() for f, n in bucket.items() if n > 0})
        return self._vocabulary

    def predict(self, feats: list[str]) -> tuple[str, float] | None:
        """(label, confidence in [0, 1]) or None when the model has too few labels."""
        if not self.ready or not feats:
            return None
        total_docs = sum(n for n in self.docs.values() if n > 0)
        vocab = self.vocabulary_size() + 1
        scores: dict[str, float] = {}
        for label, n_docs in self.docs.items():
            if n_docs <= 0:
                continue
            bucket = self.counts.get(label, Counter())
            denominator = math.log(self.tokens[label] + ALPHA * vocab)
            score = math.log(n_docs / total_docs)
            for feat in feats:
                score += math.log(bucket.get(feat, 0) + ALPHA) - denominator
            scores[label] = score
        # Naive Bayes is over-confident on long texts: temper by the number of features.
        temper = max(1.0, math.sqrt(len(feats)))
        top = max(scores.values())
        weights = {label: math.exp((s - top) / temper) for label, s in scores.items()}
        best = max(weights, key=weights.__getitem__)
        return best, weights[best] / sum(weights.values())
