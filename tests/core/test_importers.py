from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import Workbook

from listener_app.core.importers import ImportFormatError, import_file
from listener_app.db import search

HEADER = "id,text,url,author,date,source,sentiment,tags\r\n"
ROWS = [
    "1,Love the new Acme phone,https://x.example/1?utm_source=a,dana,2026-03-01 10:00,Twitter,Positive,praise\r\n",
    "2,Battery died — refund please,https://x.example/2,lee,03/02/2026 11:30,Facebook,neg,billing;battery\r\n",
    "3,Où est ma commande ?,https://x.example/3,zoé,2026-03-03T09:00:00Z,reddit.com,,\r\n",
]


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_csv_encodings(ws, tmp_path, encoding):
    text = HEADER + "".join(ROWS)
    if encoding == "cp1252":
        text = text.replace("—", "-")
    path = _write(tmp_path, "export.csv", text.encode(encoding))
    report = import_file(ws, path, score=False)
    assert report.ingest.inserted == 3, report.errors
    assert search.count(ws, "commande") == 1
    assert ws.scalar("SELECT source FROM mentions WHERE external_id = '2'") == "facebook"
    assert ws.scalar("SELECT sentiment_origin FROM mentions WHERE external_id = '2'") == "manual"
    assert search.count(ws, "tag:battery") == 1


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_csv_delimiters(ws, tmp_path, delimiter):
    rows = list(csv.reader([HEADER, *ROWS]))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    path = _write(tmp_path, "export.csv", out.getvalue().encode())
    assert import_file(ws, path, score=False).ingest.inserted == 3


def test_bad_rows_are_reported_by_line_and_the_rest_goes_in(ws, tmp_path):
    lines = [HEADER] + [f"{n},post {n},https://x.example/{n},u{n},2026-03-01,rss,,\r\n" for n in range(1, 11)]
    lines[6] = '6,"broken quote,https://x.example/6,u6,2026-03-01,rss,,\r\n'  # line 7
    lines[8] = "8,post 8,https://x.example/8,u8,not-a-date,rss,,\r\n"  # line 9
    path = _write(tmp_path, "bad.csv", "".join(lines).encode())
    report = import_file(ws, path, score=False)
    lines_reported = {line for line, _ in report.errors}
    assert 9 in lines_reported and 7 in lines_reported
    assert report.ingest.inserted >= 6
    assert search.count(ws, "post") == report.ingest.inserted


def test_import_twice_adds_nothing(ws, tmp_path):
    path = _write(tmp_path, "export.csv", (HEADER + "".join(ROWS)).encode())
    import_file(ws, path, score=False)
    again = import_file(ws, path, score=False)
    assert (again.ingest.inserted, again.ingest.unchanged) == (0, 3)


def test_brand24_preset_is_detected(ws, tmp_path):
    data = (
        "Date,Hour,Title,Content,Url,Influence Score,Author,Sentiment,Source\r\n"
        "2026-03-01,14:05,Acme review,Great phone overall,https://blog.example/a,7,Jane Blogger,positive,blogs\r\n"
    )
    report = import_file(ws, _write(tmp_path, "brand24.csv", data.encode()), score=False)
    assert report.preset == "brand24" and report.ingest.inserted == 1
    row = ws.execute("SELECT published_at, title, reach FROM mentions").fetchone()
    assert tuple(row) == ("2026-03-01T14:05:00Z", "Acme review", 7)


def test_talkwalker_like_export(ws, tmp_path):
    data = (
        "url,published,title,content,extra_author_attributes.name,source_type,sentiment,lang\r\n"
        "https://news.example/x,2026-03-04T08:00:00Z,Acme recall,Acme recalls chargers,News Desk,ONLINENEWS,-5,en\r\n"
    )
    report = import_file(ws, _write(tmp_path, "tw.csv", data.encode()), score=False)
    assert report.preset == "talkwalker" and report.ingest.inserted == 1
    assert ws.scalar("SELECT sentiment FROM mentions") == "negative"


def test_explicit_map_wins(ws, tmp_path):
    data = "Body Copy,When\r\nhello there,2026-01-01\r\n"
    with pytest.raises(ImportFormatError, match="No column with the post's text"):
        import_file(ws, _write(tmp_path, "odd.csv", data.encode()), score=False)
    report = import_file(ws, tmp_path / "odd.csv", mapping=["Body Copy=text", "When=date"], score=False)
    assert report.ingest.inserted == 1


def test_not_what_it_claims_changes_nothing(ws, tmp_path):
    png = _write(tmp_path, "photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(ImportFormatError, match="PNG image"):
        import_file(ws, png, score=False)
    html = _write(tmp_path, "page.json", b"<!DOCTYPE html><html><body>Login</body></html>")
    with pytest.raises(ImportFormatError, match="web page"):
        import_file(ws, html, score=False)
    with pytest.raises(ImportFormatError, match="empty"):
        import_file(ws, _write(tmp_path, "empty.csv", b""), score=False)
    with pytest.raises(ImportFormatError, match="not objects"):
        import_file(ws, _write(tmp_path, "nums.json", b"[1, 2, 3]"), score=False)
    assert ws.scalar("SELECT count(*) FROM mentions") == 0


def test_jsonl_with_a_malformed_line(ws, tmp_path):
    lines = [
        json.dumps({"id": n, "text": f"note {n}", "created_at": "2026-02-01T00:00:00Z"}) for n in range(5)
    ]
    lines.insert(2, '{"id": 99, "text": "cut off')
    report = import_file(ws, _write(tmp_path, "m.jsonl", "\n".join(lines).encode()), score=False)
    assert report.ingest.inserted == 5
    assert [line for line, _ in report.errors] == [3]


def test_json_array_and_wrapped_list(ws, tmp_path):
    rows = [{"id": n, "content": f"hello {n}", "published": "2026-02-01"} for n in range(3)]
    import_file(ws, _write(tmp_path, "a.json", json.dumps(rows).encode()), score=False)
    import_file(
        ws,
        _write(
            tmp_path,
            "b.json",
            json.dumps(
                {"mentions": [*rows[:1], {"id": 9, "content": "x", "published": "2026-02-02"}]}
            ).encode(),
        ),
        score=False,
    )
    assert ws.scalar("SELECT count(*) FROM mentions") == 4


def test_xlsx(ws, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Message", "Timestamp", "Sender", "Network", "Permalink"])
    sheet.append(
        ["Hello from a spreadsheet", "2026-04-01 09:00", "Kim", "Instagram", "https://ig.example/p/1"]
    )
    book.save(tmp_path / "sprout.xlsx")
    report = import_file(ws, tmp_path / "sprout.xlsx", score=False)
    assert report.ingest.inserted == 1
    assert ws.scalar("SELECT source FROM mentions") == "instagram"


def test_html_with_scripts_and_a_huge_post(ws, tmp_path):
    big = "word " * 2_000_000
    rows = [
        {
            "id": 1,
            "text": "<p>hi<script>alert(1)</script><img src=x onerror=alert(2)></p>",
            "date": "2026-01-01",
        },
        {"id": 2, "text": big, "date": "2026-01-01"},
    ]
    path = _write(tmp_path, "h.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
    assert import_file(ws, path, score=False).ingest.inserted == 2
    assert ws.scalar("SELECT text FROM mentions WHERE external_id = '1'") == "hi"
    assert ws.scalar("SELECT length(text) < 25000 FROM mentions WHERE external_id = '2'") == 1
