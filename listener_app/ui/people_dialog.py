"""People: the most influential authors, advocates, detractors and VIPs; the VIP list; a note
on each author and their sentiment over time; and time to first response as a figure.

Double-clicking an author (or Enter) asks the window to show their mentions (`author_chosen`
carries the search). Writes go through the window's operations.
"""

from __future__ import annotations

import contextlib
import html
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabBar,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from listener_app.domain.people import SentimentSeries
from listener_app.domain.query import QueryError
from listener_app.ui.author_timeline import TREND_RULE, SentimentTimeline, timeline_caption, timeline_empty
from listener_app.ui.operations import Operations
from listener_app.ui.screen_fit import resize_within_screen
from listener_app.ui.theme import SENTIMENT_COLORS
from listener_app.ui.widgets import dialog_button, key_on, record_table, warn_failure, while_open
from listener_app.workspace import Workspace

TABS = (("Top by influence", None), ("Advocates", "advocate"), ("Detractors", "detractor"), ("VIPs", "vip"))
COLUMNS = (
    "VIP", "Name", "Handle", "Source", "Mentions", "Reach", "Influence", "Role", "First seen", "Last seen",
    "Sentiment",
)  # fmt: skip
WIDTHS = (40, 150, 0, 92, 86, 80, 84, 80, 90, 90, 110)
LIMIT = 300
EMPTY = {
    None: "No authors yet: they appear as mentions arrive.",
    "advocate": "No advocates yet. An advocate has written at least 3 mostly positive mentions.",
    "detractor": "No detractors yet. A detractor has written at least 3 mostly negative mentions.",
    "vip": "No VIPs yet. Select an author in another tab and press V (or click the star) to add them.",
}
MIX = Qt.ItemDataRole.UserRole + 1


def author_query(handle: str) -> str:
    """The search that finds an author's mentions (quoted when the handle has spaces)."""
    handle = handle.lstrip("@")
    return f'author:"@{handle}"' if any(c.isspace() or c == '"' for c in handle) else f"author:@{handle}"


def duration(hours: float | None) -> str:
    if hours is None:
        return "—"
    if hours < 1:
        return f"{round(hours * 60)} min"
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def response_summary(ws: Workspace, query: str) -> str:
    """Time to first response over this search and over the whole workspace, as rich text."""

    def line(figures: dict[str, Any], scope: str) -> str:
        if not figures["responded"]:
            return f"{scope}: no responded mentions yet"
        return (
            f"{scope}: median <b>{duration(figures['median_hours'])}</b> · 90th percentile "
            f"<b>{duration(figures['p90_hours'])}</b> <span style='color:#8b8d98'>"
            f"({figures['responded']:,} responded)</span>"
        )

    parts = []
    if query.strip():
        with contextlib.suppress(QueryError):  # a malformed search: the workspace figure alone
            parts.append(
                line(ws.templates.response_times(query), f"This search (<code>{html.escape(query)}</code>)")
            )
    parts.append(line(ws.templates.response_times(), "Whole workspace"))
    return "<b>Time to first response</b> — " + " &nbsp;|&nbsp; ".join(parts)


class SentimentMix(QStyledItemDelegate):
    """A bar split into positive, neutral and negative mentions."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().paint(painter, option, index)
        mix = index.data(MIX)
        total = sum(mix or ())
        if not total:
            return
        rect = option.rect.adjusted(6, option.rect.height() // 2 - 4, -6, -(option.rect.height() // 2 - 4))
        painter.save()
        x = rect.left()
        for count, name in zip(mix, ("positive", "neutral", "negative"), strict=True):
            width = round(rect.width() * count / total)
            painter.fillRect(QRect(x, rect.top(), width, rect.height()), QColor(SENTIMENT_COLORS[name]))
            x += width
        painter.restore()


def _item(value: Any, *, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setData(Qt.ItemDataRole.DisplayRole, value)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _name_item(author: dict[str, Any]) -> QTableWidgetItem:
    """The author's name, with ✎ when the strategist keeps a note on them."""
    name = author["display_name"] or author["handle"]
    item = _item(f"{name}  ✎" if author["has_note"] else name)
    item.setToolTip("You have a note on this author" if author["has_note"] else name)
    return item


