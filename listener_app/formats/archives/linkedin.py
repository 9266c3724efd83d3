"""LinkedIn "Get a copy of your data": messages.csv, Comments.csv and Shares.csv.

- messages.csv: CONVERSATION ID, CONVERSATION TITLE, FROM, SENDER PROFILE URL, TO, DATE
  ('2023-05-01 12:34:56 UTC'), SUBJECT, CONTENT, FOLDER: one thread per conversation, both
  sides; the owner (named in Profile.csv, or the sender in every conversation) marked ours.
- Comments.csv: Date, Link, Message: the owner's comments. LinkedIn escapes quotes inside
  this file with a backslash (\\"), which a plain CSV reader splits wrongly: read as such.
- Shares.csv: Date, ShareLink, ShareCommentary, SharedUrl: the owner's posts.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator

from listener_app.domain.models import Item
from listener_app.formats.archives.common import Context, Reader, basename, derived_id, item, pick
from listener_app.formats.columns import header_key
from listener_app.formats.sniff import sniff_encoding

SOURCE = "linkedin"
LOOKS_FOR = "LinkedIn: messages.csv, Comments.csv or Shares.csv"
_MESSAGES = {"conversation id", "from", "date", "content"}
_COMMENTS = {"date", "link", "message"}
_SHARES = {"date", "sharelink", "sharecommentary"}


def claim(ctx: Context, names: list[str]) -> list[str]:
    found = []
    for name in names:
        base = basename(name)
        if base.endswith(".csv") and base.startswith(("messages", "comments", "shares")):
            header = _backslash_header(ctx, name) if base.startswith("comments") else ctx.header(name)
            if header >= _MESSAGES or header >= _COMMENTS or header >= _SHARES:
                found.append(name)
    return found + [n for n in names if basename(n) == "profile.csv"] if found else []


def read(ctx: Context, names: list[str]) -> Iterator[Item]:
    for name in names:
        if basename(name) == "profile.csv":
            for row in ctx.csv_rows(name):
                first, last = pick(row, "First Name"), pick(row, "Last Name")
                ctx.add_owner(" ".join(p for p in (first, last) if p))
    for name in names:
        base = basename(name)
        if base.startswith("messages"):
            yield from _messages(ctx, list(ctx.csv_rows(name)))
        elif base.startswith("comments"):
            for row in _backslash_rows(ctx, name):
                text, when = pick(row, "Message"), pick(row, "Date")
                if text and when:
                    yield item(
                        SOURCE, f"comment:{derived_id(when, text)}", text, when, author=ctx.owner, ours=True,
                        kind="comment", url=pick(row, "Link"),
                    )  # fmt: skip
        elif base.startswith("shares"):
            for row in ctx.csv_rows(name):
                text, when, link = pick(row, "ShareCommentary"), pick(row, "Date"), pick(row, "ShareLink")
                if text and when:
                    yield item(
                        SOURCE, link or f"share:{derived_id(when, text)}", text, when, author=ctx.owner,
                        ours=True, kind="post", url=link, links=[u for u in [pick(row, "SharedUrl")] if u],
                    )  # fmt: skip


READERS = [Reader(SOURCE, LOOKS_FOR, claim, read)]


def _backslash_header(ctx: Context, name: str) -> set[str]:
    """Comments.csv's header keys: its quotes are escaped with backslashes, which a sniffing
    reader takes for a broken file, so its first line is read the way LinkedIn writes it."""
    head = ctx.container.head(name)
    text = head.decode(sniff_encoding(head), errors="replace").lstrip("\ufeff")
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), escapechar="\\"), [])
    return {header_key(h) for h in first}


def _backslash_rows(ctx: Context, name: str) -> Iterator[dict[str, str]]:
    data = ctx.container.read(name)
    if data is None:
        return
    text = data.decode(sniff_encoding(data[:4096]), errors="replace").lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), escapechar="\\")
    try:
        keys = [header_key(h) for h in next(reader)]
        for row in reader:
            yield dict(zip(keys, row, strict=False))
    except (StopIteration, csv.Error) as exc:
        ctx.problem(name, f"stopped reading: {exc}")


def _messages(ctx: Context, rows: list[dict[str, str]]) -> Iterator[Item]:
    if not ctx.ours:  # the sender present in every conversation is the owner
        conversations: dict[str, set[str]] = {}
        for row in rows:
            conversations.setdefault(pick(row, "CONVERSATION ID") or "", set()).add(pick(row, "FROM") or "")
        counts = Counter(sender for senders in conversations.values() for sender in senders)
        everywhere = [s for s, n in counts.items() if s and n == len(conversations)]
        if len(conversations) >= 2 and len(everywhere) == 1:
            ctx.add_owner(everywhere[0])
    for row in rows:
        text, when, sender = pick(row, "CONTENT"), pick(row, "DATE"), pick(row, "FROM")
        conversation = pick(row, "CONVERSATION ID")
        if not text or not when or not conversation:
            continue
        yield item(
            SOURCE, f"msg:{derived_id(conversation, when, sender, text)}", text, when,
            author=sender, ours=ctx.is_ours(sender), kind="message", thread_external_id=f"thread:{conversation}",
            title=pick(row, "CONVERSATION TITLE", "SUBJECT"), is_html=None,
        )  # fmt: skip
