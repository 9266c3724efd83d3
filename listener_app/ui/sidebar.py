"""The left sidebar: triage views with live counts, saved views, tags, trackers and sources.
Each entry stands for a search; choosing one shows it in the list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHeaderView, QMenu, QTreeWidget, QTreeWidgetItem

from listener_app.ui.operations import Operations
from listener_app.workspace import Workspace

QUERY_ROLE = Qt.ItemDataRole.UserRole + 10
VIEW_ROLE = Qt.ItemDataRole.UserRole + 11  # a saved view's id
TAG_ROLE = Qt.ItemDataRole.UserRole + 12  # a tag's id
TRIAGE = (
    ("New", "status:new", "new"),
    ("Needs response", "status:needs_response", "needs_response"),
    ("Monitoring", "status:monitoring", "monitoring"),
    ("Responded", "status:responded", "responded"),
    ("Done", "status:done", "done"),
    ("Starred", "is:starred", "starred"),
    ("All mentions", "", "all"),
    ("Ask me", "is:asked sort:asked", "asked"),  # what your labels would teach the models most
)


def _dot(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


class Sidebar(QTreeWidget):
    query_chosen = Signal(str, str)  # (query, title)
    tags_requested = Signal()  # the tag settings (Edit → Tags…)
    view_deleted = Signal(dict)  # the saved view just deleted (name, query, notify): for Undo

    def __init__(self, ws: Workspace, ops: Operations) -> None:
        super().__init__()
        self.ws = ws
        self.ops = ops
        self.setObjectName("sidebar")
        self.setHeaderHidden(True)
        self.setColumnCount(2)
        self.setIndentation(10)
        self.setRootIsDecorated(False)
        self.setMinimumWidth(210)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setAccessibleName("Views, tags, trackers and sources")
        self._pending_view: int | None = None
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)
        self.show_data(ws.sidebar(counts=False))  # names at once; counts a moment later
        self.reload()

    def _section(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self, [title.upper(), ""])
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.8)
        item.setFont(0, font)
        item.setForeground(0, QBrush(QColor("#8b8d98")))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setExpanded(True)
        return item

    def _entry(
        self, parent: QTreeWidgetItem, title: str, query: str, count: int | None, icon: QIcon | None = None
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [title, f"{count:,}" if count is not None else ""])
        item.setData(0, QUERY_ROLE, query)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setForeground(1, QBrush(QColor("#8b8d98")))
        if icon is not None:
            item.setIcon(0, icon)
        return item

    def reload(self) -> None:
        """Ask for fresh counts; they arrive on `show_data` from the reader thread."""
        self.ops.read("sidebar", lambda ws: ws.sidebar(), self.show_data)

    def show_data(self, data: dict[str, Any]) -> None:
        current = self.currentItem()
        selected = current.data(0, QUERY_ROLE) if current else "status:new"
        if current is not None and current.data(0, VIEW_ROLE) is not None and self._pending_view is None:
            self._pending_view = current.data(0, VIEW_ROLE)  # the same view stays chosen
        self.clear()
        counts = data["counts"]
        inbox = self._section("Inbox")
        for title, query, key in TRIAGE:
            self._entry(inbox, title, query, counts.get(key))
        if data["views"]:
            section = self._section("Saved views")
            for view in data["views"]:
                title = view["name"] + (" (alerts)" if view["notify"] else "")
                self._entry(section, title, view["query"], view.get("count")).setData(
                    0, VIEW_ROLE, view["id"]
                )
        if data["tags"]:
            section = self._section("Tags")
            for tag in data["tags"]:
                name = f'"{tag["name"]}"' if " " in tag["name"] else tag["name"]
                label = tag["name"] + (f"  ·{tag['shortcut']}" if tag["shortcut"] else "")
                self._entry(section, label, f"tag:{name}", tag["count"], _dot(tag["color"])).setData(
                    0, TAG_ROLE, tag["id"]
                )
        if data["trackers"]:
            section = self._section("Trackers")
            for tracker in data["trackers"]:
                name = f'"{tracker["name"]}"' if " " in tracker["name"] else tracker["name"]
                self._entry(
                    section, f"{tracker['name']} ({tracker['role']})", f"tracker:{name}", tracker["count"]
                )
        if data["sources"]:
            section = self._section("Sources")
            for source, count in data["sources"]:
                self._entry(section, source, f"source:{source}", count)
        if not self._select_pending():
            self.select_query(selected)

    def select_view(self, view_id: int | None) -> None:
        """Select a saved view by id, now or when the list that has it arrives (just saved)."""
        self._pending_view = view_id
        if self._select_pending():
            return
        self.reload()

    def _select_pending(self) -> bool:
        view_id = self._pending_view
        for item in self._entries():
            if view_id is not None and item.data(0, VIEW_ROLE) == view_id:
                self.setCurrentItem(item)
                self._pending_view = None
                return True
        return False

    def _entries(self) -> list[QTreeWidgetItem]:
        return [
            self.topLevelItem(i).child(j)
            for i in range(self.topLevelItemCount())
            for j in range(self.topLevelItem(i).childCount())
        ]

    def select_query(self, query: str | None) -> None:
        current = self.currentItem()
        if current is not None and current.data(0, QUERY_ROLE) == query:
            return  # a saved view with the same search as a triage entry stays the one chosen
        for child in self._entries():
            if child.data(0, QUERY_ROLE) == query:
                self.setCurrentItem(child)
                return
        self.setCurrentItem(None)

    def _clicked(self, item: QTreeWidgetItem) -> None:
        query = item.data(0, QUERY_ROLE)
        if query is not None:
            self.query_chosen.emit(query, item.text(0))

    def contextMenuEvent(self, event: Any) -> None:
        item = self.itemAt(event.pos())
        if item is None:
            return
        menu = QMenu(self)
        view_id, tag_id = item.data(0, VIEW_ROLE), item.data(0, TAG_ROLE)
        if view_id is not None:
            menu.addAction("Delete view", lambda: self.delete_view(view_id))
        elif tag_id is not None:
            menu.addAction("Tag settings…", self.tags_requested.emit)
        if not menu.isEmpty():
            menu.exec(event.globalPos())

    def keyPressEvent(self, event: Any) -> None:
        item = self.currentItem()
        if event.key() == Qt.Key.Key_Delete and item is not None and item.data(0, VIEW_ROLE) is not None:
            self.delete_view(item.data(0, VIEW_ROLE))
            return
        super().keyPressEvent(event)

    def delete_view(self, view_id: int) -> None:
        """A saved view is a search with a name: deleting it deletes no mention (undo: save it again)."""
        view = next((v for v in self.ws.views.list() if v["id"] == view_id), None)
        self.ops.write(
            lambda ws: ws.views.delete(view_id),
            initiator=self,
            success=lambda _changes: view is not None and self.view_deleted.emit(view),
        )
