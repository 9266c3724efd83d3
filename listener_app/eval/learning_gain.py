"""How much learning from the strategist's labels adds: learning curves for `make eval`.

Sentiment, on each human-rated file: shuffle once (SEED); the first half is the pool the
"strategist" labels, the second half the test set. Intent, on the hand-labelled set: the pool is
the dev part, the test set the held-out hundred (whose texts never shaped the rules). At each
count of labels (LABEL_COUNTS; for intent up to the 673 dev posts), taken in random order and in
"ask me" order (`asking.ask_order`, in rounds of 50 labels to 200 and of 100 beyond, each round
chosen with the model learned from the labels before it), the test set gets:

- automatic: the scorer (or the intent rules) alone;
- plain LR: a plain TF-IDF logistic regression on word unigrams and bigrams plus VADER's four
  scores (C=10, balanced classes), the baseline issue 16 measures against;
- learned: the Learner's label everywhere;
- applied: what `Learner.decide` applies at APPLY_THRESHOLD (learned labels that were right at
  least that often together on the labels), the automatic label elsewhere, with the coverage
  (share of test mentions given a learned label) and those labels' accuracy on the test set;
- the estimate the workspace would show, cross-validated on the labels alone, and the confidence
  from which applying at APPLY_THRESHOLD sets learned labels (`Estimate.applied`).

For the model with the most random labels, predicted against observed accuracy per confidence
bin on the test set (`calibration`), beside what cross-validation on the labels alone said.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from listener_app.domain.learning.asking import ask_order, landscape
from listener_app.domain.learning.documents import Doc, featurize, read
from listener_app.domain.learning.model import BINS, Learner
from listener_app.domain.learning.thresholds import APPLY_THRESHOLD

LABEL_COUNTS = (200, 500, 1000)
SEED = 20261122
Figure = dict[str, object]


@dataclass
class Case:
    """One labelled set as the curves use it."""

    task: str  # "sentiment" or "intent"
    dataset: str
    texts: list[str]
    gold: list[str]
    pool: list[int]  # positions the strategist labels, in random order
    test: list[int]
    docs: list[Doc]
    X: csr_matrix

    @classmethod
    def make(
        cls, task: str, dataset: str, texts: list[str], gold: list[str], pool: list[int], test: list[int]
    ) -> Case:
        docs = [read(t) for t in texts]
        return cls(task, dataset, texts, gold, pool, test, docs, featurize(docs))


def sentiment_case(dataset: str, texts: list[str], gold: list[str]) -> Case:
    order = list(range(len(texts)))
    random.Random(SEED).shuffle(order)
    half = len(order) // 2
    return Case.make("sentiment", dataset, texts, gold, order[:half], order[half:])


def weak_scorer_case(case: Case) -> Case:
    """The same sentiment case with a weak automatic scorer: plain TextBlob (cut at +-0.05, no
    VADER), as weak on these files (macro-F1 0.48-0.63) as Listener's scorer on real airline
    tweets (0.56). Where the automatic labels are weak, applying is where learning pays."""
    docs = []
    for doc in case.docs:
        polarity = TextBlob(doc.text).sentiment.polarity
        label = "positive" if polarity > 0.05 else "negative" if polarity < -0.05 else "neutral"
        docs.append(replace(doc, vader=0.0, blob=polarity, sentiment=label, score=polarity))
    return replace(case, dataset=f"{case.dataset}/weak", docs=docs, X=featurize(docs))


def intent_case(examples: Sequence[dict[str, str]]) -> Case:
    dev = [i for i, e in enumerate(examples) if e["split"] == "dev"]
    random.Random(SEED).shuffle(dev)
    heldout = [i for i, e in enumerate(examples) if e["split"] == "heldout"]
    return Case.make(
        "intent", "labelled", [e["text"] for e in examples], [e["intent"] for e in examples], dev, heldout
    )


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return float(f1_score(gold, predicted, labels=sorted(set(gold)), average="macro", zero_division=0))


def plain_lr(train: Sequence[str], labels: Sequence[str], test: Sequence[str]) -> list[str]:
    """The baseline: TF-IDF word unigrams and bigrams plus VADER's four scores, logistic regression."""
    analyzer = SentimentIntensityAnalyzer()

    def vader(texts: Sequence[str]) -> csr_matrix:
        scores = [analyzer.polarity_scores(t) for t in texts]
        return csr_matrix([[s["neg"], s["neu"], s["pos"], s["compound"]] for s in scores])

    vectorizer = TfidfVectorizer(ngram_range=(1, 2))
    X = hstack([vectorizer.fit_transform(train), vader(train)], format="csr")
    model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000).fit(X, list(labels))
    return [str(p) for p in model.predict(hstack([vectorizer.transform(test), vader(test)], format="csr"))]


