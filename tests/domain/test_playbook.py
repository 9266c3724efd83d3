from __future__ import annotations

import pytest

from listener_app.domain.playbook import QUESTIONS, assess, next_question
from listener_app.domain.templates import context_for, render
from listener_app.store import playbook


@pytest.mark.parametrize(
    ("answers", "outcome", "status"),
    [
        ({"spam": True}, "ignore_spam", "ignored"),
        ({"spam": False, "question": True}, "answer", "needs_response"),
        ({"spam": False, "question": False, "positive": True}, "thank", "needs_response"),
        ({"spam": False, "question": False, "positive": False, "troll": True}, "monitor_troll", "monitoring"),
        (
            {"spam": False, "question": False, "positive": False, "troll": False, "rager": True},
            "monitor_rager",
            "monitoring",
        ),
        ({k.key: False for k in QUESTIONS[:5]} | {"misguided": True}, "fix_facts", "needs_response"),
        ({k.key: False for k in QUESTIONS[:6]} | {"unhappy": True}, "restore", "needs_response"),
        ({k.key: False for k in QUESTIONS}, "monitor", "monitoring"),
    ],
)
def test_walk_of_the_assessment(answers, outcome, status):
    result = assess(answers, influence=20, reach=500)
    assert (result.outcome.key, result.status) == (outcome, status)


def test_questions_stop_at_the_first_yes():
    assert next_question({}).key == "spam"
    assert next_question({"spam": False}).key == "question"
    assert next_question({"spam": False, "question": True}) is None


def test_influence_weighs_the_final_step():
    answers = {"spam": False, "question": False, "positive": True}
    assert assess(answers, influence=80).outcome.key == "amplify"
    assert assess(answers, influence=80).priority == "high"
    troll = {"spam": False, "question": False, "positive": False, "troll": True}
    assert assess(troll, reach=50_000).priority == "high"
    assert assess(troll, reach=50).priority == "normal"


def test_templates_fill_placeholders_and_report_missing(ws):
    template = playbook.template_for(ws, "restore")
    mention = {"author": "Dana", "handle": "dana", "url": "https://x.example/1", "source": "mastodon"}
    text, missing = render(template["body"], context_for(mention, brand="Acme", agent=None))
    assert text.startswith("Hi Dana, we're sorry")
    assert "Acme" in text and missing == ["agent"]


def test_template_crud(ws):
    template_id = playbook.save_template(ws, "Shipping delay", "Hi {author}, your parcel is on its way.")
    assert any(t["name"] == "Shipping delay" for t in playbook.list_templates(ws))
    with pytest.raises(Exception, match="already a template"):
        playbook.save_template(ws, "shipping delay", "x")
    playbook.delete_template(ws, template_id)
    assert not any(t["name"] == "Shipping delay" for t in playbook.list_templates(ws))
