"""Pieces of the dashboard: a titled card that says "computing…" until its chart arrives, a
day-of-week × hour heat grid, ranked bars with labels, and QtCharts set up in our colours. Each
clickable piece reports which cell or bar was chosen; the dashboard turns that into a search."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QChart, QChartView, QPercentBarSeries, QValueAxis
from PySide6.QtCore import QMargins, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QLabel, QStackedLayout, QVBoxLayout, QWidget

from listener_app.domain.query import WEEKDAYS
from listener_app.ui.theme import ACCENT, is_dark


def axis_font(size: int = 8) -> QFont:
    font = QFont()
    font.setPointSize(size)
    return font


class Card(QFrame):
    """A titled panel holding one chart, or "computing…" until its figures arrive."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("heading")
        column.addWidget(heading)
        self.stack = QStackedLayout()
        self.waiting = QLabel("computing…", self)  # parented: a layout not yet set would show it as a window
        self.waiting.setObjectName("muted")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.waiting)
        column.addLayout(self.stack, 1)
        self.setMinimumHeight(300)

    def show_widget(self, widget: QWidget) -> None:
        while self.stack.count() > 1:
            old = self.stack.widget(1)
            self.stack.removeWidget(old)
            old.deleteLater()
        self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)

    def wait(self) -> None:
        self.stack.setCurrentWidget(self.waiting)


class HeatGrid(QWidget):
    """Mentions by day of week and hour (UTC): a 7 × 24 grid; a click opens a cell's mentions."""

    cell_chosen = Signal(str, int)  # (weekday, hour)

    def __init__(self, cells: dict[tuple[str, int], int]) -> None:
        super().__init__()
        self.cells = cells
        self.peak = max(cells.values(), default=0) or 1
        self.setMouseTracking(True)
        self.setMinimumHeight(220)

    def _geometry(self) -> tuple[float, float, float, float]:
        left, top = 44.0, 20.0
        return left, top, (self.width() - left - 8) / 24, (self.height() - top - 8) / 7

    def cell_at(self, x: float, y: float) -> tuple[str, int] | None:
        left, top, w, h = self._geometry()
        column, row = int((x - left) // w), int((y - top) // h)
        if x < left or y < top or not (0 <= column < 24 and 0 <= row < 7):
            return None
        return WEEKDAYS[row], column

    def cell_centre(self, weekday: str, hour: int) -> tuple[int, int]:
        left, top, w, h = self._geometry()
        return int(left + (hour + 0.5) * w), int(top + (WEEKDAYS.index(weekday) + 0.5) * h)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, top, w, h = self._geometry()
        text = self.palette().windowText().color()
        painter.setFont(axis_font(8))
        for hour in range(0, 24, 3):
            painter.setPen(text)
            painter.drawText(
                QRectF(left + hour * w, 0, w * 3, top), Qt.AlignmentFlag.AlignLeft, f"{hour:02d}h"
            )
        for row, day in enumerate(WEEKDAYS):
            painter.setPen(text)
            painter.drawText(
                QRectF(0, top + row * h, left - 6, h), Qt.AlignmentFlag.AlignVCenter, day.title()
            )
            for hour in range(24):
                count = self.cells.get((day, hour), 0)
                colour = QColor(ACCENT)
                colour.setAlphaF(0.06 + 0.94 * count / self.peak if count else 0.03)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRoundedRect(QRectF(left + hour * w + 1, top + row * h + 1, w - 2, h - 2), 3, 3)
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().x(), event.position().y())
        self.setToolTip(
            f"{cell[0].title()} {cell[1]:02d}:00 UTC: {self.cells.get(cell, 0):,} mentions" if cell else ""
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().x(), event.position().y())
        if cell and self.cells.get(cell):
            self.cell_chosen.emit(*cell)


class RankedBars(QWidget):
    """Labelled bars, largest first, in one or more columns; a click opens a bar's mentions."""

    chosen = Signal(int)
    ROW = 24

    def __init__(self, items: list[tuple[str, int]], colour: str, columns: int = 1) -> None:
        super().__init__()
        self.items, self.colour, self.columns = items, QColor(colour), columns
        self.rows = -(-len(items) // columns)
        self.peak = max((n for _label, n in items), default=0) or 1
        self.setMinimumHeight(self.rows * self.ROW + 8)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def item_rect(self, index: int) -> QRectF:
        width = self.width() / self.columns
        column, row = divmod(index, self.rows)
        return QRectF(column * width, 4 + row * self.ROW, width - 12, self.ROW - 4)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().windowText().color()
        for index, (label, count) in enumerate(self.items):
            box = self.item_rect(index)
            name_width = box.width() * 0.42
            track = QRectF(
                box.left() + name_width, box.top() + 3, box.width() - name_width - 52, box.height() - 6
            )
            painter.setPen(text)
            shown = painter.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, int(name_width) - 8)
            painter.drawText(
                QRectF(box.left(), box.top(), name_width - 8, box.height()),
                Qt.AlignmentFlag.AlignVCenter,
                shown,
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.colour)
            painter.drawRoundedRect(
                QRectF(
                    track.left(), track.top(), max(2.0, track.width() * count / self.peak), track.height()
                ),
                3,
                3,
            )
            painter.setPen(text)
            painter.drawText(
                QRectF(track.right() + 6, box.top(), 48, box.height()),
                Qt.AlignmentFlag.AlignVCenter,
                f"{count:,}",
            )
        painter.end()

    def index_at(self, x: float, y: float) -> int | None:
        return next((i for i in range(len(self.items)) if self.item_rect(i).contains(x, y)), None)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().x(), event.position().y())
        self.setToolTip(
            f"{self.items[index][0]}: {self.items[index][1]:,} mentions" if index is not None else ""
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().x(), event.position().y())
        if index is not None:
            self.chosen.emit(index)


def make_chart(title: str = "") -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    if is_dark():
        chart.setTheme(QChart.ChartTheme.ChartThemeDark)
    chart.setBackgroundRoundness(0)
    return chart


def chart_view(chart: QChart) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumWidth(240)
    return view


def thinned(labels: list[str], most: int = 24) -> list[str]:
    """Category labels with only every n-th shown when there are too many to read (the rest
    blank, made distinct with zero-width spaces: a category axis needs unique names)."""
    step = max(1, -(-len(labels) // most))
    return [label if i % step == 0 or "▲" in label else "\u200b" * (i + 1) for i, label in enumerate(labels)]


def add_axes(
    chart: QChart, series: Any, categories: list[str], *, angle: int = 0, labels: bool = True
) -> None:
    """A category axis below (labels hidden when there is no room) and a value axis left."""
    chart.addSeries(series)
    names = QBarCategoryAxis()
    names.append(categories)
    names.setLabelsFont(axis_font(8))
    names.setLabelsVisible(labels)
    if angle:
        names.setLabelsAngle(angle)
    values = QValueAxis()
    values.setLabelFormat("%d")
    values.setLabelsFont(axis_font(8))
    chart.addAxis(names, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(names)
    series.attachAxis(values)
    if not isinstance(series, QPercentBarSeries):
        values.applyNiceNumbers()
