"""Which days a report or dashboard covers by default: the data's own, not the calendar's.

A client's export from February 2015 has nothing in "the last 7 days" of 2026: a digest of it
would say "0 mentions, new vs 0" on every card. When the newest mention is older than the
default period, the default is the span of the data instead (its last 90 days at most).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from listener_app.domain.query import within
from listener_app.workspace import Workspace

DEFAULT_DAYS = 7
LONGEST_DEFAULT_DAYS = 90
_SORT = re.compile(r"(?<!\S)-?sort:\S+", re.IGNORECASE)


def data_span(ws: Workspace, query: str = "") -> tuple[date, date] | None:
    """The first and last day with mentions of `query` (a malformed query raises QueryError),
    or None when it has none."""
    plain = _SORT.sub("", query).strip()
    newest = ws.search(plain, limit=1)
    if not newest:
        return None
    oldest = ws.search(within(plain, "sort:oldest"), limit=1)
    first, last = (ws.mention(i) for i in (oldest[0], newest[0]))
    assert first is not None and last is not None
    return date.fromisoformat(first["published_at"][:10]), date.fromisoformat(last["published_at"][:10])


def is_recent(span: tuple[date, date] | None, today: date, days: int) -> bool:
    """Whether the data reaches into the last `days` days (then calendar periods make sense)."""
    return span is None or span[1] > today - timedelta(days=days)


def default_period(ws: Workspace, query: str, today: date, days: int = DEFAULT_DAYS) -> tuple[date, date]:
    """(first day, day after the last): the last `days` days while the data is recent, else the
    span of the data (at most its last LONGEST_DEFAULT_DAYS days)."""
    span = data_span(ws, query)
    if span is None or is_recent(span, today, days):
        return today - timedelta(days=days - 1), today + timedelta(days=1)
    first, last = span
    return max(first, last - timedelta(days=LONGEST_DEFAULT_DAYS - 1)), last + timedelta(days=1)
