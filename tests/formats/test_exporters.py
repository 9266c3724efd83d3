from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from listener_app.cli import main
from listener_app.domain.errors import UserError
from listener_app.domain.models import AuthorRef, Item
from listener_app.formats.csv_writer import CSV_COLUMNS, safe_cell
from listener_app.workspace.exporting import export_query
from listener_app.workspace.ingest import ingest_items

RISKY = ['=HYPERLINK("http://evil")', "+1 agree", "-2 stars", "@SUM(A1)", "'=already quoted"]


def _items(texts: list[str]) -> list[Item]:
    return [
        Item(source="rss", external_id=str(n), text=text, published_at=f"2026-01-0{n % 9 + 1}", is_html=False)
        for n, text in enumerate(texts)
    ]


def test_csv_is_excel_safe(ws, tmp_path):
    ingest_items(ws, _items(RISKY), score=False)
    out = tmp_path / "x.csv"
    assert export_query(ws, "", "csv", out) == len(RISKY)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == len(RISKY) + 1
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    texts = sorted(row["text"] for row in rows)
    assert all(text.startswith("'") for text in texts), texts
    assert "''=already quoted" in texts
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert (safe_cell("\tx"), safe_cell("\rx"), safe_cell("a=b"), safe_cell(-1)) == (
        "'\tx",
        "'\rx",
        "a=b",
        -1,
    )


def test_json_and_jsonl_carry_the_documented_fields(ws, tmp_path):
    ingest_items(
        ws,
        [
            Item(
                source="mastodon",
                external_id="9",
                text="Where is my order?",
                published_at="2026-02-01 10:00",
                author=AuthorRef("kim", "Kim"),
                tags=["shipping"],
                notes=["asked support"],
                status="needs_response",
                starred=True,
                sentiment="negative",
                intent="question",
            ),
        ],
        score=False,
    )
    export_query(ws, "", "json", tmp_path / "x.json")
    export_query(ws, "", "jsonl", tmp_path / "x.jsonl")
    (record,) = json.loads((tmp_path / "x.json").read_text())
    assert json.loads((tmp_path / "x.jsonl").read_text()) == record
    documented = {
        "id", "source", "external_id", "url", "author", "title", "text", "published_at", "lang", "status",
        "starred", "tags", "notes", "sentiment", "sentiment_score", "sentiment_origin", "intent",
        "intent_origin", "trackers", "author_handle", "author_url", "links", "metrics", "reach", "fetched_at",
        "parent_external_id", "thread_external_id", "ours",
    }  # fmt: skip
    assert set(record) == documented
    assert (record["published_at"], record["tags"], record["notes"], record["starred"]) == (
        "2026-02-01T10:00:00Z", ["shipping"], ["asked support"], True,
    )  # fmt: skip
    assert (record["sentiment"], record["sentiment_origin"], record["intent_origin"]) == (
        "negative",
        "manual",
        "manual",
    )


def test_empty_result_is_a_valid_file(ws, tmp_path):
    assert export_query(ws, "nothing-matches-this", "json", tmp_path / "x.json") == 0
    assert json.loads((tmp_path / "x.json").read_text()) == []


def test_markdown_shows_text_literally(ws, tmp_path):
    texts = ["<script>alert(1)</script> see [click](javascript:alert(1)) & more", "plain post 1"]
    ingest_items(ws, _items(texts), score=False)
    assert export_query(ws, "", "md", tmp_path / "x.md") == 2
    md = (tmp_path / "x.md").read_text()
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\\[click\\](javascript:alert(1))" in md and "&amp; more" in md
    assert "## plain post 1" in md and "status: new" in md


def test_xlsx(ws, tmp_path):
    ingest_items(ws, _items(["post 0", "=1+1", "bad \x07 control char"]), score=False)
    assert export_query(ws, "", "xlsx", tmp_path / "x.xlsx") == 3
    sheet = load_workbook(tmp_path / "x.xlsx").active
    assert sheet.max_row == 4
    texts = {row[CSV_COLUMNS.index("text")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "'=1+1" in texts


def test_a_bad_query_or_format_writes_nothing(ws, tmp_path):
    ingest_items(ws, _items(["post"]), score=False)
    with pytest.raises(UserError):
        export_query(ws, "status:nonsense", "csv", tmp_path / "x.csv")
    with pytest.raises(UserError, match="Unknown export format"):
        export_query(ws, "", "docx", tmp_path / "x.docx")
    assert [p.name for p in tmp_path.iterdir() if ".listener.db" not in p.name] == []


def test_cli_export_to_stdout_and_by_extension(tmp_path, capsys):
    db = str(tmp_path / "w.db")
    assert main(["init", "--db", db]) == 0
    from listener_app.store import open_store

    with open_store(tmp_path / "w.db") as ws:
        ingest_items(ws, _items(["first post", "second post"]), score=False)
    capsys.readouterr()
    assert main(["export", "--format", "jsonl", "--out", "-", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["text"] for line in lines] == ["second post", "first post"]
    assert main(["export", "--query", "first", "--out", str(tmp_path / "o.csv"), "--db", db]) == 0
    assert "Exported 1 mentions" in capsys.readouterr().out
    assert main(["export", "--format", "xlsx", "--out", "-", "--db", db]) == 1
