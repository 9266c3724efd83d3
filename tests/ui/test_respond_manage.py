"""End to end: reply templates, rules and people managed in their dialogs on a real workspace,
with the main window's operations, search and undo."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from listener_app.ui.learning_dialog import LearningDialog
from listener_app.ui.people_dialog import PeopleDialog
from listener_app.ui.respond_dialog import RespondDialog
from listener_app.ui.rule_editor import RuleEditor
from listener_app.ui.rules_dialog import RulesDialog
from listener_app.ui.templates_dialog import TemplateEditor, TemplatesDialog
from listener_app.workspace import Workspace

ACCEPTED = QDialog.DialogCode.Accepted


def _show(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # keys go to the dialog, as when a user opens it
    return dialog


def _answer(monkeypatch, answer):
    asked = []

    def question(*args, **kwargs):
        asked.append(args[2])
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@pytest.fixture(autouse=True)
def warnings_shown(monkeypatch):
    """Every warning box (a dialog shows one when its write fails) is recorded, not shown."""
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: shown.append(text))
    yield shown


def _without_demo_rules(ws):
    """The demo comes with two rules; these tests start from none."""
    for rule in ws.rules.list():
        ws.rules.delete(rule.name)
    return ws


# ---------------------------------------------------------------- reply templates


def _edit_template(qtbot, monkeypatch, name, body, *, typo=None):
    """Make the next template editor type `name` and `body` (after `typo`, which must be refused)."""

    def fill(editor):
        _show(qtbot, editor)
        save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
        editor.name.selectAll()
        qtbot.keyClicks(editor.name, name)
        editor.body.selectAll()
        if typo:
            qtbot.keyClicks(editor.body, typo)
            assert editor.error.isVisibleTo(editor) and "Unknown placeholder" in editor.error.text()
            assert not save.isEnabled()
            editor.body.selectAll()
        qtbot.keyClicks(editor.body, body)
        assert save.isEnabled(), editor.error.text()
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        return editor.result()

    monkeypatch.setattr(TemplateEditor, "exec", fill)


def test_templates_add_edit_draft_and_delete(qtbot, window, monkeypatch, written):
    mention_id = window.selected_ids()[0]
    dialog = _show(qtbot, TemplatesDialog(window.ws, window.ops, mention_id, window))
    assert "selected mention" in dialog.source.text()

    _edit_template(qtbot, monkeypatch, "Late parcel", "Hi {author}, sorry it is late!", typo="Hi {athor}")
    with written(dialog):
        dialog.add()
    assert dialog.selected()["name"] == "Late parcel"
    author = window.ws.mention(mention_id)["author"]
    assert f"Hi {author}, sorry it is late!" in dialog.preview.toPlainText()

    _edit_template(qtbot, monkeypatch, "Late parcel", "Hi {author}, it ships today. {link}")
    with written(dialog):
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)  # Enter edits the highlighted template
    body = next(t["body"] for t in window.ws.templates.list() if t["name"] == "Late parcel")
    assert body == "Hi {author}, it ships today. {link}"
    dialog.close()

    # Draft a reply with it, then mark the mention responded: when is recorded.
    def respond(self):
        self.template.setCurrentIndex(self.template.findText("Late parcel"))
        assert self.draft.toPlainText().startswith(f"Hi {author}, it ships today. http")
        self.responded.click()
        return self.result()

    monkeypatch.setattr(RespondDialog, "exec", respond)
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        window.respond()
    mention = window.ws.mention(mention_id)
    assert mention["status"] == "responded" and mention["responded_at"]
    assert window.ws.templates.response_times("status:responded")["responded"] >= 1

    dialog = _show(qtbot, TemplatesDialog(window.ws, window.ops, None, window))
    assert "sample mention" in dialog.source.text()
    names = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    dialog.list.setCurrentRow(names.index("Late parcel"))
    dialog.list.setFocus()
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Delete)
    assert asked and "Late parcel" in asked[0]
    assert "Late parcel" in [t["name"] for t in window.ws.templates.list()]  # No keeps it
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    with written(dialog):
        qtbot.keyClick(dialog.list, Qt.Key.Key_Delete)
    assert "Late parcel" not in [t["name"] for t in window.ws.templates.list()]
    assert "Late parcel" not in [dialog.list.item(i).text() for i in range(dialog.list.count())]


def test_template_editor_refuses_a_taken_name(qtbot, demo_ws):
    editor = _show(qtbot, TemplateEditor({}, {"thank you"}))
    qtbot.keyClicks(editor.name, "Thank You")
    qtbot.keyClicks(editor.body, "Thanks {author}")
    assert "already a template" in editor.error.text()
    assert not editor.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()


# ---------------------------------------------------------------- rules


def _edit_rule(qtbot, monkeypatch, name, condition, tag, *, typo=None):
    def fill(editor):
        _show(qtbot, editor)  # what exec() does first
        ok = editor.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.keyClicks(editor.name, name)
        if typo:
            qtbot.keyClicks(editor.condition.edit, typo)
            editor.check()
            assert editor.condition.error.isVisibleTo(editor)
            assert "did you mean 'status:'" in editor.condition.message
            assert not ok.isEnabled()
            editor.condition.edit.clear()
        qtbot.keyClicks(editor.condition.edit, condition)
        editor.check()
        assert not editor.condition.error.isVisibleTo(editor)
        row = editor.rows[0]
        row.kind.setCurrentIndex(row.kind.findData("add_tag"))
        qtbot.keyClicks(row.tag.lineEdit(), tag)
        assert ok.isEnabled(), editor.problem.text()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        return editor.result()

    monkeypatch.setattr(RuleEditor, "exec", fill)


def _run(qtbot, dialog):
    """Run on existing mentions, as the button does, and wait for the report."""
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.state is None, timeout=10_000)


def _events(ws):
    return ws.store.scalar("SELECT count(*) FROM events")


def test_rule_made_in_the_dialog_runs_on_existing_mentions_and_undoes(
    qtbot, window, demo_ws, monkeypatch, written
):
    _without_demo_rules(demo_ws)
    expected = window.ws.count("refund OR charged")
    assert expected > 0
    dialog = _show(qtbot, RulesDialog(window.ws, window.ops, window))
    assert dialog.stack.currentWidget() is dialog.empty

    _edit_rule(qtbot, monkeypatch, "Money", "refund OR charged", "money-watch", typo="refund stauts:new")
    with written(dialog):
        dialog.add()
    assert [r.name for r in window.ws.rules.list()] == ["Money"]
    assert dialog.table.item(0, 3).text() == "add tag money-watch"
    assert dialog.table.item(0, 4).text() == "not run on existing yet"

    with qtbot.waitSignal(window.ops.changes_applied, timeout=10_000):  # the inbox hears what changed
        _run(qtbot, dialog)
    assert window.ws.count("tag:money-watch") == expected
    assert f"add tag money-watch: <b>{expected}</b>" in dialog.report.text()
    assert dialog.table.item(0, 4).text().startswith(f"{expected} matched")
    tagged = window.ws.search("tag:money-watch", limit=1)[0]
    assert window.ws.history(tagged)[0]["origin"] == "rule:Money"

    # A second run changes nothing: the tag is there already (and no empty undo step is added).
    events_before = _events(demo_ws)
    _run(qtbot, dialog)
    assert "add tag money-watch: <b>0</b>" in dialog.report.text()
    assert _events(demo_ws) == events_before
    dialog.close()

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.ws.count("tag:money-watch") == 0


def test_rules_off_switch_delete_and_export(qtbot, window, demo_ws, monkeypatch, tmp_path, written):
    from listener_app.domain.rules import loads, validate_rule

    _without_demo_rules(demo_ws)
    demo_ws.rules.save(validate_rule("Stars", "battery", [{"type": "star"}]))
    dialog = _show(qtbot, RulesDialog(window.ws, window.ops, window))
    with written(dialog):
        dialog.table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
    assert window.ws.rules.list()[0].enabled is False

    target = tmp_path / "rules.json"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.export_file()
    exported = loads(target.read_text(encoding="utf-8"))
    assert [(r.name, r.query, r.enabled) for r in exported] == [("Stars", "battery", False)]

    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: dialog.stack.currentWidget() is dialog.empty, timeout=5000)
    assert window.ws.rules.list() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "Not a rules file"),
        ('{"rules": []}', "Not a Listener rules file"),
        (
            json.dumps(
                {
                    "listener_rules": 1,
                    "rules": [
                        {"name": "Good", "query": "refund", "actions": [{"type": "star"}]},
                        {"name": "Bad", "query": "stauts:new", "actions": [{"type": "star"}]},
                    ],
                }
            ),
            "did you mean 'status:'",
        ),
        (
            json.dumps(
                {"listener_rules": 1, "rules": [{"name": "X", "query": "a", "actions": [{"type": "boom"}]}]}
            ),
            "Unknown rule action",
        ),
    ],
)
def test_a_malformed_rules_file_is_one_message_and_changes_nothing(
    qtbot, window, demo_ws, monkeypatch, tmp_path, warnings_shown, content, message
):
    from listener_app.domain.rules import validate_rule

    demo_ws.rules.save(validate_rule("Keep", "battery", [{"type": "star"}]))
    before = [r.to_json() for r in window.ws.rules.list()]
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(bad), ""))
    dialog = _show(qtbot, RulesDialog(window.ws, window.ops, window))
    dialog.import_file()
    assert len(warnings_shown) == 1
    assert message in warnings_shown[0] and "No rules were changed" in warnings_shown[0]
    qtbot.wait(50)
    assert [r.to_json() for r in window.ws.rules.list()] == before


def test_importing_a_rules_file_adds_and_replaces(qtbot, window, demo_ws, monkeypatch, tmp_path):
    from listener_app.domain.rules import validate_rule

    demo_ws.rules.save(validate_rule("Keep", "battery", [{"type": "star"}]))
    good = tmp_path / "rules.json"
    good.write_text(
        json.dumps({"listener_rules": 1, "rules": [
            {"name": "Keep", "query": "battery OR charger", "actions": [{"type": "star"}], "enabled": False},
            {"name": "Billing", "query": "tag:nosuchtag refund", "actions": [{"type": "add_tag", "tag": "x"}]},
        ]}),
        encoding="utf-8",
    )  # fmt: skip
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(good), ""))
    dialog = _show(qtbot, RulesDialog(window.ws, window.ops, window))
    dialog.import_file()
    qtbot.waitUntil(lambda: "Imported" in dialog.report.text(), timeout=5000)
    rules = {r.name: r for r in window.ws.rules.list()}
    assert rules["Keep"].query == "battery OR charger" and rules["Keep"].enabled is False
    assert "Imported 2 rules" in dialog.report.text() and "1 replaced" in dialog.report.text()
    # A condition naming a tag this workspace lacks is reported at run time, not fatal.
    _run(qtbot, dialog)
    assert "Billing</b> skipped" in dialog.report.text() and "No tag named" in dialog.report.text()


# ---------------------------------------------------------------- people


def test_people_vip_note_search_and_open_the_author(qtbot, window, monkeypatch):
    dialog = PeopleDialog(window.ws, window.ops, window.model.query, window)
    dialog.author_chosen.connect(lambda query: (dialog.accept(), window.run_search(query)))
    closed = []
    dialog.finished.connect(closed.append)
    _show(qtbot, dialog)
    top = dialog.selected()
    assert top is not None and dialog.table.item(0, 2).text().startswith(f"@{top['handle']}")
    assert "Time to first response" in dialog.summary.text()
    assert "Whole workspace: median" in dialog.summary.text()

    dialog.table.setFocus()
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        qtbot.keyClick(dialog.table, Qt.Key.Key_V)
    assert window.ws.authors.profile(top["id"])["vip"] == 1
    assert dialog.table.item(0, 0).text() == "★"
    dialog.tabs.setCurrentIndex(3)  # VIPs
    assert [a["id"] for a in dialog.authors] == [top["id"]]

    qtbot.keyClicks(dialog.note, "Tech reviewer; prefers email")
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.ws.authors.note(top["id"]) == "Tech reviewer; prefers email"
    assert dialog.note_state.text() == "Saved" and "✎" in dialog.table.item(0, 1).text()

    cell = dialog.table.visualItemRect(dialog.table.item(0, 1)).center()
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)  # Qt 6 item views
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)  # want the click first
    assert closed == [QDialog.DialogCode.Accepted]
    assert window.model.query == f"author:@{top['handle']}"
    assert window.model.rowCount() == top["mention_count"]

    assert window.run_search("is:vip")
    assert window.model.rowCount() == top["mention_count"]
    authors = {window.ws.mention(i)["author_id"] for i in window.ws.search("is:vip")}
    assert authors == {top["id"]}


def test_a_note_typed_before_closing_is_saved_once_the_dialog_is_gone(qtbot, window):
    from shiboken6 import isValid

    dialog = _show(qtbot, PeopleDialog(window.ws, window.ops, "", window))
    author = dialog.selected()
    qtbot.keyClicks(dialog.note, "Met at the trade fair")
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # closing saves the note; the dialog is deleted
        qtbot.waitUntil(lambda: not isValid(dialog), timeout=5000)
    assert window.ws.authors.note(author["id"]) == "Met at the trade fair"


def test_a_note_that_cannot_be_saved_says_why(qtbot, window, warnings_shown):
    from listener_app.domain.models import MAX_NOTE_CHARS

    dialog = _show(qtbot, PeopleDialog(window.ws, window.ops, "", window))
    author = dialog.selected()
    dialog.note.setPlainText("x" * (MAX_NOTE_CHARS + 1))
    dialog.note.document().setModified(True)
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(warnings_shown), timeout=5000)
    assert warnings_shown == [f"Notes are at most {MAX_NOTE_CHARS:,} characters"]
    assert window.ws.authors.note(author["id"]) == ""


def test_people_tabs_have_empty_states(qtbot, window):
    dialog = _show(qtbot, PeopleDialog(window.ws, window.ops, "", window))
    dialog.tabs.setCurrentIndex(3)
    assert dialog.stack.currentWidget() is dialog.empty and "No VIPs yet" in dialog.empty.text()
    assert "This search" not in dialog.summary.text()


def test_respond_menu_opens_the_dialogs(qtbot, window, monkeypatch):
    opened = []
    for cls in (TemplatesDialog, RulesDialog, PeopleDialog, LearningDialog):
        monkeypatch.setattr(cls, "exec", lambda self: opened.append(type(self).__name__) or 0)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Respond")
    for action in menu.actions():
        action.trigger()
    assert opened == ["TemplatesDialog", "RulesDialog", "PeopleDialog", "LearningDialog"]


# ---------------------------------------------------------------- the figures behind the dialogs


def test_rerunning_rules_keeps_the_strategists_own_triage(demo_ws):
    from listener_app.domain.rules import validate_rule

    ws = _without_demo_rules(demo_ws)
    ids = ws.matching("refund OR charged")
    done, labelled, fresh = ids[0], ids[1], ids[2]
    ws.set_status([done], "done")
    ws.set_status([labelled, fresh], "new")
    ws.set_intent([labelled], "praise")
    ws.set_intent([fresh], None)  # back to automatic
    rule = validate_rule(
        "Money",
        "refund OR charged",
        [{"type": "set_status", "status": "needs_response"}, {"type": "set_intent", "intent": "complaint"}],
    )
    ws.rules.save(rule)
    run = ws.rules.run()
    assert ws.mention(done)["status"] == "done" and ws.mention(fresh)["status"] == "needs_response"
    assert ws.mention(labelled)["intent"] == "praise"
    assert ws.mention(fresh)["intent"] == "complaint"
    assert run.touched[0][:2] == ("Money", "set status to needs response")
    assert ws.rules.list()[0].last_matched == len(ids)


def test_time_to_first_response_over_a_search_and_the_workspace(ws):
    from listener_app.domain.models import Item
    from listener_app.workspace.ingest import ingest_items

    ingest_items(
        ws,
        [
            Item(source="rss", external_id=str(n), text=text, published_at="2026-01-01T00:00:00Z")
            for n, text in enumerate(["refund please", "refund now", "love it", "great", "ok"])
        ],
        score=False,
    )
    with ws.transaction():  # responded 1, 2, 3, 10 and 20 hours after publication
        for mention_id, hours in zip(range(1, 6), (1, 3, 2, 10, 20), strict=True):
            ws.execute(
                "UPDATE mentions SET status = 'responded', "
                "responded_at = strftime('%Y-%m-%dT%H:%M:%SZ', published_at, ?) WHERE id = ?",
                (f"+{hours} hours", mention_id),
            )
    templates = Workspace(ws).templates
    assert templates.response_times() == {
        "responded": 5, "median_hours": 3.0, "p90_hours": 20.0, "from_replies": 0,
    }  # fmt: skip
    assert templates.response_times("refund") == {
        "responded": 2, "median_hours": 2.0, "p90_hours": 3.0, "from_replies": 0,
    }  # fmt: skip
    assert templates.response_times("nothing-like-this")["median_hours"] is None


def test_a_cancelled_run_stops_between_rules(demo_ws):
    from listener_app.domain.rules import validate_rule
    from listener_app.domain.tasks import TaskState

    demo_ws.rules.save(validate_rule("Stars", "battery", [{"type": "star"}]))
    state = TaskState()
    state.cancel()
    run = demo_ws.rules.run(state=state)
    assert run.cancelled and run.touched == [] and not run.changes.mentions
