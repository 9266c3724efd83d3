"""The mention list's model: ordered ids from SQLite, rows loaded lazily in small blocks.

The model never holds the whole table: it keeps the ordered ids of the current search (fetched
a page at a time as the view scrolls, via canFetchMore/fetchMore) and a bounded cache of row
data for the rows the view asks about.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from listener_app.workspace import Workspace

COLUMNS = ("When", "", "Author", "Mention", "Sentiment", "Intent", "Status")
PAGE = 500
BLOCK = 100
CACHE_ROWS = 3000
Index = QModelIndex | QPersistentModelIndex


def short_time(stamp: str, now: datetime | None = None) -> str:
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).astimezone()
    now = (now or datetime.now(UTC)).astimezone()
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    if moment.year == now.year:
        return moment.strftime("%d %b")
    return moment.strftime("%d %b %Y")


class InboxModel(QAbstractTableModel):
    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.query = ""
        self.ids: list[int] = []
        self.total: int | None = 0
        self._exhausted = True
        self._cache: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._bold = QFont()
        self._bold.setBold(True)

    # ---------------------------------------------------------------- loading

    def set_query(self, query: str) -> None:
        """Run a search (raises QueryError for a malformed one, leaving the model as it was)."""
        first = self.ws.search(query, limit=PAGE)
        total = None if len(first) == PAGE else len(first)  # counted later, off the GUI thread
        self.beginResetModel()
        self.query = query
        self.ids = first
        self.total = total
        self._exhausted = len(first) < PAGE
        self._cache.clear()
        self.endResetModel()

    def refresh(self, changed: set[int] | None = None) -> None:
        """Re-run the search keeping what can be kept; rows named in `changed` are reloaded."""
        if changed and len(changed) > len(self._cache):
            self._cache.clear()
        elif changed:
            for mention_id in changed:
                self._cache.pop(mention_id, None)
        keep = max(PAGE, len(self.ids))
        ids = self.ws.search(self.query, limit=keep)
        if ids == self.ids:
            if changed and self.ids:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self.ids = ids
        self.total = None if len(ids) == keep else len(ids)
        self._exhausted = len(ids) < keep
        self._cache.clear()
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        more = self.ws.search(self.query, limit=PAGE, offset=len(self.ids))
        if len(more) < PAGE:
            self._exhausted = True
        if more:
            self.beginInsertRows(QModelIndex(), len(self.ids), len(self.ids) + len(more) - 1)
            self.ids.extend(more)
            self.endInsertRows()

    def row_data(self, row: int) -> dict[str, Any] | None:
        if not 0 <= row < len(self.ids):
            return None
        mention_id = self.ids[row]
        record = self._cache.get(mention_id)
        if record is None:
            start = max(0, row - BLOCK // 4)
            block = self.ids[start : start + BLOCK]
            for loaded in self.ws.rows(block):
                self._cache[loaded["id"]] = loaded
            while len(self._cache) > CACHE_ROWS:
                self._cache.popitem(last=False)
            record = self._cache.get(mention_id)
        return record

    # ---------------------------------------------------------------- Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.row_data(index.row())
        if record is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return record["source"]
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return (record.get("title") or "") + "\n" + (record.get("snippet") or "")
        if role == Qt.ItemDataRole.FontRole and not record["read"]:
            return self._bold
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{record.get('author_name') or 'Unknown'}: {self._display(record, 3)}"
        return None

    def _display(self, record: dict[str, Any], column: int) -> str:
        if column == 0:
            return short_time(record["published_at"])
        if column == 1:
            return record["source"]
        if column == 2:
            return record.get("author_name") or "—"
        if column == 3:
            body = " ".join((record.get("snippet") or "").split())
            title = record.get("title")
            return f"{title} — {body}" if title and not body.startswith(title[:20]) else body
        if column == 4:
            return record.get("sentiment") or ""
        if column == 5:
            return record.get("intent") or ""
        return (record.get("status") or "").replace("_", " ")

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def id_at(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_of(self, mention_id: int) -> int | None:
        try:
            return self.ids.index(mention_id)
        except ValueError:
            return None
