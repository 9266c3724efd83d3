"""The automatic labels of a text, sentiment and intent together, as ingest and rescoring store
them: plain domain code, so that the worker processes that score an import's rows load only the
domain (not the store's connection and the modules it brings).
"""

from __future__ import annotations

import threading
from hashlib import blake2b
from typing import Protocol

from listener_app.domain.intent import classify_intent
from listener_app.domain.sentiment import score_text

# Posts repeat (retweets, copied reviews, notifications from a template): each process keeps the
# labels of the last texts it scored, by a 128-bit digest of the text (about 150 bytes each,
# whatever the text's length: 6 MB when full), so a repeat costs a hash instead of a score.
MEMO_ENTRIES = 40_000

AutoLabels = tuple[str, float, str]  # sentiment label, score to 4 decimals, intent
_memo: dict[bytes, AutoLabels] = {}
_memo_lock = threading.Lock()


class LabelMemo(Protocol):
    """Labels by text digest that other processes share (workspace.shared_labels)."""

    def get(self, key: bytes) -> AutoLabels | None: ...

    def put(self, key: bytes, labels: AutoLabels) -> None: ...


_shared: LabelMemo | None = None


def share_labels(memo: LabelMemo | None) -> None:
    """Look texts up in `memo` too, and put there the labels this process gives (an import's
    worker processes share one)."""
    global _shared
    _shared = memo


def text_key(text: str) -> bytes:
    """The 128-bit digest a text's labels are kept by."""
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def auto_labels(texts: list[str]) -> list[AutoLabels]:
    """The automatic sentiment (label, score) and intent of each text, as score_text and
    classify_intent give them; texts seen lately are not scored again."""
    labelled = []
    for text in texts:
        key = text_key(text)
        labels = _memo.get(key)
        if labels is None:
            labels = _labels_of(text, key)
            with _memo_lock:
                if len(_memo) >= MEMO_ENTRIES:
                    del _memo[next(iter(_memo))]  # the oldest
                _memo[key] = labels
        labelled.append(labels)
    return labelled


def _labels_of(text: str, key: bytes) -> AutoLabels:
    """The labels the shared memo has for the text, else its scores (then shared)."""
    shared = _shared
    labels = shared.get(key) if shared is not None else None
    if labels is None:
        sentiment = score_text(text)
        labels = (sentiment.label, round(sentiment.score, 4), classify_intent(text, sentiment))
        if shared is not None:
            shared.put(key, labels)
    return labels
