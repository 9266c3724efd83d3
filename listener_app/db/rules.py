"""Stored rules (see core.rules for the model and file format)."""

from __future__ import annotations

import json

from listener_app.core.normalize import utc_now
from listener_app.core.rules import Rule, RuleError, validate_rule
from listener_app.db.workspace import Workspace


def list_rules(ws: Workspace, *, enabled_only: bool = False) -> list[Rule]:
    where = "WHERE enabled = 1" if enabled_only else ""
    rows = ws.execute(f"SELECT id, name, query, actions, enabled FROM rules {where} ORDER BY position, id")
    return [Rule(r["name"], r["query"], json.loads(r["actions"]), bool(r["enabled"]), r["id"]) for r in rows]


def save_rule(ws: Workspace, rule: Rule) -> int:
    """Insert or update (by id, else by name) a validated rule; returns its id."""
    rule = validate_rule(rule.name, rule.query, rule.actions) if rule.id is None else rule
    clash = ws.scalar("SELECT id FROM rules WHERE name = ? AND id IS NOT ?", (rule.name, rule.id))
    with ws.transaction():
        if rule.id is None and clash:
            rule.id = int(clash)
        elif clash:
            raise RuleError(f"There is already a rule named {rule.name!r}")
        if rule.id is None:
            position = int(ws.scalar("SELECT coalesce(max(position), 0) + 1 FROM rules"))
            cursor = ws.execute(
                "INSERT INTO rules (name, query, actions, enabled, position, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (rule.name, rule.query, json.dumps(rule.actions), int(rule.enabled), position, utc_now()),
            )
            return int(cursor.lastrowid or 0)
        ws.execute(
            "UPDATE rules SET name = ?, query = ?, actions = ?, enabled = ? WHERE id = ?",
            (rule.name, rule.query, json.dumps(rule.actions), int(rule.enabled), rule.id),
        )
        return rule.id


def delete_rule(ws: Workspace, name: str) -> bool:
    with ws.transaction():
        return ws.execute("DELETE FROM rules WHERE name = ?", (name,)).rowcount > 0


def set_rule_enabled(ws: Workspace, rule_id: int, enabled: bool) -> None:
    with ws.transaction():
        ws.execute("UPDATE rules SET enabled = ? WHERE id = ?", (int(enabled), rule_id))
