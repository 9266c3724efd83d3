"""XLSX export (openpyxl write-only: rows go straight to disk), one sheet per search."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from listener_app.formats.csv_writer import CSV_COLUMNS, flat

MAX_CELL_CHARS = 32_000  # Excel's limit is 32,767


def write_xlsx(path: Path, sheets: dict[str, Iterable[dict[str, Any]]]) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    written = 0
    titles: set[str] = set()
    for name, records in sheets.items():
        sheet = book.create_sheet(title=_sheet_title(name, titles))
        sheet.append(list(CSV_COLUMNS))
        for record in records:
            sheet.append([_xlsx_value(v) for v in flat(record)])
            written += 1
    if not sheets:
        book.create_sheet(title="Mentions").append(list(CSV_COLUMNS))
    book.save(path)
    return written


def _sheet_title(name: str, taken: set[str]) -> str:
    cleaned = "".join(ch for ch in name if ch not in "[]:*?/\\'")[:31].strip() or "Mentions"
    title, n = cleaned, 2
    while title.lower() in taken:
        title = f"{cleaned[:27]} ({n})"
        n += 1
    taken.add(title.lower())
    return title


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)  # XML forbids the rest
        if len(value) > MAX_CELL_CHARS:
            return value[:MAX_CELL_CHARS] + " …"
    return value
