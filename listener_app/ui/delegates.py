"""Painting list rows: source glyphs, the snippet with matches highlighted and tag chips, and
coloured dots for sentiment and status."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from listener_app.ui.theme import SENTIMENT_COLORS, STATUS_COLORS

SOURCE_GLYPHS = {
    "mastodon": ("M", "#6364ff"), "reddit": ("R", "#ff4500"), "hackernews": ("Y", "#ff6600"),
    "rss": ("F", "#f59e0b"), "appstore": ("A", "#0a84ff"), "bluesky": ("B", "#1185fe"),
    "youtube": ("▶", "#ff0033"), "stackexchange": ("S", "#f48024"), "github": ("G", "#6e7781"),
    "twitter": ("X", "#1c2024"), "facebook": ("f", "#1877f2"), "instagram": ("I", "#d6249f"),
}  # fmt: skip


class MentionDelegate(QStyledItemDelegate):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.tags: dict[int, dict[str, Any]] = {}
        self.terms: list[str] = []
        self.lines = 1  # lines of the mention per row (the table sets it from its height)
        self._pattern: re.Pattern[str] | None = None

    def set_terms(self, terms: list[str]) -> None:
        words = [re.escape(t.rstrip("*")) for t in terms if t.strip()]
        self._pattern = re.compile("(" + "|".join(words) + ")", re.IGNORECASE) if words else None

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), 30))

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        model = index.model()
        record = model.row_data(index.row()) if hasattr(model, "row_data") else None
        column = index.column()
        if record is None or column not in (1, 3, 4, 6):
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        color = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(6, 0, -6, 0)
        if column == 1:
            self._source(painter, rect, record["source"], option.font)
        elif column in (4, 6):
            key = record.get("sentiment") if column == 4 else record.get("status")
            dot = (SENTIMENT_COLORS if column == 4 else STATUS_COLORS).get(key or "", "#b9bbc6")
            painter.setBrush(QColor(dot))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(rect.left(), rect.center().y() - 4, 8, 8)
            painter.setPen(color)
            painter.setFont(option.font)
            suffix = "" if column == 6 or record.get("sentiment_origin") != "manual" else " ✎"
            painter.drawText(rect.adjusted(14, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, text + suffix)
        else:
            self._snippet(painter, rect, record, text, option.font, color, selected)
        painter.restore()

    def _source(self, painter: QPainter, rect: QRect, source: str, font: QFont) -> None:
        glyph, tint = SOURCE_GLYPHS.get(source, (source[:1].upper(), "#8b8d98"))
        box = QRect(rect.left() - 2, rect.center().y() - 9, 18, 18)
        painter.setBrush(QColor(tint))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(box, 5, 5)
        bold = QFont(font)
        bold.setBold(True)
        bold.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        painter.setFont(bold)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, glyph)

    def _snippet(
        self,
        painter: QPainter,
        rect: QRect,
        record: dict[str, Any],
        text: str,
        font: QFont,
        color: QColor,
        selected: bool,
    ) -> None:
        """The mention on one or two lines (`lines`) centred in the row, tag chips at the end of
        the first line: as many as fit in 40 % of the column, never over the columns beside it."""
        painter.setClipRect(rect.adjusted(-6, 0, 6, 0))
        metrics = QFontMetrics(font)
        height = metrics.lineSpacing()
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        chips = self._fitting_chips(record, QFontMetrics(small), budget=int(rect.width() * 0.4))
        right = rect.right() - sum(width + 4 for _tag, width in chips)
        prefix = ("★ " if record.get("starred") else "") + ("✎ " if record.get("has_note") else "")
        widths = [max(0, right - rect.left() - 6)] + [rect.width()] * (self.lines - 1)
        lines = wrapped(prefix + text, metrics, widths)
        top = rect.center().y() - (height * max(1, len(lines))) // 2
        x = rect.right()
        painter.setFont(small)
        for tag, width in chips:
            chip = QRect(x - width, top + height // 2 - 9, width, 18)
            painter.setBrush(QColor(tag["color"]))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(chip, 9, 9)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, tag["name"])
            x = chip.left() - 4
        painter.setFont(font)
        for n, line in enumerate(lines):
            area = QRect(rect.left(), top + n * height, widths[n], height)
            self._line(painter, area, line, metrics, color, selected)

    def _fitting_chips(
        self, record: dict[str, Any], metrics: QFontMetrics, budget: int
    ) -> list[tuple[dict[str, Any], int]]:
        """The mention's tags (up to four, right to left) whose chips fit in `budget` pixels."""
        fitting: list[tuple[dict[str, Any], int]] = []
        used = 0
        for tag in reversed([self.tags[t] for t in record.get("tag_ids", []) if t in self.tags][:4]):
            width = metrics.horizontalAdvance(tag["name"]) + 12
            if used + width > budget:
                break
            fitting.append((tag, width))
            used += width + 4
        return fitting

    def _line(
        self, painter: QPainter, area: QRect, shown: str, metrics: QFontMetrics, color: QColor, selected: bool
    ) -> None:
        """One line of text with the search's terms highlighted."""
        x = area.left()
        for part in self._pattern.split(shown) if self._pattern else [shown]:
            if not part:
                continue
            width = metrics.horizontalAdvance(part)
            if self._pattern and self._pattern.fullmatch(part):
                painter.fillRect(
                    QRect(x - 1, area.top(), width + 2, area.height()),
                    QColor("#ffe629" if not selected else "#ffd60a"),
                )
                painter.setPen(QColor("#1c2024"))
            else:
                painter.setPen(color)
            painter.drawText(
                QRect(x, area.top(), width + 1, area.height()), Qt.AlignmentFlag.AlignVCenter, part
            )
            x += width


def wrapped(text: str, metrics: QFontMetrics, widths: list[int]) -> list[str]:
    """`text` broken at spaces into at most len(widths) lines of those widths, the last one
    elided; a word longer than a line is cut."""
    lines: list[str] = []
    rest = text
    for n, width in enumerate(widths):
        if not rest:
            break
        if n == len(widths) - 1 or metrics.horizontalAdvance(rest) <= width:
            lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
            break
        words, line = rest.split(" "), ""
        taken = 0
        for taken, word in enumerate(words):  # noqa: B007 - `taken` is read after the loop
            candidate = f"{line} {word}" if line else word
            if metrics.horizontalAdvance(candidate) > width:
                break
            line = candidate
        else:
            taken = len(words)
        if not line:  # one word wider than the line
            cut = len(words[0])
            while cut > 1 and metrics.horizontalAdvance(words[0][:cut]) > width:
                cut -= 1
            line, rest = words[0][:cut], rest[cut:]
        else:
            rest = " ".join(words[taken:])
        lines.append(line)
    return lines
