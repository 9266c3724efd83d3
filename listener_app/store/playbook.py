"""Reply templates, recorded response assessments and response-time figures."""

from __future__ import annotations

import json
import math
from typing import Any

from listener_app.domain.errors import UserError
from listener_app.domain.normalize import utc_now
from listener_app.domain.playbook import Assessment
from listener_app.domain.templates import unknown_placeholders
from listener_app.store.connection import Store
from listener_app.store.search import compile_where
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
    """Time from publication to the first response, over responded mentions (in hours) of the
    whole workspace or of a search (a malformed search raises QueryError)."""
    where, params = "1", []
    if query and query.strip():
        compiled = compile_where(ws, query)
        where, params = compiled.where, compiled.params
    hours = [
        max(0.0, r[0])
        for r in ws.execute(
            "SELECT (julianday(m.responded_at) - julianday(m.published_at)) * 24 FROM mentions m "
            f"WHERE m.responded_at IS NOT NULL AND {where} ORDER BY 1",
            params,
        )
    ]
    if not hours:
        return {"responded": 0, "median_hours": None, "p90_hours": None}
    middle = len(hours) // 2
    median = hours[middle] if len(hours) % 2 else (hours[middle - 1] + hours[middle]) / 2
    return {
        "responded": len(hours),
        "median_hours": round(median, 1),
        "p90_hours": round(hours[math.ceil(0.9 * len(hours)) - 1], 1),  # nearest rank
    }
