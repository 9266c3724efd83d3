"""CSV (and TSV) reading: sniffed encoding and delimiter, physical line numbers, and recovery
from broken quoting so that one bad row never takes the rest of the file with it."""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from listener_app.formats.sniff import ImportFormatError, open_text, read_head

DELIMITERS = ",;\t|"
MAX_FIELD_CHARS = 64 * 1024 * 1024  # a 10 MB post fits; a stray quote cannot swallow more than this
CSV_ERROR = "\x00csv error: "  # marks a row the csv module could not read (the rest is the reason)

csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample: the candidate that splits the header into the most
    columns and splits the next lines the same way (spreadsheets in many locales use ';')."""
    lines = [line for line in sample.lstrip("\ufeff").splitlines()[:6] if line.strip()]
    if not lines:
        return ","

    def fields(line: str, delimiter: str) -> int:
        return len(next(csv.reader([line], delimiter=delimiter), []))

    def score(delimiter: str) -> tuple[int, int]:
        width = fields(lines[0], delimiter)
        consistent = sum(fields(line, delimiter) == width for line in lines[1:-1])
        return (width if width > 1 else 0, consistent)

    return max(DELIMITERS, key=score)


def read_csv(path: Path, handle: BinaryIO) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and (physical line number, row) pairs; rows of the wrong width are yielded
    as they are (the caller reports them).

    A stray quote makes the csv module swallow the following lines into one field. When a row
    that spans several lines has the wrong number of fields (or the csv module gives up on it),
    only its first line is given up and the lines after it are read again as rows of their own.
    """
    encoding = read_head(path, handle, "a CSV file")
    head = handle.read(65536)
    handle.seek(0)
    delimiter = sniff_delimiter(head.decode(encoding, errors="replace"))
    physical = enumerate(open_text(handle, encoding), start=1)
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
