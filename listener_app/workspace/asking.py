""" "Ask me": the unlabelled mentions whose label would teach the models most, ranked after each
relearn and kept in the workspace (`asked`), so the view (`is:asked sort:asked`) shows at once.

The ranking (domain.learning.asking) weighs how unsure the models are about a mention by how
typical it is of what the workspace talks about. On a big workspace it ranks a bounded sample:
the SAMPLE newest mentions without a label set by hand, which also keeps the questions about
what customers say now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from listener_app.domain.tasks import TaskState
from listener_app.store import learning as store
from listener_app.store.connection import Store
from listener_app.workspace.learners import docs_for

if TYPE_CHECKING:
    from listener_app.domain.learning.model import Learner

ASK_COUNT = 100  # questions kept
SAMPLE = 50_000  # the newest unlabelled mentions ranked
CHUNK = 2000


def rank_questions(ws: Store, learners: dict[str, Learner], state: TaskState | None = None) -> int:
    """Rank the newest unlabelled mentions by what their label would teach `learners` (or, with
    none yet, by how typical they are) and keep the best ASK_COUNT; returns how many."""
    from scipy.sparse import vstack

    from listener_app.domain.learning.asking import ask_order, landscape
    from listener_app.domain.learning.documents import featurize

    ids = store.unlabelled_newest(ws, SAMPLE)
    if state is not None:
        state.progress(0, total=len(ids), message="Choosing what to ask you")
    parts = []
    for start in range(0, len(ids), CHUNK):
        if state is not None:
            state.check()
        chunk = ids[start : start + CHUNK]
        parts.append(featurize(docs_for(ws, store.mentions_for_learning(ws, chunk))))
        if state is not None:
            state.progress(start + len(chunk))
    if not parts:
        store.save_asked(ws, [], {"ranked": 0, "among": 0, "unlabelled": 0})
        return 0
    X = vstack(parts, format="csr")
    picks = ask_order(landscape(X), [learner.probabilities(X) for learner in learners.values()], ASK_COUNT)
    unlabelled = store.count_unlabelled(ws) if len(ids) == SAMPLE else len(ids)
    store.save_asked(
        ws, [ids[i] for i in picks], {"ranked": len(picks), "among": len(ids), "unlabelled": unlabelled}
    )
    return len(picks)


def describe_asked(info: dict[str, int] | None) -> str:
    """How the latest ranking was made, in one line."""
    if not info:
        return 'No "ask me" ranking yet: relearn to make one'
    among, unlabelled = info["among"], info["unlabelled"]
    sample = (
        f"the {among:,} newest of your {unlabelled:,} unlabelled mentions"
        if unlabelled > among
        else f"your {among:,} unlabelled mentions"
    )
    return f"Ask me: the {info['ranked']:,} mentions whose labels would teach most, among {sample} (is:asked)"
