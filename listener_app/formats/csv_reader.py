"""CSV (and TSV) reading: sniffed encoding and delimiter, physical line numbers, and recovery
from broken quoting so that one bad row never takes the rest of the file with it; line by line
(read_csv), or in blocks of lines that an import's workers parse the same way (read_csv_blocks)."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from listener_app.formats.blocks import (
    BLOCK_ENCODINGS,
    FIRST_BLOCK_BYTES,
    BlockRows,
    decode,
    line_breaks,
    line_end,
    read_bytes,
    read_line,
    text_lines,
)
from listener_app.formats.blocks import spans as block_spans
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


class CsvRead(NamedTuple):
    """A CSV file opened for reading: its header and (physical line number, row) pairs, and how
    it is written (to read it again in blocks: read_csv_blocks)."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str
    delimiter: str
    data_line: int  # the physical line the rows start on (after any title block and the header)


def read_csv(path: Path, handle: BinaryIO, is_header: Callable[[list[str]], bool] | None = None) -> CsvRead:
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
    lines = _Lines(physical)
    reader = csv.reader(lines.feed(), delimiter=delimiter)
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
    except StopIteration as exc:
        raise ImportFormatError(f"{path.name} has no header row") from exc
    except csv.Error as exc:
        raise ImportFormatError(f"{path.name} is not a readable CSV file: {exc}") from exc
    data_line = lines.consumed[-1][0] + 1
    return CsvRead(header, _rows(lines, reader, delimiter, len(header)), encoding, delimiter, data_line)


class _Lines:
    """Numbered physical lines as the csv module reads them (`feed`), keeping those of the row
    being read (`consumed`) so that they can be given back (`pending`) to be read again.

    A block of a file (`past_end` given) ends where its lines do, unless a row is being read
    then (its quoted field goes on past the cut): its lines are then read past the block's end
    until the row is complete and a line of the file has been read whole."""

    def __init__(self, physical: Iterator[tuple[int, str]], past_end: _PastEnd | None = None) -> None:
        self.physical = physical
        self.past_end = past_end
        self.pending: deque[tuple[int, str]] = deque()
        self.consumed: list[tuple[int, str]] = []

    def feed(self) -> Iterator[str]:
        while True:
            entry = self.pending.popleft() if self.pending else next(self.physical, None)
            if entry is None and self.past_end is not None and (self.consumed or self.past_end.mid_line):
                entry = self.past_end.next()
            if entry is None:
                return
            self.consumed.append(entry)
            yield entry[1]


def _rows(lines: _Lines, reader: Any, delimiter: str, width: int) -> Iterator[tuple[int, list[str]]]:
    """The rows after the header, read again line by line where one spanning several lines has
    the wrong width (see read_csv)."""
    while True:
        lines.consumed.clear()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row = [f"{CSV_ERROR}{exc}"]
        consumed = lines.consumed
        first = consumed[0][0] if consumed else 0
        if len(consumed) > 1 and (len(row) != width or row[0].startswith(CSV_ERROR)):
            lines.pending.extendleft(reversed(consumed[1:]))
            try:
                row = next(csv.reader([consumed[0][1]], delimiter=delimiter), [])
            except csv.Error as exc:
                row = [f"{CSV_ERROR}{exc}"]
            reader = csv.reader(lines.feed(), delimiter=delimiter)  # the old one is past these lines
        if any(cell.strip() for cell in row):
            yield first, row


class _PastEnd:
    """The lines of a file after a block's end, read one line of the file at a time (a line
    that ends in a lone \\r is two physical lines of a text stream): how many bytes and line
    breaks were read, and whether a line of the file was left part read."""

    def __init__(self, path: Path, offset: int, encoding: str, number: int, rows: BlockRows) -> None:
        self.path, self.offset, self.encoding = path, offset, encoding
        self.number = number  # of the last physical line read
        self.rows = rows  # where the bytes and breaks read are counted
        self.parts: deque[str] = deque()
        self.mid_line = False

    def next(self) -> tuple[int, str] | None:
        if not self.parts:
            data = read_line(self.path, self.offset + self.rows.overrun)
            if not data:
                return None
            self.rows.overrun += len(data)
            self.rows.line_breaks += line_breaks(data)
            self.parts.extend(text_lines(data, self.encoding))
        self.number += 1
        self.mid_line = len(self.parts) > 1
        return self.number, self.parts.popleft()


