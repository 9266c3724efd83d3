"""Tag settings (Edit → Tags…) and the sidebar's saved views."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from listener_app.ui.tags_dialog import TagsDialog


def _row_of(dialog, name):
    return next(i for i, tag in enumerate(dialog.tags) if tag["name"] == name)


def test_rename_rebind_group_and_delete_a_tag(qtbot, window, demo_ws, monkeypatch, written):
    dialog = TagsDialog(window.ws, window.ops, window)
    qtbot.addWidget(dialog)
    dialog.table.setCurrentCell(_row_of(dialog, "billing"), 0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Billing & refunds", True))
    with written(dialog):
        dialog.rename()
    assert demo_ws.tags.by_name("Billing & refunds") is not None
    assert any(t["name"] == "Billing & refunds" for t in dialog.tags)  # the dialog heard the change
    assert any(t["name"] == "Billing & refunds" for t in window.tags)  # and so did the window
    with written(dialog):
        dialog.key.activated.emit(9)  # "9"
    assert demo_ws.tags.by_name("Billing & refunds")["shortcut"] == "9"
    dialog.group.setEditText("Finance")
    with written(dialog):
        dialog.group.lineEdit().editingFinished.emit()
    assert demo_ws.tags.by_name("Billing & refunds")["group"] == "Finance"
    tagged = demo_ws.count('tag:"Billing & refunds"')
    assert tagged > 0
    monkeypatch.setattr("listener_app.ui.tags_dialog.confirm", lambda *a: True)
    with written(dialog):
        dialog.delete()
    assert demo_ws.tags.by_name("Billing & refunds") is None
    assert not any(t["name"] == "Billing & refunds" for t in dialog.tags)


def test_renaming_to_a_name_in_use_says_so(qtbot, window, monkeypatch, written):
    dialog = TagsDialog(window.ws, window.ops, window)
    qtbot.addWidget(dialog)
    dialog.table.setCurrentCell(_row_of(dialog, "billing"), 0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("shipping", True))
    shown = []
    monkeypatch.setattr(
        "PySide6.QtWidgets.QMessageBox.warning", lambda parent, title, text: shown.append(text)
    )
    with written(dialog):
        dialog.rename()
    assert shown == ["There is already a tag named 'shipping'"]


def test_saved_views_show_counts_and_can_be_deleted(qtbot, window, demo_ws, written):
    with written(window):
        window.ops.write(lambda ws: ws.views.save("Angry", "sentiment:negative"), initiator=window)
    expected = f"{demo_ws.count('sentiment:negative'):,}"
    qtbot.waitUntil(
        lambda: _view_item(window, "Angry") is not None and _view_item(window, "Angry").text(1) == expected,
        timeout=5000,
    )
    window.sidebar.setCurrentItem(_view_item(window, "Angry"))
    window.sidebar.setFocus()
    with written(window.sidebar):
        qtbot.keyClick(window.sidebar, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: _view_item(window, "Angry") is None, timeout=5000)
    assert "Angry" not in [v["name"] for v in demo_ws.views.list()]


def _view_item(window, name):
    from listener_app.ui.sidebar import VIEW_ROLE

    sidebar = window.sidebar
    for i in range(sidebar.topLevelItemCount()):
        section = sidebar.topLevelItem(i)
        for j in range(section.childCount()):
            child = section.child(j)
            if child.data(0, VIEW_ROLE) is not None and child.text(0).startswith(name):
                return child
    return None
