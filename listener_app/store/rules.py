"""Stored rules (see core.rules for the model and file format)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from listener_app.domain.normalize import utc_now
from listener_app.domain.rules import Rule, RuleError, validate_rule
from listener_app.store.chunks import chunked, in_list
from listener_app.store.connection import Store

# Per action type: the condition (on `mentions m`, `?` for the action's value) a mention must
# meet for the action to change it.
_NEEDS = {
    "add_tag": (
        "tag",
        "NOT EXISTS (SELECT 1 FROM mention_tags mt JOIN tags t ON t.id = mt.tag_id "
        "WHERE mt.mention_id = m.id AND t.name = ?)",
    ),
    "set_status": ("status", "m.status = 'new' AND m.status <> ?"),
    "star": (None, "m.starred = 0"),
    "set_intent": ("intent", "m.intent IS NOT ? AND coalesce(m.intent_origin, '') <> 'manual'"),
}


def list_rules(ws: Store, *, enabled_only: bool = False) -> list[Rule]:
    where = "WHERE enabled = 1" if enabled_only else ""
    rows = ws.execute(
        "SELECT id, name, query, actions, enabled, last_run_at, last_matched "
        f"FROM rules {where} ORDER BY position, id"
    )
    return [_rule(r) for r in rows]


def _rule(row: Any) -> Rule:
    return Rule(
        row["name"],
        row["query"],
        json.loads(row["actions"]),
        bool(row["enabled"]),
        row["id"],
        last_run_at=row["last_run_at"],
        last_matched=row["last_matched"],
    )


def save_rule(ws: Store, rule: Rule) -> int:
    """Insert or update (by id, else by name) a validated rule; returns its id."""
    if rule.id is None:
        enabled = rule.enabled
        rule = validate_rule(rule.name, rule.query, rule.actions)
        rule.enabled = enabled
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


def delete_rule(ws: Store, name: str) -> bool:
    with ws.transaction():
        return ws.execute("DELETE FROM rules WHERE name = ?", (name,)).rowcount > 0


def set_rule_enabled(ws: Store, rule_id: int, enabled: bool) -> None:
    with ws.transaction():
        ws.execute("UPDATE rules SET enabled = ? WHERE id = ?", (int(enabled), rule_id))


def action_targets(ws: Store, ids: Sequence[int], action: dict[str, Any]) -> list[int]:
    """Which of `ids` the action would change (all of them for a notification)."""
    if action["type"] not in _NEEDS:
        return list(ids)
    field, condition = _NEEDS[action["type"]]
    values = [" ".join(str(action[field]).split())] if field else []
    found: list[int] = []
    for chunk in chunked(ids):
        rows = ws.execute(
            f"SELECT m.id FROM mentions m WHERE m.id {in_list(chunk)} AND {condition}",
            [*chunk, *values],
        )
        found.extend(r[0] for r in rows)
    return found


def record_run(ws: Store, rule_id: int, matched: int) -> None:
    with ws.transaction():
        ws.execute(
            "UPDATE rules SET last_run_at = ?, last_matched = ? WHERE id = ?", (utc_now(), matched, rule_id)
        )


def import_rules(ws: Store, rules: Sequence[Rule]) -> tuple[int, int]:
    """Add the rules of a file (core.rules.loads checked them), replacing any with the same
    name, all in one transaction; returns (added, replaced).

    Names a condition uses (tags, trackers) are checked when the rule runs, so a file from
    another workspace can be imported before its tags exist.
    """
    existing = {r.name.casefold() for r in list_rules(ws)}
    with ws.transaction():
        for rule in rules:
            save_rule(ws, Rule(rule.name, rule.query, rule.actions, rule.enabled))
    replaced = len({r.name.casefold() for r in rules} & existing)
    return len(rules) - replaced, replaced
