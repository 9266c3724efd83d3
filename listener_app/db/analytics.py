"""Aggregations for the dashboard, over any search: volume and sentiment by day, intent mix,
share of voice of brand and competitor trackers, top authors."""

from __future__ import annotations

from typing import Any

from listener_app.db.search import compile_where
from listener_app.db.workspace import Workspace


def _scope(ws: Workspace, query: str) -> tuple[str, list[Any]]:
    compiled = compile_where(ws, query)
    return compiled.where, compiled.params


def volume_by_day(ws: Workspace, query: str = "") -> list[dict[str, Any]]:
    """Per day: mentions, and how many were positive, neutral and negative."""
    where, params = _scope(ws, query)
    rows = ws.execute(
        f"SELECT substr(m.published_at, 1, 10) AS day, count(*) AS mentions, "
        f"sum(m.sentiment = 'positive') AS positive, sum(m.sentiment = 'neutral') AS neutral, "
        f"sum(m.sentiment = 'negative') AS negative FROM mentions m WHERE {where} GROUP BY day ORDER BY day",
        params,
    )
    return [dict(r) for r in rows]


def intent_mix(ws: Workspace, query: str = "") -> dict[str, int]:
    where, params = _scope(ws, query)
    rows = ws.execute(
        f"SELECT coalesce(m.intent, 'unscored'), count(*) FROM mentions m WHERE {where} GROUP BY 1", params
    )
    return {r[0]: r[1] for r in rows}


def share_of_voice(ws: Workspace, query: str = "") -> list[dict[str, Any]]:
    """Each brand and competitor tracker: mentions, positive and negative ones."""
    where, params = _scope(ws, query)
    rows = ws.execute(
        f"""
        SELECT k.name, k.role, count(*) AS mentions, sum(m.sentiment = 'positive') AS positive,
               sum(m.sentiment = 'negative') AS negative
        FROM trackers k JOIN mention_trackers mk ON mk.tracker_id = k.id JOIN mentions m ON m.id = mk.mention_id
        WHERE k.role IN ('brand', 'competitor') AND {where}
        GROUP BY k.id ORDER BY mentions DESC
        """,
        params,
    )
    return [dict(r) for r in rows]


def spikes(
    days: list[dict[str, Any]], *, window: int = 14, factor: float = 2.0, minimum: int = 10
) -> list[str]:
    """Days with more than `factor` times the median of the `window` days before (and at least
    `minimum` mentions): a burst worth a look."""
    flagged = []
    for index, day in enumerate(days):
        before = sorted(d["mentions"] for d in days[max(0, index - window) : index])
        if len(before) >= 3:
            median = before[len(before) // 2]
            if day["mentions"] >= minimum and day["mentions"] > factor * max(1, median):
                flagged.append(day["day"])
    return flagged
