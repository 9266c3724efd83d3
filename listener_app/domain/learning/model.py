"""One learned model (sentiment, intent, or one tag) and the evidence for trusting it.

How `Learner.fit` learns from the strategist's labels:

1. A logistic regression (scikit-learn, Newton-CG, L2 with C=1, classes weighted by the inverse of
   their frequency so a rare label is not drowned) on the hashed n-grams and the automatic
   verdicts (`documents`). Only the columns the labelled docs use are kept, which makes fitting
   and the stored model proportional to the labels, not to the hash space. A tag model has the
   classes "no" and "yes" and predicts only its own tag.
2. Cross-validation on the labels (5 folds, 3 from 2,000 labels; from CV_MAX labels on a random
   CV_MAX of them, which only makes the estimate a little conservative): every label is
   predicted by a model that did not see it.
3. Confidence: a small logistic calibration fitted on those held-out predictions maps the
   model's top probability, the label it predicts and whether it agrees with the automatic label
   to the probability that it is right. Measured the same way (the calibration itself
   cross-fitted), predicted and observed accuracy per confidence bin are the `calibration` of the
   `Estimate`: 0.8 means right about 8 times in 10 on this workspace's own labels.
4. Trust: the `Estimate` compares, on the same labels, the learned label's macro-F1 (F1 of "yes"
   for a tag) with the automatic label's, and what applying from each confidence would do:
   learned labels from it on, the automatic ones elsewhere. Applying at 0.8 (`decide`) means:
   the learned labels that, taken together, were right at least 8 times in 10 on the labels,
   from the most confident down (on the ground-truth files this sets a learned label on most
   mentions where a per-mention cut at 0.8 sets few that differ from the automatic one); and
   only when the learned labels beat the automatic ones and the mix does no worse than the
   automatic labels alone.

`learn` takes new labels incrementally: one Newton step from the current weights on the labels
kept in memory (from the optimum for nearly the same labels, one step lands close to the new
one) and keeps the last estimate; a full `fit` (in the background)
measures again. `to_bytes` / `Learner.from_bytes` store a model as arrays and JSON
(`numpy.load(allow_pickle=False)`): no pickled objects, nothing that runs code on load.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, vstack
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold
from threadpoolctl import ThreadpoolController

from listener_app.domain.learning.documents import FEATURES_VERSION, Doc, featurize
from listener_app.domain.learning.estimate import ApplyPoint, CalibrationBin, Estimate
from listener_app.domain.learning.newton import newton_step
from listener_app.domain.learning.thresholds import MIN_EXAMPLES

KINDS = ("sentiment", "intent", "tag")
C = 1.0  # inverse strength of the L2 penalty
CV_MAX = 10_000  # labels cross-validated at most (a random sample of them beyond)
BINS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)  # calibration bins of the confidence (below 0.5: one bin)
GRID = tuple(round(0.5 + 0.01 * i, 2) for i in range(50))  # thresholds the estimate is measured at
STATE_VERSION = 1


def automatic(kind: str, doc: Doc) -> str:
    """The label that stands when nothing is applied: the automatic verdict ("no" for a tag)."""
    return doc.sentiment if kind == "sentiment" else doc.intent if kind == "intent" else "no"


def learnable(labels: Sequence[str | None]) -> list[str]:
    """The classes with at least MIN_EXAMPLES labels; a model needs two of them."""
    counts: dict[str, int] = {}
    for label in labels:
        if label is not None:
            counts[str(label)] = counts.get(str(label), 0) + 1
    return sorted(c for c, n in counts.items() if n >= MIN_EXAMPLES)


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float  # calibrated probability that `label` is right
    automatic: str  # the label that stands without it


@dataclass
class _Weights:
    """A linear model on some columns of the feature matrix: scores = X[:, columns] @ coef.T + intercept."""

    columns: np.ndarray  # int32, ascending
    coef: np.ndarray  # (classes, columns)
    intercept: np.ndarray  # (classes,)

    def scores(self, X: csr_matrix) -> np.ndarray:
        return np.asarray(X[:, self.columns] @ self.coef.T) + self.intercept


@dataclass
class _Training:
    """The labelled rows a model was fitted on, kept in memory for `learn`."""

    X: csr_matrix
    y: np.ndarray
    keys: list[Any]
    automatic: list[str]


@cache
def _thread_pools() -> ThreadpoolController:
    return ThreadpoolController()


def one_thread() -> Any:
    """BLAS and OpenMP on one thread: on problems this size their threads only fight each other
    (and the window): the calibration's small fits took 68 ms each just after a regression had
    run on two threads, 2 ms on one. (`threadpool_limits` costs 2 ms a call; a kept controller
    0.02 ms.)"""
    return _thread_pools().limit(limits=1)


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _train(X: csr_matrix, y: np.ndarray, classes: list[str]) -> _Weights:
    """Fit the regression on the columns these rows use."""
    columns = np.unique(X.indices).astype(np.int32)
    model = LogisticRegression(C=C, class_weight="balanced", solver="newton-cg", tol=1e-3, max_iter=100)
    with one_thread(), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 100 Newton steps are close enough
        model.fit(X[:, columns], y)
    coef, intercept = model.coef_, model.intercept_
    if len(classes) == 2:  # as two rows whose softmax is the sigmoid
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
    return _Weights(columns, coef, intercept)


def _step(training: _Training, new: csr_matrix, classes: list[str], start: _Weights) -> _Weights:
    """One Newton step from `start` on the labels held (`newton`); `new`: the rows just added,
    the only ones that can use columns `start` has none for."""
    columns = np.union1d(start.columns, new.indices).astype(np.int32)
    coef = np.zeros((len(classes), len(columns)))
    coef[:, np.searchsorted(columns, start.columns)] = start.coef
    y = np.searchsorted(np.array(classes), training.y)
    changed = np.arange(max(0, len(y) - new.shape[0]), len(y))  # the new rows come last
    with one_thread():
        coef, intercept = newton_step(
            training.X[:, columns], y, coef, np.asarray(start.intercept, float), C, changed=changed
        )
    return _Weights(columns, coef, intercept)


def _calibration_features(probabilities: np.ndarray, agrees: np.ndarray) -> np.ndarray:
    """[logit of the top probability, one-hot of the predicted class, agrees with the automatic label]."""
    top = np.clip(probabilities.max(axis=1), 1e-6, 1 - 1e-6)
    onehot = np.eye(probabilities.shape[1])[probabilities.argmax(axis=1)]
    return np.column_stack([np.log(top / (1 - top)), onehot, agrees.astype(np.float64)])


def _fit_calibrator(features: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Weights (then bias) of P(right | features); a constant when every one was right or wrong."""
    if right.min() == right.max():
        rate = (right.sum() + 1) / (len(right) + 2)
        return np.append(np.zeros(features.shape[1]), math.log(rate / (1 - rate)))
    with one_thread():
        model = LogisticRegression(C=1.0, max_iter=1000).fit(features, right)
    return np.append(model.coef_[0], model.intercept_[0])


