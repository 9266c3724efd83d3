"""The Workspace's learning from the strategist's labels (`ws.learning`): what each model learned
and how far to trust it, suggestions for one mention, and the long tasks: relearn (fit every
model on every manual label, then rank "ask me"), apply learned labels, take them back.

The models (domain.learning.model) are stored in the workspace (store.learning); triage teaches
them each new label at once in a warm workspace (workspace.learners). Applying at a threshold
means, in the words the panel and `listener relearn` use, `estimate.apply_meaning`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import listener_app.workspace.asking as asking
import listener_app.workspace.learners as learners
from listener_app.domain.changes import Changes
from listener_app.domain.learning import MIN_EXAMPLES
from listener_app.domain.learning.estimate import Estimate
from listener_app.domain.models import INTENTS, SCORE_OF, SENTIMENTS
from listener_app.domain.tasks import TaskState, in_steps
from listener_app.store import learning as store
from listener_app.store.chunks import chunked
from listener_app.store.connection import Store, open_store
from listener_app.store.tags import list_tags
from listener_app.workspace.apart import run_apart
from listener_app.workspace.learners import docs_for, kind_of, load_models

if TYPE_CHECKING:
    from listener_app.domain.learning.model import Learner

CLASSES = {"sentiment": SENTIMENTS, "intent": INTENTS, "tag": ("no", "yes")}


@dataclass(frozen=True)
class ModelSummary:
    """One model as the learning panel and `listener relearn` show it."""

    model: str  # "sentiment", "intent" or "tag:<id>"
    name: str  # "sentiment", "intent" or "tag <name>"
    labels: dict[str, int]  # the strategist's labels now, per class
    needs: int  # labels still missing before it can learn (0: enough)
    estimate: Estimate | None  # of the stored model (None: none yet)
    fitted_at: str | None


def needs(kind: str, labels: dict[str, int]) -> int:
    """Labels still missing before a model can learn: MIN_EXAMPLES of each of two classes."""
    short = sorted(max(0, MIN_EXAMPLES - labels.get(c, 0)) for c in CLASSES[kind])
    return short[0] + short[1]


@dataclass(frozen=True)
class Relearned:
    labelled: int  # mentions with a label set by hand
    models: int  # models fitted
    seconds: float  # fitting them (reading the labels included, ranking "ask me" not)
    asked: int  # mentions ranked for "ask me"


def relearn(ws: Store, state: TaskState | None = None, *, ask: bool = True) -> Relearned:
    """Fit every model on every manual label (those without enough labels are dropped), store
    them, then rank "ask me" (unless `ask` is False)."""
    from listener_app.domain.learning.model import Learner

    started = time.perf_counter()
    generation = store.generation(ws)
    labelled = learners.read_labelled(ws, state)
    names = ["sentiment", "intent", *(f"tag:{t}" for t in store.manual_tag_ids(ws))]
    fitted: dict[str, Learner] = {}
    for n, name in enumerate(names):
        if state is not None:
            state.check()
            state.progress(n, total=len(names), message="Learning from your labels")
        docs, labels, keys, X = labelled.training(name)
        try:
            fitted[name] = Learner.fit(kind_of(name), docs, labels, keys, name=name, X=X)
        except ValueError:  # fewer than two classes with enough labels
            continue
    with ws.transaction():
        store.delete_models(ws, store.model_names(ws) - set(fitted))
        for name, learner in fitted.items():
            counts = dict(Counter(learner.trained_labels().values()))
            store.save_model(ws, name, learner.kind, learner.to_bytes(), counts, learner.estimate.to_dict(),
                             generation)  # fmt: skip
        learners.hold_fitted(ws, store.record_fit(ws, generation), generation, fitted)
    seconds = time.perf_counter() - started
    asked = asking.rank_questions(ws, fitted, state) if ask else 0
    return Relearned(len(labelled.rows), len(fitted), seconds, asked)


def _relearn_file(path: Path, state: TaskState) -> Relearned:
    """`relearn` in a process of its own (see workspace.apart)."""
    with open_store(path, create=False) as ws:
        return relearn(ws, state)


def apply_learned(
    ws: Store, threshold: float, state: TaskState | None = None, ids: Sequence[int] | None = None
) -> int:
    """Make the learned labels of these mentions (default: all) what applying at `threshold`
    decides (`Learner.decide`): set, marked 'learned', where a model's label differs from the
    automatic one; taken back where it no longer does. Labels set by hand are never touched, a
    tag is never added to a mention the strategist tagged otherwise, and the brand's own posts
    are left as they are. Returns the learned labels standing on these mentions afterwards."""
    models = load_models(ws)
    if not models or (ids is not None and not any(m.applies(threshold) for m in models.values())):
        return 0  # (new mentions have no learned labels to take back)
    total = len(set(ids)) if ids is not None else store.count_mentions(ws)
    chunks: Iterable[list[int]] = chunked(sorted(set(ids)), learners.STEP) if ids is not None else (
        store.mention_id_chunks(ws, learners.STEP))  # fmt: skip
    if state is not None:
        state.progress(0, total=total, message="Applying what was learned")
    standing = done = 0
    for chunk in chunks:
        if state is not None:
            state.check()
        standing += _apply_chunk(ws, models, threshold, chunk)
        done += len(chunk)
        if state is not None:
            state.progress(done)
    return standing


def _apply_chunk(ws: Store, models: dict[str, Learner], threshold: float, chunk: list[int]) -> int:
    from listener_app.domain.learning.documents import featurize

    rows = store.mentions_for_learning(ws, chunk)
    docs = docs_for(ws, rows)
    X = featurize(docs)
    decided = {name: model.decide(docs, threshold, X) for name, model in models.items()}
    sentiments: list[tuple[int, str, float, str]] = []
    intents: list[tuple[int, str, str]] = []
    add: list[tuple[int, int]] = []
    remove: list[tuple[int, int]] = []
    standing = 0
    for i, (row, doc) in enumerate(zip(rows, docs, strict=True)):
        if row.ours:
            continue  # the brand's own posts are context, not what customers said
        if "sentiment" in decided and row.sentiment is None:
            label = decided["sentiment"][i]
            if label is not None and label != doc.sentiment:
                sentiments.append((row.id, label, SCORE_OF[label], "learned"))
                standing += 1
            elif row.sentiment_origin == "learned":
                sentiments.append((row.id, doc.sentiment, doc.score, "auto"))
        if "intent" in decided and row.intent is None:
            label = decided["intent"][i]
            if label is not None and label != doc.intent:
                intents.append((row.id, label, "learned"))
                standing += 1
            elif row.intent_origin == "learned":
                intents.append((row.id, doc.intent, "auto"))
        for name, labels in decided.items():
            if kind_of(name) != "tag" or row.tags:
                continue
            tag_id = int(name.removeprefix("tag:"))
            if labels[i] == "yes":
                add.append((row.id, tag_id))
                standing += 1
            elif tag_id in row.learned_tags:
                remove.append((row.id, tag_id))
    with ws.transaction():
        store.write_learned(ws, sentiments, intents, add, remove)
    return standing


def clear_learned(ws: Store, state: TaskState | None = None) -> int:
    """Take back every learned label (sentiment and intent are scored automatically again);
    returns the mentions changed."""
    from listener_app.workspace.scoring import score_mentions  # the scorers load here

    ids = store.learned_ids(ws)
    for chunk in in_steps(ids, state, "Taking back learned labels"):
        with ws.transaction():
            store.take_back_learned(ws, chunk)
            score_mentions(ws, list(chunk))
    return len(ids)


def summary(ws: Store, tag_names: dict[int, str]) -> list[ModelSummary]:
    """Sentiment, intent, then each tag set by hand: its labels now, what it still needs, and the
    estimate of the stored model."""
    counts = store.label_counts(ws)
    records = store.model_records(ws)
    out = []
    for model in (
        "sentiment",
        "intent",
        *sorted((m for m in counts if m.startswith("tag:")), key=_tag_order),
    ):
        record = records.get(model)
        tag_id = int(model.removeprefix("tag:")) if model.startswith("tag:") else None
        out.append(ModelSummary(
            model=model,
            name=model if tag_id is None else f"tag {tag_names.get(tag_id, tag_id)}",
            labels=counts.get(model, {}),
            needs=needs(kind_of(model), counts.get(model, {})),
            estimate=Estimate.from_dict(record["estimate"]) if record else None,
            fitted_at=record["fitted_at"] if record else None,
        ))  # fmt: skip
    return out


def _tag_order(model: str) -> int:
    return int(model.removeprefix("tag:"))


def suggestions(ws: Store, mention_id: int, models: dict[str, Learner]) -> dict[str, tuple[str, float]]:
    """model -> (label, confidence) for each model the mention has no label of the strategist's
    in; a tag model only ever suggests its tag ("yes")."""
    rows = store.mentions_for_learning(ws, [mention_id])
    if not models or not rows:
        return {}
    from listener_app.domain.learning.documents import featurize

    row = rows[0]
    docs = docs_for(ws, rows, save=False)
    X = featurize(docs)
    out = {}
    for name, model in models.items():
        if row.label(name) is not None and (kind_of(name) != "tag" or row.label(name) == "yes"):
            continue
        (guess,) = model.suggest(docs, X)
        if kind_of(name) != "tag" or guess.label == "yes":
            out[name] = (guess.label, guess.confidence)
    return out


class Learning:
    """`ws.learning`."""

    def __init__(self, ws: Store) -> None:
        self._store = ws

    def summary(self) -> list[ModelSummary]:
        """Each model: the labels it learns from, what it still needs, how far to trust it."""
        return summary(self._store, {t["id"]: t["name"] for t in list_tags(self._store)})

    def models(self) -> dict[str, Learner]:
        """The stored models (load once, then ask `suggestions` for many mentions). Loading
        imports scikit-learn when there are models: about a second, the first time."""
        return load_models(self._store)

    def suggestions(
        self, mention_id: int, models: dict[str, Learner] | None = None
    ) -> dict[str, tuple[str, float]]:
        """model -> (label, confidence) for every model the mention has no manual label in."""
        return suggestions(self._store, mention_id, self.models() if models is None else models)

    def auto_apply(self) -> float | None:
        """The threshold at which learned labels are applied to new mentions (None: off)."""
        return store.auto_apply_threshold(self._store)

    def set_auto_apply(self, threshold: float | None) -> Changes:
        """Apply learned labels at this threshold (0.5 to 0.99) to new mentions as they arrive; None: off."""
        store.set_auto_apply(self._store, threshold)
        return Changes(learning=True)

    def behind(self) -> int:
        """Changes of manual labels since the models were last fitted (all of them, before)."""
        fitted = store.fitted(self._store)
        return store.generation(self._store) - (fitted[0] if fitted else 0)

    def needs_relearn(self) -> bool:
        """Whether there are labels set by hand and no model fitted on them by this version yet."""
        return store.fitted(self._store) is None and store.has_labels(self._store)

    def warm(self) -> int:
        """Learn each new manual label at once in this process (see workspace.learners)."""
        return learners.warm(self._store)

    def catch_up(self) -> Changes:
        """After warming: labels given before it, learned now (see workspace.learners.catch_up)."""
        with self._store.transaction():
            caught = learners.catch_up(self._store)
        return Changes(learning=bool(caught))

    def relearn(self, state: TaskState | None = None) -> Relearned:
        """Fit every model on every manual label, then rank "ask me"."""
        return relearn(self._store, state)

    def relearn_apart(self, state: TaskState | None = None) -> Relearned:
        """`relearn` in a process of its own, for a window that keeps searching meanwhile; the
        models it fits are stored, not held in this process (see `warm`)."""
        return run_apart(_relearn_file, self._store.path, state)

    def apply(
        self, threshold: float, state: TaskState | None = None, ids: Sequence[int] | None = None
    ) -> int:
        """Apply learned labels at `threshold` (`estimate.apply_meaning`); returns those standing."""
        return apply_learned(self._store, threshold, state, ids)

    def clear(self, state: TaskState | None = None) -> int:
        """Take back every learned label; returns the mentions changed."""
        return clear_learned(self._store, state)

    def asked(self) -> str:
        """How the latest "ask me" ranking was made, in one line."""
        return asking.describe_asked(store.asked_info(self._store))