class PeopleDialog(QDialog):
    author_chosen = Signal(str)  # the search that shows the author's mentions

    def __init__(
        self, ws: Workspace, ops: Operations, query: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops
        self.query = query
        self.authors: list[dict[str, Any]] = []
        self.note_author: int | None = None
        self.setWindowTitle("People")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # not kept by the window once closed
        self.tabs = QTabBar()
        self.tabs.setAccessibleName("Which people")
        self.tabs.setExpanding(False)
        for title, _role in TABS:
            self.tabs.addTab(title)
        self.tabs.currentChanged.connect(lambda _i: self.reload())
        self.table = record_table(COLUMNS, "Authors", stretch=2, widths=WIDTHS)
        self.table.setItemDelegateForColumn(len(COLUMNS) - 1, SentimentMix(self.table))
        self.table.cellClicked.connect(self._clicked)
        self.table.cellDoubleClicked.connect(lambda row, _column: self.open_author(row))
        self.table.currentCellChanged.connect(lambda row, *_: self._show_author(row))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            key_on(self.table, key, lambda: self.open_author(self.table.currentRow()))
        key_on(self.table, "V", self.toggle_vip)
        self.empty = QLabel()
        self.empty.setObjectName("muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        self.note_title = QLabel("Note")
        self.note_title.setObjectName("heading")
        self.note_title.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note on this author")
        self.note.setPlaceholderText(
            "What you know about this person: who they are, what they need, past contact…"
        )
        self.note_state = QLabel()
        self.note_state.setObjectName("muted")
        self.save_note = dialog_button("Save note", self.store_note)
        QShortcut(QKeySequence.StandardKey.Save, self, self.store_note)
        self.vip_button = dialog_button("★ VIP", self.toggle_vip)
        self.vip_button.setCheckable(True)
        self.vip_button.setToolTip("Add to or take off the VIP list (V); search them with is:vip")
        self.open_button = dialog_button(
            "Show their mentions", lambda: self.open_author(self.table.currentRow())
        )
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        side_layout.addWidget(self.note_title)
        side_layout.addWidget(self.note, 1)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_state, 1)
        note_row.addWidget(self.save_note)
        side_layout.addLayout(note_row)
        self.timeline_title = QLabel("Sentiment over time")
        self.timeline_title.setObjectName("heading")
        self.timeline = SentimentTimeline()
        self.timeline.chosen.connect(self.open_period)
        self.timeline_caption = QLabel()
        self.timeline_caption.setObjectName("muted")
        self.timeline_caption.setWordWrap(True)
        self.timeline_caption.setMinimumHeight(2 * self.timeline_caption.fontMetrics().lineSpacing())
        self.timeline_caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.timeline_caption.setToolTip(TREND_RULE)
        side_layout.addSpacing(8)
        side_layout.addWidget(self.timeline_title)
        side_layout.addWidget(self.timeline)
        side_layout.addWidget(self.timeline_caption)
        actions = QHBoxLayout()
        actions.addWidget(self.vip_button)
        actions.addWidget(self.open_button)
        actions.addStretch()
        side_layout.addLayout(actions)
        splitter = QSplitter()
        splitter.addWidget(self.stack)
        splitter.addWidget(side)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1120, 280])
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Time to first response")
        close = dialog_button("Close", self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        resize_within_screen(self, 1420, 620)
        self.reload()
        self.table.setFocus()

    # ---------------------------------------------------------------- the list

    def role(self) -> str | None:
        return TABS[self.tabs.currentIndex()][1]

    def reload(self, keep: int | None = None) -> None:
        self.store_note()
        counts = self.ws.authors.role_counts()
        for index, (title, role) in enumerate(TABS):
            self.tabs.setTabText(index, f"{title} ({counts[role]:,})" if role else title)
        self.authors = self.ws.authors.top(role=self.role(), limit=LIMIT)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.authors))
        for row, author in enumerate(self.authors):
            self._fill(row, author)
        self.stack.setCurrentIndex(1 if self.authors else 0)
        self.empty.setText(EMPTY[self.role()])
        ids = [a["id"] for a in self.authors]
        if ids:
            self.table.selectRow(ids.index(keep) if keep in ids else 0)
        self._show_author(self.table.currentRow())
        self.summary.setText(response_summary(self.ws, self.query))

    def _fill(self, row: int, author: dict[str, Any]) -> None:
        vip = _item("★" if author["vip"] else "☆")
        vip.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        vip.setToolTip("VIP: click or press V to change")
        if author["vip"]:
            vip.setForeground(QColor("#f5a524"))
        positive, negative = author["positive_count"], author["negative_count"]
        neutral = max(0, author["scored_count"] - positive - negative)
        mix = _item("")
        mix.setData(MIX, (positive, neutral, negative))
        mix.setToolTip(f"{positive} positive · {neutral} neutral · {negative} negative")
        role = author["role"] or ""
        values = (
            vip,
            _name_item(author),
            _item(f"@{author['handle']}"),
            _item(author["platform"]),
            _item(author["mention_count"], align_right=True),
            _item(f"{author['reach']:,}" if author["reach"] else "—", align_right=True),
            _item(author["influence"], align_right=True),
            _item(role),
            _item((author["first_seen"] or "")[:10]),
            _item((author["last_seen"] or "")[:10]),
            mix,
        )
        if role:
            values[7].setForeground(
                QColor(SENTIMENT_COLORS["positive" if role == "advocate" else "negative"])
            )
        for column, item in enumerate(values):
            self.table.setItem(row, column, item)

    def selected(self) -> dict[str, Any] | None:
        row = self.table.currentRow()
        return self.authors[row] if 0 <= row < len(self.authors) else None

    def _clicked(self, row: int, column: int) -> None:
        if column == 0:
            self.toggle_vip()

    def toggle_vip(self) -> None:
        author = self.selected()
        if author is None:
            return
        author_id, vip = author["id"], not author["vip"]
        self.ops.write(
            lambda ws: ws.authors.set_vip(author_id, vip),
            initiator=self,
            success=while_open(self, lambda _changes: self.reload(keep=author_id)),
            failure=warn_failure(self),
        )

    def open_author(self, row: int, *filters: str) -> None:
        if 0 <= row < len(self.authors):
            self.store_note()
            self.author_chosen.emit(" ".join((author_query(self.authors[row]["handle"]), *filters)))

    def open_period(self, index: int) -> None:
        """The selected author's mentions in one bar of their sentiment over time."""
        period = self.timeline.series.periods[index]
        self.open_author(self.table.currentRow(), f"after:{period.start}", f"before:{period.end}")

    # ---------------------------------------------------------------- the selected author

    def _show_author(self, row: int) -> None:
        self.store_note()
        author = self.authors[row] if 0 <= row < len(self.authors) else None
        self._show_timeline(author)
        self.note_author = author["id"] if author else None
        for widget in (self.note, self.save_note, self.vip_button, self.open_button):
            widget.setEnabled(author is not None)
        self.note_title.setText(f"Note on @{author['handle']}" if author else "Note")
        self.note.setPlainText(self.ws.authors.note(author["id"]) if author else "")
        self.note.document().setModified(False)
        self.note_state.setText("")
        self.vip_button.setChecked(bool(author and author["vip"]))

    def _show_timeline(self, author: dict[str, Any] | None) -> None:
        series = self.ws.authors.timeline(author["id"]) if author else SentimentSeries("week", [])
        message = timeline_empty(series) if author else ""
        self.timeline.show_series(series, message)
        self.timeline_caption.setText(timeline_caption(series) if author and not message else "")
        self.timeline_title.setEnabled(author is not None)

    def store_note(self) -> None:
        """Save the note if it changed (on Save, Ctrl+S, another author, or closing)."""
        if self.note_author is None or not self.note.document().isModified():
            return
        author_id, body = self.note_author, self.note.toPlainText()
        self.note.document().setModified(False)
        self.note_state.setText("Saving…")
        self.ops.write(
            lambda ws: ws.authors.set_note(author_id, body),
            initiator=self,
            success=while_open(self, lambda _changes: self._note_saved(author_id)),
            failure=warn_failure(self),
        )

    def done(self, result: int) -> None:
        self.store_note()
        super().done(result)

    def _note_saved(self, author_id: int) -> None:
        for row, author in enumerate(self.authors):
            if author["id"] == author_id:
                author["has_note"] = 1
                self.table.setItem(row, 1, _name_item(author))
        if author_id == self.note_author:
            self.note_state.setText("Saved")
