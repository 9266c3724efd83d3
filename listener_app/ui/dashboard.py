"""The dashboard tab: what the current search looks like over a period. Counts are computed on
background readers (the workspace's analytics) and each chart appears when its figures arrive; clicking a bar,
slice, cell, author or term asks the window to open exactly those mentions in the inbox."""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from PySide6.QtCharts import (
    QBarSeries,
    QBarSet,
    QChartView,
    QPercentBarSeries,
    QPieSeries,
    QStackedBarSeries,
)
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor, QCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from listener_app.domain.dates import next_day, week_of
from listener_app.domain.query import QueryError, customers_only, quoted, within
from listener_app.reports.period import data_span, is_recent
from listener_app.ui.chart_widgets import (
    Card,
    HeatGrid,
    RankedBars,
    add_axes,
    chart_view,
    make_chart,
    thinned,
)
from listener_app.ui.operations import Reader
from listener_app.ui.theme import ACCENT, SENTIMENT_COLORS, UNSCORED_COLOR
from listener_app.workspace import Workspace

INTENT_COLORS = {
    "question": "#0090ff",
    "complaint": "#e5484d",
    "praise": "#46a758",
    "suggestion": "#8e4ec6",
    "other": "#8b8d98",
    "unscored": UNSCORED_COLOR,
}
SERIES_COLORS = ("#3e63dd", "#12a594", "#f76b15", "#8e4ec6", "#d6409f", "#ffc53d", "#0090ff", "#8b8d98")
CUSTOM = "Custom range…"
PERIODS = {"All time": None, "Last 7 days": 7, "Last 30 days": 30, "Last 90 days": 90, CUSTOM: None}
SENTIMENTS = ("negative", "neutral", "positive")


# Which cards each background count draws.
PARTS = {
    "hourly": ("volume", "sentiment", "intent", "activity"),
    "trackers": ("voice",),
    "authors": ("authors", "advocates"),
    "terms": ("terms",),
    "phrases": ("phrases",),
}


# Which reader computes each count: the time-based counts and the authors (quick) on one, the
# trackers (a join) on another, the terms and phrases (postings within the same search's ids,
# read once for both) on the third.
READER_OF = {"hourly": 0, "authors": 0, "trackers": 1, "terms": 2, "phrases": 2}


@dataclass
class Failure:
    message: str


def _attempt(job: Callable[[Workspace], Any], ws: Workspace) -> Any:
    """A count's result, or what went wrong (a card says so rather than wait for ever)."""
    try:
        return job(ws)
    except Exception as exc:  # a bug or a damaged file: shown on the cards, the rest still draws
        traceback.print_exc()
        return Failure(str(exc))


def _note(text: str) -> QLabel:
    """A card's message in place of a chart."""
    label = QLabel(text)
    label.setObjectName("muted")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def _short(day: str) -> str:
    return date.fromisoformat(day).strftime("%d %b").lstrip("0")


