"""XLSX reading: rows of the first sheet, read whole by calamine when the sheet is small enough
to hold, else streamed by openpyxl in read-only mode.

calamine (Rust) reads a sheet about ten times as fast as openpyxl (50,000 rows of posts: 0.6 s
against 6.6 s) but holds all of it: about as many bytes as its XML unpacks to, and 32 bytes for
every cell of the rectangle from A1 to the last row and column any cell names, filled or not (a
stray cell at XFD100000 would ask for 52 GB, and calamine aborts the process when it cannot have
them). So calamine reads a workbook whose sheets and shared strings unpack to WHOLE_SHEET_BYTES or
less and whose cells name no rectangle of more than WHOLE_SHEET_CELLS (the bounds are read from the
cell references' lengths: a few scans of the XML in C, no Python per cell); openpyxl streams any
other in bounded memory. Both give a cell alike: empty is None, a whole number an int. A preview,
which reads only the first rows, streams them through openpyxl when every sheet declares its
<dimension> (openpyxl reads a whole sheet just to size it when it does not): 50 ms instead of
calamine's 0.8 s for 50,000 rows.

An XLSX file is a ZIP of XML parts, and XML compresses very well: a 1 MB "decompression bomb"
unpacked into gigabytes took 40 s and 2.16 GB of memory. Before either reader reads anything, the
ZIP's own directory (the declared size of each part, which zipfile holds it to when reading) is
checked: no part may unpack to more than MAX_PART_BYTES (the shared strings, which openpyxl
keeps in memory, to MAX_SHARED_STRINGS_BYTES), nor a big part at a ratio over MAX_RATIO (real
workbooks' XML compresses 5-20 times). The sheet's declared <dimension> is ignored (a bomb can
declare 16,384 columns for every row; files without one are common), and every row is cut or
padded to the header's width: a row whose trailing cells are empty is not "too short".
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from itertools import chain
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from listener_app.formats.sniff import ImportFormatError, check_text_file, open_binary

Rows = Iterator[tuple[int, Any]]  # (row number, cells)

HEADER_SEARCH_ROWS = 10  # exports with a title block above the header row
MAX_PART_BYTES = 2 << 30  # a sheet is streamed: this bounds the time (about a million rows)
MAX_SHARED_STRINGS_BYTES = 512 << 20  # held in memory by openpyxl
MAX_RATIO = 200
RATIO_FROM_BYTES = 16 << 20  # small parts may compress as well as they like
MAX_PARTS = 10_000
WHOLE_SHEET_BYTES = 48 << 20
WHOLE_SHEET_CELLS = 4_000_000  # 128 MB of calamine's cells at most
DIMENSION_WITHIN = 4096  # bytes from a sheet's start: Excel writes <dimension> in the first 300
# a cell's reference (r="AB12"): a row's r has no letters, merged and hyperlinked ranges say ref=
_COLUMN_OF_THREE = re.compile(rb'r="[A-Z]{3,}[0-9]')  # or more: past XFD is no cell, and no bound
_COLUMN_OF_TWO = re.compile(rb'r="([A-Z]{2})[0-9]')
_ROW_OF_DIGITS = {  # seven digits or more: past row 1,048,576 is no cell either
    digits: re.compile(rb'r="[A-Z]{1,2}[0-9]{%d%s}"' % (digits, b"," if digits == 7 else b""))
    for digits in range(7, 0, -1)
}
# what openpyxl raises on a workbook whose packed data or XML is damaged
DAMAGED = (zlib.error, zipfile.BadZipFile, EOFError, ParseError)
MIDNIGHT = time(0)
EXACT_FLOAT = float(2**53)  # whole numbers past this are not exact in a cell (a double) anyway


def _reads_whole(path: Path, sampling: bool) -> bool:
    """Refuse a workbook whose parts would unpack to more than we can hold or read in time; then
    whether calamine reads it whole (see the module's note) rather than openpyxl streaming it."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            _check_sizes(path, parts)
            sheets = [
                p for p in parts if p.filename.startswith("xl/worksheets/") and p.filename.endswith(".xml")
            ]
            held = sum(
                p.file_size
                for p in parts
                if p.filename.startswith("xl/worksheets/") or p.filename.endswith("sharedStrings.xml")
            )
            if held > WHOLE_SHEET_BYTES or (
                sampling and all(_declares_dimension(archive, p) for p in sheets)
            ):
                return False
            return all(_cells_within(path, archive, sheet, WHOLE_SHEET_CELLS) for sheet in sheets)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFormatError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc


def _check_sizes(path: Path, parts: list[zipfile.ZipInfo]) -> None:
    """Refuse a workbook whose parts would unpack to more than we can hold or read in time."""
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
    path: Path, is_header: Callable[[list[str]], bool] | None = None, *, sampling: bool = False
) -> tuple[list[str], Iterator[tuple[int, list[Any]]], Callable[[], None]]:
    """(header, (row number, cells) pairs, close). The header is the first row among the
    first few for which `is_header` says yes (else the first non-empty row). `sampling`: only
    the first rows will be read."""
    with open_binary(path) as handle:
        head = handle.read(4096)
    if not zipfile.is_zipfile(path):
        check_text_file(path, head, "an XLSX workbook")  # names what it is when it can
        raise ImportFormatError(f"{path.name} is not an XLSX workbook (a CSV file? rename it .csv)")
    rows, close = _read_whole(path) if _reads_whole(path, sampling) else _stream(path)
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
            close()
            raise ImportFormatError(f"{path.name} has an empty first sheet")
        header, skipped = first, skipped[1:]
    while header and not header[-1]:  # calamine's rows are as wide as the sheet's widest
        header.pop()
    width = len(header)

    def body() -> Iterator[tuple[int, list[Any]]]:
        for number, row in chain(skipped, rows):  # never a list: rows stream
            if any(cell not in (None, "") for cell in row):
                yield number, _fit(row, width)

    return header, body(), close


