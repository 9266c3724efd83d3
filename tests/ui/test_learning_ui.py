"""Learning from the strategist in the window: suggestions on the mention on show (tags by name),
the y key that accepts them, and the Learning dialog's setting and jobs."""

from __future__ import annotations

from PySide6.QtCore import Qt

from listener_app.ui.learning_dialog import LearningDialog


def _relearn(window, demo_ws):
    """Learn from the demo's manual labels (sentiment, intent and tags set by hand)."""
    demo_ws.learning.relearn()
    window.detail.invalidate_models()
    window.run_search("")


def _first_row_suggesting(window, wanted):
    for row in range(window.model.rowCount()):
        window.select_row(row)
        if any(wanted(name) for name in window.detail.guesses):
            return window.model.id_at(row)
    raise AssertionError("no mention with such a suggestion")


def test_y_accepts_the_suggestions_for_the_mention_on_show(qtbot, window, demo_ws):
    _relearn(window, demo_ws)
    mention_id = _first_row_suggesting(window, lambda name: name == "sentiment")
    guesses = dict(window.detail.guesses)
    assert "press y" in window.detail.suggest.text() and window.detail.suggest.isVisibleTo(window)
    window.table.setFocus()
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        qtbot.keyClick(window.table, Qt.Key.Key_Y)
    mention = window.ws.mention(mention_id)
    assert (mention["sentiment"], mention["sentiment_origin"]) == (guesses["sentiment"][0], "manual")
    (row,) = window.ws.rows([mention_id])
    assert {int(n.split(":")[1]) for n in guesses if n.startswith("tag:")} <= set(row["tag_ids"])
    assert window.ws.undo_label() is not None
    window.select_row(window.model.row_of(mention_id))
    assert "sentiment" not in window.detail.guesses  # a label set by hand is not suggested again


def test_tag_suggestions_show_the_tag_by_name(qtbot, window, demo_ws):
    _relearn(window, demo_ws)
    _first_row_suggesting(window, lambda name: name.startswith("tag:"))
    tag_id = next(int(n.split(":")[1]) for n in window.detail.guesses if n.startswith("tag:"))
    name = next(t["name"] for t in window.tags if t["id"] == tag_id)
    assert f">tag {name}</a>" in window.detail.suggest.text()


def test_the_learning_dialog_shows_models_and_saves_the_setting(qtbot, window, demo_ws):
    _relearn(window, demo_ws)
    dialog = LearningDialog(window.ws, window.ops, window)
    qtbot.addWidget(dialog)
    rows = {
        dialog.table.item(r, 0).text(): dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())
    }
    assert rows["Sentiment"] == "suggesting" and rows["Tag urgent"].startswith("needs")
    assert dialog.job_buttons["apply"].isEnabled()
    assert not dialog.threshold.isEnabled()
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        dialog.auto.setChecked(True)
    assert window.ws.learning.auto_apply() == 0.8
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        dialog.threshold.setValue(90)
    assert window.ws.learning.auto_apply() == 0.9
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        dialog.auto.setChecked(False)
    assert window.ws.learning.auto_apply() is None


def _origins(ws):
    """How many mentions have their sentiment from each origin (manual, learned, auto)."""
    return dict(ws.store.execute("SELECT sentiment_origin, count(*) FROM mentions GROUP BY 1").fetchall())


def test_apply_from_the_dialog_marks_labels_learned(qtbot, window, demo_ws, monkeypatch):
    _relearn(window, demo_ws)
    manual = _origins(demo_ws)["manual"]

    def choose_apply(dialog):
        dialog.threshold.setValue(60)
        dialog._start("apply")
        return dialog.result()

    monkeypatch.setattr(LearningDialog, "exec", choose_apply)
    window.show_learning()
    qtbot.waitUntil(lambda: "learned labels" in window.toast.text, timeout=20_000)
    origins = _origins(demo_ws)
    assert origins.get("learned", 0) > 0 and origins["manual"] == manual
