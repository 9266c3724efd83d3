"""Trustpilot Business review exports (CSV): Review ID, Review Created (UTC), Review Title,
Review Content, Review Stars, Review Username (or Review Consumer Name), Review Language,
Domain URL, and the company's reply (Reply Content / Company Reply, with its date), which
becomes its own Item in the review's thread, ours, dated by its own time.
"""

from __future__ import annotations

from collections.abc import Iterator

from listener_app.domain.models import Item
from listener_app.formats.archives.common import derived_id, item, pick, review_csv

SOURCE = "trustpilot"
LOOKS_FOR = "Trustpilot: a CSV with Review Stars and Review Created (UTC)"
_COLUMNS = {"review stars", "review created (utc)"}


def _reply_columns(row: dict[str, str]) -> tuple[str | None, str | None]:
    """The reply's text and date, whatever the export calls them (Reply Content, Company
    Reply Text, Business Reply Date (UTC)...)."""
    text = date = None
    for key, value in row.items():
        if "reply" in key and value and value.strip():
            if "date" in key:
                date = date or value.strip()
            elif any(w in key for w in ("content", "text", "message")) or key.endswith("reply"):
                text = text or value.strip()
    return text, date


def _review(row: dict[str, str]) -> Iterator[Item]:
    text, title = pick(row, "Review Content"), pick(row, "Review Title")
    when = pick(row, "Review Created (UTC)")
    if not (text or title) or not when:
        return
    review_id = pick(row, "Review ID", "Review Id") or derived_id(when, text, title)
    stars = pick(row, "Review Stars")
    yield item(
        SOURCE, review_id, text or "", when, title=title, kind="review",
        author=pick(row, "Review Username", "Review Consumer Name", "Consumer Name"),
        lang=pick(row, "Review Language"), metrics={"rating": int(stars)} if stars and stars.isdigit() else {},
    )  # fmt: skip
    reply, replied = _reply_columns(row)
    if reply:
        yield item(
            SOURCE, f"{review_id}:reply", reply, replied, ours=True, kind="reply",
            parent_external_id=review_id, thread_external_id=review_id,
        )  # fmt: skip


READERS = [review_csv(SOURCE, LOOKS_FOR, _COLUMNS, _review)]
