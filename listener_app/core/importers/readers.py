"""Streaming readers: each yields (line number, record) with bounded memory, and says clearly
when a file is not what its name claims."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from listener_app.core.importers.columns import ImportFormatError

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
    b"PK\x03\x04": "a ZIP archive (an XLSX file must be named .xlsx)",
    b"SQLite format 3": "a SQLite database",
}


def sniff_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) > 4 and head[1:4:2] == b"\x00\x00" and head[0:4:2] != b"\x00\x00":
        return "utf-16-le"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def check_not_binary(path: Path, head: bytes, expected: str) -> None:
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise ImportFormatError(f"{path.name} is {what}, not {expected}")
    lowered = head[:512].lower().lstrip()
    if lowered.startswith((b"<!doctype html", b"<html")):
        raise ImportFormatError(f"{path.name} is a web page (HTML), not {expected}")
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if sniff_encoding(head).startswith("utf-16"):
            return
        raise ImportFormatError(f"{path.name} is a binary file, not {expected}")


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

    return max(",;\t|", key=score)


def _text(handle: BinaryIO, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")


def read_csv(path: Path, handle: BinaryIO) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header and (line number, row) pairs; rows of the wrong length are yielded as they are.

    A stray quote makes the csv module swallow every following line into one field; when a
    row that spans several lines has the wrong number of fields, only its first line is given
    up and the lines after it are read again as rows of their own.
    """
    head = handle.read(65536)
    check_not_binary(path, head, "a CSV file")
    if not head.strip():
        raise ImportFormatError(f"{path.name} is empty")
    encoding = sniff_encoding(head)
    handle.seek(0)
    delimiter = sniff_delimiter(head.decode(encoding, errors="replace"))
    physical = enumerate(_text(handle, encoding), start=1)
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
    except (StopIteration, csv.Error) as exc:
        raise ImportFormatError(f"{path.name} has no header row") from exc
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
                yield (consumed[0][0] if consumed else 0), [f"\x00csv error: {exc}"]
                continue
            first = consumed[0][0] if consumed else 0
            if len(row) != width and len(consumed) > 1:
                pending.extendleft(reversed(consumed[1:]))
                row = next(csv.reader([consumed[0][1]], delimiter=delimiter), [])
                reader = csv.reader(feed(), delimiter=delimiter)  # the old one saw the end of the file
            if any(cell.strip() for cell in row):
                yield first, row

    return header, rows()


def read_jsonl(path: Path, handle: BinaryIO) -> Iterator[tuple[int, Any]]:
    head = handle.read(4096)
    check_not_binary(path, head, "a JSON Lines file")
    handle.seek(0)
    for number, line in enumerate(_text(handle, sniff_encoding(head)), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, ValueError(f"not valid JSON ({exc.msg})")


def read_json(path: Path, handle: BinaryIO) -> Iterator[tuple[int, Any]]:
    """Objects of a top-level array (or of the first list under a common key), streamed: the
    file is decoded one object at a time, never loaded whole."""
    head = handle.read(4096)
    check_not_binary(path, head, "a JSON file")
    handle.seek(0)
    stream = _text(handle, sniff_encoding(head))
    decoder = json.JSONDecoder()
    buffer = ""
    position = 0

    def fill() -> bool:
        nonlocal buffer, position
        chunk = stream.read(1 << 20)
        buffer = buffer[position:] + chunk
        position = 0
        return bool(chunk)

    def skip(chars: str) -> str:
        nonlocal position
        while True:
            while position < len(buffer) and buffer[position] in chars:
                position += 1
            if position < len(buffer) or not fill():
                return buffer[position : position + 1]

    first = skip(" \t\r\n\ufeff")
    if first == "{":  # {"mentions": [...]} and friends: small wrappers are read whole
        fill_all = buffer + stream.read()
        try:
            data = json.loads(fill_all)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno}") from exc
        items = next(
            (
                data[k]
                for k in ("mentions", "data", "results", "items", "records")
                if isinstance(data.get(k), list)
            ),
            None,
        )
        if items is None:
            raise ImportFormatError(
                f"{path.name} has no list of mentions (expected an array or a 'mentions' list)"
            )
        yield from enumerate(items)
        return
    if first != "[":
        raise ImportFormatError(f"{path.name} is not a JSON array of objects")
    position += 1
    index = 0
    while True:
        token = skip(" \t\r\n,")
        if token == "]":
            return
        if token == "":
            raise ImportFormatError(f"{path.name} ends before its array is closed (truncated?)")
        while True:
            try:
                value, end = decoder.raw_decode(buffer, position)
                break
            except json.JSONDecodeError as exc:
                if not fill():
                    if index == 0:
                        raise ImportFormatError(f"{path.name} is not valid JSON: {exc.msg}") from exc
                    yield index, ValueError(f"not valid JSON ({exc.msg}); the rest of the file was skipped")
                    return
        position = end
        yield index, value
        index += 1


def read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ImportFormatError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [str(h) if h is not None else "" for h in next(rows)]
    except StopIteration as exc:
        raise ImportFormatError(f"{path.name} has an empty first sheet") from exc

    def body() -> Iterator[tuple[int, list[Any]]]:
        for number, row in enumerate(rows, start=2):
            if any(cell not in (None, "") for cell in row):
                yield number, list(row)
        book.close()

    return header, body()
