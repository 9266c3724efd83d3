"""The learned models in this process: mentions read the way the models read them, the stored
models loaded, and a new manual label learned at once.

Learning a label at once needs the labels a model was fitted on in memory (`Learner.learn`
steps from the current weights on all of them). A process that triages (the window) asks for
that with `warm`: from then on, every write that changes manual labels (workspace.triage's
`resync`, in the write's own transaction) teaches the models those labels and stores their new
weights, so the next suggestion read from the workspace already knows them. Other processes
(the command line) only count the change: the next relearn takes it in.

The learners held in memory are kept per workspace file with the labels' generation they hold
(store.learning). A write whose generation does not follow on from theirs (labels changed by
another process, a bulk change too big to learn at once, a relearn meanwhile) first builds them
again from the stored models and every labelled mention, then steps every model once.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from listener_app.domain.tasks import TaskState, in_steps
from listener_app.store import learning as store
from listener_app.store.connection import Store
from listener_app.store.settings import workspace_id

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from listener_app.domain.learning.documents import Doc
    from listener_app.domain.learning.model import Learner

INCREMENTAL_MAX = 200  # mentions one write may relabel and still be learned at once
STEP = 2000  # mentions read at a time
HOLD_MAX = 100  # "no" labels a tag model may hold for its next step (see _hardly_moves)


def kind_of(name: str) -> str:
    """A model's kind from its name: "sentiment", "intent", or "tag" for "tag:<id>"."""
    return "tag" if name.startswith("tag:") else name


