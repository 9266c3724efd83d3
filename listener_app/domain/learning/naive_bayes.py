"""Learning from the strategist: per-workspace naive Bayes over their own manual labels, as a
correction of the automatic verdict.

Models: `sentiment` (negative/neutral/positive), `intent` (the five intents) and one per tag
(`tag:<id>`, yes/no) once the tag has MIN_EXAMPLES examples each way.

A document's features are its words and word pairs, plus the automatic verdicts (`features`):
`~auto:<label>` for the scorer's sentiment and the intent classifier's intent, and
`~auto:<label>:<strength>` for how strongly the scorer leaned that way. Features starting with
"~" are never word evidence. A model whose labels include a verdict treats it as what it is:

1. The prior is what the strategist said when the automatic verdict was that one:
   P(y | verdict, strength), counted from the labels, smoothed (PRIOR_WEIGHT pseudo-labels)
   towards P(y | verdict), and that towards the verdict's own measured reliability (how often
   the strategist agreed with the automatic labels at all). With few labels the model is the
   automatic verdict; with more it learns where and how the strategist disagrees with it.
   Without a verdict (tags) the prior is the labels' frequencies.
2. The words add naive Bayes evidence (Laplace smoothing; a word never seen takes the unseen
   share of each label), divided by the square root of the number of words (naive Bayes counts
   every word as independent evidence, which the words of one text are not) and weighed by a
   temperature. The temperature is not a constant: it is fitted on the workspace's own labels
   by exact leave-one-out (each labelled document's counts taken out of the model, the document
   predicted, the log-loss minimised: convex, so a few Newton steps). The posterior is thus
   calibrated, and it relies on the words exactly as much as they predicted this strategist's
   labels.
3. `predict` gives the most probable label and a confidence: the probability that it is right
   rather than the label it would replace (the automatic verdict, or "no" for a tag), that is
   P(label) / (P(label) + P(verdict)); its own probability when it agrees or nothing is replaced.
   From a confidence of 0.5 on, replacing is an expected improvement; a threshold of 0.8 asks
   for four right replacements to one wrong.
4. `decide` is what applying does (the app's apply and the eval use it): a suggestion at or
   above the threshold replaces the automatic verdict only when the same leave-one-out says that
   on the labelled documents, replacements at that confidence were right more often than the
   verdicts they replaced. Otherwise the automatic verdict stays: learning never does worse
   than the automatic labels on the strategist's own labels.

Replacements with and without a standing label are judged apart: documents counted before the
verdicts were features (a workspace from an older version, until Relearn) never justify
replacing a verdict.

Counts live in the workspace (db.learning), so learning survives restarts and is incremental:
a new label adds one document's counts, and the next suggestion already uses it. Calibration
reads the newest CALIBRATION_DOCS labelled documents of a model, once per change of its counts.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from listener_app.domain.learning.thresholds import MIN_EXAMPLES

ALPHA = 1.0  # additive (Laplace) smoothing of the word counts
PRIOR_WEIGHT = 5.0  # pseudo-labels behind each level of the verdict prior
MAX_TOKENS = 200
CALIBRATION_DOCS = 500  # newest labelled documents the leave-one-out calibration reads
MAX_TEMPERATURE = 10.0
AUTO = "~auto:"  # an automatic verdict: ~auto:<label>, and ~auto:<label>:<strength>
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'’]*|[\u2600-\u27bf\U0001f300-\U0001faff]|[:;]-?[()dp]", re.IGNORECASE)
_URL_OR_HANDLE = re.compile(r"https?://\S+|www\.\S+|@\w+")
_STOP = frozenset(
    "a an and are as at be been but by for from had has have i if in into is it its me my of on or our so "
    "that the their them they this to was we were will with you your".split()
)


def strength(score: float) -> int:
    """How strongly the scorer leaned (|score| on its -1..1 scale): 0 exactly none, then quarters."""
    s = abs(score)
    return 0 if s == 0 else 1 if s < 0.25 else 2 if s < 0.5 else 3


def features(
    text: str, auto_label: str | None = None, auto_score: float | None = None, auto_intent: str | None = None
) -> list[str]:
    """Words (lower-cased, stop words kept out), adjacent word pairs, and the automatic verdicts:
    the scorer's sentiment (with its strength when the score is given) and the intent."""
    words = [w.lower() for w in _TOKEN.findall(_URL_OR_HANDLE.sub(" ", text))][:MAX_TOKENS]
    grams = [w for w in words if (w not in _STOP and len(w) > 1) or not w.isascii()]
    grams += [f"{a} {b}" for a, b in itertools.pairwise(words)]
    if auto_label:
        grams.append(AUTO + auto_label)
        if auto_score is not None:
            grams.append(f"{AUTO}{auto_label}:{strength(auto_score)}")
    if auto_intent:
        grams.append(AUTO + auto_intent)
    return grams


