"""Learning from the strategist in the window: suggestions on the mention on show (tags by name),
the y key that accepts them, a label that reaches the next suggestion without a relearn, the
relearn that follows labelling on its own, "Ask me" in the sidebar, and the Learning dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt

from listener_app.ui import relearning
from listener_app.ui.learning_dialog import LearningDialog
from listener_app.ui.sidebar import QUERY_ROLE


def _models_loaded(qtbot, window):
    """The window loads the demo's models (learned as it was built) off the GUI thread."""
    qtbot.waitUntil(lambda: bool(window.detail.models), timeout=20_000)
    window.run_search("")


def _first_row_suggesting(window, wanted):
    for row in range(window.model.rowCount()):
        window.select_row(row)
        if any(wanted(name) for name in window.detail.guesses):
            return window.model.id_at(row)
    raise AssertionError("no mention with such a suggestion")


def test_y_accepts_the_suggestions_for_the_mention_on_show(qtbot, window):
    _models_loaded(qtbot, window)
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


def test_tag_suggestions_show_the_tag_by_name(qtbot, window):
    _models_loaded(qtbot, window)
    _first_row_suggesting(window, lambda name: name.startswith("tag:"))
    tag_id = next(int(n.split(":")[1]) for n in window.detail.guesses if n.startswith("tag:"))
    name = next(t["name"] for t in window.tags if t["id"] == tag_id)
    assert f">tag {name}</a>" in window.detail.suggest.text()


def test_a_label_reaches_the_models_at_once_and_a_relearn_follows(qtbot, window, monkeypatch):
    monkeypatch.setattr(relearning, "RELEARN_AFTER", 2)
    _models_loaded(qtbot, window)
    first, second = window.model.id_at(0), window.model.id_at(1)
    stored = window.ws.store.scalar("SELECT state FROM learned_models WHERE name = 'sentiment'")
    shown = window.detail.models
    window.select_row(0)
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        window.set_label("sentiment", "negative")
    # the first label warms the writer, which learns it and stores the weights (no relearn):
    # the detail pane reads the models again
    qtbot.waitUntil(
        lambda: window.ws.store.scalar("SELECT state FROM learned_models WHERE name = 'sentiment'") != stored,
        timeout=15_000,
    )
    qtbot.waitUntil(lambda: window.detail.models is not shown, timeout=5000)
    assert window.ws.learning.behind() == 1
    window.select_row(window.model.row_of(second))
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        window.set_label("sentiment", "positive")
    qtbot.waitUntil(
        lambda: "Relearned from the labels" in window.statusBar().currentMessage(), timeout=30_000
    )
    assert window.ws.learning.behind() == 0 and first != second


def test_ask_me_in_the_sidebar_lists_what_would_teach_most(qtbot, window):
    item = next(
        window.sidebar.topLevelItem(0).child(j)
        for j in range(window.sidebar.topLevelItem(0).childCount())
        if window.sidebar.topLevelItem(0).child(j).text(0) == "Ask me"
    )
    qtbot.waitUntil(lambda: item.text(1) != "", timeout=5000)  # the count comes from the reader
    count = int(item.text(1).replace(",", ""))
    assert count > 0
    window.sidebar.itemClicked.emit(item, 0)
    assert window.model.query == item.data(0, QUERY_ROLE) == "is:asked sort:asked"
    assert window.model.rowCount() == count
    asked = window.model.id_at(0)
    assert asked == window.ws.store.scalar("SELECT mention_id FROM asked ORDER BY rank LIMIT 1")
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        window.set_label("intent", "question")  # labelled: it leaves the list, the next one shows
    assert window.model.row_of(asked) is None and window.model.rowCount() == count - 1


def test_the_learning_dialog_shows_how_far_to_trust_each_model(qtbot, window):
    dialog = LearningDialog(window.ws, window.ops, window)
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    sentiment = rows["Sentiment"]
    assert "macro-F1 on" in dialog.table.item(sentiment, 2).text()
    assert "; automatic 0." in dialog.table.item(sentiment, 2).text()
    assert dialog.table.item(sentiment, 2).toolTip().startswith("learned sentiment: ")
    assert dialog.table.item(rows["Tag urgent"], 2).text().startswith("needs ")
    assert "8 times in 10" in dialog.meaning.text()
    dialog.table.setCurrentCell(sentiment, 0)
    assert dialog.calibration.text().startswith("Sentiment: calibration")
    dialog.threshold.setValue(85)
    assert "85% of the time" in dialog.meaning.text()
    assert dialog.table.horizontalHeaderItem(3).text() == "Applying at 0.85"
    assert dialog.table.item(sentiment, 3).toolTip().startswith("applying at 0.85: ")
    assert "Ask me" in dialog.asked.text()


def test_the_learning_dialog_saves_the_auto_apply_setting(qtbot, window):
    dialog = LearningDialog(window.ws, window.ops, window)
    qtbot.addWidget(dialog)
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
    manual = _origins(demo_ws)["manual"]

    def choose_apply(dialog):
        dialog.threshold.setValue(60)
        dialog._start("apply")
        return dialog.result()

    monkeypatch.setattr(LearningDialog, "exec", choose_apply)
    window.show_learning()
    qtbot.waitUntil(lambda: "learned labels stand" in window.toast.text, timeout=20_000)
    origins = _origins(demo_ws)
    assert origins.get("learned", 0) > 0 and origins["manual"] == manual


def test_a_workspace_never_learned_from_is_learned_from_once_the_window_shows(qtbot, tmp_path):
    from datetime import UTC, datetime

    from listener_app.ui.app import application, make_window, open_for_window
    from listener_app.workspace import Workspace

    with Workspace.open(tmp_path / "fresh.listener.db") as ws:  # as the first run builds the demo
        ws.build_demo(count=150, now=datetime(2026, 11, 1, 12, tzinfo=UTC), learn=False)
        assert ws.learning.needs_relearn()
    application()
    window = make_window(open_for_window(tmp_path / "fresh.listener.db"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(window.detail.models), timeout=30_000)  # no dialog, no key pressed
    assert not window.ws.learning.needs_relearn() and window.ws.count("is:asked") > 0
    window.close()
    window.ws.close()


def test_a_window_that_only_reads_holds_no_labels_in_memory(qtbot, window):
    """Holding every labelled mention's features costs memory and both cores for seconds: a
    window only searched and scrolled does not pay it; its first label does."""
    from listener_app.workspace import learners

    _models_loaded(qtbot, window)
    window.run_search("sentiment:negative")
    qtbot.wait(300)
    assert learners._key(window.ws.store) not in learners._HELD
    with qtbot.waitSignal(window.ops.changes_applied, timeout=5000):
        window.set_label("sentiment", "positive")
    qtbot.waitUntil(lambda: learners._key(window.ws.store) in learners._HELD, timeout=15_000)
