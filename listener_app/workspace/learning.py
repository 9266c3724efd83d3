"""The Workspace's learning from the strategist's labels: what each model learned, suggestions
for one mention, and the long tasks (relearn, apply, take back). The models and their counts live
in the store (store.learning); triage keeps them in step with every manual label."""

from __future__ import annotations

from typing import Any

from listener_app.domain.changes import Changes
from listener_app.domain.learning import Model
from listener_app.domain.tasks import TaskState, in_steps
from listener_app.store import learning
from listener_app.store.connection import Store


class Learning:
    def __init__(self, store: Store) -> None:
        self._store = store

    def summary(self) -> list[dict[str, Any]]:
        """Each model with the labels it learned from, whether it is ready and what it needs."""
        return learning.model_summary(self._store)

    def models(self) -> dict[str, Model]:
        """The models as stored now (load once, then ask `suggestions` for many mentions)."""
        return learning.load_models(self._store)

    def suggestions(
        self, mention_id: int, models: dict[str, Model] | None = None
    ) -> dict[str, tuple[str, float]]:
        """model -> (label, confidence) for every model the mention has no manual label in."""
        return learning.suggestions(self._store, mention_id, models)

    def auto_apply(self) -> float | None:
        """The confidence from which suggestions are applied to new mentions (None: off)."""
        return learning.auto_apply_threshold(self._store)

    def set_auto_apply(self, threshold: float | None) -> Changes:
        """Apply suggestions this confident (0.5 to 0.99) to new mentions as they arrive; None: off."""
        learning.set_auto_apply(self._store, threshold)
        return Changes(learning=True)

    def needs_relearn(self) -> bool:
        """Whether what was learned was counted by an older version of Listener."""
        return learning.needs_relearn(self._store)

    def relearn(self, state: TaskState | None = None) -> int:
        """Forget what was learned and learn again from every manual label; mentions learned from."""
        return learning.relearn(self._store, state)

    def apply(self, threshold: float, state: TaskState | None = None) -> int:
        """Apply suggestions at or above `threshold` to every mention without a manual label."""
        return learning.apply_learned(self._store, threshold, state)

    def clear(self, state: TaskState | None = None) -> int:
        """Take back every applied suggestion (learned sentiment and intent are scored
        automatically again); returns the mentions changed."""
        return clear_learned(self._store, state)


def clear_learned(store: Store, state: TaskState | None = None) -> int:
    from listener_app.workspace.scoring import score_mentions  # the scorers load here

    ids = learning.learned_ids(store)
    for chunk in in_steps(ids, state, "Taking back learned labels"):
        with store.transaction():
            learning.take_back_learned(store, chunk)
            score_mentions(store, list(chunk))
    return len(ids)