@dataclass
class _Doc:
    """One document as a model reads it."""

    words: dict[str, int]  # word features (not "~") and how often each occurs
    size: int  # number of word features
    verdict: int | None  # index of the automatic verdict among the model's labels
    strength: str | None  # the ~auto:<label>:<strength> feature, with the verdict


@dataclass
class _Fit:
    """What predictions need, computed from the counts (and the calibration documents)."""

    labels: list[str]
    index: dict[str, int]
    buckets: list[Counter[str]]
    tokens: list[int]  # word tokens per label
    vocabulary: int
    docs: list[int]
    agree: int  # labelled documents whose verdict was the strategist's label
    with_verdict: int  # labelled documents with a verdict among the labels
    temperature: float = 0.0
    # The leave-one-out suggestions that would have changed a label, apart by whether a label
    # stood (the verdict or the default) or none did: their confidences, ascending, and from each
    # one on, how many more were right than what they replaced (with none standing: than wrong).
    changes: dict[bool, tuple[list[float], list[int]]] = field(default_factory=dict)


@dataclass
class Model:
    """Counts of one model: documents, word tokens and feature counts per label.

    `default`: the label that stands when nothing is applied and the features carry no verdict
    ("no" for a tag). `examples`: where calibration reads labelled (label, features) documents
    from, newest last (db.learning reads them from the workspace); without it, the documents
    given to `add`. `calibration_key`: models loaded again with the same key and the same
    counts reuse the calibration (db.learning: the workspace and model; the window reloads
    every model after each label, and most of them have not changed)."""

    name: str
    docs: Counter[str] = field(default_factory=Counter)
    tokens: Counter[str] = field(default_factory=Counter)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    default: str | None = None
    examples: Callable[[], Iterable[tuple[str, Sequence[str]]]] | None = field(
        default=None, repr=False, compare=False
    )
    calibration_key: Hashable | None = field(default=None, repr=False, compare=False)
    _added: list[tuple[str, list[str]]] = field(default_factory=list, init=False, repr=False, compare=False)
    _fit: _Fit | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.default is None and self.name.startswith("tag:"):
            self.default = "no"

    def add(self, label: str, feats: list[str], sign: int = 1) -> None:
        """Count (sign 1) or uncount (sign -1) one labelled document."""
        self.add_count(label, "", sign)
        for feat in feats:
            self.add_count(label, feat, sign)
        if sign > 0:
            self._added.append((label, list(feats)))
        elif (label, list(feats)) in self._added:
            self._added.remove((label, list(feats)))

    def add_count(self, label: str, feature: str, count: int) -> None:
        """Add to one stored count; the feature "" counts documents (as db.learning stores them)."""
        self._fit = None
        if feature == "":
            self.docs[label] += count
            return
        if not feature.startswith("~"):
            self.tokens[label] += count
        bucket = self.counts.setdefault(label, Counter())
        bucket[feature] += count

    @property
    def ready(self) -> bool:
        labels = [label for label, n in self.docs.items() if n > 0]
        return len(labels) >= 2 and all(self.docs[label] >= MIN_EXAMPLES for label in labels)

    def predict(self, feats: list[str]) -> tuple[str, float] | None:
        """(label, confidence in [0, 1]) or None when the model has too few labels.

        The confidence is the probability that the label is right rather than the one it
        would replace (see the module's description)."""
        guess = self._guess(feats)
        return None if guess is None else (guess[0], guess[1])

    def baseline(self, feats: list[str]) -> str | None:
        """The label that stands when nothing is applied: the automatic verdict among this
        model's labels, else `default`."""
        if not self.ready:
            return self.default
        fit = self._fitted()
        verdict = self._read(fit, feats).verdict
        return fit.labels[verdict] if verdict is not None else self.default

    def replaces_from(self, threshold: float, standing: bool = True) -> bool:
        """Whether, on the labelled documents (leave-one-out), suggestions at or above this
        confidence that replaced the standing label were right more often than what they
        replaced (`standing` False: that set a label where none stood were right more often
        than wrong). No such suggestion at all: False."""
        if not self.ready:
            return False
        confidences, gains = self._fitted().changes.get(standing, ([], []))
        at = bisect.bisect_left(confidences, threshold)
        return at < len(gains) and gains[at] > 0

    def decide(self, feats: list[str], threshold: float) -> str | None:
        """The label to apply at this confidence threshold, or None: keep the automatic one.

        A suggestion agreeing with the standing label is applied from the threshold on; one that
        would replace it (or set one where none stood) only if `replaces_from` says so."""
        guess = self._guess(feats)
        if guess is None or guess[1] < threshold:
            return None
        label, _, standing = guess
        return label if label == standing or self.replaces_from(threshold, standing is not None) else None

    def _guess(self, feats: list[str]) -> tuple[str, float, str | None] | None:
        """(most probable label, confidence, the standing label) or None."""
        if not self.ready or not feats:
            return None
        fit = self._fitted()
        doc = self._read(fit, feats)
        posterior = self._posterior(fit, doc, fit.temperature)
        best = max(range(len(posterior)), key=posterior.__getitem__)
        standing = fit.labels[doc.verdict] if doc.verdict is not None else self.default
        return fit.labels[best], self._confidence(fit, posterior, best, doc), standing

    # -- the model --------------------------------------------------------------------------

    def _fitted(self) -> _Fit:
        if self._fit is None:
            fit = self._counts_fit()
            signature = (tuple(fit.labels), tuple(fit.docs), tuple(fit.tokens), fit.vocabulary, fit.agree)
            known = _CALIBRATIONS.get(self.calibration_key) if self.calibration_key is not None else None
            if known is not None and known[0] == signature:
                fit.temperature, fit.changes = known[1]
            else:
                self._calibrate(fit)
                if self.calibration_key is not None:
                    _CALIBRATIONS[self.calibration_key] = (
                        signature,
                        (fit.temperature, fit.changes),
                    )
            self._fit = fit
        return self._fit

    def _counts_fit(self) -> _Fit:
        labels = sorted(label for label, n in self.docs.items() if n > 0)
        buckets = [self.counts.get(label, Counter()) for label in labels]
        vocabulary = len({f for b in buckets for f, n in b.items() if n > 0 and not f.startswith("~")})
        agree = sum(b.get(AUTO + label, 0) for label, b in zip(labels, buckets, strict=True))
        with_verdict = sum(b.get(AUTO + label, 0) for label in labels for b in buckets)
        return _Fit(
            labels=labels,
            index={label: i for i, label in enumerate(labels)},
            buckets=buckets,
            tokens=[self.tokens[label] for label in labels],
            vocabulary=vocabulary,
            docs=[self.docs[label] for label in labels],
            agree=agree,
            with_verdict=with_verdict,
        )

    @staticmethod
    def _read(fit: _Fit, feats: Sequence[str]) -> _Doc:
        words: dict[str, int] = {}
        verdict = None
        strong = None
        for feat in feats:
            if feat[:1] != "~":
                words[feat] = words.get(feat, 0) + 1
            elif feat.startswith(AUTO):
                head, _, level = feat[len(AUTO) :].partition(":")
                if head in fit.index:
                    if level:
                        strong = feat
                    else:
                        verdict = fit.index[head]
        if verdict is None or strong is None or not strong.startswith(AUTO + fit.labels[verdict] + ":"):
            strong = None
        return _Doc(words, sum(words.values()), verdict, strong)

    def _log_prior(self, fit: _Fit, doc: _Doc, out: int | None = None) -> list[float]:
        """log P(label | verdict, strength); `out`: the label of the document left out."""
        n = len(fit.labels)
        less = [1 if j == out else 0 for j in range(n)]
        total = sum(fit.docs) - (out is not None)
        frequency = [(fit.docs[j] - less[j] + 1) / (total + n) for j in range(n)]
        if doc.verdict is None:
            return [math.log(p) for p in frequency]
        v = doc.verdict
        dropped = out is not None
        agree = fit.agree - (out == v)
        reliability = (agree + 1) / (fit.with_verdict - dropped + 2)
        others = 1.0 - frequency[v]
        base = [
            reliability if j == v else (1 - reliability) * frequency[j] / others if others > 0 else 0.0
            for j in range(n)
        ]
        prior = self._smoothed(fit, AUTO + fit.labels[v], base, less)
        if doc.strength is not None:
            prior = self._smoothed(fit, doc.strength, prior, less)
        return [math.log(max(p, 1e-12)) for p in prior]

    @staticmethod
    def _smoothed(fit: _Fit, feature: str, base: list[float], less: list[int]) -> list[float]:
        seen = [b.get(feature, 0) - less[j] for j, b in enumerate(fit.buckets)]
        total = sum(seen) + PRIOR_WEIGHT
        return [(seen[j] + PRIOR_WEIGHT * base[j]) / total for j in range(len(seen))]

    @staticmethod
    def _evidence(fit: _Fit, doc: _Doc, out: int | None = None) -> list[float]:
        """Naive Bayes log-likelihood of the words per label, over sqrt(number of words);
        `out`: the document's own label when it is left out of the counts."""
        n = len(fit.labels)
        if not doc.size:
            return [0.0] * n
        log = math.log
        buckets = fit.buckets
        sums = [0.0] * n
        vocabulary = fit.vocabulary
        for feat, k in doc.words.items():
            if out is None:
                for j in range(n):
                    sums[j] += k * log(buckets[j].get(feat, 0) + ALPHA)
                continue
            alone = True  # the word was this document's alone: it leaves the vocabulary too
            for j in range(n):
                seen = buckets[j].get(feat, 0)
                if j == out:
                    seen = max(0, seen - k)
                if seen:
                    alone = False
                sums[j] += k * log(seen + ALPHA)
            vocabulary -= alone
        scale = 1.0 / math.sqrt(doc.size)
        result = []
        for j in range(n):
            tokens = fit.tokens[j] - (doc.size if j == out else 0)
            result.append((sums[j] - doc.size * log(tokens + ALPHA * (vocabulary + 1))) * scale)
        return result

    def _posterior(self, fit: _Fit, doc: _Doc, temperature: float) -> list[float]:
        prior = self._log_prior(fit, doc)
        evidence = self._evidence(fit, doc)
        return _softmax([p + temperature * e for p, e in zip(prior, evidence, strict=True)])

    def _confidence(self, fit: _Fit, posterior: list[float], best: int, doc: _Doc) -> float:
        standing = doc.verdict
        if standing is None and self.default in fit.index:
            standing = fit.index[self.default]
        if standing is None or standing == best:
            return posterior[best]
        return posterior[best] / (posterior[best] + posterior[standing])

    def _calibrate(self, fit: _Fit) -> None:
        """Exact leave-one-out over the newest labelled documents: the temperature that
        minimises their log-loss, then the replacements that posterior would have made."""
        if len(fit.labels) < 2:
            return
        source = self.examples() if self.examples is not None else self._added
        rows: list[tuple[list[float], list[float], int, _Doc]] = []
        for label, feats in list(source)[-CALIBRATION_DOCS:]:
            out = fit.index.get(label)
            if out is None:
                continue
            doc = self._read(fit, feats)
            rows.append((self._log_prior(fit, doc, out), self._evidence(fit, doc, out), out, doc))
        if not rows:
            return
        fit.temperature = _fit_temperature([(p, e, y) for p, e, y, _ in rows])
        changes: dict[bool, list[tuple[float, int]]] = {True: [], False: []}
        for prior, evidence, truth, doc in rows:
            posterior = _softmax([p + fit.temperature * e for p, e in zip(prior, evidence, strict=True)])
            best = max(range(len(posterior)), key=posterior.__getitem__)
            standing = doc.verdict
            if standing is None and self.default in fit.index:
                standing = fit.index[self.default]
            if best == standing:
                continue
            confidence = self._confidence(fit, posterior, best, doc)
            if standing is None:
                changes[False].append((confidence, 1 if best == truth else -1))
            else:
                changes[True].append((confidence, (best == truth) - (standing == truth)))
        for key, made in changes.items():
            made.sort()
            running, gains = 0, []
            for _, gain in reversed(made):
                running += gain
                gains.append(running)
            fit.changes[key] = ([c for c, _ in made], gains[::-1])


