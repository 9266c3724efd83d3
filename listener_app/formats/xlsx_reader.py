"""XLSX reading with openpyxl in read-only mode: rows are streamed from the first sheet."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from listener_app.formats.sniff import ImportFormatError, check_text_file

HEADER_SEARCH_ROWS = 10  # exports with a title block above the header row


def read_xlsx(
    path: Path, is_header: Callable[[list[str]], bool] | None = None
) -> tuple[list[str], Iterator[tuple[int, list[Any]]], Callable[[], None]]:
    """(header, (row number, cells) pairs, close). The header is the first row among the
    first few for which `is_header` says yes (else the first non-empty row)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not zipfile.is_zipfile(path):
        with path.open("rb") as handle:
            head = handle.read(4096)
        check_text_file(path, head, "an XLSX workbook")  # names what it is when it can
        raise ImportFormatError(f"{path.name} is not an XLSX workbook (a CSV file? rename it .csv)")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ImportFormatError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    if not book.worksheets:
        book.close()
        raise ImportFormatError(f"{path.name} has no worksheet")
    rows = enumerate(book.worksheets[0].iter_rows(values_only=True), start=1)
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

    def body() -> Iterator[tuple[int, list[Any]]]:
        for number, row in chain(skipped, rows):  # never a list: rows stream
            if any(cell not in (None, "") for cell in row):
                yield number, list(row)

    return header, body(), book.close