@dataclass(frozen=True, slots=True)
class CsvBlock:
    """Whole lines of a CSV file, by place, read and parsed where they are used (a worker
    process): its rows, numbered from the block's first line, and (see `_Lines`) any it reads
    past its end to finish the last one. The file's first block starts with the lines before
    the rows (`skip`: a title block and the header), which it counts but does not read."""

    path: Path
    offset: int
    size: int
    encoding: str
    delimiter: str
    width: int
    skip: int = 0

    def read(self) -> BlockRows:
        data = read_bytes(self.path, self.offset, self.size)
        physical = enumerate(text_lines(data, self.encoding), start=1)
        for _ in range(self.skip):
            next(physical, None)
        found = BlockRows(
            iter(()), line_breaks(data)
        )  # its rows are read as `found` counts what is past the end
        last = found.line_breaks + (0 if data.endswith((b"\n", b"\r")) or not data else 1)
        lines = _Lines(physical, _PastEnd(self.path, self.offset + self.size, self.encoding, last, found))
        found.records = _rows(
            lines, csv.reader(lines.feed(), delimiter=self.delimiter), self.delimiter, self.width
        )
        return found

    def starting_at(self, offset: int) -> CsvBlock:
        """The part of this block from byte `offset` on, to read again from there."""
        return replace(self, offset=offset, size=self.offset + self.size - offset, skip=0)


# Read after a nominal cut to find where a row starts there; four times more at a time (up to
# the most) while none is found (long quoted fields).
CUT_CHECK_BYTES = 1 << 16
CUT_CHECK_MOST_BYTES = 1 << 22


def read_csv_blocks(
    path: Path, handle: BinaryIO, block_bytes: int, is_header: Callable[[list[str]], bool] | None = None
) -> Iterator[CsvBlock] | None:
    """The file in blocks of whole lines (see blocks.spans), each cut where a row surely starts
    (see _row_start); None when its encoding cannot be cut so (UTF-16) or its rows start past
    its first FIRST_BLOCK_BYTES."""
    opened = read_csv(path, handle, is_header)
    encoding, delimiter, width = opened.encoding, opened.delimiter, len(opened.header)
    if encoding not in BLOCK_ENCODINGS:
        return None
    start = len(BLOCK_ENCODINGS[encoding])
    handle.seek(start)
    data_start = _after_lines(handle.read(FIRST_BLOCK_BYTES), opened.data_line - 1)
    if data_start is None:
        return None

    def cut(handle: BinaryIO, at: int, total: int) -> int:
        return _row_start(
            handle, line_end(handle, max(at, start + data_start), total), total, encoding, delimiter
        )

    spans = block_spans(handle, start, path.stat().st_size, block_bytes, cut)
    return (
        CsvBlock(
            path, offset, size, encoding, delimiter, width, opened.data_line - 1 if offset == start else 0
        )
        for offset, size in spans
    )


_LINE_BREAK = re.compile(rb"\r\n|\n|\r")


def _after_lines(data: bytes, lines: int) -> int | None:
    """Where the first `lines` lines of `data` end (None if it has fewer)."""
    if lines == 0:
        return 0
    breaks = _LINE_BREAK.finditer(data)
    found = next(islice(breaks, lines - 1, None), None)
    return None if found is None or found.end() == len(data) else found.end()


def _row_start(handle: BinaryIO, at: int, total: int, encoding: str, delimiter: str) -> int:
    """Where a row surely starts from the line start at byte `at` on (`at` when none is found).

    At a line start the csv module is either between rows or inside a quoted field that spans
    lines. The lines from `at` are read both ways (the second with a quote put before them);
    where both readings end a row, the true one does too, whichever it is. (A check that rows of
    the header's width follow is fooled by a quoted field's last line that holds as many commas
    as the fields before it.)"""
    size = CUT_CHECK_BYTES
    while True:
        handle.seek(at)
        window = handle.read(size)
        complete = at + len(window) >= total
        raw = window.split(b"\n")
        if raw[-1] == b"" or not complete:
            raw.pop()  # the part after the last line break (a line read in part)
        lines = [decode(line + b"\n", encoding) for line in raw]
        if lines:
            inside = set(_row_ends(['"' + lines[0], *lines[1:]], delimiter, complete))
            common = next((end for end in _row_ends(lines, delimiter, complete) if end in inside), None)
            if common is not None:
                return at + sum(map(len, raw[:common])) + common
        if complete or size >= CUT_CHECK_MOST_BYTES:
            return at
        size *= 4


def _row_ends(lines: list[str], delimiter: str, complete: bool) -> Iterator[int]:
    """After how many of `lines` each row the csv module reads in them ends (not the last, which
    may go on past them unless they are `complete`)."""
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        for _ in reader:
            if reader.line_num < len(lines) or complete:
                yield reader.line_num
    except csv.Error:
        return
