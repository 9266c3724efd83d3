from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from listener_app.ui.inbox_model import InboxModel


def _key(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        qtbot.keyClick(window.table, key, modifier)


def _status(window, mention_id):
    return window.ws.store.scalar("SELECT status FROM mentions WHERE id = ?", (mention_id,))


def test_model_passes_qt_model_tester(qtmodeltester, demo_ws):
    model = InboxModel(demo_ws)
    model.set_query("")
    qtmodeltester.check(model)
    model.set_query("sentiment:negative")
    qtmodeltester.check(model)


def test_triage_with_the_keyboard_then_undo(qtbot, window):
    first = window.selected_ids()[0]
    second = window.model.id_at(1)
    _key(qtbot, window, Qt.Key.Key_E)
    assert _status(window, first) == "done"
    assert window.selected_ids() == [second]  # it left "New": the next one is selected
    _key(qtbot, window, Qt.Key.Key_R)
    assert _status(window, second) == "needs_response"
    _key(qtbot, window, Qt.Key.Key_U)
    assert _status(window, second) == "new"


def test_number_key_toggles_its_tag(qtbot, window):
    mention = window.selected_ids()[0]
    _key(qtbot, window, Qt.Key.Key_1)
    tags = window.ws.store.execute(
        "SELECT t.name FROM mention_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.mention_id = ?",
        (mention,),
    ).fetchall()
    assert "billing" in [r[0] for r in tags]


def test_note_autosaves(qtbot, window):
    mention = window.selected_ids()[0]
    qtbot.keyClick(window.table, Qt.Key.Key_N)
    assert window.detail.note.hasFocus()
    qtbot.keyClicks(window.detail.note, "Call the customer back")
    qtbot.waitUntil(
        lambda: window.ws.store.scalar("SELECT count(*) FROM notes WHERE mention_id = ?", (mention,)) == 1,
        timeout=5000,
    )
    assert (
        window.ws.store.scalar("SELECT body FROM notes WHERE mention_id = ? ORDER BY id DESC", (mention,))
        == "Call the customer back"
    )


def test_search_with_a_filter_and_a_malformed_one(qtbot, window):
    qtbot.keyClick(window.table, Qt.Key.Key_Slash)
    assert window.search_bar.edit.hasFocus()
    window.search_bar.edit.setText("sentiment:negative")
    qtbot.keyClick(window.search_bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.model.total == window.ws.count("sentiment:negative"), timeout=5000)
    window.focus_search()
    window.search_bar.edit.setText("stauts:new")
    qtbot.keyClick(window.search_bar.edit, Qt.Key.Key_Return)
    assert window.search_bar.error.isVisible()
    assert window.search_bar.message == "Unknown filter 'stauts:' — did you mean 'status:'?"
    assert window.model.query == "sentiment:negative"  # the list still shows the last good search


def test_typing_offers_completions(qtbot, window):
    window.focus_search()
    window.search_bar.edit.clear()
    qtbot.keyClicks(window.search_bar.edit, "stat")
    popup = window.search_bar.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    assert "status:" in window.search_bar.completer.currentCompletion()
    qtbot.keyClick(popup, Qt.Key.Key_Escape)


def test_when_header_sorts_oldest_first(qtbot, window):
    first_newest = window.model.id_at(0)
    window.table.horizontalHeader().sectionClicked.emit(0)
    assert window.model.query == "status:new sort:oldest"
    assert window.model.id_at(0) != first_newest


def test_save_a_view(qtbot, window, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Angry", True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.search_bar.edit.setText("sentiment:negative")
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        window.search_bar.save.click()
    assert tuple(
        window.ws.store.execute("SELECT query, notify FROM views WHERE name = 'Angry'").fetchone()
    ) == (
        "sentiment:negative",
        1,
    )


def test_bulk_tag_with_select_all(qtbot, window):
    window.run_search("sentiment:negative")
    count = window.model.rowCount()
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _key(qtbot, window, Qt.Key.Key_2)
    tagged = window.ws.store.scalar(
        "SELECT count(*) FROM mention_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = 'shipping' AND "
        "mt.mention_id IN (SELECT id FROM mentions WHERE sentiment = 'negative')"
    )
    assert tagged == count
    assert window.ws.store.scalar("SELECT count(*) FROM events WHERE undone = 0") == 1  # one undo step


def test_workspace_errors_are_messages_not_crashes(qtbot, tmp_path, monkeypatch):
    import sqlite3

    from listener_app.ui.app import application, open_for_window
    from listener_app.workspace import Workspace

    application()
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    assert open_for_window(tmp_path / "missing.listener.db") is None
    newer = tmp_path / "newer.listener.db"
    Workspace.open(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('listener', 'm999', 'x')"
    )
    conn.commit()
    conn.close()
    assert open_for_window(newer) is None
    garbage = tmp_path / "garbage.listener.db"
    garbage.write_bytes(b"not sqlite" * 500)
    assert open_for_window(garbage) is None
    assert (
        "No workspace" in shown[0] and "newer version" in shown[1] and "not a Listener workspace" in shown[2]
    )
    readonly = tmp_path / "ro.listener.db"
    from listener_app.domain.models import Item
    from listener_app.ui.app import make_window
    from listener_app.workspace.ingest import ingest_items

    with Workspace.open(readonly) as ws:
        ingest_items(
            ws.store,
            [Item(source="rss", external_id="1", text="hello", published_at="2026-01-01")],
            score=False,
        )
    window = make_window(
        Workspace.open(readonly, readonly=True), writable=False
    )  # as a file we may not write
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert "read-only" in window.windowTitle()
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    window.set_status("done")  # what the e key does
    qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    assert "read-only" in warnings[0]
    window.close()


def test_manual_sentiment_from_the_detail_pane(qtbot, window):
    mention = window.selected_ids()[0]
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        window.detail.label_chosen.emit("sentiment", "negative")
    row = window.ws.store.execute(
        "SELECT sentiment, sentiment_origin FROM mentions WHERE id = ?", (mention,)
    ).fetchone()
    assert tuple(row) == ("negative", "manual")
    assert "negative (by hand)" in window.detail.sentiment_box.currentText()


def test_respond_assessment_sets_status_and_records_it(qtbot, window, monkeypatch):
    from listener_app.ui.respond_dialog import RespondDialog

    mention = window.selected_ids()[0]

    def walk(self):
        if self.confirming:
            self.answer(False)  # "No, ask me": the detected guess is not taken, the questions follow
        self.answer(False)  # not spam
        self.answer(False)  # not a question
        self.answer(False)  # not positive
        self.answer(False)  # not a troll
        self.answer(False)  # not a rager
        self.answer(False)  # facts not wrong
        self.answer(True)  # an unhappy customer
        assert self.assessment.outcome.key == "restore"
        assert "sorry" in self.draft.toPlainText()
        self._apply()
        return QDialog.DialogCode.Accepted

    from PySide6.QtWidgets import QDialog

    monkeypatch.setattr(RespondDialog, "exec", walk)
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        window.respond()
    assert _status(window, mention) == "needs_response"
    assert (
        window.ws.store.scalar("SELECT outcome FROM assessments WHERE mention_id = ?", (mention,))
        == "restore"
    )