# calibration_key -> (signature of the counts, (temperature, changes))
_CALIBRATIONS: dict[
    Hashable, tuple[tuple[object, ...], tuple[float, dict[bool, tuple[list[float], list[int]]]]]
] = {}


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    total = sum(weights)
    return [w / total for w in weights]


def _fit_temperature(rows: list[tuple[list[float], list[float], int]]) -> float:
    """The t >= 0 minimising sum(-log softmax(prior + t * evidence)[truth]): convex in t, so a
    safeguarded Newton search (bisection when a step leaves the bracket)."""

    def slope(t: float) -> tuple[float, float]:
        first = second = 0.0
        for prior, evidence, truth in rows:
            p = _softmax([a + t * e for a, e in zip(prior, evidence, strict=True)])
            mean = sum(pj * ej for pj, ej in zip(p, evidence, strict=True))
            first += mean - evidence[truth]
            second += sum(pj * ej * ej for pj, ej in zip(p, evidence, strict=True)) - mean * mean
        return first, second

    low, high = 0.0, MAX_TEMPERATURE
    first, second = slope(0.0)
    if first >= 0:
        return 0.0
    t = 0.0
    for _ in range(40):
        step = t - first / second if second > 1e-12 else (low + high) / 2
        previous, t = t, step if low < step < high else (low + high) / 2
        first, second = slope(t)
        if first < 0:
            low = t
        else:
            high = t
        if high - low < 1e-4 or abs(t - previous) < 1e-5:
            break
    return t
