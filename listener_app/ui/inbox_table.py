"""The mention list as a table that fits any window from 1280x720 to 4K.

The Mention column takes the free width; the others stay as narrow as what they show, and when
the list is narrow the columns the detail pane also shows (status, then intent, then
sentiment) step aside before the Mention column would get less than half the list. Where the
list is tall enough, each row shows two lines of the mention (a preview, as mail clients do).
An empty list says why it is empty and what to do, instead of showing a blank table.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView

from listener_app.ui.delegates import MentionDelegate
from listener_app.ui.inbox_model import InboxModel

WHEN, SOURCE, AUTHOR, MENTION, SENTIMENT, INTENT, STATUS = range(7)
OPTIONAL = (STATUS, INTENT, SENTIMENT)  # hidden in this order when the list is narrow
MENTION_MIN = 340  # the Mention column never gets narrower than this while a column can step aside
MENTION_SHARE = 0.5  # nor less than this share of the list
TWO_LINE_ROWS = 14  # two-line rows when at least this many of them fit


class InboxTable(QTableView):
    empty_link = Signal(str)  # a link in the empty-list message ("import", "sources", "all"...)

    def __init__(self, model: InboxModel, delegate: MentionDelegate) -> None:
        super().__init__()
        self.setObjectName("inbox")
        self.setAccessibleName("Mentions")
        self.setModel(model)
        self.setItemDelegate(delegate)
        self.delegate = delegate
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(24)
        for column in range(model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(MENTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(WHEN, Qt.SortOrder.DescendingOrder)
        self.empty = QLabel(self.viewport())
        self.empty.setObjectName("emptyList")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setTextFormat(Qt.TextFormat.RichText)
        self.empty.linkActivated.connect(self.empty_link.emit)
        self.empty.hide()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._show_empty)
        self.lines = 0
        self.fit()

    # ---------------------------------------------------------------- sizes

    def compact_widths(self) -> dict[int, int]:
        """What each column other than the Mention needs for what it shows."""
        metrics = QFontMetrics(self.font())
        bold = self.font()
        bold.setBold(True)
        wide = QFontMetrics(bold)
        pad = 20
        return {
            WHEN: wide.horizontalAdvance("28 Feb 2015") + pad,
            SOURCE: 32,
            AUTHOR: max(110, min(170, self.viewport().width() // 7)),
            SENTIMENT: wide.horizontalAdvance("negative ✎") + pad + 14,
            INTENT: wide.horizontalAdvance("suggestion") + pad,
            STATUS: metrics.horizontalAdvance("needs response") + pad + 14,
        }

    def fit(self) -> None:
        """Columns for the current width, and one or two lines per row for the current height."""
        widths = self.compact_widths()
        available = self.viewport().width()
        wanted = max(MENTION_MIN, int(available * MENTION_SHARE))
        hidden: set[int] = set()
        for column in OPTIONAL:
            if available - sum(w for c, w in widths.items() if c not in hidden) >= wanted:
                break
            hidden.add(column)
        for column, width in widths.items():
            self.setColumnHidden(column, column in hidden)
            if column not in hidden:
                self.setColumnWidth(column, width)
        line = QFontMetrics(self.font()).lineSpacing()
        two_line_height = 2 * line + 14
        lines = 2 if self.viewport().height() >= TWO_LINE_ROWS * two_line_height else 1
        if lines != self.lines:
            self.lines = lines
            self.delegate.lines = lines
            self.verticalHeader().setDefaultSectionSize(two_line_height if lines == 2 else max(32, line + 14))
        self._place_empty()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.fit()

    # ---------------------------------------------------------------- empty list

    def set_empty_message(self, html: str) -> None:
        self.empty.setText(html)
        self._show_empty()

    def _show_empty(self, *_args: Any) -> None:
        self.empty.setVisible(self.model().rowCount() == 0 and bool(self.empty.text()))
        self._place_empty()

    def _place_empty(self) -> None:
        area = self.viewport().rect().adjusted(24, 24, -24, -24)
        self.empty.setGeometry(area.x(), area.y(), area.width(), min(area.height(), 220))
