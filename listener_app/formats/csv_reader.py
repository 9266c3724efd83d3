"""CSV (and TSV) reading: sniffed encoding and delimiter, physical line numbers, and recovery
from broken quoting so that one bad row never takes the rest of the file with it."""

from __future__ import annotations

import csv
import io
from collections import Counter, deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from listener_app.formats.sniff import ImportFormatError, open_text, read_head

DELIMITERS = ",;\t|"
MAX_FIELD_CHARS = 64 * 1024 * 1024  # a 10 MB post fits; a stray quote cannot swallow more than this
CSV_ERROR = "\x00csv error: "  # marks a row the csv module could not read (the rest is the reason)
HEADER_SEARCH_ROWS = 10  # exports with a title block (report name, date range, filters) above the header
SNIFF_LINES = 20

csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample: the candidate that splits the most of its first lines
    into the same number of columns (more than one), then the one giving more columns.
    Spreadsheets in many locales use ';'; a title block above the header splits into one
    column whatever the delimiter, so it does not count."""
    lines = [line for line in sample.lstrip("\ufeff").splitlines()[:SNIFF_LINES] if line.strip()]
    if len(lines) > 2:
        lines = lines[:-1]  # the sample may end in the middle of a line

    def score(delimiter: str) -> tuple[int, int]:
        widths = Counter(len(next(csv.reader([line], delimiter=delimiter), [])) for line in lines)
        width, count = max(
            ((w, c) for w, c in widths.items() if w > 1), key=lambda wc: wc[::-1], default=(0, 0)
        )
        return (count, width)

    return max(DELIMITERS, key=score)


def _header_line(sample: str, delimiter: str, is_header: Callable[[list[str]], bool] | None) -> int:
    """The physical line number of the header among the first HEADER_SEARCH_ROWS non-blank
    lines of `sample`: the first that is as wide as most of those lines with at least three
    (or half) of its cells filled (a title block's lines are narrower, or padded with empty
    cells: "Period,2026-03-01,,"), unless a line
    before it names a text column (`is_header`: a header with many unnamed columns). A line
    after it never is the header, whatever it holds: that is data."""
    lines = [
        (number, [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter), [])])
        for number, line in enumerate(io.StringIO(sample.lstrip("\ufeff"), newline=""), start=1)
        if line.strip()
    ][:HEADER_SEARCH_ROWS]
    if not lines:
        return 1
    widths = Counter(len(cells) for _, cells in lines)
    width = max(widths, key=lambda w: (widths[w], w))
    structural = next(
        (
            number
            for number, cells in lines
            if len(cells) == width
            and sum(1 for cell in cells if cell) >= min(width, max(3, (width + 1) // 2))
        ),
        lines[0][0],
    )
    if is_header is not None:
        for number, cells in lines:
            if number < structural and is_header(cells):
                return number
    return structural


def read_csv(
    path: Path, handle: BinaryIO, is_header: Callable[[list[str]], bool] | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and (physical line number, row) pairs; rows of the wrong width are yielded
    as they are (the caller reports them). The header is found among the first
    HEADER_SEARCH_ROWS lines (see _header_line); the lines above it are left out.

    A stray quote makes the csv module swallow the following lines into one field. When a row
    that spans several lines has the wrong number of fields (or the csv module gives up on it),
    only its first line is given up and the lines after it are read again as rows of their own.
    """
    encoding = read_head(path, handle, "a CSV file")
    head = handle.read(65536)
    handle.seek(0)
    sample = head.decode(encoding, errors="replace")
    delimiter = sniff_delimiter(sample)
    physical = enumerate(open_text(handle, encoding), start=1)
    for _ in range(_header_line(sample, delimiter, is_header) - 1):  # a title block
        next(physical, None)
    pending: deque[tuple[int, str]] = deque()
    consumed: list[tuple[int, str]] = []

    def feed() -> Iterator[str]:
        while True:
            entry = pending.popleft() if pending else next(physical, None)
            if entry is None:
                return
            consumed.append(entry)
            yield entry[1]

    reader = csv.reader(feed(), delimiter=delimiter)
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
    except StopIteration as exc:
        raise ImportFormatError(f"{path.name} has no header row") from exc
    except csv.Error as exc:
        raise ImportFormatError(f"{path.name} is not a readable CSV file: {exc}") from exc
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        nonlocal reader
        while True:
            consumed.clear()
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                row = [f"{CSV_ERROR}{exc}"]
            first = consumed[0][0] if consumed else 0
            if len(consumed) > 1 and (len(row) != width or row[0].startswith(CSV_ERROR)):
                pending.extendleft(reversed(consumed[1:]))
                try:
                    row = next(csv.reader([consumed[0][1]], delimiter=delimiter), [])
                except csv.Error as exc:
                    row = [f"{CSV_ERROR}{exc}"]
                reader = csv.reader(feed(), delimiter=delimiter)  # the old one is past these lines
            if any(cell.strip() for cell in row):
                yield first, row

    return header, rows()
