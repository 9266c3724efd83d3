"""An author's sentiment over time, drawn small: stacked bars per week or month under the
note in the People dialog, with a caption that names a trend when there clearly is one."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from listener_app.domain.people import SENTIMENTS, TREND_MIN_SCORED, TREND_SHIFT, SentimentSeries
from listener_app.ui.chart_widgets import axis_font
from listener_app.ui.theme import SENTIMENT_COLORS, UNSCORED_COLOR

TREND_RULE = (
    "A trend is named when the later half of the bars is clearly more negative or positive than the "
    f"earlier half: each half has at least {TREND_MIN_SCORED} mentions with a sentiment, and the net "
    "sentiment (positive minus negative, as a share of those) moved between them by "
    f"{TREND_SHIFT * 100:.0f} points or more."
)
TIMELINE_COLORS = {**SENTIMENT_COLORS, "unscored": UNSCORED_COLOR}


def day_text(day: str) -> str:
    """'3 Mar 2026' from an ISO date or timestamp."""
    moment = date.fromisoformat(day[:10])
    return f"{moment.day} {moment:%b %Y}"


def period_text(start: str, unit: str) -> str:
    """A period by its first day: 'Mar 2026' for a month, '2 Mar 2026' for a week."""
    return f"{date.fromisoformat(start):%b %Y}" if unit == "month" else day_text(start)


def timeline_empty(series: SentimentSeries) -> str:
    """Why an author's sentiment over time is not worth a chart ('' when it is)."""
    if series.total <= 1:
        if not series.total:
            return "No mentions yet."
        return f"One mention so far ({day_text(series.first_seen or '')}): nothing to chart yet."
    if not series.scored:
        return f"None of their {series.total:,} mentions has a sentiment yet."
    return ""


def timeline_caption(series: SentimentSeries) -> str:
    """'12 mentions since 3 Mar 2026 · by week · trending more negative' (the trend when there is one)."""
    parts = [f"{series.total:,} mentions since {day_text(series.first_seen or '')}", f"by {series.unit}"]
    trend = series.trend()
    if trend:
        parts.append(f"trending {trend}")
    return " · ".join(parts)


class SentimentTimeline(QWidget):
    """An author's mentions per week or month as stacked bars (negative at the bottom, then
    neutral, positive and unscored), the first and last period named below. Each bar has a
    tooltip and a click on it asks for its mentions; with a message instead, it says why there
    is nothing to chart."""

    chosen = Signal(int)  # the index of the period clicked
    AXIS = 16  # the strip under the bars for their dates
    BAR = 18  # the widest a bar gets (a few periods would otherwise be slabs)

    def __init__(self) -> None:
        super().__init__()
        self.series = SentimentSeries("week", [])
        self.message = ""
        self.peak = 1
        self.setMouseTracking(True)
        self.setFixedHeight(96)
        self.setAccessibleName("Sentiment over time")

    def show_series(self, series: SentimentSeries, message: str = "") -> None:
        self.series, self.message = series, message
        self.peak = max((p.total for p in series.periods), default=0) or 1
        self.setToolTip("")
        self.setAccessibleDescription(message)
        self.update()

    def bar_count(self) -> int:
        return 0 if self.message else len(self.series.periods)

    def slot(self, index: int) -> QRectF:
        """The column bar `index` stands in (its tooltip answers anywhere in it, however short the bar)."""
        width = self.width() / max(1, self.bar_count())
        return QRectF(index * width, 0, width, self.height() - self.AXIS)

    def index_at(self, x: float, y: float) -> int | None:
        index = int(x // self.slot(0).width()) if x >= 0 else -1
        return index if 0 <= index < self.bar_count() and self.slot(index).contains(x, y) else None

    def tip(self, index: int) -> str:
        period = self.series.periods[index]
        when = period_text(period.start, self.series.unit)
        when = when if self.series.unit == "month" else f"Week of {when}"
        if not period.total:
            return f"{when}: no mentions"
        counts = " · ".join(f"{period.counts[s]:,} {s}" for s in SENTIMENTS if period.counts[s])
        plural = "s" if period.total > 1 else ""
        return f"{when}: {period.total:,} mention{plural} ({counts})\nClick to show them"

    def bar(self, index: int) -> QRectF:
        """Where bar `index` is drawn: centred in its column, at most BAR wide, as tall as its total."""
        box = self.slot(index)
        width = min(self.BAR, box.width() * 0.75)
        height = (box.height() - 4) * self.series.periods[index].total / self.peak
        return QRectF(box.center().x() - width / 2, box.bottom() - height, width, height)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().placeholderText().color())
        if self.message:
            painter.drawText(
                self.rect().adjusted(4, 0, -4, 0),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.message,
            )
        if not self.bar_count():
            painter.end()
            return
        for index, period in enumerate(self.series.periods):
            bar = self.bar(index)
            top = bar.bottom()
            for sentiment in SENTIMENTS:  # stacked upwards, each part in proportion to its count
                height = bar.height() * period.counts[sentiment] / (period.total or 1)
                if height:
                    top -= height
                    painter.fillRect(
                        QRectF(bar.left(), top, bar.width(), height), QColor(TIMELINE_COLORS[sentiment])
                    )
        base = self.height() - self.AXIS
        painter.drawLine(0, base, self.width(), base)
        painter.setFont(axis_font(8))
        first, last = self.bar(0).left(), self.bar(self.bar_count() - 1).right()
        below = QRectF(first, base + 2, last - first, self.AXIS - 2)
        labels = [
            period_text(p.start, self.series.unit) for p in (self.series.periods[0], self.series.periods[-1])
        ]
        painter.drawText(below, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, labels[0])
        if self.bar_count() > 1 and painter.fontMetrics().horizontalAdvance(" ".join(labels)) < below.width():
            painter.drawText(below, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, labels[1])
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().x(), event.position().y())
        self.setToolTip(self.tip(index) if index is not None else "")
        self.setCursor(
            Qt.CursorShape.PointingHandCursor
            if index is not None and self.series.periods[index].total
            else Qt.CursorShape.ArrowCursor
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().x(), event.position().y())
        if index is not None and self.series.periods[index].total:
            self.chosen.emit(index)
