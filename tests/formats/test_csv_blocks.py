"""A CSV file cut into blocks of lines, each parsed where it is prepared (a worker process),
reads the rows the line-by-line reader reads, with the same line numbers: cuts that fall inside
a quoted field that spans lines are found out by the block before (it reads on past its end)
and the block after is read again from where that one stopped."""

from __future__ import annotations

from pathlib import Path

import pytest

import listener_app.formats.blocks as blocks_module
import listener_app.formats.csv_reader as csv_reader
from listener_app.formats.columns import looks_like_header
from listener_app.formats.csv_reader import read_csv, read_csv_blocks
from tests.formats.block_files import blind_cut, csv_export, read_in_order


def _read_in_blocks(path: Path, block_bytes: int) -> tuple[list[tuple[int, list[str]]], int]:
    with path.open("rb") as handle:
        return read_in_order(path, read_csv_blocks(path, handle, block_bytes, looks_like_header))


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("checked", [True, False], ids=["checked-cuts", "blind-cuts"])
def test_blocks_read_the_rows_the_line_reader_reads(tmp_path, monkeypatch, newline, encoding, checked):
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 700)
    monkeypatch.setattr(blocks_module, "READ_BYTES", 64)
    if not checked:  # every cut where the line at the block's size ends, inside a quoted field or not
        monkeypatch.setattr(csv_reader, "_row_start", blind_cut)
    path = tmp_path / "export.csv"
    path.write_bytes(csv_export(3, newline).encode(encoding))
    with path.open("rb") as handle:
        expected = list(read_csv(path, handle, looks_like_header).rows)
    found, again = _read_in_blocks(path, 3000)
    assert found == expected
    if (
        checked
    ):  # each cut where both readings of the lines after it (between rows, in a quoted field) end a row
        assert again == 0
    assert any(len(row) > 1 and "\n" in row[1] for _, row in expected)  # rows that span lines
    assert any(len(row) != 4 for _, row in expected)  # and rows the import reports


@pytest.mark.parametrize("sep", [";", "\t"], ids=["semicolon", "tab"])
def test_blocks_of_a_file_with_another_delimiter_read_its_rows(tmp_path, monkeypatch, sep):
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 700)
    monkeypatch.setattr(csv_reader, "_row_start", blind_cut)
    path = tmp_path / "export.csv"
    path.write_text(csv_export(4, "\r\n", sep=sep), encoding="utf-8")
    with path.open("rb") as handle:
        expected = list(read_csv(path, handle, looks_like_header).rows)
    found, again = _read_in_blocks(path, 3000)
    assert found == expected and again
    assert len(expected[0][1]) == 4


def test_blind_cuts_inside_quoted_fields_are_read_again_and_checked_cuts_avoid_them(tmp_path, monkeypatch):
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 700)
    path = tmp_path / "export.csv"
    lines = ["id,text,published_at"] + [
        f'{i},"A post\nthat goes on, over\nthree lines",2026-03-01' for i in range(300)
    ]  # every other line break is inside a quoted field
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with path.open("rb") as handle:
        expected = list(read_csv(path, handle, looks_like_header).rows)
    found, again = _read_in_blocks(path, 2000)
    assert found == expected and len(found) == 300
    assert again == 0  # each cut where both readings of the lines after it end a row
    monkeypatch.setattr(csv_reader, "_row_start", blind_cut)
    found, again = _read_in_blocks(path, 2000)
    assert found == expected
    assert again > 3


def test_cuts_are_checked_past_the_first_window_where_rows_are_long(tmp_path, monkeypatch):
    """Articles whose paragraphs are lines of a quoted field: fewer rows than needed fit in the
    first window read after a cut, so more is read there, and the cuts still fall between rows."""
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 4000)
    monkeypatch.setattr(csv_reader, "CUT_CHECK_BYTES", 1024)
    path = tmp_path / "articles.csv"
    paragraph = "The Acme X2 battery lasts, support was slow, the refund came late."
    article = '"' + "\n\n".join([paragraph] * 24) + '"'  # 1.6 KB: a window of 1 KB holds none whole
    lines = ["id,title,text,published_at"] + [f"{i},Article {i},{article},2026-03-01" for i in range(100)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with path.open("rb") as handle:
        expected = list(read_csv(path, handle, looks_like_header).rows)
    found, again = _read_in_blocks(path, 16_000)
    assert found == expected and len(found) == 100
    assert again == 0
    monkeypatch.setattr(csv_reader, "CUT_CHECK_MOST_BYTES", 1024)  # never more than the first window
    found, again = _read_in_blocks(path, 16_000)
    assert found == expected
    assert again > 0


def test_a_file_whose_rows_start_past_its_first_block_is_read_line_by_line(tmp_path, monkeypatch):
    path = tmp_path / "export.csv"
    path.write_text("Report: Acme mentions\nid,text\n1,hello\n", encoding="utf-8")
    with path.open("rb") as handle:
        assert read_csv_blocks(path, handle, 4096) is not None
    monkeypatch.setattr(csv_reader, "FIRST_BLOCK_BYTES", 24)  # the header ends at byte 30
    with path.open("rb") as handle:
        assert read_csv_blocks(path, handle, 4096) is None
    path.write_text("id,text\n1,hello\n", encoding="utf-16")  # a newline byte may be half a character
    with path.open("rb") as handle:
        assert read_csv_blocks(path, handle, 4096) is None
