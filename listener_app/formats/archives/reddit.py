"""Reddit's data request export: comments.csv, posts.csv and messages.csv.

- comments.csv: id, permalink, date ('2023-01-15 12:34:56 UTC'), subreddit, gildings, link,
  parent, body: the owner's comments (ours), ids as Reddit's fullnames (t1_...) like the
  Reddit source, the thread the post they are under (t3_...).
- posts.csv: id, permalink, date, subreddit, gildings, title, url, body: the owner's posts.
- messages.csv: id, permalink, thread_id, date, from, to, subject, body: both sides of each
  private thread; the owner (the name in every message, or the handles given) marked ours.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from listener_app.domain.models import Item
from listener_app.formats.archives.common import Context, Reader, basename, item, pick

SOURCE = "reddit"
LOOKS_FOR = "Reddit: comments.csv, posts.csv or messages.csv of a data request"
_KINDS = {
    "comments.csv": {"id", "permalink", "date", "body", "parent"},
    "posts.csv": {"id", "permalink", "date", "title"},
    "messages.csv": {"id", "thread id", "date", "from", "to", "body"},
}
_POST_IN_PERMALINK = re.compile(r"/comments/([a-z0-9]+)")


def claim(ctx: Context, names: list[str]) -> list[str]:
    return [n for n in names if basename(n) in _KINDS and _KINDS[basename(n)] <= ctx.header(n)]


def read(ctx: Context, names: list[str]) -> Iterator[Item]:
    for name in names:
        base = basename(name)
        rows = list(ctx.csv_rows(name))
        if base == "messages.csv":
            yield from _messages(ctx, name, rows)
            continue
        for row in rows:
            made = _comment(ctx, row) if base == "comments.csv" else _post(ctx, row)
            if made is not None:
                yield made


READERS = [Reader(SOURCE, LOOKS_FOR, claim, read)]


def _fullname(prefix: str, value: str | None) -> str | None:
    if not value:
        return None
    return value if re.match(r"t\d_", value) else f"{prefix}_{value}"


def _url(permalink: str | None) -> str | None:
    if not permalink:
        return None
    return permalink if permalink.startswith("http") else f"https://www.reddit.com{permalink}"


def _comment(ctx: Context, row: dict[str, str]) -> Item | None:
    comment_id, text, when = pick(row, "id"), pick(row, "body"), pick(row, "date")
    if not comment_id or not text or not when:
        return None
    post = _POST_IN_PERMALINK.search(pick(row, "permalink") or pick(row, "link") or "")
    parent = pick(row, "parent")
    return item(
        SOURCE, _fullname("t1", comment_id) or "", text, when, author=ctx.owner, ours=True, kind="comment",
        url=_url(pick(row, "permalink")), thread_external_id=f"t3_{post.group(1)}" if post else None,
        parent_external_id=_fullname("t1", parent) if parent else None,
    )  # fmt: skip


def _post(ctx: Context, row: dict[str, str]) -> Item | None:
    post_id, title, when = pick(row, "id"), pick(row, "title"), pick(row, "date")
    if not post_id or not title or not when:
        return None
    return item(
        SOURCE, _fullname("t3", post_id) or "", pick(row, "body") or "", when, title=title,
        author=ctx.owner, ours=True, kind="post", url=_url(pick(row, "permalink")),
        links=[u for u in [pick(row, "url")] if u and u.startswith("http")],
    )  # fmt: skip


def _messages(ctx: Context, name: str, rows: list[dict[str, str]]) -> Iterator[Item]:
    if not ctx.ours:  # the one name in every message is the owner's
        counts = Counter(n for row in rows for n in {pick(row, "from"), pick(row, "to")} if n)
        everywhere = [n for n, c in counts.items() if c == len(rows)]
        if len(everywhere) == 1:
            ctx.add_owner(everywhere[0])
        elif rows:
            ctx.problem(
                name,
                "which side is the account owner cannot be told from the messages alone; "
                'give the account\'s name as "this is us" to mark its messages as ours',
            )
    for row in rows:
        message_id, text, when = pick(row, "id"), pick(row, "body"), pick(row, "date")
        if not message_id or not text or not when:
            continue
        sender = pick(row, "from")
        thread = pick(row, "thread_id")
        yield item(
            SOURCE, _fullname("t4", message_id) or "", text, when, author=sender, ours=ctx.is_ours(sender),
            kind="message", title=pick(row, "subject"), url=_url(pick(row, "permalink")),
            thread_external_id=_fullname("t4", thread) if thread else None,
        )  # fmt: skip
