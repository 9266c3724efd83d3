from __future__ import annotations

import csv
import json
from datetime import UTC, datetime

from openpyxl import load_workbook

from listener_app.core.demo import build_demo
from listener_app.core.exporters import export_query
from listener_app.core.importers import import_file
from listener_app.core.ingest import ingest_items
from listener_app.core.models import Item
from listener_app.db import open_workspace
from listener_app.db.mentions import mention_records
from listener_app.db.search import mention_ids


def test_csv_is_excel_safe(ws, tmp_path):
    ingest_items(
        ws,
        [Item(source="rss", external_id="1", text='=HYPERLINK("http://evil")', published_at="2026-01-01")],
        score=False,
    )
    out = tmp_path / "x.csv"
    assert export_query(ws, "", "csv", out) == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][rows[0].index("text")].startswith("'=")


def _comparable(records):
    skip = {"id", "fetched_at"}
    return sorted(json.dumps({k: v for k, v in r.items() if k not in skip}, sort_keys=True) for r in records)


def test_export_then_import_round_trips(tmp_path):
    source = open_workspace(tmp_path / "a.db")
    build_demo(source, count=300, now=datetime(2026, 11, 1, tzinfo=UTC))
    original = _comparable(mention_records(source, mention_ids(source, "")))
    for fmt in ("jsonl", "json", "csv"):
        out = tmp_path / f"all.{fmt}"
        export_query(source, "", fmt, out)
        target = open_workspace(tmp_path / f"b-{fmt}.db")
        report = import_file(target, out, score=True)
        assert report.ingest.inserted == 300, (fmt, report.errors[:3])
        copied = mention_records(target, mention_ids(target, ""))
        for record in copied:
            record["trackers"] = []
        expected = [json.loads(r) for r in original]
        for record in expected:
            record["trackers"] = []
        assert _comparable(copied) == sorted(json.dumps(r, sort_keys=True) for r in expected), fmt
        target.close()
    source.close()


def test_markdown_and_xlsx(ws, tmp_path):
    ingest_items(
        ws,
        [
            Item(source="rss", external_id=str(n), text=f"post {n}", published_at="2026-01-01")
            for n in range(3)
        ],
        score=False,
    )
    assert export_query(ws, "post", "md", tmp_path / "x.md") == 3
    assert "## post 0" in (tmp_path / "x.md").read_text()
    assert export_query(ws, "", "xlsx", tmp_path / "x.xlsx") == 3
    assert load_workbook(tmp_path / "x.xlsx").active.max_row == 4
