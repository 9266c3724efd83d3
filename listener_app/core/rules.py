"""Rules: a search-language condition plus actions, run on every newly ingested mention.

A rule file (export/import) is JSON: {"listener_rules": 1, "rules": [{"name", "query",
"actions": [...], "enabled"}]}. Actions:

    {"type": "add_tag", "tag": "billing"}          add a tag (created if missing)
    {"type": "set_status", "status": "needs_response"}
    {"type": "star"}
    {"type": "set_intent", "intent": "complaint"}
    {"type": "notify", "message": "Billing complaint"}   a desktop notification

Each action a rule takes is an undoable event whose origin names the rule ("rule:NAME").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from listener_app.core.errors import UserError
from listener_app.core.models import INTENTS, STATUSES

FILE_FORMAT = "listener_rules"
ACTION_TYPES = ("add_tag", "set_status", "star", "set_intent", "notify")


class RuleError(UserError):
    pass


@dataclass
class Rule:
    name: str
    query: str
    actions: list[dict[str, Any]]
    enabled: bool = True
    id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "query": self.query, "actions": self.actions, "enabled": self.enabled}


@dataclass
class RuleRun:
    """What running rules did: per rule, the mentions it matched; notifications to show."""

    matched: dict[str, list[int]] = field(default_factory=dict)
    notifications: list[tuple[str, str, int]] = field(default_factory=list)  # (rule, message, count)


def validate_action(action: Any) -> dict[str, Any]:
    if not isinstance(action, dict) or action.get("type") not in ACTION_TYPES:
        raise RuleError(f"Unknown rule action {action!r}: use one of {', '.join(ACTION_TYPES)}")
    kind = action["type"]
    if kind == "add_tag" and not str(action.get("tag") or "").strip():
        raise RuleError("An add_tag action needs a tag name")
    if kind == "set_status" and action.get("status") not in STATUSES:
        raise RuleError(f"set_status needs one of {', '.join(STATUSES)}")
    if kind == "set_intent" and action.get("intent") not in INTENTS:
        raise RuleError(f"set_intent needs one of {', '.join(INTENTS)}")
    return dict(action)


def validate_rule(name: str, query: str, actions: list[Any]) -> Rule:
    name = " ".join((name or "").split())
    if not name:
        raise RuleError("A rule needs a name")
    if not (query or "").strip():
        raise RuleError(f"Rule {name!r} needs a condition (a search)")
    if not actions:
        raise RuleError(f"Rule {name!r} needs at least one action")
    return Rule(name, query.strip(), [validate_action(a) for a in actions])


def parse_action(text: str) -> dict[str, Any]:
    """The CLI's short form: 'tag:billing', 'status:needs_response', 'star', 'intent:complaint',
    'notify:Some message'."""
    key, _, value = text.partition(":")
    key = key.strip().lower()
    mapping = {
        "tag": ("add_tag", "tag"),
        "status": ("set_status", "status"),
        "intent": ("set_intent", "intent"),
    }
    if key in mapping:
        kind, field_name = mapping[key]
        return validate_action({"type": kind, field_name: value.strip()})
    if key == "star":
        return {"type": "star"}
    if key == "notify":
        return {"type": "notify", "message": value.strip() or "New matching mentions"}
    raise RuleError(
        f"Unknown action {text!r}: use tag:NAME, status:NAME, star, intent:NAME or notify:MESSAGE"
    )


def dumps(rules: list[Rule]) -> str:
    return json.dumps({FILE_FORMAT: 1, "rules": [r.to_json() for r in rules]}, indent=2, ensure_ascii=False)


def loads(text: str) -> list[Rule]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleError(f"Not a rules file: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(data, dict) or FILE_FORMAT not in data or not isinstance(data.get("rules"), list):
        raise RuleError('Not a Listener rules file (expected {"listener_rules": 1, "rules": [...]})')
    rules = []
    for index, item in enumerate(data["rules"], start=1):
        if not isinstance(item, dict):
            raise RuleError(f"Rule {index} is not an object")
        rule = validate_rule(
            str(item.get("name", "")), str(item.get("query", "")), list(item.get("actions") or [])
        )
        rule.enabled = bool(item.get("enabled", True))
        rules.append(rule)
    return rules


def run_rules(ws: Any, mention_ids: list[int] | None = None, *, rules: list[Rule] | None = None) -> RuleRun:
    """Run enabled rules over `mention_ids` (new mentions) or, when None, over every mention.

    Each rule's actions are one undoable event per action, named after the rule.
    """
    from listener_app.db import search, triage
    from listener_app.db.rules import list_rules
    from listener_app.db.tags import ensure_tags

    run = RuleRun()
    for rule in list_rules(ws, enabled_only=True) if rules is None else rules:
        matched = search.matching_ids(ws, rule.query, mention_ids)
        if not matched:
            continue
        run.matched[rule.name] = matched
        origin = f"rule:{rule.name}"
        for action in rule.actions:
            kind = action["type"]
            if kind == "add_tag":
                with ws.transaction():
                    tag_id = ensure_tags(ws, [action["tag"]])[" ".join(action["tag"].split()).casefold()]
                triage.add_tags(ws, matched, [tag_id], origin=origin)
            elif kind == "set_status":
                triage.set_status(ws, matched, action["status"], origin=origin)
            elif kind == "star":
                triage.set_starred(ws, matched, True, origin=origin)
            elif kind == "set_intent":
                triage.set_intent(ws, matched, action["intent"], origin=origin)
            elif kind == "notify":
                run.notifications.append((rule.name, action.get("message") or rule.name, len(matched)))
    return run
