"""A CSV file cut into blocks of lines, each parsed where it is prepared (a worker process),
reads the rows the line-by-line reader reads, with the same line numbers: cuts that fall inside
a quoted field that spans lines are found out by the block before (it reads on past its end)
and the block after is read again from where that one stopped."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest

import listener_app.formats.blocks as blocks_module
import listener_app.formats.csv_reader as csv_reader
from listener_app.formats.columns import looks_like_header
from listener_app.formats.csv_reader import read_csv, read_csv_blocks
from listener_app.workspace.parallel_ingest import _read_once


def _export(seed: int, newline: str = "\n", rows: int = 400, sep: str = ",") -> str:
    """An export with a title block, rows whose text spans lines (quoted, with doubled quotes),
    a stray quote inside an unquoted field, an opening quote that is never closed, a row of
    the wrong width and a long quoted article: invented content, in the shapes real ones take."""
    rng = random.Random(seed)
    lines = [
        "Report: Acme mentions",
        f"Period{sep}2026-01-01{sep}{sep}",
        "",
        sep.join(["id", "text", "published_at", "author"]),
    ]
    for i in range(rows):
        pick = rng.random()
        if pick < 0.2:
            text = '"First line\nsecond line, with a comma\n""quoted"" at the end"'
        elif pick < 0.25:
            text = 'a 27" screen, sadly'
        elif pick < 0.26:
            text = '"opened and never closed'
        elif pick < 0.3:
            text = '"' + "A paragraph of the article.\n" * rng.randint(20, 200) + '"'
        elif pick < 0.32:
            text = f"too{sep}many{sep}fields"
        else:
            text = f"Plain post {i} about the café"
        lines.append(sep.join([str(i), text, f"2026-03-{1 + i % 28:02d}", f"user{i % 40}"]))
    return newline.join(lines) + newline


def _blind(handle, at, *rest):
    """Cuts made where the line at a block's size ends, inside a quoted field or not."""
    return at


def _read_in_blocks(path: Path, block_bytes: int) -> tuple[list[tuple[int, list[str]]], int]:
    with path.open("rb") as handle:
        return read_in_order(path, read_csv_blocks(path, handle, block_bytes, looks_like_header))


def read_in_order(path: Path, blocks) -> tuple[list[tuple[int, object]], int]:
    """Every block read in order, as the writer takes them (parallel_ingest._read_once), with
    its records numbered in the file; and how many blocks were read again from another place."""
    again = []

    def read(chunk):
        rows = chunk[0].read()
        found = list(rows)
        return SimpleNamespace(chunk=chunk, path=path.with_suffix(".none"), overrun=rows.overrun, rows=found,
                               line_breaks=rows.line_breaks)  # fmt: skip

    def read_again(chunk):
        again.append(chunk[0].offset)
        return read(chunk)

    assert blocks is not None
    batches = [read((block, {})) for block in blocks]
    found, before = [], 0
    for batch in _read_once(batches, read_again):
        found += [(before + number, row) for number, row in batch.rows]
        before += batch.line_breaks
    return found, len(again)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("checked", [True, False], ids=["checked-cuts", "blind-cuts"])
def test_blocks_read_the_rows_the_line_reader_reads(tmp_path, monkeypatch, newline, encoding, checked):
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 700)
    monkeypatch.setattr(blocks_module, "READ_BYTES", 64)
    if not checked:  # every cut where the line at the block's size ends, inside a quoted field or not
        monkeypatch.setattr(csv_reader, "_row_start", _blind)
    path = tmp_path / "export.csv"
    path.write_bytes(_export(3, newline).encode(encoding))
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
    monkeypatch.setattr(csv_reader, "_row_start", _blind)
    path = tmp_path / "export.csv"
    path.write_text(_export(4, "\r\n", sep=sep), encoding="utf-8")
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
    monkeypatch.setattr(csv_reader, "_row_start", _blind)
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
