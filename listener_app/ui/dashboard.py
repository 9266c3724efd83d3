"""The dashboard: what the current search looks like over time and against competitors.
Clicking a day's bar opens the inbox on that day."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QWidget

from listener_app.db import Workspace
from listener_app.db.analytics import intent_mix, share_of_voice, spikes, volume_by_day
from listener_app.ui.theme import SENTIMENT_COLORS

INTENT_COLORS = {
    "question": "#0090ff",
    "complaint": "#e5484d",
    "praise": "#46a758",
    "suggestion": "#8e4ec6",
    "other": "#8b8d98",
}
LAST_DAYS = 45


def _view(chart: QChart) -> QChartView:
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(260)
    return view


class Dashboard(QDialog):
    day_chosen = Signal(str)  # a search for one day

    def __init__(self, ws: Workspace, query: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Dashboard — {query or 'all mentions'}")
        self.query = query
        days = volume_by_day(ws, query)[-LAST_DAYS:]
        self.days = [d["day"] for d in days]
        flagged = set(spikes(days))
        title = QLabel(f"<b>{sum(d['mentions'] for d in days):,}</b> mentions in the last {len(days)} days"
                       + (f" · spikes on {', '.join(sorted(flagged))}" if flagged else ""))  # fmt: skip
        layout = QGridLayout(self)
        layout.addWidget(title, 0, 0, 1, 2)
        layout.addWidget(self._sentiment_by_day(days, flagged), 1, 0, 1, 2)
        layout.addWidget(self._share_of_voice(share_of_voice(ws, query)), 2, 0)
        layout.addWidget(self._intents(intent_mix(ws, query)), 2, 1)
        self.resize(1100, 720)

    def _sentiment_by_day(self, days: list[dict[str, Any]], flagged: set[str]) -> QChartView:
        series = QStackedBarSeries()
        for label in ("negative", "neutral", "positive"):
            bars = QBarSet(label)
            bars.setColor(QColor(SENTIMENT_COLORS[label]))
            bars.append([float(d[label] or 0) for d in days])
            series.append(bars)
        series.clicked.connect(
            lambda index, _bars: self.day_chosen.emit(
                f"after:{self.days[index]} before:{_next_day(self.days[index])}"
            )
        )
        chart = QChart()
        chart.setTitle("Mentions per day by sentiment (click a day to read it)")
        chart.addSeries(series)
        axis = QBarCategoryAxis()
        axis.append([d["day"][5:] + (" ▲" if d["day"] in flagged else "") for d in days])
        axis.setLabelsAngle(-90)
        small = QFont()
        small.setPointSize(7)
        axis.setLabelsFont(small)
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis)
        values = QValueAxis()
        values.setLabelFormat("%d")
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)
        return _view(chart)

    def _share_of_voice(self, rows: list[dict[str, Any]]) -> QChartView:
        series = QBarSeries()
        for label, key in (("mentions", "mentions"), ("positive", "positive"), ("negative", "negative")):
            bars = QBarSet(label)
            bars.setColor(QColor({"mentions": "#3e63dd", **SENTIMENT_COLORS}[key]))
            bars.append([float(r[key] or 0) for r in rows])
            series.append(bars)
        chart = QChart()
        total = sum(r["mentions"] for r in rows) or 1
        chart.setTitle(
            "Share of voice: " + ", ".join(f"{r['name']} {100 * r['mentions'] / total:.0f}%" for r in rows)
        )
        chart.addSeries(series)
        axis = QBarCategoryAxis()
        axis.append([f"{r['name']} ({r['role']})" for r in rows])
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis)
        values = QValueAxis()
        values.setLabelFormat("%d")
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)
        return _view(chart)

    def _intents(self, mix: dict[str, int]) -> QChartView:
        series = QPieSeries()
        for intent, count in sorted(mix.items(), key=lambda kv: -kv[1]):
            slice_ = series.append(f"{intent} {count:,}", count)
            slice_.setColor(QColor(INTENT_COLORS.get(intent, "#b9bbc6")))
            slice_.clicked.connect(lambda i=intent: self.day_chosen.emit(f"{self.query} intent:{i}".strip()))
        series.setHoleSize(0.45)
        chart = QChart()
        chart.setTitle("What people want (click to read them)")
        chart.addSeries(series)
        return _view(chart)


def _next_day(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
