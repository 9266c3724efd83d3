"""Reply templates, recorded response assessments and response-time figures."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from itertools import groupby
from typing import Any

from listener_app.domain.errors import UserError
from listener_app.domain.normalize import utc_now
from listener_app.domain.playbook import Assessment
from listener_app.domain.templates import unknown_placeholders
from listener_app.store.connection import Store
from listener_app.store.search import matching_ids
from listener_app.store.settings import get_setting


def list_templates(ws: Store) -> list[dict[str, Any]]:
    return [
        dict(r) for r in ws.execute("SELECT id, key, name, body FROM templates ORDER BY name COLLATE NOCASE")
    ]


def template_for(ws: Store, key: str | None) -> dict[str, Any] | None:
    if not key:
        return None
    row = ws.execute("SELECT id, key, name, body FROM templates WHERE key = ?", (key,)).fetchone()
    return dict(row) if row else None


def save_template(ws: Store, name: str, body: str, *, template_id: int | None = None) -> int:
    name = " ".join(name.split())
    if not name or not body.strip():
        raise UserError("A template needs a name and some text")
    if problems := unknown_placeholders(body):
        raise UserError(problems[0][2])
    clash = ws.scalar("SELECT id FROM templates WHERE name = ? AND id IS NOT ?", (name, template_id))
    if clash:
        raise UserError(f"There is already a template named {name!r}")
    with ws.transaction():
        if template_id is None:
            cursor = ws.execute(
                "INSERT INTO templates (name, body, created_at) VALUES (?, ?, ?)", (name, body, utc_now())
            )
            return int(cursor.lastrowid or 0)
        ws.execute("UPDATE templates SET name = ?, body = ? WHERE id = ?", (name, body, template_id))
        return template_id


def delete_template(ws: Store, template_id: int) -> None:
    with ws.transaction():
        ws.execute("DELETE FROM templates WHERE id = ?", (template_id,))


def record_assessment(ws: Store, mention_id: int, assessment: Assessment) -> None:
    """Keep the answers and outcome (the status change itself goes through db.triage)."""
    with ws.transaction():
        ws.execute(
            "INSERT INTO assessments (mention_id, answers, outcome, priority, assessed_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (mention_id) DO UPDATE SET answers = excluded.answers, outcome = excluded.outcome, "
            "priority = excluded.priority, assessed_at = excluded.assessed_at",
            (
                mention_id,
                json.dumps(assessment.answers),
                assessment.outcome.key,
                assessment.priority,
                utc_now(),
            ),
        )


def reply_signature(ws: Store) -> tuple[str | None, str | None]:
    """(brand, agent) for {brand} and {agent}: the workspace settings 'brand' (else the first
    brand tracker) and 'agent_name'."""
    brand = get_setting(ws, "brand") or ws.scalar(
        "SELECT name FROM trackers WHERE role = 'brand' ORDER BY id LIMIT 1"
    )
    return brand, get_setting(ws, "agent_name")


def response_times(ws: Store, query: str | None = None) -> dict[str, Any]:
    """Time from publication to the first response, in hours, over the mentions that got one,
    in the whole workspace or in a search (a malformed search raises QueryError).

    A response is one recorded in Listener (responded_at) or one the brand wrote, found in an
    imported archive (see `replies_of_ours`); the earliest counts. `from_replies` says how
    many of the times came from the brand's own replies."""
    recorded = {
        r[0]: max(0.0, r[1])
        for r in ws.execute(
            "SELECT id, (julianday(responded_at) - julianday(published_at)) * 24 FROM mentions "
            "WHERE responded_at IS NOT NULL"
        )
    }
    replied = replies_of_ours(ws)
    first = {**replied, **recorded}
    for mention_id, hours in replied.items():
        first[mention_id] = min(hours, first[mention_id])
    if query and query.strip():
        first = {i: first[i] for i in matching_ids(ws, query, list(first))}
    hours = sorted(first.values())
    from_replies = sum(1 for i, h in first.items() if i in replied and h == replied[i])
    if not hours:
        return {"responded": 0, "median_hours": None, "p90_hours": None, "from_replies": 0}
    middle = len(hours) // 2
    median = hours[middle] if len(hours) % 2 else (hours[middle - 1] + hours[middle]) / 2
    return {
        "responded": len(hours),
        "median_hours": round(median, 1),
        "p90_hours": round(hours[math.ceil(0.9 * len(hours)) - 1], 1),  # nearest rank
        "from_replies": from_replies,
    }


def replies_of_ours(ws: Store) -> dict[int, float]:
    """{customer mention id: hours until the brand's first reply}, from what the brand wrote
    (`ours` mentions, such as an imported archive's):

    - a reply of ours that names the mention as its parent (an X reply, a review's answer);
    - in a conversation between the brand and one customer (a DM, a Messenger thread), the
      brand's next message: each turn of the customer's counts once, from its first message.
    """
    hours: dict[int, float] = {}

    def answered(mention_id: int, asked: str, answer: str) -> None:
        wait = max(0.0, (_when(answer) - _when(asked)).total_seconds() / 3600)
        hours[mention_id] = min(wait, hours.get(mention_id, wait))

    for mention_id, asked, answer in ws.execute(
        "SELECT p.id, p.published_at, min(r.published_at) FROM mentions r INDEXED BY mentions_ours "
        "JOIN mentions p ON p.source = r.source AND p.external_id = r.parent_external_id "
        "WHERE r.ours = 1 AND r.parent_external_id IS NOT NULL AND p.ours = 0 "
        "AND r.published_at >= p.published_at GROUP BY p.id"
    ):
        answered(mention_id, asked, answer)
    for messages in _conversations_of_ours(ws):
        customers = {m["who"] for m in messages if not m["ours"]}
        if len(customers) != 1:
            continue  # a comment section or a group: the brand's next post may answer someone else
        waiting: tuple[int, str] | None = None
        for message in messages:
            if not message["ours"]:
                waiting = waiting or (message["id"], message["published_at"])
            elif waiting is not None:
                answered(*waiting, message["published_at"])
                waiting = None
    return hours


def _conversations_of_ours(ws: Store) -> Iterator[list[sqlite3.Row]]:
    """The messages of each conversation the brand wrote in, oldest first, one list each."""
    rows = ws.execute(
        "WITH threads AS (SELECT DISTINCT source, thread_external_id AS thread FROM mentions "
        "INDEXED BY mentions_ours WHERE ours = 1 AND thread_external_id IS NOT NULL) "
        "SELECT t.source, t.thread, m.id, m.published_at, m.ours, coalesce(m.author_id, m.author_name) AS who "
        "FROM threads t JOIN mentions m ON m.source = t.source AND m.thread_external_id = t.thread "
        "UNION "
        "SELECT t.source, t.thread, m.id, m.published_at, m.ours, coalesce(m.author_id, m.author_name) "
        "FROM threads t JOIN mentions m ON m.source = t.source AND m.external_id = t.thread "
        "ORDER BY 1, 2, 4, 3"
    )
    for _key, messages in groupby(rows, key=lambda r: (r["source"], r["thread"])):
        yield list(messages)


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