class DashboardTab(QWidget):
    """Follows the inbox's search (set_query) within a chosen period; computes only while shown."""

    search_requested = Signal(str)  # the search that finds what was clicked

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        # Readers on their own threads and connections, so the slow counts run side by side.
        self.readers = [Reader(ws.path, self, mapped=True) for _ in set(READER_OF.values())]
        self.query = ""
        self.scope = ""
        self._generation = 0
        self._stale = True
        self.results: dict[str, Any] = {}
        self.summary = QLabel()
        self.summary.setObjectName("heading")
        self.summary.setWordWrap(True)
        self.first_day, self.last_day = QDateEdit(), QDateEdit()
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.hide()
            edit.dateChanged.connect(self._options_changed)
        self.span: tuple[date, date] | None = None  # the first and last day of the search's data
        self.period = self._combo(list(PERIODS))
        self.bucket = self._combo(["By day", "By week"])
        self.bucket.setCurrentIndex(1)
        self.split = self._combo(["Split by source", "Split by tracker"])
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        for widget in (self.period, self.first_day, self.last_day, self.bucket, self.split):
            bar.addWidget(widget)
        self.cards = {
            key: Card(title)
            for key, title in (
                ("volume", "Volume over time (click a bar to read those mentions)"),
                ("sentiment", "Sentiment trend"),
                ("voice", "Share of voice"),
                ("intent", "What people want"),
                ("activity", "When they post (UTC)"),
                ("terms", "Top terms (stop words and brand names left out)"),
                ("phrases", "Top phrases (click one to read it in context)"),
                ("authors", "Top authors"),
                ("advocates", "Advocates (most positive mentions)"),
            )
        }
        grid = QGridLayout()
        grid.setSpacing(12)
        grid.addWidget(self.cards["volume"], 0, 0, 1, 2)
        for index, key in enumerate(("sentiment", "voice", "intent", "activity", "authors", "advocates")):
            grid.addWidget(self.cards[key], 1 + index // 2, index % 2)
        grid.addWidget(self.cards["terms"], 4, 0, 1, 2)
        grid.addWidget(self.cards["phrases"], 5, 0, 1, 2)
        body = QWidget()
        column = QVBoxLayout(body)
        column.addLayout(bar)
        column.addLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _combo(self, items: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.addItems(items)
        combo.currentIndexChanged.connect(self._options_changed)
        return combo

    # ---------------------------------------------------------------- computing

    def set_query(self, query: str) -> None:
        """A new search, or the same one after a change: counted again now if shown, else when
        the tab is next shown."""
        self.query = query
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _options_changed(self) -> None:
        custom = self.period.currentText() == CUSTOM
        if custom and not self.first_day.isVisible() and self.span is not None:
            self._set_range(*self.span)  # a custom range starts as the span of the data
        for edit in (self.first_day, self.last_day):
            edit.setVisible(custom)
        counts = self.results.get("hourly")
        if counts and counts.total and self._period_key() == self.results.get("period"):
            self._draw_time_charts()  # day/week or source/tracker: no new counts needed
            return
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Ask the reader for every figure of the current search and period."""
        self._stale = False
        self._generation += 1
        try:
            self.span = data_span(self.ws, self.query)
        except QueryError:
            self.span = None
        self.scope = within(self.query, *self._period_filters())
        if self.ws.count("is:ours"):  # the charts leave the brand's own posts out: so does a click
            with contextlib.suppress(QueryError):  # a malformed search shows its error on every card
                self.scope = customers_only(self.scope)
        self.results = {"period": self._period_key()}
        self.summary.setText(f"{self.query or 'All mentions'} · {self.period_label()} · computing…")
        for card in self.cards.values():
            card.wait()
        scope, generation = self.scope, self._generation
        jobs: dict[str, Callable[[Workspace], Any]] = {
            "terms": lambda ws: ws.analytics.top_terms(scope),
            "phrases": lambda ws: ws.analytics.top_phrases(scope),
            "authors": lambda ws: ws.analytics.scoped_authors(scope),
            "trackers": lambda ws: ws.analytics.tracker_days(scope),
            "hourly": lambda ws: ws.analytics.hourly(scope),
        }
        for kind, job in jobs.items():  # a reader takes its newest request first: hourly
            reader = self.readers[READER_OF[kind]]
            reader.request(
                f"dashboard.{kind}", lambda ws, k=kind, j=job: (generation, k, _attempt(j, ws)), self._arrived
            )

    # ---------------------------------------------------------------- the period

    def _period_key(self) -> str:
        return f"{self.period.currentText()} {self._period_filters()}"

    def _days_window(self) -> tuple[date, date] | None:
        """(first day, day after the last) of a "Last N days" period: the calendar's while the
        data is recent, else the last N days of the data (an export from 2015 has nothing in
        this week)."""
        days = PERIODS[self.period.currentText()]
        if not days:
            return None
        today = datetime.now(UTC).date()
        end = (
            today + timedelta(days=1)
            if is_recent(self.span, today, days)
            else self.span[1] + timedelta(days=1)
        )  # type: ignore[index]
        return end - timedelta(days=days), end

    def _period_filters(self) -> tuple[str, ...]:
        if self.period.currentText() == CUSTOM:
            first, last = (
                date.fromisoformat(e.date().toString("yyyy-MM-dd")) for e in (self.first_day, self.last_day)
            )
            return f"after:{first.isoformat()}", f"before:{(last + timedelta(days=1)).isoformat()}"
        window = self._days_window()
        return (f"after:{window[0].isoformat()}", f"before:{window[1].isoformat()}") if window else ()

    def period_label(self) -> str:
        """The period in words, with its dates when they are not the calendar's obvious ones."""
        text = self.period.currentText()
        if text == CUSTOM:
            first, last = self.first_day.date(), self.last_day.date()
            return f"{first.toString('d MMM yyyy')} – {last.toString('d MMM yyyy')}"
        window = self._days_window()
        if window and not is_recent(self.span, datetime.now(UTC).date(), PERIODS[text] or 0):
            return f"{text.lower()} of the data (to {(window[1] - timedelta(days=1)).strftime('%d %b %Y').lstrip('0')})"
        if text == "All time" and self.span:
            first, last = (d.strftime("%d %b %Y").lstrip("0") for d in self.span)
            return f"all time ({first} – {last})"
        return text.lower()

    def _set_range(self, first: date, last: date) -> None:
        for edit, day in ((self.first_day, first), (self.last_day, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def stop(self) -> None:
        for reader in self.readers:
            reader.stop()

    def _arrived(self, result: tuple[int, str, Any]) -> None:
        if result[0] != self._generation:
            return
        _generation, part, value = result
        if isinstance(value, Failure):
            for key in PARTS[part]:
                self.cards[key].show_widget(_note(f"Could not count this: {value.message}"))
            return
        self.results[part] = value
        if part == "hourly" and not value.total:
            self._draw_summary()
            for key in PARTS["hourly"]:
                self.cards[key].show_widget(_note("No mentions in this search and period."))
        elif part == "hourly":
            self._draw_summary()
            self._draw_time_charts()
            self.cards["intent"].show_widget(self._intents(self.ws.analytics.intent_mix(counts=value)))
            grid = HeatGrid(value.grid())
            grid.cell_chosen.connect(lambda day, hour: self._open(f"weekday:{day}", f"time:{hour:02d}h"))
            self.cards["activity"].show_widget(grid)
        elif part == "trackers":
            self.cards["voice"].show_widget(
                self._share_of_voice(self.ws.analytics.share_of_voice(days=value))
            )
            if self.results.get("hourly") and self.results["hourly"].total:
                self._draw_time_charts()
        elif part == "authors":
            for key, colour in (("top", ACCENT), ("advocates", SENTIMENT_COLORS["positive"])):
                self.cards["authors" if key == "top" else "advocates"].show_widget(
                    self._authors(value[key], key, colour)
                )
        elif part == "terms":
            self.cards["terms"].show_widget(self._terms(value))
        elif part == "phrases":
            self.cards["phrases"].show_widget(self._phrases(value))

    @property
    def ready(self) -> bool:
        return all(k in self.results for k in PARTS)

    def _open(self, *filters: str) -> None:
        self.search_requested.emit(within(self.scope, *filters))

    # ---------------------------------------------------------------- charts

    def _draw_summary(self) -> None:
        counts = self.results["hourly"]
        total = counts.total or 1
        sentiments = counts.by(1)
        flagged = self.ws.analytics.spikes(self.ws.analytics.volume_by_day(counts=counts))
        self.results["spikes"] = flagged
        text = (
            f"{counts.total:,} mentions · {100 * sentiments['positive'] / total:.0f}% positive · "
            f"{100 * sentiments['negative'] / total:.0f}% negative"
        )
        if flagged:
            text += f" · ▲ {len(flagged)} spike{'s' if len(flagged) > 1 else ''}, latest {flagged[-1]}"
        self.summary.setText(f"{self.query or 'All mentions'} · {self.period_label()} — {text}")

    def buckets(self) -> list[tuple[str, str, str]]:
        """(label, after:, before:) for each day or week that has mentions."""
        days = list(self.results["hourly"].by_day())
        if self.bucket.currentIndex() == 0:
            flagged = set(self.results.get("spikes", ()))
            return [(_short(d) + (" ▲" if d in flagged else ""), d, next_day(d)) for d in days]
        weeks = sorted({week_of(d) for d in days})
        return [(_short(w), w, next_day(w, 7)) for w in weeks]

    def _bucket_of(self, day: str) -> str:
        return day if self.bucket.currentIndex() == 0 else week_of(day)

    def _draw_time_charts(self) -> None:
        buckets = self.buckets()
        index = {start: i for i, (_label, start, _end) in enumerate(buckets)}
        by_tracker = self.split.currentIndex() == 1
        if by_tracker and "trackers" not in self.results:
            self.cards["volume"].wait()
        else:
            series: dict[str, list[float]] = {}
            if by_tracker:
                for row in self.results["trackers"]:
                    series.setdefault(row["name"], [0.0] * len(buckets))[
                        index[self._bucket_of(row["day"])]
                    ] += row["mentions"]
            else:
                for day, counts in self.results["hourly"].by_day(2).items():
                    for source, n in counts.items():
                        series.setdefault(source, [0.0] * len(buckets))[index[self._bucket_of(day)]] += n
            key = "tracker" if by_tracker else "source"
            colours = {name: SERIES_COLORS[i % len(SERIES_COLORS)] for i, name in enumerate(sorted(series))}
            self.cards["volume"].show_widget(
                self._stacked(
                    QStackedBarSeries(),
                    buckets,
                    {n: (colours[n], v) for n, v in series.items()},
                    lambda name: f"{key}:{quoted(name)}",
                    labels=24,
                )
            )
        trend: dict[str, list[float]] = {s: [0.0] * len(buckets) for s in SENTIMENTS}
        for day, counts in self.results["hourly"].by_day(1).items():
            for sentiment in SENTIMENTS:
                trend[sentiment][index[self._bucket_of(day)]] += counts[sentiment]
        self.cards["sentiment"].show_widget(
            self._stacked(
                QPercentBarSeries(),
                buckets,
                {s: (SENTIMENT_COLORS[s], trend[s]) for s in SENTIMENTS},
                lambda s: f"sentiment:{s}",
                labels=9,
            )
        )

    def _stacked(
        self,
        series: Any,
        buckets: list[tuple[str, str, str]],
        sets: dict[str, tuple[str, list[float]]],
        filter_for: Callable[[str], str],
        *,
        labels: int,
    ) -> QChartView:
        """Bars per day or week, one set per name; at most `labels` dates are written under them."""
        for name, (colour, values) in sets.items():
            bars = QBarSet(name)
            bars.setColor(QColor(colour))
            bars.setBorderColor(QColor(colour))
            bars.append(values)
            bars.hovered.connect(
                lambda over, i, n=name, v=values: (
                    over
                    and QToolTip.showText(
                        QCursor.pos(), f"{buckets[i][0].removesuffix(' ▲')} · {n}: {int(v[i]):,}"
                    )
                )
            )
            bars.clicked.connect(
                lambda i, n=name: self._open(
                    f"after:{buckets[i][1]}", f"before:{buckets[i][2]}", filter_for(n)
                )
            )
            series.append(bars)
        series.setBarWidth(0.85)
        chart = make_chart()
        if labels >= 20:  # a full-width chart: dates on their side, every n-th one
            add_axes(
                chart, series, thinned([b[0] for b in buckets], labels), angle=-90 if len(buckets) > 10 else 0
            )
        else:  # a narrow one: dates only when they fit (the chart above has them)
            add_axes(chart, series, [b[0] for b in buckets], labels=len(buckets) <= labels)
        view = chart_view(chart)
        view.setMinimumHeight(320)
        return view

    def _share_of_voice(self, rows: list[dict[str, Any]]) -> QWidget:
        if not rows:
            return _note("No brand or competitor trackers matched this search.")
        total = sum(r["mentions"] for r in rows) or 1
        series = QBarSeries()
        for label, colour, extra in (("mentions", ACCENT, ""), ("positive", SENTIMENT_COLORS["positive"], "sentiment:positive"),
                                     ("negative", SENTIMENT_COLORS["negative"], "sentiment:negative")):  # fmt: skip
            bars = QBarSet(label)
            bars.setColor(QColor(colour))
            bars.append([float(r[label]) for r in rows])
            bars.clicked.connect(lambda i, x=extra: self._open(f"tracker:{quoted(rows[i]['name'])}", x))
            series.append(bars)
        chart = make_chart()
        add_axes(chart, series, [f"{r['name']} {100 * r['mentions'] / total:.0f}%" for r in rows])
        return chart_view(chart)

    def _intents(self, mix: dict[str, int]) -> QChartView:
        series = QPieSeries()
        total = sum(mix.values()) or 1
        for intent, count in sorted(mix.items(), key=lambda kv: -kv[1]):
            part = series.append(f"{intent} {100 * count / total:.0f}%", count)
            part.setColor(QColor(INTENT_COLORS.get(intent, "#b9bbc6")))
            part.setBorderColor(QColor("#ffffff"))
            if intent != "unscored":
                part.clicked.connect(lambda i=intent: self._open(f"intent:{i}"))
        series.setHoleSize(0.5)
        chart = make_chart()
        chart.addSeries(series)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        return chart_view(chart)

    def _ranked(
        self, items: list[tuple[str, int]], colour: str, on_click: Callable[[int], None], columns: int = 1
    ) -> QWidget:
        if not items:
            return _note("None in this search.")
        bars = RankedBars(items, colour, columns)
        bars.chosen.connect(on_click)
        return bars

    def _authors(self, people: list[dict[str, Any]], key: str, colour: str) -> QWidget:
        value = "mentions" if key == "top" else "positive"
        extra = "" if key == "top" else "sentiment:positive"
        return self._ranked(
            [(f"@{p['handle']} · {p['platform']}", p[value]) for p in people],
            colour,
            lambda i: self._open(f"author:{quoted(people[i]['handle'])}", extra),
        )

    def _phrases(self, phrases: list[dict[str, Any]]) -> QWidget:
        if not phrases:
            return _note("No phrase comes up three times in these mentions.")
        return self._ranked(
            [(p["phrase"], p["mentions"]) for p in phrases],
            "#8e4ec6",
            lambda i: self._open(f'"{phrases[i]["phrase"]}"'),
            2,
        )

    def _terms(self, terms: list[dict[str, Any]]) -> QWidget:
        return self._ranked(
            [(t["word"], t["mentions"]) for t in terms],
            "#12a594",
            lambda i: self._open(quoted(terms[i]["word"])),
            2,
        )
