from __future__ import annotations

import csv
import importlib.util
import io
import json
import shutil
import zipfile
from datetime import datetime, time
from pathlib import Path

import pytest
from openpyxl import Workbook

from listener_app.cli import main
from listener_app.store import open_store, search
from listener_app.store.mentions import mention_records
from listener_app.workspace.importing import ImportFormatError, import_file

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"
HEADER = "id,text,url,author,date,source,sentiment,tags\r\n"
ROWS = [
    "1,Love the new Acme phone,https://x.example/1?utm_source=a,dana,2026-03-01 10:00,Twitter,Positive,praise\r\n",
    "2,Battery died — refund please,https://x.example/2,lee,03/02/2026 11:30,Facebook,neg,billing;battery\r\n",
    "3,Où est ma commande ?,https://x.example/3,zoé,2026-03-03T09:00:00Z,www.reddit.com,,\r\n",
]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _count(ws) -> int:
    return ws.scalar("SELECT count(*) FROM mentions")


def _record(ws, external_id: str) -> dict:
    mention_id = ws.scalar("SELECT id FROM mentions WHERE external_id = ?", (external_id,))
    return mention_records(ws, [mention_id])[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16-le-bom", "utf-16-be-bom", "cp1252"])
def test_csv_encodings(ws, tmp_path, encoding):
    text = HEADER + "".join(ROWS)
    if encoding == "cp1252":
        data = text.replace("—", "-").encode("cp1252")
    elif encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    report = import_file(ws, _write(tmp_path, "export.csv", data), score=False)
    assert report.ingest.inserted == 3, report.errors
    assert search.count(ws, "commande") == 1
    assert _record(ws, "3")["author"] == "zoé"
    assert [_record(ws, str(n))["source"] for n in (1, 2, 3)] == ["twitter", "facebook", "reddit"]
    assert _record(ws, "2")["sentiment_origin"] == "manual"
    assert search.count(ws, "tag:battery") == 1


def test_utf8_file_with_a_few_windows_characters_keeps_them(ws, tmp_path):
    head = (HEADER + "".join(ROWS)).encode()
    tail = "4,Café “quoted” review,https://x.example/4,max,2026-03-04,rss,,\r\n".encode("cp1252")
    assert b"\xe9" in tail and b"\x93" in tail  # not UTF-8
    report = import_file(ws, _write(tmp_path, "mixed.csv", head + tail), score=False)
    assert report.ingest.inserted == 4, report.errors
    assert _record(ws, "4")["text"] == "Café “quoted” review"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters(ws, tmp_path, delimiter):
    rows = list(csv.reader([HEADER, *ROWS]))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    path = _write(tmp_path, "export.csv", out.getvalue().encode())
    assert import_file(ws, path, score=False).ingest.inserted == 3
    assert _record(ws, "1")["url"] == "https://x.example/1"


def test_bad_rows_are_reported_by_line_and_the_rest_goes_in(ws, tmp_path):
    lines = [HEADER] + [f"{n},post {n},https://x.example/{n},u{n},2026-03-01,rss,,\r\n" for n in range(1, 13)]
    lines[6] = '6,"broken quote,https://x.example/6,u6,2026-03-01,rss,,\r\n'  # line 7
    lines[8] = "8,post 8,https://x.example/8,u8,not-a-date,rss,,\r\n"  # line 9
    lines[10] = "10,post 10,too,few\r\n"  # line 11
    path = _write(tmp_path, "bad.csv", "".join(lines).encode())
    report = import_file(ws, path, score=False)
    assert [line for line, _ in report.errors] == [7, 9, 11]
    assert "broken quoting" in report.errors[0][1] and "date" in report.errors[1][1]
    assert report.unit == "line"
    assert report.ingest.inserted == 9
    assert sorted(int(r["external_id"]) for r in mention_records(ws, search.mention_ids(ws, ""))) == [
        1, 2, 3, 4, 5, 7, 9, 11, 12,
    ]  # fmt: skip


def test_unmappable_label_is_a_row_error(ws, tmp_path):
    data = (
        "id,text,date,sentiment,intent,status\r\n"
        "1,one,2026-01-01,pos,Question,open\r\n"
        "2,two,2026-01-01,1,feature request,Resolved\r\n"
        "3,three,2026-01-01,-0.4,,\r\n"
        "4,four,2026-01-01,grumpy,,\r\n"
        "5,five,2026-01-01,,chit-chat,\r\n"
        "6,six,2026-01-01,n/a,,maybe later\r\n"
    )
    report = import_file(ws, _write(tmp_path, "labels.csv", data.encode()), score=False)
    assert [line for line, _ in report.errors] == [5, 6, 7]
    assert "sentiment 'grumpy'" in report.errors[0][1]
    assert report.ingest.inserted == 3
    one, two, three = (_record(ws, n) for n in "123")
    assert (one["sentiment"], one["intent"], one["status"]) == ("positive", "question", "new")
    assert (two["sentiment"], two["intent"], two["status"]) == ("positive", "suggestion", "done")
    assert (three["sentiment"], three["sentiment_score"], three["sentiment_origin"]) == (
        "negative",
        -0.4,
        "manual",
    )


def test_import_twice_adds_nothing_even_without_an_id_column(ws, tmp_path):
    data = "Text,Author,Date\r\nsame words,ann,2026-01-01 10:00\r\nsame words,bob,2026-01-01 10:00\r\n"
    path = _write(tmp_path, "noid.csv", data.encode())
    assert import_file(ws, path, score=False).ingest.inserted == 2
    again = import_file(ws, path, score=False)
    assert (again.ingest.inserted, again.ingest.unchanged, _count(ws)) == (0, 2, 2)


def test_brand24_export(ws, tmp_path):
    report = import_file(ws, FIXTURES / "brand24.csv", score=False)
    assert report.preset == "brand24" and report.ingest.inserted == 4, report.errors
    review = _record(ws, "b24-1")
    assert review["published_at"] == "2026-03-01T14:05:00Z" and review["title"] == "Acme review"
    assert (review["source"], review["author"], review["reach"]) == ("twitter", "Jane Blogger", 7)
    assert review["metrics"] == {"likes": 12, "replies": 3, "shares": 1}
    assert [_record(ws, f"b24-{n}")["source"] for n in (2, 3, 4)] == ["facebook", "reddit", "web"]
    assert _record(ws, "b24-4")["sentiment"] == "neutral"


def test_talkwalker_export(ws, tmp_path):
    report = import_file(ws, FIXTURES / "talkwalker.csv", score=False)
    assert report.preset == "talkwalker" and report.ingest.inserted == 3, report.errors
    rows = {r["url"]: r for r in mention_records(ws, search.mention_ids(ws, ""))}
    recall = rows["https://news.example/acme-recall"]
    assert (recall["sentiment"], recall["source"], recall["author"], recall["author_handle"]) == (
        "negative", "news", "News Desk", "newsdesk",
    )  # fmt: skip
    tweet = rows["https://twitter.com/kim/status/99"]
    assert (tweet["source"], tweet["published_at"], tweet["sentiment"]) == (
        "twitter",
        "2026-03-04T08:00:00Z",
        "positive",
    )
    assert rows["https://forum.example/t/5"]["source"] == "forums"


def test_talkwalker_json_with_nested_author(ws, tmp_path):
    records = [
        {"url": "https://t.example/1", "published": 1772611200000, "content": "nested author",
         "source_type": "BLOGS", "extra_author_attributes": {"name": "Nia", "short_name": "nia"}},
    ]  # fmt: skip
    report = import_file(ws, _write(tmp_path, "tw.json", json.dumps({"data": records}).encode()), score=False)
    assert report.preset == "talkwalker" and report.ingest.inserted == 1, report.errors
    row = mention_records(ws, search.mention_ids(ws, ""))[0]
    assert (row["author"], row["author_handle"], row["source"]) == ("Nia", "nia", "blogs")


def test_jsonl_lines_with_nested_objects_and_changing_keys(ws, tmp_path):
    """Each line's keys are matched on their own (an exporter may leave out a line's empty
    fields), and an object within a line is read whatever its text holds (a brace in a post)."""
    lines = [
        {"id": "a", "text": "plain {braces} in the text", "date": "2026-03-01", "user": {"name": "Ana"}},
        {"id": "b", "url": "https://forum.example/t/b", "text": "other keys", "date": "2026-03-02"},
        {"id": "c", "text": "first keys again", "date": "2026-03-03", "user": {"name": "Cy"}},
        {"id": "d", "text": "no author {at all}", "date": "2026-03-04"},
    ]
    path = _write(tmp_path, "mixed.jsonl", "\n".join(json.dumps(line) for line in lines).encode())
    report = import_file(ws, path, source="forums", score=False)
    assert report.ingest.inserted == 4, report.errors
    rows = {r["external_id"]: r for r in mention_records(ws, search.mention_ids(ws, ""))}
    assert {key: (r["text"], r["author"], r["published_at"][:10]) for key, r in rows.items()} == {
        "a": ("plain {braces} in the text", "Ana", "2026-03-01"),
        "b": ("other keys", None, "2026-03-02"),
        "c": ("first keys again", "Cy", "2026-03-03"),
        "d": ("no author {at all}", None, "2026-03-04"),
    }


def test_explicit_map_wins_and_skip_leaves_a_column_out(ws, tmp_path):
    data = "Body Copy,When,Content,Sentiment\r\nhello there,2026-01-01,ignored text,meh\r\n"
    path = _write(tmp_path, "odd.csv", data.encode())
    report = import_file(ws, path, mapping=["Body Copy=text", "When=date", "Sentiment=skip"], score=False)
    assert report.ingest.inserted == 1, report.errors
    assert ws.scalar("SELECT text FROM mentions") == "hello there"
    with pytest.raises(ImportFormatError, match="No column with the post's text"):
        import_file(ws, _write(tmp_path, "none.csv", b"Foo,When\r\nx,2026-01-01\r\n"), score=False)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
        ("table.xlsx", b"id,text\r\n1,hello\r\n", "not an XLSX workbook"),
        ("garbage.csv", bytes(range(256)) * 20, "binary file"),
        ("page.csv", b"\n  <!DOCTYPE html><html><script>alert(1)</script></html>", "web page"),
        ("page.json", b"<!DOCTYPE html><html><body>Login</body></html>", "web page"),
        ("feed.csv", b'<?xml version="1.0"?><rss></rss>', "XML document"),
        ("empty.csv", b"", "empty"),
        ("blank.jsonl", b"\r\n\r\n", "empty"),
        ("nums.json", b"[1, 2, 3]", "not objects"),
        ("object.json", b'{"status": "ok", "count": 3}', "no list of records"),
        ("cut.json", b'[{"id": 1, "text": "cut', "no valid JSON records"),
        ("notext.jsonl", b'{"id": 1, "when": "2026-01-01"}\n', "No column with the post's text"),
        ("data.pdf", b"%PDF-1.4", "unsupported file type"),
        (
            "old.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
            "Excel 97-2003 workbook: save it as .xlsx",
        ),
    ],
)
def test_not_what_it_claims_is_one_clear_error_and_changes_nothing(ws, tmp_path, name, data, message):
    import_file(ws, FIXTURES / "brand24.csv", score=False)
    before = _count(ws)
    with pytest.raises(ImportFormatError, match=message):
        import_file(ws, _write(tmp_path, name, data), score=False)
    assert _count(ws) == before


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("sheet.ods", "an OpenDocument spreadsheet: save it as .xlsx or CSV"),
        ("sheet.numbers", "a Numbers spreadsheet"),
    ],
)
def test_a_spreadsheet_saved_as_a_zip_is_named_not_taken_for_an_archive(tmp_path, capsys, name, says):
    """.ods and .numbers files are zips: they were read as platform archives, and the message
    listed every archive looked for."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("content.xml", "<office:document-content/>")
    assert main(["import", str(path), "--db", str(tmp_path / "w.db")]) == 1
    err = capsys.readouterr().err
    assert says in err and "platform export" not in err


@pytest.mark.parametrize("whole", [True, False], ids=["calamine", "openpyxl"])
def test_a_workbook_renamed_xls_is_read_as_the_workbook_it_is(ws, tmp_path, monkeypatch, whole):
    import listener_app.formats.xlsx_reader as xlsx_reader

    monkeypatch.setattr(xlsx_reader, "WHOLE_SHEET_BYTES", 1 << 30 if whole else 0)
    book = Workbook()
    book.active.append(["Message", "Date", "Network"])
    book.active.append(["Saved as .xlsx, named .xls", "2026-04-01", "Instagram"])
    book.save(tmp_path / "export.xls")
    report = import_file(ws, tmp_path / "export.xls", score=False)
    assert report.ingest.inserted == 1 and report.unit == "row"


def test_jsonl_with_a_malformed_line(ws, tmp_path):
    lines = [
        json.dumps({"id": n, "text": f"note {n}", "created_at": "2026-02-01T00:00:00Z"}) for n in range(5)
    ]
    lines.insert(2, '{"id": 99, "text": "cut off')
    lines.insert(4, "[1, 2]")
    report = import_file(ws, _write(tmp_path, "m.jsonl", "\n".join(lines).encode()), score=False)
    assert report.ingest.inserted == 5
    assert [line for line, _ in report.errors] == [3, 5]


def test_json_array_with_a_malformed_element_keeps_the_rest(ws, tmp_path):
    data = (
        '[\n {"id": 1, "text": "first", "date": "2026-01-01"},\n'
        ' {"id": 2, "text": "missing comma" "date": "2026-01-01"},\n'
        ' {"id": 3, "text": "brackets in a string: ] } [ {", "date": "2026-01-01"},\n'
        ' {"id": 4, "text": "escaped \\" quote", "date": "bad date"},\n'
        ' {"id": 5, "text": "last", "date": "2026-01-01"}\n]'
    )
    report = import_file(ws, _write(tmp_path, "a.json", data.encode()), score=False)
    assert (report.unit, [n for n, _ in report.errors]) == ("item", [1, 3])
    assert report.ingest.inserted == 3
    assert _record(ws, "3")["text"] == "brackets in a string: ] } [ {"


def test_json_wrapped_lists(ws, tmp_path):
    rows = [{"id": n, "content": f"hello {n}", "published": "2026-02-01"} for n in range(3)]
    import_file(ws, _write(tmp_path, "a.json", json.dumps(rows).encode()), score=False)
    wrapped = {
        "meta": {"page": [1, 2]},
        "mentions": [*rows[:1], {"id": 9, "content": "x", "published": "2026-02-02"}],
    }
    import_file(ws, _write(tmp_path, "b.json", json.dumps(wrapped).encode()), score=False)
    own_key = {"query": "acme", "found": [{"id": 10, "message": "own key", "timestamp": "2026-02-03"}]}
    assert (
        import_file(ws, _write(tmp_path, "c.json", json.dumps(own_key).encode()), score=False).ingest.inserted
        == 1
    )
    assert _count(ws) == 5


def test_xlsx(ws, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Mentions report for Acme"])  # a title block above the header row
    sheet.append([])
    sheet.append(["Message", "Date", "Time", "Sender", "Network", "Permalink", "Tags"])
    sheet.append(
        [
            "Hello from a spreadsheet",
            datetime(2026, 4, 1),
            time(9, 30),
            "Kim",
            "Instagram",
            "https://ig.example/p/1",
            "a, b",
        ]
    )
    sheet.append(["Bad date here", "someday", None, "Lee", "Instagram", "https://ig.example/p/2", None])
    sheet.append(['=HYPERLINK("x")', "2026-04-02", None, "Max", "X", "https://x.com/max/status/3", None])
    sheet.append(["Posted on X", "2026-04-02", None, "Max", "X", "https://x.com/max/status/3", None])
    book.save(tmp_path / "sprout.xlsx")
    report = import_file(ws, tmp_path / "sprout.xlsx", score=False)
    assert report.ingest.inserted == 2 and report.unit == "row"
    assert report.errors == [(5, "unrecognised date 'someday'"), (6, "no text")]  # a formula has no value
    first = mention_records(ws, search.mention_ids(ws, "spreadsheet"))[0]
    assert (first["source"], first["published_at"], first["tags"]) == (
        "instagram",
        "2026-04-01T09:30:00Z",
        ["a", "b"],
    )


def test_formula_guards_are_removed_and_html_is_cleaned(ws, tmp_path):
    rows = [
        ["id", "text", "date", "notes"],
        ["1", "'=SUM(A1:A9) is what I typed", "2026-01-01", "'@mention in a note"],
        ["2", "<p>hi<script>alert(1)</script><img src=x onerror=alert(2)></p>", "2026-01-01", ""],
        ["3", "'-1 stars from me", "2026-01-01", ""],
    ]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    report = import_file(ws, _write(tmp_path, "f.csv", out.getvalue().encode()), score=False)
    assert report.ingest.inserted == 3, report.errors
    assert _record(ws, "1")["text"] == "=SUM(A1:A9) is what I typed"
    assert _record(ws, "1")["notes"] == ["@mention in a note"]
    assert _record(ws, "2")["text"] == "hi"
    assert _record(ws, "3")["text"] == "-1 stars from me"


def test_a_10_mb_post_goes_in_capped(ws, tmp_path):
    big = "word " * 2_100_000
    data = f'id,text,date\r\n1,"{big}",2026-01-01\r\n2,small,2026-01-01\r\n'.encode()
    report = import_file(ws, _write(tmp_path, "big.csv", data), score=False)
    assert report.ingest.inserted == 2, report.errors
    assert 0 < ws.scalar("SELECT length(text) FROM mentions WHERE external_id = '1'") <= 25_000
    lines = "\n".join(json.dumps(r) for r in [{"id": 3, "text": big, "date": "2026-01-01"}])
    assert import_file(ws, _write(tmp_path, "big.jsonl", lines.encode()), score=False).ingest.inserted == 1


def test_progress_is_reported_and_cancel_keeps_what_was_stored(ws, tmp_path):
    from listener_app.domain.tasks import Cancelled, TaskState
    from listener_app.formats import reading

    lines = [HEADER] + [f"{n},post {n},,u{n},2026-03-01,rss,,\r\n" for n in range(1, 30)]
    path = _write(tmp_path, "p.csv", "".join(lines).encode())
    seen: list[tuple[int, int | None]] = []
    import_file(ws, path, score=False, state=TaskState(on_progress=lambda s: seen.append((s.done, s.total))))
    assert seen[-1][0] == seen[-1][1]
    state = TaskState()
    state.cancel()
    original, reading.CHUNK_ROWS = reading.CHUNK_ROWS, 10
    try:
        with pytest.raises(Cancelled):
            import_file(open_store(tmp_path / "other.db"), path, score=False, state=state)
    finally:
        reading.CHUNK_ROWS = original


def test_records_are_chunked_by_rows_or_by_the_memory_they_take(monkeypatch):
    """Long posts and wide objects make smaller chunks (they wait in memory for a worker); every
    record is in exactly one chunk, in order, whatever it holds: a sheet's numbers and dates,
    JSON's nulls, a line that failed to parse."""
    from listener_app.formats import reading

    monkeypatch.setattr(reading, "CHUNK_ROWS", 4)
    monkeypatch.setattr(reading, "CHUNK_BYTES", 2500)
    records = [
        (1, ["a" * 1000, "x"]), (2, ["b" * 1000, ""]), (3, ["c" * 1000, "y"]),  # 3,002 characters: cut
        (4, {f"key{n}": None for n in range(30)}),  # no text, but 60 objects: cut
        (5, ValueError("broken line")), (6, ["d", 3, datetime(2026, 3, 1), None]), (7, '{"text": "a line"}'),
        (8, {"text": "short", "likes": None, "tags": ["a", "b"]}),  # four rows: cut
        (9, ["e"]), (10, ["f" * 5000]),  # a long post
        (11, ["g"]),
    ]  # fmt: skip
    cut = list(reading.chunks(records, {}, lambda: None))
    assert [[number for number, _ in chunk] for chunk, _ in cut] == [
        [1, 2, 3],
        [4],
        [5, 6, 7, 8],
        [9, 10],
        [11],
    ]


