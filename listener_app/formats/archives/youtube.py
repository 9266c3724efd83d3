"""YouTube comments from Google Takeout: `YouTube and YouTube Music/comments/comments.csv`.

The columns are read by name, since their order changed (mid 2024) and their case varies:
Comment ID, Channel ID, Comment Create Timestamp, Price, Parent Comment ID, Post ID, Video ID,
Comment Text, Top-level comment ID. The text is JSON: `{"takeoutSegments":[{"text":...}]}` in
older exports, a run of segments `{"text":"a"},{"text":"b"}` in newer ones, plain text in a
few; the segments' texts are joined. These are the owner's own comments (ours). The thread is
the video, as for the YouTube source; the parent is the comment replied to.
`channels/channel.csv` names the owner's channel.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from listener_app.domain.models import Item
from listener_app.formats.archives.common import Context, Reader, basename, item, pick

SOURCE = "youtube"
LOOKS_FOR = "YouTube: Takeout comments.csv"
_COLUMNS = {"comment id", "comment text"}


def claim(ctx: Context, names: list[str]) -> list[str]:
    comments = [
        n for n in names
        if n.lower().endswith(".csv") and (header := ctx.header(n)) >= _COLUMNS and header & {"video id", "channel id"}
    ]  # fmt: skip
    if not comments:
        return []
    return comments + [n for n in names if basename(n) == "channel.csv"]


def read(ctx: Context, names: list[str]) -> Iterator[Item]:
    for name in names:
        if basename(name) == "channel.csv":
            for row in ctx.csv_rows(name):
                ctx.add_owner(pick(row, "Channel Title (Original)", "Channel Title"), pick(row, "Channel ID"))
    for name in names:
        if basename(name) != "channel.csv":
            for row in ctx.csv_rows(name):
                made = _comment(ctx, row)
                if made is not None:
                    yield made


READERS = [Reader(SOURCE, LOOKS_FOR, claim, read)]


def segments_text(raw: str) -> str:
    """The comment's words from Takeout's JSON segments (plain text stays as it is)."""
    stripped = raw.strip()
    if not stripped.startswith("{"):
        return raw
    try:
        parsed: Any = json.loads(f"[{stripped}]")
    except json.JSONDecodeError:
        return raw
    if len(parsed) == 1 and isinstance(parsed[0], dict) and "takeoutSegments" in parsed[0]:
        parsed = parsed[0]["takeoutSegments"]
    parts = [s.get("text") for s in parsed if isinstance(s, dict)]
    return "".join(p for p in parts if isinstance(p, str)) if parts else raw


def _comment(ctx: Context, row: dict[str, str]) -> Item | None:
    comment_id, raw = pick(row, "Comment ID"), pick(row, "Comment Text")
    if not comment_id or not raw:
        return None
    video = pick(row, "Video ID")
    parent = pick(row, "Parent Comment ID")
    channel = pick(row, "Channel ID")
    return item(
        SOURCE, comment_id, segments_text(raw), pick(row, "Comment Create Timestamp"),
        author=ctx.owner or channel, ours=True, kind="reply" if parent else "comment",
        url=f"https://www.youtube.com/watch?v={video}&lc={comment_id}" if video else None,
        thread_external_id=video or pick(row, "Post ID"), parent_external_id=parent,
    )  # fmt: skip
