from __future__ import annotations

from PySide6.QtWidgets import QDialog

from listener_app.ui.sources_dialog import AddSourceDialog, SourcesDialog
from tests.sources.test_sources import ATOM, hn_hit, hn_page, status


def _add(qtbot, dialog, monkeypatch, kind, name, **settings):
    def fill(self):
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.name.setText(name)
        for key, value in settings.items():
            self.fields[key].setText(value)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddSourceDialog, "exec", fill)
    with qtbot.waitSignal(dialog.ops.changes_applied, timeout=5000):
        dialog.add()


def test_add_three_sources_fetch_and_triage(qtbot, window, demo_ws, httpserver, monkeypatch):
    httpserver.expect_request("/alerts").respond_with_data(ATOM, content_type="application/atom+xml")
    httpserver.expect_request("/api/v1/search_by_date").respond_with_json(hn_page([hn_hit(1, 1763600000)]))
    httpserver.expect_request("/api/v1/timelines/tag/acme").respond_with_json([status(2), status(1)])
    window.fetcher.http.min_interval = 0
    selected_before = window.selected_ids()
    dialog = SourcesDialog(window.ws, window.ops, window.fetcher, window)
    qtbot.addWidget(dialog)
    _add(qtbot, dialog, monkeypatch, "rss", "Google Alerts: acme", url=httpserver.url_for("/alerts"))
    _add(qtbot, dialog, monkeypatch, "hackernews", "HN acme", query="acme", base_url=httpserver.url_for("/"))
    _add(
        qtbot,
        dialog,
        monkeypatch,
        "mastodon",
        "Mastodon #acme",
        base_url=httpserver.url_for("/"),
        hashtags="acme",
    )
    assert dialog.table.rowCount() == 3 + len(
        [s for s in window.ws.sources.list() if s["name"].startswith("Demo ")]
    )
    demo_ws.views.save("Mastodon love", 'source:mastodon "loving my acme phone"', notify=True)
    shown = []
    monkeypatch.setattr(window, "notify", lambda alerts: shown.extend(alerts))
    with qtbot.waitSignal(window.fetcher.all_done, timeout=20_000) as blocker:
        dialog.fetch(["Google Alerts: acme", "HN acme", "Mastodon #acme"])
    results = {r.name: r for r in blocker.args[0]}
    assert all(r.error is None for r in results.values()), results
    assert sum(r.new for r in results.values()) == 5
    assert "1 post had no date: dated by the time of the fetch" in window.toast.text  # the undated entry
    assert ("Mastodon love", "Mastodon love: new mentions", 2) in shown
    qtbot.waitUntil(lambda: window.selected_ids() == selected_before, timeout=5000)  # selection did not move
    window.run_search('source:mastodon "loving my acme phone"')
    assert window.model.rowCount() == 2
    assert "OK" in [dialog.table.item(r, 5).text() for r in range(dialog.table.rowCount())]
