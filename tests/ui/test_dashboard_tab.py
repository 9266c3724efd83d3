"""The Dashboard tab on a real demo workspace: every kind of click opens exactly the mentions it
counted (checked against a direct search count), it follows the search, and the About and
Report dialogs do what they say."""

from __future__ import annotations

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from listener_app.ui.chart_widgets import HeatGrid, RankedBars


def _dashboard(qtbot, window, query=""):
    window.run_search(query)
    qtbot.keyClick(window.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.dashboard_page
    card = window.dashboard.cards["terms"]
    assert window.dashboard.ready or card.stack.currentWidget() is card.waiting  # "computing…", not a freeze
    qtbot.waitUntil(lambda: window.dashboard.ready, timeout=10_000)
    return window.dashboard


def _card(dashboard, key, kind):
    widget = dashboard.cards[key].stack.currentWidget()
    assert isinstance(widget, kind), f"{key} shows {type(widget).__name__}"
    return widget


def _opens(window, expected):
    """The inbox is showing, on a search that finds `expected` mentions."""
    assert window.tabs.currentIndex() == 0
    assert window.ws.count(window.model.query) == expected, window.model.query
    assert expected > 0
    return window.model.query


def _bar_sets(dashboard, key):
    chart = _card(dashboard, key, QChartView).chart()
    return [bars for series in chart.series() for bars in series.barSets()]


def _click_bar(qtbot, window, key, set_index=0, bar=None):
    dashboard = window.dashboard
    bars = _bar_sets(dashboard, key)[set_index]
    index = bar if bar is not None else max(range(bars.count()), key=bars.at)
    expected = int(bars.at(index))
    bars.clicked.emit(index)
    return _opens(window, expected)


def test_volume_and_sentiment_bars_open_their_mentions(qtbot, window):
    dashboard = _dashboard(qtbot, window)
    assert dashboard.summary.text().startswith("All mentions")
    query = _click_bar(qtbot, window, "volume")
    assert "after:" in query and "before:" in query and "source:" in query
    _dashboard(qtbot, window)
    dashboard.bucket.setCurrentIndex(0)  # by day
    _click_bar(qtbot, window, "volume", set_index=1)
    _dashboard(qtbot, window)
    dashboard.split.setCurrentIndex(1)  # by tracker
    assert "tracker:" in _click_bar(qtbot, window, "volume")
    _dashboard(qtbot, window)
    # a percent bar's value is its count
    assert "sentiment:negative" in _click_bar(qtbot, window, "sentiment", set_index=0)


def test_share_of_voice_and_intent_open_their_mentions(qtbot, window):
    dashboard = _dashboard(qtbot, window)
    assert "tracker:Acme" in _click_bar(qtbot, window, "voice", set_index=0, bar=0)
    _dashboard(qtbot, window)
    assert "sentiment:negative" in _click_bar(qtbot, window, "voice", set_index=2, bar=0)
    dashboard = _dashboard(qtbot, window)
    donut = _card(dashboard, "intent", QChartView).chart().series()[0]
    part = max(donut.slices(), key=lambda s: s.value())
    part.clicked.emit()
    assert "intent:" in _opens(window, int(part.value()))


def test_heat_grid_cell_opens_its_mentions(qtbot, window):
    dashboard = _dashboard(qtbot, window, "sentiment:positive")
    grid = _card(dashboard, "activity", HeatGrid)
    (day, hour), count = max(grid.cells.items(), key=lambda kv: kv[1])
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(*grid.cell_centre(day, hour)))
    query = _opens(window, count)
    assert query == f"sentiment:positive -is:ours weekday:{day} time:{hour:02d}h"  # customers, as charted


def test_authors_advocates_and_terms_open_their_mentions(qtbot, window):
    for key in ("authors", "advocates", "terms"):
        dashboard = _dashboard(qtbot, window, "-intent:other")
        bars = _card(dashboard, key, RankedBars)
        index = min(2, len(bars.items) - 1)
        centre = bars.item_rect(index).center()
        qtbot.mouseClick(bars, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y())))
        query = _opens(window, bars.items[index][1])
        assert query.startswith("-intent:other ")