def _calibrated(calibrator: np.ndarray, features: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(features @ calibrator[:-1] + calibrator[-1])))


def _score(kind: str, gold: np.ndarray, predicted: np.ndarray) -> float:
    """Macro-F1 over the gold classes (F1 of "yes" for a tag), as scikit-learn's f1_score with
    zero_division=0 computes it: per class 2 TP / (gold + predicted), 0 where both are 0. Here
    because the estimate scores 52 label sets a model, and f1_score's checks cost 8 ms each."""
    classes = ["yes"] if kind == "tag" else np.unique(gold)
    scores = []
    for c in classes:
        in_gold, in_predicted = gold == c, predicted == c
        both = int(in_gold.sum() + in_predicted.sum())
        scores.append(2 * int((in_gold & in_predicted).sum()) / both if both else 0.0)
    return float(np.mean(scores))


def _estimate(
    kind: str, gold: list[str], predicted: list[str], confidence: np.ndarray, auto: list[str]
) -> Estimate:
    """The Estimate from held-out predictions and their (cross-fitted) calibrated confidences."""
    gold_, predicted_, auto_ = np.array(gold), np.array(predicted), np.array(auto)
    right = gold_ == predicted_
    bins = []
    for low, high in itertools.pairwise((0.0, *BINS)):
        inside = (confidence >= low) & ((confidence < high) if high < 1.0 else (confidence <= high))
        if inside.any():
            bins.append(CalibrationBin(low, high, int(inside.sum()), round(float(confidence[inside].mean()), 4),
                                       round(float(right[inside].mean()), 4)))  # fmt: skip
    applying = []
    for threshold in GRID:
        chosen = confidence >= threshold
        if kind == "tag":
            chosen &= predicted_ == "yes"
        mixed = np.where(chosen, predicted_, auto_)
        applying.append(ApplyPoint(threshold, round(float(chosen.mean()), 4),
                                   round(float(right[chosen].mean()), 4) if chosen.any() else 0.0,
                                   round(_score(kind, gold_, mixed), 4)))  # fmt: skip
    return Estimate(
        labels=len(gold),
        metric="F1" if kind == "tag" else "macro-F1",
        learned=round(_score(kind, gold_, predicted_), 4),
        automatic=round(_score(kind, gold_, auto_), 4),
        learned_accuracy=round(float(right.mean()), 4) if len(gold) else 0.0,
        automatic_accuracy=round(float((gold_ == auto_).mean()), 4) if len(gold) else 0.0,
        calibration=tuple(bins),
        applying=tuple(applying),
    )


