"""The report dialog and the dashboard start from the data's own dates, not the calendar's."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QSettings

from listener_app.reports.period import data_span
from listener_app.ui.report_dialog import FOLDER_KEY, ReportDialog
from tests.ui.test_dashboard_tab import _dashboard


def _day(edit) -> date:
    return date.fromisoformat(edit.date().toString("yyyy-MM-dd"))


def test_the_report_starts_from_the_data_not_the_view(qtbot, window, demo_ws, tmp_path):
    QSettings().setValue(FOLDER_KEY, str(tmp_path))
    dialog = ReportDialog(window.ws, "status:new", window)  # the window was on New
    qtbot.addWidget(dialog)
    assert dialog.query.text() == ""  # a triage view is not what a client report is about
    first, last = data_span(demo_ws, "")
    if last <= date.today() - timedelta(days=7):  # the demo's data ends before this week
        assert (_day(dialog.start), _day(dialog.end)) == (max(first, last - timedelta(days=89)), last)
    else:
        assert _day(dialog.end) == date.today()
    assert dialog.path.text().startswith(str(tmp_path))  # the last report's folder, not home's root
    searched = ReportDialog(window.ws, "battery sentiment:negative", window)
    qtbot.addWidget(searched)
    assert searched.query.text() == "battery sentiment:negative"  # a real search is kept


def test_the_dashboard_has_a_custom_range_that_starts_as_the_data(qtbot, window, demo_ws):
    dashboard = _dashboard(qtbot, window)
    first, last = data_span(demo_ws, "")
    assert f"{first.strftime('%d %b %Y').lstrip('0')} – {last.strftime('%d %b %Y').lstrip('0')}" in (
        dashboard.summary.text()
    )
    dashboard.period.setCurrentText("Custom range…")
    assert dashboard.first_day.isVisible() and (_day(dashboard.first_day), _day(dashboard.last_day)) == (
        first,
        last,
    )
    qtbot.waitUntil(lambda: dashboard.ready, timeout=10_000)
    week = last - timedelta(days=6)
    dashboard.first_day.setDate(QDate(week.year, week.month, week.day))
    qtbot.waitUntil(
        lambda: dashboard.ready and f"after:{week.isoformat()}" in dashboard.scope, timeout=10_000
    )
    assert dashboard.results["hourly"].total == window.ws.count(dashboard.scope) > 0


def test_last_days_of_old_data_are_the_datas_last_days(qtbot, window, demo_ws, monkeypatch):
    import listener_app.ui.dashboard as board

    _first, last = data_span(demo_ws, "")

    class Later(board.datetime):  # a year after the demo's data
        @classmethod
        def now(cls, tz=None):
            return board.datetime(last.year + 1, last.month, last.day, tzinfo=tz)

    monkeypatch.setattr(board, "datetime", Later)
    dashboard = _dashboard(qtbot, window)
    dashboard.period.setCurrentText("Last 7 days")
    qtbot.waitUntil(lambda: dashboard.ready, timeout=10_000)
    assert f"before:{(last + timedelta(days=1)).isoformat()}" in dashboard.scope
    assert dashboard.results["hourly"].total > 0  # not an empty week of next year
    assert "of the data" in dashboard.summary.text()
