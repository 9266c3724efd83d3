"""Rules: a search-language condition plus actions, run on every newly ingested mention.

A rule file (export/import) is JSON: {"listener_rules": 1, "rules": [{"name", "query",
"actions": [...], "enabled"}]}. Actions:

    {"type": "add_tag", "tag": "billing"}          add a tag (created if missing)
    {"type": "set_status", "status": "needs_response"}
    {"type": "star"}
    {"type": "set_intent", "intent": "complaint"}
    {"type": "notify", "message": "Billing complaint"}   a desktop notification

Each action a rule takes is an undoable event whose origin names the rule ("rule:NAME").
An action only touches the mentions it would change (see db.rules.action_targets): a status
is set only on mentions still `new` and an intent never replaces one set by hand, so running
rules again over existing mentions never undoes the strategist's own triage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from listener_app.domain.changes import Changes
from listener_app.domain.errors import UserError
from listener_app.domain.models import INTENTS, STATUSES
from listener_app.domain.query import QueryError, parse

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
    last_run_at: str | None = None  # the last run over every mention (by hand), if any
    last_matched: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "query": self.query, "actions": self.actions, "enabled": self.enabled}


@dataclass
class RuleRun:
    """What running rules did: per rule, the mentions it matched; per action, how many mentions
    it changed; notifications to show; rules whose condition no longer works."""

    matched: dict[str, list[int]] = field(default_factory=dict)
    notifications: list[tuple[str, str, int]] = field(default_factory=list)  # (rule, message, count)
    touched: list[tuple[str, str, int]] = field(default_factory=list)  # (rule, action described, count)
    errors: dict[str, str] = field(default_factory=dict)  # rule name -> message
    changes: Changes = field(default_factory=Changes)
    cancelled: bool = False


def describe_action(action: dict[str, Any]) -> str:
    """'add tag billing', 'set status to needs response', 'star', ..."""
    kind = action["type"]
    if kind == "add_tag":
        return f"add tag {action['tag']}"
    if kind == "set_status":
        return f"set status to {action['status'].replace('_', ' ')}"
    if kind == "set_intent":
        return f"set intent to {action['intent']}"
    if kind == "notify":
        return f"notify “{action.get('message') or 'New matching mentions'}”"
    return "star"


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
    try:
        parse(query)
    except QueryError as error:
        raise RuleError(f"Rule {name!r}: {error}") from error
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
