"""Automatic sentiment and intent for stored mentions, in batches, using every core.

`score_mentions` scores given ids inside the caller's transaction (ingest); `rescore` walks
every unscored mention in committed chunks (after `import --no-score`), with progress and cancel.
"""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ProcessPoolExecutor

from listener_app.domain.auto_labels import auto_labels
from listener_app.domain.processes import in_parallel
from listener_app.domain.tasks import TaskState
from listener_app.store import mentions as store
from listener_app.store import staging
from listener_app.store.authors import refresh_authors
from listener_app.store.connection import Store
from listener_app.workspace.workers import worker_pool

PARALLEL_THRESHOLD = 2000
RESCORE_CHUNK = 20_000
RESCORE_PARTS = 8  # a chunk's texts are scored in this many parts, taken by the workers in turn


def _scores(ids_texts: list[tuple[int, str]]) -> list[tuple[int, str, float, str]]:
    """(id, label, score, intent) of each (id, text): sentiment and intent alike, on every core
    for a big batch (the shared pool of background processes, processes.in_parallel)."""
    texts = [text for _, text in ids_texts]
    labels = in_parallel(auto_labels, texts)
    return [(mention_id, *labelled) for (mention_id, _), labelled in zip(ids_texts, labels, strict=True)]


def score_mentions(ws: Store, ids: list[int]) -> None:
    if not ids:
        return
    rows = store.texts_for_scoring(ws, ids)
    store.set_auto_scores(ws, _scores(rows))


def _labelled(
    pool: ProcessPoolExecutor | None, ids_texts: list[tuple[int, str]]
) -> list[tuple[int, str, float, str]]:
    """(id, label, score, intent) of each (id, text): in the pool's workers, sentiment and intent
    alike, a part of the texts each."""
    texts = [text for _, text in ids_texts]
    if pool is None:
        labels = auto_labels(texts)
    else:
        size = max(500, len(texts) // RESCORE_PARTS)
        parts = [texts[start : start + size] for start in range(0, len(texts), size)]
        labels = [labelled for part in pool.map(auto_labels, parts) for labelled in part]
    return [(mention_id, *labelled) for (mention_id, _), labelled in zip(ids_texts, labels, strict=True)]


def rescore(ws: Store, state: TaskState | None = None) -> int:
    """Score every mention that has no sentiment yet, on every core (worker processes that end
    with this one); returns how many were scored."""
    total = store.count_unscored(ws)
    done = 0
    last_id = 0
    if state is not None:
        state.progress(0, total=total, message="Scoring sentiment")
    cores = os.cpu_count() or 1
    with contextlib.ExitStack() as stack:
        pool = None
        if cores > 1 and total >= PARALLEL_THRESHOLD:  # the workers share the labels they give
            folder = stack.enter_context(staging.staging_folder())  # (removed even after a kill)
            pool = stack.enter_context(worker_pool(cores, labels_in=folder))
        while batch := store.unscored(ws, after_id=last_id, limit=RESCORE_CHUNK):
            if state is not None:
                state.check()
            scores = _labelled(pool, batch)
            with ws.transaction():
                store.set_auto_scores(ws, scores)
            last_id = batch[-1][0]
            done += len(batch)
            if state is not None:
                state.progress(done)
    if done:
        with ws.transaction():
            refresh_authors(ws)
    return done
