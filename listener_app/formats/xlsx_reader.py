"""XLSX reading with openpyxl in read-only mode: rows are streamed from the first sheet.

An XLSX file is a ZIP of XML parts, and XML compresses very well: a 1 MB "decompression bomb"
unpacked into gigabytes took 40 s and 2.16 GB of memory. Before openpyxl reads anything, the
ZIP's own directory (the declared size of each part, which zipfile holds it to when reading) is
checked: no part may unpack to more than MAX_PART_BYTES (the shared strings, which openpyxl
keeps in memory, to MAX_SHARED_STRINGS_BYTES), nor a big part at a ratio over MAX_RATIO (real
workbooks' XML compresses 5-20 times). The sheet's declared <dimension> is ignored (a bomb can
declare 16,384 columns for every row; files without one are common), and every row is cut or
padded to the header's width: a row whose trailing cells are empty is not "too short".
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from listener_app.formats.sniff import ImportFormatError, check_text_file, open_binary

HEADER_SEARCH_ROWS = 10  # exports with a title block above the header row
MAX_PART_BYTES = 2 << 30  # a sheet is streamed: this bounds the time (about a million rows)
MAX_SHARED_STRINGS_BYTES = 512 << 20  # held in memory by openpyxl
MAX_RATIO = 200
RATIO_FROM_BYTES = 16 << 20  # small parts may compress as well as they like
MAX_PARTS = 10_000


def check_zip_sizes(path: Path) -> None:
    """Refuse a workbook whose parts would unpack to more than we can hold or read in time."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFormatError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    if len(parts) > MAX_PARTS:
        raise ImportFormatError(f"{path.name} has {len(parts):,} parts: not a workbook Listener can read")
    for part in parts:
        limit = MAX_SHARED_STRINGS_BYTES if part.filename.endswith("sharedStrings.xml") else MAX_PART_BYTES
        ratio = part.file_size / max(1, part.compress_size)
        if part.file_size > limit or (part.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO):
            raise ImportFormatError(
                f"{path.name} is refused: its part {part.filename} would unpack to "
                f"{part.file_size / 1e6:,.0f} MB ({ratio:,.0f} times its packed size), past what "
                f"Listener reads ({limit / 1e6:,.0f} MB, {MAX_RATIO} times). "
                "Save it as CSV, or split it into smaller files"
            )


def _fit(row: tuple[Any, ...], width: int) -> list[Any]:
    """A row as wide as the header: missing trailing cells are empty, and cells past the
    header's last column (which no column name can map) are left out. A sheet has no quoting
    to break, so a row's length says nothing about damage."""
    cells = list(row[:width])
    cells.extend([None] * (width - len(cells)))
    return cells


def read_xlsx(
    path: Path, is_header: Callable[[list[str]], bool] | None = None
) -> tuple[list[str], Iterator[tuple[int, list[Any]]], Callable[[], None]]:
    """(header, (row number, cells) pairs, close). The header is the first row among the
    first few for which `is_header` says yes (else the first non-empty row)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    with open_binary(path) as handle:
        head = handle.read(4096)
    if not zipfile.is_zipfile(path):
        check_text_file(path, head, "an XLSX workbook")  # names what it is when it can
        raise ImportFormatError(f"{path.name} is not an XLSX workbook (a CSV file? rename it .csv)")
    check_zip_sizes(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ImportFormatError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    if not book.worksheets:
        book.close()
        raise ImportFormatError(f"{path.name} has no worksheet")
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # rows as long as their cells, not as the (maybe false) <dimension>
    rows = enumerate(sheet.iter_rows(values_only=True), start=1)
    header: list[str] | None = None
    first: list[str] | None = None
    skipped: list[tuple[int, list[Any]]] = []
    for number, row in rows:
        cells = ["" if cell is None else str(cell).strip() for cell in row]
        if not any(cells):
            continue
        skipped.append((number, list(row)))
        if first is None:
            first = cells
        if is_header is None or is_header(cells):
            header = cells
            skipped.clear()
            break
        if len(skipped) >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        if first is None:
            book.close()
            raise ImportFormatError(f"{path.name} has an empty first sheet")
        header, skipped = first, skipped[1:]
    width = len(header)

    def body() -> Iterator[tuple[int, list[Any]]]:
        for number, row in chain(skipped, rows):  # never a list: rows stream
            if any(cell not in (None, "") for cell in row):
                yield number, _fit(row, width)

    return header, body(), book.close