def text_key(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def docs_for(ws: Store, rows: Sequence[store.LearningRow], *, save: bool = True) -> list[Doc]:
    """Each mention as the models read it: its stored automatic verdicts when they were read
    from its current text, else read now (and stored, when `save` and the file is writable)."""
    from listener_app.domain.learning.documents import Doc, read
    from listener_app.domain.sentiment import Sentiment

    docs: list[Doc] = []
    fresh: list[tuple[int, store.Verdicts]] = []
    for row in rows:
        key = text_key(row.body)
        v = row.verdicts
        if v is not None and v.text_key == key:
            docs.append(Doc(row.body, v.vader, v.blob, v.sarcasm, v.sentiment, v.score, v.intent))
            continue
        doc = read(row.body, Sentiment(*row.auto) if row.auto else None, row.auto_intent)
        docs.append(doc)
        fresh.append((row.id, store.Verdicts(key, doc.vader, doc.blob, doc.sarcasm, doc.sentiment, doc.score,
                                             doc.intent)))  # fmt: skip
    if fresh and save and not ws.readonly:
        store.save_verdicts(ws, fresh)
    return docs


def load_models(ws: Store) -> dict[str, Learner]:
    """The stored models, by name ({} without importing scikit-learn when there are none). A
    model stored by another version is left out: the next relearn learns it again."""
    return {name: learner for name, (learner, _generation) in _stored(ws).items()}


def _stored(ws: Store) -> dict[str, tuple[Learner, int]]:
    """Each stored model that loads, and the labels' generation its weights reflect."""
    states = store.model_states(ws)
    if not states:
        return {}
    from listener_app.domain.learning.model import Learner

    models = {}
    for name, (state, generation) in states.items():
        try:
            models[name] = (Learner.from_bytes(state), generation)
        except ValueError:
            continue
    return models


@dataclass(frozen=True)
class Labelled:
    """Every mention with a label set by hand, as the models read them."""

    rows: list[store.LearningRow]
    docs: list[Doc]
    X: csr_matrix
    _slices: dict[tuple[int, ...], csr_matrix] = field(default_factory=dict, compare=False, repr=False)

    def training(self, name: str) -> tuple[list[Doc], list[str], list[int], csr_matrix]:
        """What model `name` learns from: the docs labelled for it, their labels, their mention
        ids and their rows of X (as `Learner.fit` and `Learner.resume` take them)."""
        rows, labels = [], []
        for i, row in enumerate(self.rows):
            label = row.label(name)
            if label is not None:
                rows.append(i)
                labels.append(label)
        return [self.docs[i] for i in rows], labels, [self.rows[i].id for i in rows], self._rows_of(rows)

    def resume(self, learner: Learner) -> Learner:
        """`learner` holding these labels in memory (`Learner.resume`)."""
        return learner.resume(*self.training(learner.name))

    def _rows_of(self, rows: list[int]) -> csr_matrix:
        """X's rows for a model, shared by every model labelled on the same mentions (each tag
        model is labelled on every tagged mention): one copy in memory, not one per tag."""
        key = tuple(rows)
        if key not in self._slices:
            self._slices[key] = self.X if len(rows) == self.X.shape[0] else self.X[rows]
        return self._slices[key]


def read_labelled(ws: Store, state: TaskState | None = None) -> Labelled:
    """Every labelled mention as the models read it, a step at a time (reading the automatic
    verdicts of mentions labelled since the last relearn is the slow part)."""
    from scipy.sparse import vstack

    from listener_app.domain.learning.documents import featurize

    rows: list[store.LearningRow] = []
    docs: list[Doc] = []
    parts = []
    for chunk in in_steps(store.labelled_ids(ws), state, "Reading your labels", step=STEP):
        read = store.mentions_for_learning(ws, chunk)
        rows.extend(read)
        docs.extend(chunk_docs := docs_for(ws, read))
        parts.append(featurize(chunk_docs))
    return Labelled(rows, docs, vstack(parts, format="csr") if parts else featurize([]))


# ---------------------------------------------------------------- learners held in memory


@dataclass(frozen=True)
class _Held:
    fit: int  # the relearn they come from (store.learning.fitted)
    generation: int  # the labels' generation they hold
    learners: dict[str, Learner]


_HELD: dict[tuple[str, str | None], _Held | None] = {}  # by workspace: present once warm, None until built
_LOCK = threading.Lock()


def _key(ws: Store) -> tuple[str, str | None]:
    """The workspace file, and its own id: another workspace made at the same path is another."""
    return str(ws.path.resolve()), workspace_id(ws)


def _stamp(ws: Store) -> tuple[int, int]:
    """(fit, generation) of the workspace now."""
    return (store.fitted(ws) or (0, 0))[1], store.generation(ws)


def _hold(ws: Store, held: _Held, *, newer_only: bool) -> None:
    key = _key(ws)
    with _LOCK:
        if key not in _HELD:
            return  # not warm: nothing is learned at once in this process
        now = _HELD[key]
        if not newer_only or now is None or (now.fit, now.generation) <= (held.fit, held.generation):
            _HELD[key] = held


def warm(ws: Store) -> int:
    """Learn every new manual label in this workspace at once from now on (in this process),
    and build the learners with their labels now, so that the first label is quick too:
    scikit-learn's import (about a second) and the labelled mentions' features. Safe on any
    thread. Returns the number of models held."""
    with _LOCK:
        _HELD.setdefault(_key(ws), None)
    fit, generation = _stamp(ws)
    learners = _built(ws, generation)
    _hold(ws, _Held(fit, generation, learners), newer_only=True)
    return len(learners)


def catch_up(ws: Store) -> list[str]:
    """Inside a write: store the weights of held learners that took in labels given before this
    process was warm (the window warms at its first label), so the next suggestion knows them.
    Returns the models stored."""
    with _LOCK:
        held = _HELD.get(_key(ws))
    if held is None or (held.fit, held.generation) != _stamp(ws):
        return []  # not warm, or the labels moved on meanwhile: the next label's write rebuilds
    behind = [
        name
        for name, (_state, weights_of) in store.model_states(ws).items()
        if weights_of != held.generation and name in held.learners
    ]
    for name in behind:
        learner = held.learners[name]
        store.update_model(ws, name, learner.to_bytes(), learner.estimate.to_dict())
    if behind:
        store.mark_in_step(ws, held.generation)
    return behind


def hold_fitted(ws: Store, fit: int, generation: int, learners: dict[str, Learner]) -> None:
    """A relearn's fresh models (holding the labels of `generation`), inside its transaction."""
    _hold(ws, _Held(fit, generation, learners), newer_only=False)


def _built(ws: Store, generation: int) -> dict[str, Learner]:
    """The stored models holding every current label; those whose weights predate the labels
    step once to take them in."""
    stored = _stored(ws)
    if not stored:
        return {}
    labelled = read_labelled(ws)
    built = {}
    for name, (learner, weights_of) in stored.items():
        resumed = labelled.resume(learner)
        try:
            built[name] = resumed if weights_of == generation else resumed.learn([], [], [])
        except ValueError:  # too few labels of two classes left: it waits for the next relearn
            continue
    return built


def labels_changed(ws: Store, ids: Sequence[int]) -> None:
    """Inside the write that changed the manual labels of these mentions: count the change,
    and in a warm workspace teach the models the new labels and store their weights."""
    fit, before = _stamp(ws)
    after = store.bump_generation(ws, len(ids))
    key = _key(ws)
    with _LOCK:
        warm, held = key in _HELD, _HELD.get(key)
    if not warm or len(ids) > INCREMENTAL_MAX or not store.has_models(ws):
        return  # not learned at once here: the next relearn (or the next write, below) takes it in
    if held is not None and (held.fit, held.generation) == (fit, before):
        learners = dict(held.learners)
        changed = _learn(ws, learners, ids)
    else:  # labels changed elsewhere, or a relearn stored new models: start from what is stored
        learners = _built(ws, after)
        changed = store.model_names(ws)
    for name in changed:
        learner = learners.get(name)
        if learner is None:
            store.delete_models(ws, [name])
        else:
            store.update_model(ws, name, learner.to_bytes(), learner.estimate.to_dict())
    store.mark_in_step(ws, after)
    _hold(ws, _Held(fit, after, learners), newer_only=False)


def _hardly_moves(learner: Learner, held: dict[int, str], keys: list[int], labels: list[str | None]) -> bool:
    """Whether these labels can wait for the model's next step: new "no" labels of a tag model
    (a mention tagged otherwise), while it holds fewer than HOLD_MAX such. Tagging a mention
    makes it a "no" for every other tag: without this, one tag took a step of every tag model
    (nine at 50,000 tagged mentions: 2.9 s before the next suggestion; one: 0.3 s)."""
    return (
        learner.kind == "tag"
        and all(label == "no" for label in labels)
        and not any(key in held for key in keys)
        and learner.holding() + len(keys) <= HOLD_MAX
    )


def _learn(ws: Store, learners: dict[str, Learner], ids: Sequence[int]) -> set[str]:
    """Teach the held learners these mentions' current labels; returns the models changed (a
    model left with too few labels is removed from `learners`)."""
    rows = store.mentions_for_learning(ws, ids)
    docs = docs_for(ws, rows)
    changed = set()
    for name, learner in list(learners.items()):
        held = learner.trained_labels()
        moved = [
            i
            for i, row in enumerate(rows)
            if row.label(name) != held.get(row.id) and (row.id in held or row.label(name) in learner.classes)
        ]
        if not moved:
            continue
        keys, moved_docs, labels = [rows[i].id for i in moved], [docs[i] for i in moved], [rows[i].label(name) for i in moved]  # fmt: skip
        if _hardly_moves(learner, held, keys, labels):
            learners[name] = learner.hold(keys, moved_docs, labels)
            continue
        changed.add(name)
        try:
            learners[name] = learner.learn(keys, moved_docs, labels)
        except ValueError:  # fewer than two classes with enough labels: no model until there are
            del learners[name]
    return changed
