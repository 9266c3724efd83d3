"""What a write changed. Every write of the workspace facade returns one; the window broadcasts it
on one signal and each view reads the flags it shows, refreshing only that (Anki's OpChanges)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

_FLAGS = (
    "all_mentions", "labels", "tags", "views", "trackers", "sources", "authors", "learning",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Changes:
    """Flags are True where the write changed that kind of thing."""

    mentions: frozenset[int] = frozenset()  # mentions whose row, status, star, labels or notes changed
    all_mentions: bool = False  # too many to name (an import, a rule run, a relearn): every list reloads
    labels: bool = False  # a manual sentiment, intent or tag: what learning learns from
    tags: bool = False  # a tag's definition, or which mentions carry which tags (sidebar counts)
    views: bool = False
    trackers: bool = False
    sources: bool = False
    authors: bool = False  # an author's VIP mark, note or counts
    learning: bool = False  # the learned models or their settings
    event_id: int | None = None  # the undo step this write recorded
    created_id: int | None = None  # the id of what the write created (a note, a view, a tag)

    def __post_init__(self) -> None:
        if not isinstance(self.mentions, frozenset):
            object.__setattr__(self, "mentions", frozenset(self.mentions))

    @classmethod
    def of(cls, mentions: Iterable[int] = (), **flags: bool | int | None) -> Changes:
        return cls(frozenset(mentions), **flags)  # type: ignore[arg-type]

    def __or__(self, other: Changes) -> Changes:
        """Both writes' changes: flags of either, the later undo step and created id."""
        merged = {name: getattr(self, name) or getattr(other, name) for name in _FLAGS}
        return Changes(
            self.mentions | other.mentions,
            event_id=other.event_id or self.event_id,
            created_id=other.created_id or self.created_id,
            **merged,
        )

    def __bool__(self) -> bool:
        return bool(self.mentions) or any(getattr(self, name) for name in _FLAGS)

    def touches_mentions(self) -> bool:
        """Whether lists of mentions (and their counts) may show something different now."""
        return bool(self.mentions) or self.all_mentions or self.tags or self.authors


NOTHING = Changes()
assert {f.name for f in fields(Changes)} == {"mentions", "event_id", "created_id", *_FLAGS}