def _cells_within(path: Path, archive: zipfile.ZipFile, sheet: zipfile.ZipInfo, limit: int) -> bool:
    """Whether the sheet's cells lie within a rectangle from A1 of at most `limit` cells: its
    last column from the references of two letters (none of three), its last row bounded by the
    most digits a reference has."""
    try:
        xml = archive.read(sheet)
    except DAMAGED as exc:
        raise ImportFormatError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    return not _COLUMN_OF_THREE.search(xml) and _rows_bound(xml) * _columns_bound(xml) <= limit


def _declares_dimension(archive: zipfile.ZipFile, sheet: zipfile.ZipInfo) -> bool:
    """Whether the sheet says its <dimension> at its start (as Excel writes it)."""
    try:
        with archive.open(sheet) as stream:
            return b"dimension ref=" in stream.read(DIMENSION_WITHIN)
    except DAMAGED:
        return False  # read whole, which says what is wrong


def _columns_bound(xml: bytes) -> int:
    """The last column a cell names (no cell naming a column of three letters): Z unless one
    names a column of two."""
    named = set(_COLUMN_OF_TWO.findall(xml))
    return max((26 * (a - 64) + b - 64 for a, b in named), default=26)


def _rows_bound(xml: bytes) -> int:
    """No row a cell names is past this: 10**d - 1 for the most digits d a reference has."""
    for digits, pattern in _ROW_OF_DIGITS.items():
        if pattern.search(xml):
            return 10**digits - 1
    return 1


def _read_whole(path: Path) -> tuple[Rows, Callable[[], None]]:
    """The first sheet's rows, numbered from 1, read whole by calamine."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with path.open("rb") as handle:  # by content: a workbook may be renamed (.xls)
            book = CalamineWorkbook.from_filelike(handle)
    except (CalamineError, OSError, ValueError) as exc:
        raise ImportFormatError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    try:
        if not book.sheet_names:
            raise ImportFormatError(f"{path.name} has no worksheet")
        sheet = book.get_sheet_by_index(0)
    except CalamineError as exc:
        book.close()
        raise ImportFormatError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    except ImportFormatError:
        book.close()
        raise
    return enumerate(map(_cells, sheet.iter_rows()), start=1), book.close


def _cells(row: list[Any]) -> list[Any]:
    """calamine's cells as openpyxl gives them: an empty cell (or an error's) is None, a whole
    number an int (a sheet holds every number as a double), and a date a datetime at midnight
    (a date cell is a number of days: calamine says date where it has no fraction)."""
    return [
        None
        if cell == ""
        else int(cell)
        if type(cell) is float and cell.is_integer() and -EXACT_FLOAT < cell < EXACT_FLOAT
        else datetime.combine(cell, MIDNIGHT)
        if type(cell) is date
        else cell
        for cell in row
    ]


def _stream(path: Path) -> tuple[Rows, Callable[[], None]]:
    """The first sheet's rows, numbered from 1, streamed by openpyxl."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    handle = path.open("rb")  # a file, not a name: openpyxl refuses a workbook renamed .xls by its name

    def close() -> None:
        book.close()
        handle.close()

    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, *DAMAGED) as exc:
        handle.close()
        raise ImportFormatError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    if not book.worksheets:
        close()
        raise ImportFormatError(f"{path.name} has no worksheet")
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # rows as long as their cells, not as the (maybe false) <dimension>
    return _unless_damaged(path, enumerate(sheet.iter_rows(values_only=True), start=1)), close


def _unless_damaged(path: Path, rows: Rows) -> Rows:
    """`rows`, or an ImportFormatError where the stream of the sheet turns out damaged (its
    packed data, its XML): the rows before it are read."""
    number = 0
    try:
        for number, row in rows:
            yield number, row
    except DAMAGED as exc:
        raise ImportFormatError(f"{path.name} is damaged after row {number:,}: {exc}") from exc
