"""People: the selected author's sentiment over time, charted under the note."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication

from listener_app.domain.models import AuthorRef, Item
from listener_app.ui.author_timeline import TIMELINE_COLORS
from listener_app.ui.people_dialog import PeopleDialog
from listener_app.workspace.ingest import ingest_items


def _show(qtbot, window):
    dialog = PeopleDialog(window.ws, window.ops, "", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _select(dialog, handle):
    row = next(i for i, a in enumerate(dialog.authors) if a["handle"] == handle)
    dialog.table.selectRow(row)
    return dialog.authors[row]


def _add_author(ws, handle, dated):
    ingest_items(
        ws.store,
        [
            Item(
                source="mastodon",
                external_id=f"{handle}-{n}",
                text=f"post {n} by {handle}",
                published_at=f"{day}T10:00:00Z",
                author=AuthorRef(handle=handle, reach=5_000_000),  # near the top of the list
                sentiment=sentiment,
            )
            for n, (day, sentiment) in enumerate(dated)
        ],
        score=False,
    )


def _hover(widget, pos):
    """The mouse moved over `pos` (sent straight to the widget: offscreen has no real pointer)."""
    moved = QMouseEvent(
        QEvent.Type.MouseMove,
        pos,
        widget.mapToGlobal(pos),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, moved)


def test_selecting_an_author_shows_their_sentiment_over_time(qtbot, window):
    dialog = _show(qtbot, window)
    charted = 0
    for row, author in enumerate(dialog.authors):
        if author["scored_count"] < 2:
            continue
        dialog.table.selectRow(row)
        periods = dialog.timeline.series.periods
        assert dialog.timeline.message == "" and dialog.timeline.bar_count() == len(periods)
        assert sum(p.total for p in periods) == author["mention_count"]
        totals = sum((p.counts for p in periods), Counter())
        assert (totals["positive"], totals["negative"]) == (
            author["positive_count"],
            author["negative_count"],
        )
        assert periods[0].start <= author["first_seen"][:10] < periods[0].end
        assert periods[-1].start <= author["last_seen"][:10] < periods[-1].end
        assert dialog.timeline_caption.text().startswith(f"{author['mention_count']} mentions since ")
        charted += 1
    assert charted >= 10

    top = _select(dialog, dialog.authors[0]["handle"])
    periods = dialog.timeline.series.periods
    image = dialog.timeline.grab().toImage()
    ratio = image.devicePixelRatio()
    for index, period in enumerate(periods):  # each bar is painted in its sentiments' colours
        bar = dialog.timeline.bar(index)
        if not period.total:
            assert bar.height() == 0
            continue
        bottom = image.pixelColor(int(bar.center().x() * ratio), int((bar.bottom() - 1) * ratio))
        lowest = next(s for s in ("negative", "neutral", "positive", "unscored") if period.counts[s])
        assert bottom == QColor(TIMELINE_COLORS[lowest])
    busiest = max(range(len(periods)), key=lambda i: periods[i].total)
    _hover(dialog.timeline, dialog.timeline.bar(busiest).center())
    assert dialog.timeline.toolTip().startswith("Week of ")
    assert f": {periods[busiest].total} mention" in dialog.timeline.toolTip()
    assert top["mention_count"] == dialog.timeline.series.total


def test_a_long_history_is_by_month_and_says_where_it_is_going(qtbot, window, demo_ws):
    early = [(f"2026-0{m}-1{m}", "positive") for m in range(1, 5)]
    late = [
        ("2026-08-03", "neutral"),
        ("2026-09-09", "negative"),
        ("2026-09-21", "negative"),
        ("2026-10-02", None),
    ]
    _add_author(demo_ws, "souring", [*early, ("2026-05-20", "neutral"), *late])
    dialog = _show(qtbot, window)
    author = _select(dialog, "souring")
    series = dialog.timeline.series

    assert series.unit == "month" and len(series.periods) == 10  # January to October
    assert [p.total for p in series.periods] == [1, 1, 1, 1, 1, 0, 0, 1, 2, 1]
    assert sum(p.total for p in series.periods) == author["mention_count"] == 9
    assert (
        dialog.timeline_caption.text() == "9 mentions since 11 Jan 2026 · by month · trending more negative"
    )

    chosen = []
    dialog.author_chosen.connect(chosen.append)
    qtbot.mouseClick(
        dialog.timeline, Qt.MouseButton.LeftButton, pos=dialog.timeline.bar(8).center().toPoint()
    )
    assert chosen == ["author:@souring after:2026-09-01 before:2026-10-01"]
    assert window.ws.count(chosen[0]) == 2
    qtbot.mouseClick(
        dialog.timeline, Qt.MouseButton.LeftButton, pos=dialog.timeline.slot(6).center().toPoint()
    )
    assert len(chosen) == 1  # an empty month opens nothing


def test_nothing_to_chart_says_why(qtbot, window, demo_ws):
    _add_author(demo_ws, "once", [("2026-10-05", "positive")])
    _add_author(demo_ws, "unread", [("2026-10-05", None), ("2026-10-12", None), ("2026-10-20", None)])
    dialog = _show(qtbot, window)

    _select(dialog, "once")
    assert dialog.timeline.bar_count() == 0 and dialog.timeline_caption.text() == ""
    assert dialog.timeline.message == "One mention so far (5 Oct 2026): nothing to chart yet."
    _select(dialog, "unread")
    assert dialog.timeline.bar_count() == 0 and dialog.timeline_caption.text() == ""
    assert dialog.timeline.message == "None of their 3 mentions has a sentiment yet."
    assert dialog.timeline.accessibleDescription() == dialog.timeline.message
    dialog.tabs.setCurrentIndex(3)  # no VIPs: no author, no chart
    assert dialog.timeline.bar_count() == 0 and dialog.timeline.message == ""