def test_terms_leave_out_stop_words_brands_and_numbers(qtbot, window):
    dashboard = _dashboard(qtbot, window)
    words = {label for label, _count in _card(dashboard, "terms", RankedBars).items}
    assert words and not words & {"the", "and", "acme", "zenith", "nova", "this", "was"}
    assert not any(ch.isdigit() for word in words for ch in word)


def test_the_tab_follows_the_search_and_the_period(qtbot, window):
    dashboard = _dashboard(qtbot, window)
    everything = dashboard.results["hourly"].total
    assert everything == window.ws.count(
        "-is:ours"
    )  # what customers said: the demo's replies of Acme's own left out
    window.sidebar.query_chosen.emit("sentiment:negative", "Negative")  # the sidebar stays usable
    qtbot.waitUntil(lambda: dashboard.ready and dashboard.query == "sentiment:negative", timeout=10_000)
    assert window.tabs.currentWidget() is window.dashboard_page
    assert dashboard.results["hourly"].total == window.ws.count("sentiment:negative -is:ours") < everything
    dashboard.period.setCurrentText("Last 7 days")
    qtbot.waitUntil(lambda: dashboard.ready, timeout=10_000)
    assert dashboard.scope.startswith("sentiment:negative after:")
    assert dashboard.results["hourly"].total == window.ws.count(dashboard.scope)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # again: back to the inbox
    assert window.tabs.currentIndex() == 0


def test_about_shows_the_version_and_the_paths(qtbot, window, monkeypatch):
    from listener_app import __version__
    from listener_app.paths import data_dir
    from listener_app.ui.about_dialog import AboutDialog

    opened = []
    monkeypatch.setattr(
        "listener_app.ui.about_dialog.QDesktopServices.openUrl", lambda url: opened.append(url)
    )
    about = AboutDialog(window.ws, window)
    qtbot.addWidget(about)
    shown = {label.text() for label in about.findChildren(QLabel)}
    assert {__version__, str(window.ws.path.resolve()), str(data_dir())} <= shown
    assert any("MIT licence" in text for text in shown)
    about.open_button.click()
    assert opened and opened[0].toLocalFile() == str(data_dir())


def test_report_dialog_writes_packets_in_the_background(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtCore import QDate

    from listener_app.ui.report_dialog import ReportDialog

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    dialog = ReportDialog(window.ws, "sentiment:negative", window)
    qtbot.addWidget(dialog)
    assert dialog.query.text() == "sentiment:negative"
    dialog.query.setText("stauts:new")
    dialog.write_button.click()
    assert "did you mean 'status:'" in dialog.status.text() and dialog.reader is None
    dialog.query.setText("sentiment:negative")
    dialog.start.setDate(QDate(2026, 9, 1))
    dialog.end.setDate(QDate(2026, 11, 1))
    dialog.format.setCurrentText("Markdown")
    dialog.packets.setChecked(True)
    dialog.path.setText(str(tmp_path / "packets"))
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        dialog.write_button.click()
    names = sorted(p.name for p in dialog.written)
    assert names == ["billing.md", "marketing.md", "product.md", "support.md"]
    assert "for Billing" in (tmp_path / "packets" / "billing.md").read_text()


def test_a_search_with_no_mentions_says_so(qtbot, window):
    dashboard = _dashboard(qtbot, window, "xylophonequartet")
    note = dashboard.cards["volume"].stack.currentWidget()
    assert isinstance(note, QLabel) and note.text() == "No mentions in this search and period."
    assert "0 mentions" in dashboard.summary.text()
    assert isinstance(dashboard.cards["terms"].stack.currentWidget(), QLabel)


def test_top_phrases_open_exactly_their_mentions(qtbot, window):
    dashboard = _dashboard(qtbot, window, "sentiment:negative")
    bars = _card(dashboard, "phrases", RankedBars)
    phrase, count = bars.items[0]
    assert " " in phrase
    centre = bars.item_rect(0).center()
    qtbot.mouseClick(bars, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y())))
    assert _opens(window, count) == f'sentiment:negative -is:ours "{phrase}"'
