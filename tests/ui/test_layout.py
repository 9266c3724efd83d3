"""The window's layout from 1280x720 to 4K: the Mention column readable, the panes sane."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from listener_app.ui.detail_pane import MIN_WIDTH as DETAIL_MIN
from listener_app.ui.inbox_table import MENTION, MENTION_MIN, SENTIMENT, STATUS
from listener_app.ui.panes import LIST_MIN_WIDTH

SIZES = [(1280, 720), (1440, 900), (1920, 1080), (3840, 2160)]


def _settle(qtbot):
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(20)


def _fresh_window(qtbot, path, size):
    from listener_app.ui.app import make_window, open_for_window

    win = make_window(open_for_window(path))
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    _settle(qtbot)
    return win


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_mention_column_takes_the_free_width_at_every_size(qtbot, window, size):
    window.resize(*size)
    _settle(qtbot)
    table = window.table
    viewport = table.viewport().width()
    mention = table.columnWidth(MENTION)
    assert mention >= max(MENTION_MIN, viewport // 2)  # at least half the list, never a sliver
    header = QFontMetrics(table.horizontalHeader().font())
    assert header.horizontalAdvance("Mention") + 12 < mention  # its header reads "Mention", not "nt"
    others = [c for c in range(table.model().columnCount()) if c != MENTION and not table.isColumnHidden(c)]
    assert sum(table.columnWidth(c) for c in others) + mention <= viewport + 2  # no sideways scrolling
    assert window.detail.width() >= DETAIL_MIN
    assert window.width() == size[0]  # nothing forces the window wider than the screen
    if size[0] >= 1920:
        assert not table.isColumnHidden(SENTIMENT)  # room for the compact columns too


def test_narrow_lists_let_the_status_column_step_aside_first(qtbot, window):
    window.resize(1280, 720)
    _settle(qtbot)
    assert window.table.isColumnHidden(STATUS)  # the view already says the status
    window.resize(3840, 2160)
    _settle(qtbot)
    assert not window.table.isColumnHidden(STATUS)


def test_two_line_previews_where_there_is_room(qtbot, window):
    window.resize(1920, 1080)
    _settle(qtbot)
    table = window.table
    line = QFontMetrics(table.font()).lineSpacing()
    assert table.lines == 2 and table.rowHeight(0) >= 2 * line
    window.resize(1280, 720)
    _settle(qtbot)
    assert table.lines == 1
    assert table.viewport().height() // table.rowHeight(0) >= 14  # a short screen still shows many


def test_a_remembered_squeezed_layout_is_not_restored(qtbot, window, demo_ws):
    window.resize(1280, 720)
    _settle(qtbot)
    window.splitter.setSizes([700, 580])  # a sidebar dragged across, the list squeezed
    window.close()
    assert QSettings().value("window/sidebar_splitter") is not None
    reopened = _fresh_window(qtbot, demo_ws.path, (1280, 720))
    assert reopened.panes.usable()
    assert reopened.table.columnWidth(MENTION) >= MENTION_MIN
    assert reopened.inbox_splitter.sizes()[0] >= LIST_MIN_WIDTH
    reopened.close()


def test_a_sane_layout_is_remembered(qtbot, window, demo_ws):
    window.resize(1440, 900)
    _settle(qtbot)
    sidebar = window.splitter.sizes()[0] + 20
    window.splitter.setSizes([sidebar, 1440 - sidebar])
    _settle(qtbot)
    window.close()
    reopened = _fresh_window(qtbot, demo_ws.path, (1440, 900))
    assert abs(reopened.splitter.sizes()[0] - sidebar) <= 2
    reopened.close()


def test_tag_chips_stay_inside_the_mention_column(qtbot, window, demo_ws):
    from PySide6.QtGui import QFont

    chips = window.delegate._fitting_chips(
        {"tag_ids": [t["id"] for t in window.tags[:4]]}, QFontMetrics(QFont()), budget=120
    )
    assert sum(width + 4 for _tag, width in chips) <= 124  # the rest are left out, not drawn over Author


@pytest.mark.parametrize("screen", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_a_dialog_asks_for_its_size_but_stays_inside_the_screen(screen):
    from PySide6.QtCore import QSize

    from listener_app.ui.screen_fit import capped

    free = QSize(*screen)
    for width, height in [(1120, 740), (1420, 620), (620, 380)]:
        first = capped(QSize(width, height), free)
        assert first.width() <= free.width() * 0.9 and first.height() <= free.height() * 0.9
        assert first.width() == min(width, int(free.width() * 0.9))  # no smaller than the screen forces
        assert first.height() == min(height, int(free.height() * 0.9))


def test_the_import_dialog_opens_inside_a_small_screen(qtbot, window, tmp_path):
    from listener_app.ui.import_dialog import ImportDialog

    path = tmp_path / "posts.csv"
    path.write_text("text,date\nhello there,2026-11-01\n", encoding="utf-8")
    dialog = ImportDialog(window, path)
    qtbot.addWidget(dialog)
    free = dialog.screen().availableGeometry()
    assert dialog.width() <= free.width() and dialog.height() <= free.height()