def _cross_validate(
    kind: str, training: _Training, classes: list[str], seed: int
) -> tuple[np.ndarray, Estimate]:
    """Held-out predictions of every (sampled) label, the calibrator fitted on them, the Estimate."""
    rng = np.random.default_rng(seed)
    rows = np.arange(len(training.y))
    if len(rows) > CV_MAX:
        rows = np.sort(rng.choice(rows, CV_MAX, replace=False))
    X, y = training.X[rows], training.y[rows]
    folds = StratifiedKFold(n_splits=5 if len(rows) <= 2000 else 3, shuffle=True, random_state=seed)
    probabilities = np.zeros((len(rows), len(classes)))
    for train, test in folds.split(np.zeros(len(y)), y):
        fold_classes = sorted(set(y[train]))
        weights = _train(X[train], y[train], fold_classes)
        where = [classes.index(c) for c in fold_classes]
        probabilities[np.ix_(test, where)] = _softmax(weights.scores(X[test]))
    predicted = [classes[i] for i in probabilities.argmax(axis=1)]
    auto = [training.automatic[i] for i in rows]
    features = _calibration_features(
        probabilities, np.array([p == a for p, a in zip(predicted, auto, strict=True)])
    )
    right = np.array([p == g for p, g in zip(predicted, y, strict=True)], dtype=np.int64)
    calibrator = _fit_calibrator(features, right)
    confidence = np.zeros(len(rows))  # cross-fitted, so the calibration is measured on unseen rows
    for train, test in KFold(n_splits=5, shuffle=True, random_state=seed).split(features):
        confidence[test] = _calibrated(_fit_calibrator(features[train], right[train]), features[test])
    return calibrator, _estimate(kind, list(y), predicted, confidence, auto)


def _training(
    kind: str,
    docs: Sequence[Doc],
    labels: Sequence[str],
    keys: Sequence[Any] | None,
    X: csr_matrix | None,
    classes: list[str],
) -> _Training:
    """The rows of the learnable classes, as a model keeps them for `learn`."""
    X = featurize(docs) if X is None else X
    keep = [i for i, label in enumerate(labels) if label in classes]
    keys = list(range(len(labels))) if keys is None else list(keys)
    return _Training(
        X if len(keep) == X.shape[0] else X[keep],  # all kept: shared, not copied (tag models share X)
        np.array([labels[i] for i in keep]),
        [keys[i] for i in keep],
        [automatic(kind, docs[i]) for i in keep],
    )


def _unmeasured(kind: str, classes: list[str]) -> tuple[np.ndarray, Estimate]:
    """For a model not cross-validated: confidence is its own top probability, and an estimate
    that applies nothing."""
    calibrator = np.zeros(len(classes) + 3)
    calibrator[0] = 1.0  # sigmoid(logit(top probability)) = the top probability
    return calibrator, Estimate(0, "F1" if kind == "tag" else "macro-F1", 0.0, 0.0, 0.0, 0.0)


