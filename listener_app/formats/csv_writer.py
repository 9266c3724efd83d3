"""CSV export that Excel opens correctly: UTF-8 with a BOM, CRLF, and no cell that can run as
a formula. Lists are joined with "; " (notes with " | "), or written as a JSON list when an
element holds a separator; the importer reads both back (records.split_list)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from listener_app.formats.records import FORMULA_RISK, NOTE_SEPARATOR, TAG_SEPARATOR

CSV_COLUMNS = (
    "id", "source", "external_id", "url", "author", "author_handle", "author_url", "title", "text",
    "published_at", "lang", "status", "starred", "tags", "notes", "sentiment", "sentiment_score",
    "sentiment_origin", "intent", "intent_origin", "trackers", "reach", "links", "metrics",
    "parent_external_id", "thread_external_id", "ours", "fetched_at",
)  # fmt: skip
_LIST_SEPARATORS = {
    "tags": TAG_SEPARATOR,
    "trackers": TAG_SEPARATOR,
    "links": TAG_SEPARATOR,
    "notes": NOTE_SEPARATOR,
}
_AMBIGUOUS = {"tags": ",;|", "trackers": ",;|", "links": "; \t\n", "notes": "|"}


def safe_cell(value: Any) -> Any:
    """A spreadsheet cell that cannot run as a formula (CSV/XLSX injection): text starting with
    = + - @ tab or CR (after any quotes) gets one leading quote, which the importer removes."""
    if isinstance(value, str) and FORMULA_RISK.match(value):
        return "'" + value
    return value


def list_cell(column: str, values: list[str] | None) -> str:
    values = values or []
    joined = _LIST_SEPARATORS[column].join(values)
    risky = _AMBIGUOUS[column]
    if joined.startswith("[") or any(ch in value for value in values for ch in risky):
        return json.dumps(values, ensure_ascii=False)
    return joined


def flat(record: dict[str, Any]) -> list[Any]:
    """One record as a row of CSV_COLUMNS (Excel-safe)."""
    row = []
    for column in CSV_COLUMNS:
        value = record.get(column)
        if column in _LIST_SEPARATORS:
            value = list_cell(column, value)
        elif column == "metrics":
            value = json.dumps(value, sort_keys=True) if value else ""
        elif column in ("starred", "ours"):
            value = "yes" if value else ""
        row.append(safe_cell(value))
    return row


def write_csv(out: IO[str], records: Iterable[dict[str, Any]]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    written = 0
    for record in records:
        writer.writerow(flat(record))
        written += 1
    return written
