"""The keyboard never gets trapped, every key does what the sheet says, and every action and
undo says what happened in a toast with Undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from listener_app.ui.sidebar import VIEW_ROLE


def _status(demo_ws, mention_id):
    return demo_ws.mention(mention_id)["status"]


def test_esc_leaves_the_note_and_j_moves_on_instead_of_typing(qtbot, window, demo_ws, written):
    first, second = window.model.id_at(0), window.model.id_at(1)
    qtbot.keyClick(window.table, Qt.Key.Key_N)
    assert window.detail.note.hasFocus()
    qtbot.keyClicks(window.detail.note, "Golf bag lost")
    with written(window):
        qtbot.keyClick(window.detail.note, Qt.Key.Key_Escape)  # saves at once, no wait for the timer
    assert window.table.hasFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_J)
    assert window.selected_ids() == [second]
    assert [n["body"] for n in demo_ws.notes(first)] == ["Golf bag lost"]  # no "j" typed into it


def test_tab_moves_focus_out_of_the_note(qtbot, window):
    qtbot.keyClick(window.table, Qt.Key.Key_N)
    qtbot.keyClicks(window.detail.note, "Call back")
    qtbot.keyClick(window.detail.note, Qt.Key.Key_Tab)
    assert not window.detail.note.hasFocus()
    assert "\t" not in window.detail.note.toPlainText()


def test_esc_from_the_search_goes_back_to_the_list(qtbot, window):
    qtbot.keyClick(window.table, Qt.Key.Key_Slash)
    assert window.search_bar.edit.hasFocus()
    qtbot.keyClick(window.search_bar.edit, Qt.Key.Key_Escape)
    assert window.table.hasFocus()


def test_question_mark_opens_the_sheet_and_the_menu_shows_its_key(qtbot, window, qtlog):
    qtbot.keyClick(window.table, "?")
    qtbot.waitUntil(lambda: getattr(window, "sheet", None) is not None and window.sheet.isVisible())
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]
    assert "?" in window.shortcuts_action.shortcut().toString()
    window.sheet.close()


def test_typing_a_question_mark_in_the_search_is_a_character(qtbot, window):
    window.focus_search()
    window.search_bar.edit.clear()
    qtbot.keyClicks(window.search_bar.edit, "why?")
    assert window.search_bar.edit.text() == "why?"
    assert getattr(window, "sheet", None) is None


def test_e_moves_to_the_next_mention_in_a_saved_view_too(qtbot, window, demo_ws, written):
    window.run_search("sentiment:negative", title="Angry")  # a view that done mentions stay in
    first, second = window.model.id_at(0), window.model.id_at(1)
    with written(window):
        qtbot.keyClick(window.table, Qt.Key.Key_E)
    assert _status(demo_ws, first) == "done"
    assert window.model.row_of(first) == 0  # still in the view
    assert window.selected_ids() == [second]  # and the next one is up


def test_a_search_error_does_not_widen_the_window(qtbot, window):
    window.resize(1280, 720)
    QApplication.processEvents()
    width = window.width()
    window.focus_search()
    window.search_bar.edit.setText("stauts:new " + "battery " * 40 + 'author:@"unclosed')
    qtbot.keyClick(window.search_bar.edit, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert window.search_bar.error.isVisible()
    assert window.width() == width


def test_an_empty_result_says_so_and_offers_a_way_out(qtbot, window):
    window.run_search("zzzznothinglikethis")
    assert window.model.rowCount() == 0
    assert window.table.empty.isVisible()
    assert "No mentions match" in window.table.empty.text()
    window.table.empty.linkActivated.emit("all")
    assert window.model.query == "" and window.model.rowCount() > 0
    assert not window.table.empty.isVisible()


def test_every_triage_key_says_what_it_did_and_undo_takes_it_back(qtbot, window, demo_ws, written):
    first = window.model.id_at(0)
    with written(window):
        qtbot.keyClick(window.table, Qt.Key.Key_E)
    assert window.toast.text == "Marked done (1 mention)"
    assert window.toast.button.text().startswith("Undo")
    with written(window):
        window.toast.button.click()
    assert _status(demo_ws, first) == "new"
    assert window.toast.text == "Undone: Marked done (1 mention)"
    with written(window):
        window.toast.button.click()  # Redo
    assert _status(demo_ws, first) == "done"
    assert window.toast.text.startswith("Redone: Marked done")
    current = window.selected_ids()[0]
    with written(window):
        qtbot.keyClick(window.table, Qt.Key.Key_S)
    assert window.toast.text == "Starred (1 mention)"
    with written(window):
        qtbot.keyClick(window.table, Qt.Key.Key_1)
    assert window.toast.text == "Tagged billing (1 mention)"
    with written(window):
        qtbot.keyClick(window.table, Qt.Key.Key_U)
    assert window.toast.text == "Undone: Tagged billing (1 mention)"
    assert "billing" not in demo_ws.mention(current)["tags"]


def _free_key(window, demo_ws, written):
    """The demo binds every number key: free the last one."""
    tag = next(t for t in window.tags if t["shortcut"] == "9")
    with written(window):
        window.ops.write(lambda ws: ws.tags.update(tag["id"], shortcut=None), initiator=window)
    return "9"


def test_a_number_key_without_a_tag_says_so(qtbot, window, demo_ws, written):
    unbound = _free_key(window, demo_ws, written)
    qtbot.keyClick(window.table, unbound)
    assert window.toast.text == f"No tag has the key {unbound} yet"
    assert window.toast.button.text() == "Give it a tag…"


def test_a_new_tag_from_the_picker_gets_the_next_number_key(qtbot, window, demo_ws, written, monkeypatch):
    from listener_app.ui.dialogs import TagPicker

    free = _free_key(window, demo_ws, written)

    def pick(self):
        self.choice = "lost luggage"
        return True

    monkeypatch.setattr(TagPicker, "exec", pick)
    with written(window):
        qtbot.keyClick(window.table, Qt.Key.Key_T)
    assert demo_ws.tags.by_name("lost luggage")["shortcut"] == free
    assert window.toast.text.startswith("Tagged lost luggage")
    mention = window.selected_ids()[0]
    with written(window):
        qtbot.keyClick(window.table, free)  # the new key works at once
    assert "lost luggage" not in demo_ws.mention(mention)["tags"]


def test_save_as_view_selects_the_new_view(qtbot, window, demo_ws, written, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Angry", True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window.run_search("sentiment:negative")
    with written(window):
        window.search_bar.save.click()
    qtbot.waitUntil(lambda: window.sidebar.currentItem() is not None
                    and window.sidebar.currentItem().data(0, VIEW_ROLE) is not None)  # fmt: skip
    assert window.sidebar.currentItem().text(0) == "Angry"
    assert window.toast.text == "Saved the view “Angry”"
    assert window.statusBar().currentMessage().startswith("Angry")


def test_deleting_a_view_can_be_undone_from_the_toast(qtbot, window, demo_ws, written):
    view = demo_ws.views.list()[0]
    with written(window.sidebar):
        window.sidebar.delete_view(view["id"])
    assert window.toast.text == f"Deleted the view “{view['name']}”"
    with written(window):
        window.toast.button.click()
    assert [v["query"] for v in demo_ws.views.list() if v["name"] == view["name"]] == [view["query"]]