def ask_me_order(case: Case, count: int) -> list[int]:
    """The first `count` pool positions in "ask me" order."""
    pool = np.array(case.pool)
    land = landscape(case.X[pool], seed=SEED)
    chosen: list[int] = []
    remaining = np.arange(len(pool))
    while len(chosen) < min(count, len(pool)):
        probabilities = []
        try:
            model = Learner.fit(case.task, [case.docs[i] for i in pool[chosen]], [case.gold[i] for i in pool[chosen]],
                                X=case.X[pool[chosen]], cross_validate=False)  # fmt: skip
            probabilities = [model.probabilities(case.X[pool[remaining]])]
        except ValueError:  # too few labels of two classes yet: typicality alone
            pass
        size = min(50 if len(chosen) < 200 else 100, count - len(chosen))
        picks = remaining[ask_order(land.take(remaining), probabilities, size)]
        chosen.extend(int(i) for i in picks)
        remaining = np.setdiff1d(remaining, picks)
    return [int(pool[i]) for i in chosen]


def _point(case: Case, order: str, labelled: list[int]) -> tuple[Figure, Learner]:
    started = time.perf_counter()
    learner = Learner.fit(case.task, [case.docs[i] for i in labelled], [case.gold[i] for i in labelled],
                          X=case.X[labelled], seed=SEED)  # fmt: skip
    fit_s = time.perf_counter() - started
    test_docs = [case.docs[i] for i in case.test]
    gold = [case.gold[i] for i in case.test]
    suggestions = learner.suggest(test_docs, case.X[case.test])
    decided = learner.decide(test_docs, APPLY_THRESHOLD, case.X[case.test])
    applied = [(d, g) for d, g in zip(decided, gold, strict=True) if d is not None]
    cut = learner.estimate.applied(APPLY_THRESHOLD)
    plain = plain_lr(
        [case.texts[i] for i in labelled],
        [case.gold[i] for i in labelled],
        [case.texts[i] for i in case.test],
    )
    figure: Figure = {
        "eval": "learning_curve", "task": case.task, "dataset": case.dataset, "order": order,
        "labels": len(labelled), "test_size": len(case.test),
        "automatic": round(macro_f1(gold, [s.automatic for s in suggestions]), 4),
        "plain_lr": round(macro_f1(gold, plain), 4),
        "learned": round(macro_f1(gold, [s.label for s in suggestions]), 4),
        "applied": round(macro_f1(gold, [d or s.automatic for d, s in zip(decided, suggestions, strict=True)]), 4),
        "threshold": APPLY_THRESHOLD,
        "coverage": round(len(applied) / len(gold), 4),
        "applied_accuracy": round(sum(d == g for d, g in applied) / len(applied), 4) if applied else None,
        "estimate_learned": learner.estimate.learned, "estimate_automatic": learner.estimate.automatic,
        "estimate_applies": learner.applies(APPLY_THRESHOLD), "fit_s": round(fit_s, 2),
        "from_confidence": cut.threshold if cut else None,
    }  # fmt: skip
    return figure, learner


def calibration_on_test(case: Case, learner: Learner) -> list[Figure]:
    """Predicted against observed accuracy per confidence bin: on the test set, and as
    cross-validation on the labels estimated it."""
    suggestions = learner.suggest([case.docs[i] for i in case.test], case.X[case.test])
    confidence = np.array([s.confidence for s in suggestions])
    right = np.array([s.label == case.gold[i] for s, i in zip(suggestions, case.test, strict=True)])
    figures: list[Figure] = []
    for low, high in itertools.pairwise((0.0, *BINS)):
        inside = (confidence >= low) & ((confidence < high) if high < 1.0 else (confidence <= high))
        estimated = next((b for b in learner.estimate.calibration if b.low == low), None)
        figures.append({"eval": "calibration", "task": case.task, "dataset": case.dataset,
                        "labels": learner.estimate.labels, "low": low, "high": high, "count": int(inside.sum()),
                        "predicted": round(float(confidence[inside].mean()), 4) if inside.any() else None,
                        "observed": round(float(right[inside].mean()), 4) if inside.any() else None,
                        "cv_predicted": estimated.predicted if estimated else None,
                        "cv_observed": estimated.observed if estimated else None})  # fmt: skip
    return figures


def curves(case: Case, counts: Sequence[int] = LABEL_COUNTS, ask_me: bool = True) -> list[Figure]:
    """The learning curve of one case in random (and "ask me") order, then the calibration of the
    largest random model."""
    counts = sorted({min(c, len(case.pool)) for c in counts})
    figures: list[Figure] = []
    last: Learner | None = None
    for count in counts:
        figure, last = _point(case, "random", case.pool[:count])
        figures.append(figure)
    if ask_me:
        asked = ask_me_order(case, counts[-1])
        figures.extend(_point(case, "ask me", asked[:count])[0] for count in counts)
    if last is not None:
        figures.extend(calibration_on_test(case, last))
    return figures
