from __future__ import annotations

import pytest

from listener_app.core.rules import RuleError, dumps, loads, parse_action, validate_rule


def test_rule_file_round_trip():
    rule = validate_rule(
        "Billing", "refund OR charged", [parse_action("tag:billing"), parse_action("status:needs_response")]
    )
    again = loads(dumps([rule]))
    assert [(r.name, r.query, r.actions) for r in again] == [(rule.name, rule.query, rule.actions)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{}", "Not a Listener rules file"),
        ("not json", "Not a rules file"),
        (
            '{"listener_rules": 1, "rules": [{"name": "x", "query": "a", "actions": [{"type": "explode"}]}]}',
            "Unknown rule action",
        ),
        (
            '{"listener_rules": 1, "rules": [{"name": "x", "query": "", "actions": [{"type": "star"}]}]}',
            "needs a condition",
        ),
    ],
)
def test_bad_rule_files_are_clear_errors(text, message):
    with pytest.raises(RuleError, match=message):
        loads(text)


def test_action_short_forms():
    assert parse_action("intent:complaint") == {"type": "set_intent", "intent": "complaint"}
    with pytest.raises(RuleError, match="set_status needs one of"):
        parse_action("status:whatever")
