"""The automatic labels an import's workers share: a table, in a file each of them maps, of the
labels of the texts any of them scored, so that a post one worker scored is not scored again by
the other (a retweet or a copied review in another part of the file). Each worker's own memo
(domain.auto_labels) sees only the chunks it was given: at 200,000 bench rows the two workers
scored about 62,600 texts for 54,110 distinct ones (54,600 with the table).

A cache, not a record: one slot per text digest, a later text taking the slot of an earlier one
that falls on it. There are no locks: each slot holds a check of its content, and a slot read
while another process writes it fails its check and reads as empty.
"""

from __future__ import annotations

import mmap
import struct
from hashlib import blake2b
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the scorers load in the workers only: the writer of an import does without them
    from listener_app.domain.auto_labels import AutoLabels

SLOTS = 1 << 18  # 8 MB: a million bench rows took 6 % fewer scorings than with 4 MB
_CONTENT = struct.Struct("<16sdBB")  # text digest, score, label, intent
_CHECK = 6
SLOT = _CONTENT.size + _CHECK  # 32 bytes


def create(folder: Path, slots: int = SLOTS) -> Path:
    """An empty table (zeros, which fail every check) in `folder`; returns its path."""
    path = folder / "labels"
    with path.open("wb") as file:
        file.truncate(slots * SLOT)
    return path


class SharedLabels:
    """A table that `create` made, mapped into this process (domain.auto_labels.LabelMemo)."""

    def __init__(self, path: Path) -> None:
        from listener_app.domain.intent import INTENTS
        from listener_app.domain.sentiment import LABELS

        self._labels, self._intents = LABELS, INTENTS
        with path.open("r+b") as file:
            self._map = mmap.mmap(file.fileno(), 0)
        self._slots = len(self._map) // SLOT

    def _slot(self, key: bytes) -> slice:
        start = int.from_bytes(key[:8], "little") % self._slots * SLOT
        return slice(start, start + SLOT)

    def get(self, key: bytes) -> AutoLabels | None:
        found = self._map[self._slot(key)]
        content = found[: _CONTENT.size]
        if content[:16] != key or blake2b(content, digest_size=_CHECK).digest() != found[_CONTENT.size :]:
            return None
        _, score, label, intent = _CONTENT.unpack(content)
        return self._labels[label], score, self._intents[intent]

    def put(self, key: bytes, labels: AutoLabels) -> None:
        label, score, intent = labels
        content = _CONTENT.pack(key, score, self._labels.index(label), self._intents.index(intent))
        self._map[self._slot(key)] = content + blake2b(content, digest_size=_CHECK).digest()