def test_a_csv_file_of_long_posts_imports_whole_in_smaller_chunks(ws, tmp_path, monkeypatch):
    from listener_app.formats import reading

    monkeypatch.setattr(reading, "CHUNK_BYTES", 3000)
    rows = [f"{n},{'word ' * 300}post {n},,u{n},2026-03-01,rss,,\r\n" for n in range(1, 30)]
    rows[10] = "11,a row with a stray field,,u11,2026-03-01,rss,,,\r\n"
    report = import_file(ws, _write(tmp_path, "long.csv", (HEADER + "".join(rows)).encode()), score=False)
    assert report.ingest.inserted == 28
    assert report.errors == [(12, "expected 8 fields, found 9 (broken quoting?)")]
    assert ws.scalar("SELECT count(*) FROM mentions WHERE text LIKE 'word %'") == 28


@pytest.mark.skipif(
    importlib.util.find_spec("listener_app.domain.sentiment") is None, reason="no sentiment yet"
)
def test_import_with_scoring_keeps_manual_labels(ws, tmp_path):
    data = (
        "id,text,date,sentiment\r\n1,I love it so much,2026-01-01,\r\n2,This is awful,2026-01-01,positive\r\n"
    )
    import_file(ws, _write(tmp_path, "s.csv", data.encode()), score=True)
    one, two = _record(ws, "1"), _record(ws, "2")
    assert (one["sentiment_origin"], one["sentiment"]) == ("auto", "positive")
    assert (two["sentiment_origin"], two["sentiment"]) == ("manual", "positive")


