from __future__ import annotations

import pytest

from listener_app.domain.rules import RuleError, dumps, loads, parse_action, validate_rule


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


def test_rules_run_on_new_mentions_as_undoable_events(ws):
    from listener_app.domain.models import Item
    from listener_app.store import events
    from listener_app.store.rules import save_rule
    from listener_app.workspace.ingest import ingest_items

    save_rule(
        ws,
        validate_rule(
            "Billing",
            "refund OR charged",
            [
                parse_action("tag:billing"),
                parse_action("status:needs_response"),
                parse_action("notify:Billing issue"),
            ],
        ),
    )
    report = ingest_items(
        ws,
        [
            Item(source="rss", external_id="1", text="charged twice, refund now", published_at="2026-01-01"),
            Item(source="rss", external_id="2", text="lovely", published_at="2026-01-01"),
        ],
        score=False,
    )
    assert report.notifications == [("Billing", "Billing issue", 1)]
    assert ws.scalar("SELECT status FROM mentions WHERE external_id = '1'") == "needs_response"
    assert ws.scalar("SELECT status FROM mentions WHERE external_id = '2'") == "new"
    assert events.history(ws, 1)[0]["origin"] == "rule:Billing"
    events.undo(ws)
    events.undo(ws)
    assert ws.scalar("SELECT count(*) FROM mention_tags") == 0
