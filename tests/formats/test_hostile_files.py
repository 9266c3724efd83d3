"""Hostile and broken files: one clear line or one skipped row, never a traceback, never the
good rows corrupted."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from listener_app.cli import main
from listener_app.store import search
from listener_app.store.mentions import mention_records
from listener_app.workspace.importing import ImportFormatError, import_file

HEADER = "id,text,author,date\r\n"


def _texts(ws) -> dict[str, str]:
    records = mention_records(ws, search.mention_ids(ws, ""))
    return {r["external_id"]: r["text"] for r in records}


def test_one_windows_line_in_a_utf8_csv_does_not_corrupt_the_others(ws, tmp_path):
    good = [f"{n},Café crème n°{n} à emporter,zoé,2026-03-01\r\n".encode() for n in range(1, 200)]
    windows = "200,Crème brûlée “from Word”,max,2026-03-02\r\n".encode("cp1252")
    path = tmp_path / "mixed.csv"
    path.write_bytes(HEADER.encode() + b"".join(good[:50]) + windows + b"".join(good[50:]))
    report = import_file(ws, path, score=False)
    assert report.ingest.inserted == 200, report.errors
    texts = _texts(ws)
    assert texts["7"] == "Café crème n°7 à emporter"  # not "CafÃ© crÃ¨me"
    assert texts["200"] == "Crème brûlée “from Word”"
    assert not any("Ã" in text for text in texts.values())


def test_a_title_block_above_the_header_is_skipped(ws, tmp_path):
    data = (
        "Mentions export: Acme\r\n"
        "Period,2026-03-01 to 2026-03-31,,\r\n"
        "\r\n" + HEADER + "1,First post,dana,2026-03-01\r\n" + "2,Second post,lee,2026-03-02\r\n"
    )
    path = tmp_path / "report.csv"
    path.write_text(data, encoding="utf-8")
    report = import_file(ws, path, score=False)
    assert report.ingest.inserted == 2, report.errors
    assert report.errors == []
    assert _texts(ws) == {"1": "First post", "2": "Second post"}


def test_a_title_block_above_a_semicolon_header_is_skipped(ws, tmp_path):
    data = "Report\r\nCreated;2026-04-01\r\nid;text;date\r\n1;Hello, world;2026-03-01\r\n2;Hi;2026-03-02\r\n"
    path = tmp_path / "report.csv"
    path.write_text(data, encoding="utf-8")
    assert import_file(ws, path, score=False).ingest.inserted == 2
    assert _texts(ws)["1"] == "Hello, world"


def test_json_nested_100000_deep_is_one_bad_line_and_the_rest_goes_in(ws, tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    path = tmp_path / "deep.jsonl"
    path.write_text(
        '{"id": "1", "text": "before", "date": "2026-01-01"}\n'
        f'{{"id": "2", "text": {deep}, "date": "2026-01-01"}}\n'
        f"{deep}\n"
        '{"id": "3", "text": "after", "date": "2026-01-01"}\n',
        encoding="utf-8",
    )
    report = import_file(ws, path, score=False)
    assert _texts(ws) == {"1": "before", "3": "after"}
    assert [line for line, _ in report.errors] == [2, 3]
    assert all("nested too deeply" in message for _, message in report.errors)


def test_a_json_array_with_a_deeply_nested_element(ws, tmp_path):
    deep = "{" + '"a":' * 1 + "[" * 100_000 + "]" * 100_000 + "}"
    path = tmp_path / "deep.json"
    path.write_text(f'[{{"id": "1", "text": "ok", "date": "2026-01-01"}}, {deep}]', encoding="utf-8")
    report = import_file(ws, path, score=False)
    assert _texts(ws) == {"1": "ok"}
    assert "nested too deeply" in report.errors[0][1]


@contextlib.contextmanager
def _as_nobody():
    """Run as an ordinary user, for whom file permissions count (root reads anything)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx"])
def test_a_file_without_read_permission_is_one_clear_line(ws, suffix):
    folder = Path(tempfile.mkdtemp())  # where an ordinary user may look (pytest's folders are root's)
    try:
        folder.chmod(0o755)
        path = folder / f"locked{suffix}"
        path.write_text(HEADER + "1,hello,kim,2026-01-01\r\n", encoding="utf-8")
        path.chmod(0)
        with (
            _as_nobody(),
            pytest.raises(ImportFormatError, match="cannot be read: you do not have permission"),
        ):
            import_file(ws, path, score=False)
    finally:
        shutil.rmtree(folder)


def _zip_with(path: Path, source: Path, replace: dict[str, bytes]) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, replace.get(item.filename, old.read(item.filename)))


def test_an_xlsx_decompression_bomb_is_refused_at_once(ws, tmp_path):
    book = Workbook()
    book.active.append(["text", "date"])
    book.save(tmp_path / "plain.xlsx")
    cell = b"A" * (300 << 20)  # one cell of 300 MB: about 300 kB packed
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + cell + b"</t></is></c></row></sheetData></worksheet>"
    )
    bomb = tmp_path / "bomb.xlsx"
    _zip_with(bomb, tmp_path / "plain.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    del cell, sheet
    assert bomb.stat().st_size < 2 << 20
    tracemalloc.start()
    began = time.perf_counter()
    with pytest.raises(ImportFormatError, match="would unpack to"):
        import_file(ws, bomb, score=False)
    took = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert took < 2 and peak < 50 << 20


def test_an_xlsx_without_dimension_keeps_rows_with_empty_trailing_cells(ws, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "text", "author", "tags"])
    sheet.append(["1", "first", "kim", "a"])
    sheet.append(["2", "second"])  # author and tags empty: not written at all
    sheet.append(["3", "third", None, None, None, None, "past the header"])
    book.save(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    stripped = re.sub(rb"<dimension[^>]*/>", b"", xml)
    assert stripped != xml
    path = tmp_path / "nodimension.xlsx"
    _zip_with(path, tmp_path / "plain.xlsx", {"xl/worksheets/sheet1.xml": stripped})
    report = import_file(ws, path, score=False)
    assert report.errors == [] and report.ingest.inserted == 3


def test_the_command_line_says_one_line_for_an_unreadable_file(ws, tmp_path, capsys):
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(ws.path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_data_row_that_names_a_column_is_not_taken_for_the_header(ws, tmp_path):
    path = tmp_path / "custom.csv"
    path.write_text("id,body_custom,date\r\n1,message,2026-01-01\r\n2,text,2026-01-02\r\n", encoding="utf-8")
    report = import_file(ws, path, mapping=["body_custom=text"], score=False)
    assert report.ingest.inserted == 2, report.errors
    assert _texts(ws) == {"1": "message", "2": "text"}
