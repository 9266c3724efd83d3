"""The texts the scorer's reference outputs cover, and writing those outputs (run as a script on
the commit whose outputs are the reference: `python -m tests.domain.scoring_reference`).

The fixture holds, per text, a short hash of the text and what the scorer gave it: sentiment
label, score to four decimals and intent. The texts themselves come from the dev sets in
../shared/data and from the demo's post generator, so the fixture stays small.
"""

from __future__ import annotations

import gzip
import hashlib
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from listener_app.domain.demo_posts import posts
from listener_app.eval.datasets import available

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "scoring" / "reference.tsv.gz"
DEMO_POSTS = 3000


def texts() -> Iterator[tuple[str, str]]:
    """(set name, text) of every text the reference covers, in a stable order."""
    for name, rows in sorted(available().items()):
        for _, text in rows:
            yield name, text
    now = datetime(2026, 11, 1, tzinfo=UTC)
    for post in islice(posts(random.Random(1), now, authors=600), DEMO_POSTS):
        yield "demo", (f"{post.title}\n" if post.title else "") + post.text


def digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def line(name: str, text: str, label: str, score: float, intent: str) -> str:
    return f"{name}\t{digest(text)}\t{label}\t{score:.4f}\t{intent}"


def read() -> list[str]:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as handle:
        return handle.read().splitlines()


def write() -> None:
    from listener_app.domain.intent import classify_intent
    from listener_app.domain.sentiment import score_text

    lines = []
    for name, text in texts():
        sentiment = score_text(text)
        lines.append(line(name, text, sentiment.label, sentiment.score, classify_intent(text, sentiment)))
    with gzip.GzipFile(FIXTURE, "wb", mtime=0) as handle:
        handle.write(("\n".join(lines) + "\n").encode())


if __name__ == "__main__":
    write()