@dataclass
class Learner:
    """One learned model; build it with `Learner.fit` (or `from_bytes`)."""

    kind: str  # "sentiment", "intent" or "tag"
    name: str  # "sentiment", "intent" or "tag:<id>"
    classes: list[str]
    weights: _Weights
    calibrator: np.ndarray
    estimate: Estimate
    _training: _Training | None = field(default=None, repr=False)
    # Labels held without a step (`hold`): key -> (doc, label), taken in by the next `learn`.
    _held: dict[Any, tuple[Doc, str | None]] = field(default_factory=dict, repr=False)

    @classmethod
    def fit(
        cls,
        kind: str,
        docs: Sequence[Doc],
        labels: Sequence[str],
        keys: Sequence[Any] | None = None,
        *,
        name: str | None = None,
        cross_validate: bool = True,
        seed: int = 0,
        X: csr_matrix | None = None,
    ) -> Learner:
        """Learn from labelled docs (`X`: their `featurize` matrix, when the caller has it).
        Labels of classes with fewer than MIN_EXAMPLES labels are left out until they have them.
        `cross_validate` False skips the estimate (no apply, confidences uncalibrated): for
        ranking what to ask next. Raises ValueError with fewer than two learnable classes."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind of model: {kind}")
        classes = learnable(labels)
        if len(classes) < 2:
            raise ValueError(f"a model needs {MIN_EXAMPLES} labels of each of two classes")
        training = _training(kind, docs, labels, keys, X, classes)
        if cross_validate:
            calibrator, estimate = _cross_validate(kind, training, classes, seed)
        else:
            calibrator, estimate = _unmeasured(kind, classes)
        return cls(
            kind,
            name or kind,
            classes,
            _train(training.X, training.y, classes),
            calibrator,
            estimate,
            training,
        )

    def resume(
        self,
        docs: Sequence[Doc],
        labels: Sequence[str],
        keys: Sequence[Any] | None = None,
        X: csr_matrix | None = None,
    ) -> Learner:
        """This model (say, loaded with `from_bytes`) holding these labels in memory, so that
        `learn` can take new ones; the weights stay until `learn` steps from them (labels that
        changed since the model was fitted: `learn([], [], [])` takes them in)."""
        training = _training(self.kind, docs, labels, keys, X, learnable(labels))
        return Learner(
            self.kind, self.name, self.classes, self.weights, self.calibrator, self.estimate, training
        )

    def trained_labels(self) -> dict[Any, str]:
        """The label of each key the model holds in memory ({} for one loaded from bytes),
        those it holds for its next step included."""
        if self._training is None:
            return {}
        labels = dict(zip(self._training.keys, (str(y) for y in self._training.y), strict=True))
        for key, (_doc, label) in self._held.items():
            if label is None:
                labels.pop(key, None)
            else:
                labels[key] = label
        return labels

    def holding(self) -> int:
        """Labels held for the next step (`hold`)."""
        return len(self._held)

    # -- using it --------------------------------------------------------------------------

    def probabilities(self, X: csr_matrix) -> np.ndarray:
        """The model's class probabilities (columns in `classes` order), before calibration."""
        return _softmax(self.weights.scores(X))

    def suggest(self, docs: Sequence[Doc], X: csr_matrix | None = None) -> list[Suggestion]:
        """The most probable label of each doc and the calibrated probability that it is right."""
        if not docs:
            return []
        probabilities = self.probabilities(featurize(docs) if X is None else X)
        predicted = [self.classes[i] for i in probabilities.argmax(axis=1)]
        auto = [automatic(self.kind, d) for d in docs]
        agrees = np.array([p == a for p, a in zip(predicted, auto, strict=True)])
        confidence = _calibrated(self.calibrator, _calibration_features(probabilities, agrees))
        return [
            Suggestion(str(p), round(float(c), 4), a)
            for p, c, a in zip(predicted, confidence, auto, strict=True)
        ]

    def applies(self, threshold: float) -> bool:
        """Whether applying at this threshold sets anything (`Estimate.applied`)."""
        return self.estimate.applied(threshold) is not None

    def decide(self, docs: Sequence[Doc], threshold: float, X: csr_matrix | None = None) -> list[str | None]:
        """What applying at `threshold` sets on each doc: the learned label where its confidence
        reaches the cut-off `Estimate.applied` chose for this threshold (a tag model: only "yes"),
        else None (the automatic label stays)."""
        point = self.estimate.applied(threshold)
        if point is None:
            return [None] * len(docs)
        return [
            s.label if s.confidence >= point.threshold and (self.kind != "tag" or s.label == "yes") else None
            for s in self.suggest(docs, X)
        ]

    # -- new labels ------------------------------------------------------------------------

    def hold(self, keys: Sequence[Any], docs: Sequence[Doc], labels: Sequence[str | None]) -> Learner:
        """This model holding these labels for its next `learn`, its weights as they are: for
        labels that would hardly move them (one more "no" of a tag beside thousands), so that a
        label costs one step of the model it changes, not one of every tag model."""
        if self._training is None:
            raise ValueError("a model loaded from bytes learns anew with Learner.fit")
        return replace(self, _held=self._with_held(keys, docs, labels))

    def _with_held(
        self, keys: Sequence[Any], docs: Sequence[Doc], labels: Sequence[str | None]
    ) -> dict[Any, tuple[Doc, str | None]]:
        """The labels held so far with these ones added (a key given again: its latest label)."""
        return {**self._held, **{k: (d, lab) for k, d, lab in zip(keys, docs, labels, strict=True)}}

    def learn(self, keys: Sequence[Any], docs: Sequence[Doc], labels: Sequence[str | None]) -> Learner:
        """This model with these labels (and those it held) set (a key seen before: its label
        replaced; None: removed), refitted from the current weights. The estimate and calibration
        stay those of the last `fit` (when a class came or went: none, and nothing is applied until
        the next `fit`). Needs the labels it was fitted on (a model from `fit`, not `from_bytes`)."""
        if self._training is None:
            raise ValueError("a model loaded from bytes learns anew with Learner.fit")
        if self._held:
            merged = self._with_held(keys, docs, labels)
            keys, docs, labels = (
                list(merged),
                [d for d, _ in merged.values()],
                [lab for _, lab in merged.values()],
            )
        changed = set(keys)
        old = self._training
        kept = [i for i, key in enumerate(old.keys) if key not in changed]
        new = [i for i, label in enumerate(labels) if label is not None]
        y = np.array([*old.y[kept], *(labels[i] for i in new)])
        classes = learnable(list(y))
        added = featurize([docs[i] for i in new])
        held = old.X if len(kept) == len(old.keys) else old.X[kept]
        rows = vstack([held, added], format="csr") if new else held
        training = _Training(rows, y, [old.keys[i] for i in kept] + [keys[i] for i in new],
                             [old.automatic[i] for i in kept] + [automatic(self.kind, docs[i]) for i in new])  # fmt: skip
        inside = np.isin(training.y, classes)
        if not inside.all():
            training = _Training(training.X[inside], training.y[inside],
                                 [k for k, i in zip(training.keys, inside, strict=True) if i],
                                 [a for a, i in zip(training.automatic, inside, strict=True) if i])  # fmt: skip
        if len(classes) < 2:
            raise ValueError(f"a model needs {MIN_EXAMPLES} labels of each of two classes")
        if classes == self.classes:
            weights = _step(training, added, classes, self.weights)
            calibrator, estimate = self.calibrator, self.estimate
        else:  # a class came or went: a fresh fit, and nothing applied until `fit` measures again
            weights = _train(training.X, training.y, classes)
            calibrator, estimate = _unmeasured(self.kind, classes)
        return Learner(self.kind, self.name, classes, weights, calibrator, estimate, training)

    # -- bytes -----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The model as a NumPy .npz archive: the weights as arrays, the rest as JSON text."""
        meta = {"version": STATE_VERSION, "features": FEATURES_VERSION, "kind": self.kind, "name": self.name,
                "classes": self.classes, "estimate": self.estimate.to_dict()}  # fmt: skip
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
            columns=self.weights.columns.astype(np.int32),
            coef=self.weights.coef.astype(np.float32),
            intercept=self.weights.intercept.astype(np.float64),
            calibrator=self.calibrator.astype(np.float64),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Learner:
        """A model stored by `to_bytes` (never unpickles). ValueError when it was stored in
        another format or for other features: learn it again."""
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
            if meta.get("version") != STATE_VERSION or meta.get("features") != FEATURES_VERSION:
                raise ValueError("the model was stored by another version: learn it again")
            weights = _Weights(arrays["columns"], arrays["coef"].astype(np.float64), arrays["intercept"])
            calibrator = arrays["calibrator"]
        return cls(meta["kind"], meta["name"], list(meta["classes"]), weights, calibrator,
                   Estimate.from_dict(meta["estimate"]))  # fmt: skip