def test_cli_import_summary_and_rejection(tmp_path, capsys):
    db = str(tmp_path / "w.db")
    bad = tmp_path / "bad.csv"
    shutil.copy(FIXTURES / "brand24.csv", bad)
    with bad.open("ab") as out:
        out.write(b"b24-5,2026-03-03,25:99,,text,x.com,,,,,,,,\r\n" * 25)
    assert main(["import", str(bad), "--no-score", "--db", db]) == 0
    printed = capsys.readouterr().out
    assert "(brand24 export): 4 inserted, 0 updated, 0 unchanged, 25 skipped" in printed
    assert "  line 6: " in printed and "... and 5 more" in printed
    assert "listener rescore" in printed
    png = _write(tmp_path, "photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert main(["import", str(png), "--db", db]) == 1
    assert "PNG image" in capsys.readouterr().err
    assert main(["rescore", "--db", db]) == 0


def test_cli_import_says_how_many_rows_it_dated_by_its_own_time(tmp_path, capsys):
    """Rows with an empty date are stored dated by the import's time, and the report says so
    (beside the rows skipped for a date that is not one: both warnings, not the first alone)."""
    path = _write(
        tmp_path,
        "gaps.csv",
        b"id,text,date\n1,dated,2026-11-01\n2,no date here,\n3,nor here,\n4,bad date,yesterday-ish\n",
    )
    db = str(tmp_path / "w.db")
    assert main(["import", str(path), "--no-score", "--source", "reddit", "--db", db]) == 0
    printed = capsys.readouterr().out
    assert "3 inserted, 0 updated, 0 unchanged, 1 skipped" in printed
    assert "WARNING: 2 lines had no date: dated by the time of the import" in printed
    assert "1 of 2 values read are not dates" in printed and "2 of 4 rows read have no date" in printed


def test_big_file_path_scores_in_the_workers_like_the_small_one(tmp_path, monkeypatch):
    """A big file is parsed, normalized and scored in worker processes; the labels are the ones
    the in-process path gives, manual labels from the file win, and re-importing edited posts
    scores them again."""
    import listener_app.formats.reading as reading
    import listener_app.workspace.importing as importers

    rows = [
        {"id": n, "text": text, "date": "2026-03-01T10:00:00Z", "author": f"user{n % 4}"}
        for n, text in enumerate(
            ["I love this phone, best purchase ever", "Still no refund after three weeks. Terrible.",
             "How do I reset the battery stats?", "It arrived on Tuesday.", "Please add a dark mode!"] * 4
        )
    ]  # fmt: skip
    rows[0]["sentiment"] = "negative"  # a label from the file is manual and wins
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    small = open_store(tmp_path / "small.db")
    import_file(small, path)
    monkeypatch.setattr(
        importers,
        "plan_import",
        lambda rows, stored, score: importers.ImportPlan(rows, 2, False, importers.BLOCK_BYTES),
    )
    monkeypatch.setattr(reading, "CHUNK_ROWS", 7)
    big = open_store(tmp_path / "big.db")
    import_file(big, path)

    def labels(ws):
        return ws.execute(
            "SELECT external_id, sentiment, sentiment_score, sentiment_origin, intent, intent_origin "
            "FROM mentions ORDER BY CAST(external_id AS INTEGER)"
        ).fetchall()

    assert [tuple(r) for r in labels(big)] == [tuple(r) for r in labels(small)]
    assert labels(big)[0]["sentiment_origin"] == "manual"
    assert {r["sentiment_origin"] for r in labels(big)[1:]} == {"auto"}
    rows[1]["text"] = "Refund arrived today, thank you so much!"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    import_file(big, path)
    assert big.scalar("SELECT sentiment FROM mentions WHERE external_id = '1'") == "positive"
