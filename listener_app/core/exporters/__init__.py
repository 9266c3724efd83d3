"""Exporting any search: CSV (Excel-safe), JSON, JSON Lines, Markdown and XLSX.

Records have the documented shape of db.mentions.mention_records (docs/export-format.md) and
are streamed a chunk at a time, so exporting a million mentions uses bounded memory. The file
is written beside its target and renamed into place at the end: a failed or cancelled export
never leaves half a file under the requested name.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from listener_app.core.errors import UserError
from listener_app.core.importers.records import NOTE_SEPARATOR
from listener_app.core.tasks import TaskState
from listener_app.db.mentions import mention_records
from listener_app.db.search import count, iter_ids
from listener_app.db.workspace import Workspace

FORMATS = ("csv", "json", "jsonl", "md", "xlsx")
CSV_COLUMNS = (
    "id", "source", "external_id", "url", "author", "author_handle", "author_url", "title", "text",
    "published_at", "lang", "status", "starred", "tags", "notes", "sentiment", "sentiment_score",
    "sentiment_origin", "intent", "intent_origin", "trackers", "reach", "links", "metrics",
    "parent_external_id", "thread_external_id",
)  # fmt: skip
_RISKY = ("=", "+", "-", "@", "\t", "\r")


def records(ws: Workspace, query: str, state: TaskState | None = None) -> Iterator[dict[str, Any]]:
    done = 0
    for ids in iter_ids(ws, query, chunk=2000):
        if state is not None:
            state.check()
        yield from mention_records(ws, ids)
        done += len(ids)
        if state is not None:
            state.progress(done)


def safe_cell(value: Any) -> Any:
    """A spreadsheet cell that cannot run as a formula (CSV/XLSX injection)."""
    if isinstance(value, str) and value.startswith(_RISKY):
        return "'" + value
    return value


def flat(record: dict[str, Any]) -> list[Any]:
    row = []
    for column in CSV_COLUMNS:
        value = record.get(column)
        if column in ("tags", "trackers", "links"):
            value = "; ".join(value or [])
        elif column == "notes":
            value = NOTE_SEPARATOR.join(value or [])
        elif column == "metrics":
            value = json.dumps(value) if value else ""
        elif column == "starred":
            value = "yes" if value else ""
        row.append(safe_cell(value))
    return row


def _write_csv(out: IO[str], rows: Iterator[dict[str, Any]]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    written = 0
    for record in rows:
        writer.writerow(flat(record))
        written += 1
    return written


def _write_jsonl(out: IO[str], rows: Iterator[dict[str, Any]]) -> int:
    written = 0
    for record in rows:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written


def _write_json(out: IO[str], rows: Iterator[dict[str, Any]]) -> int:
    out.write("[")
    written = 0
    for record in rows:
        out.write(("," if written else "") + "\n  " + json.dumps(record, ensure_ascii=False))
        written += 1
    out.write("\n]\n")
    return written


def _write_md(out: IO[str], rows: Iterator[dict[str, Any]], query: str, total: int) -> int:
    out.write(f"# Mentions: {query or 'all'}\n\n{total:,} mentions.\n")
    written = 0
    for r in rows:
        heading = r["title"] or " ".join(r["text"].split())[:80]
        tags = " ".join(f"`{t}`" for t in r["tags"])
        out.write(f"\n## {heading}\n\n")
        out.write(
            f"*{r['published_at'][:16].replace('T', ' ')} UTC · {r['source']} · {r['author'] or 'unknown'} · "
            f"{r['sentiment'] or 'unscored'} · {r['intent'] or '-'} · {r['status']}*"
            + (f" · {tags}" if tags else "")
            + "\n\n"
        )
        out.write("> " + r["text"].replace("\n", "\n> ") + "\n")
        if r["url"]:
            out.write(f"\n[Original]({r['url']})\n")
        for note in r["notes"]:
            out.write(f"\n- Note: {note}\n")
        written += 1
    return written


def _write_xlsx(path: Path, sheets: dict[str, Iterator[dict[str, Any]]]) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    written = 0
    for name, rows in sheets.items():
        sheet = book.create_sheet(title=_sheet_title(name))
        sheet.append(list(CSV_COLUMNS))
        for record in rows:
            sheet.append([_xlsx_value(v) for v in flat(record)])
            written += 1
    book.save(path)
    return written


def _sheet_title(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31]
    return cleaned or "Mentions"


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 32_000:
        return value[:32_000] + " …"
    return value


def _atomic(out_path: Path, write: Callable[[Path], int]) -> int:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", dir=out_path.parent)
    os.close(handle)
    try:
        written = write(Path(tmp))
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return written


def export_query(
    ws: Workspace, query: str, fmt: str, out_path: str | Path | IO[str], *, state: TaskState | None = None
) -> int:
    """Write the mentions of `query` to `out_path` (a path, or an open text stream for csv/jsonl/json/md)."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UserError(f"Unknown export format {fmt!r}; use {', '.join(FORMATS)}")
    total = count(ws, query)  # also validates the query before any file is touched
    if state is not None:
        state.progress(0, total=total, message="Exporting")
    rows = records(ws, query, state)

    def text_writer(out: IO[str]) -> int:
        if fmt == "csv":
            return _write_csv(out, rows)
        if fmt == "jsonl":
            return _write_jsonl(out, rows)
        if fmt == "json":
            return _write_json(out, rows)
        return _write_md(out, rows, query, total)

    if not isinstance(out_path, str | Path):
        if fmt == "xlsx":
            raise UserError("XLSX cannot be written to standard output; give a file name")
        return text_writer(out_path)
    path = Path(out_path)
    if fmt == "xlsx":
        return _atomic(path, lambda tmp: _write_xlsx(tmp, {query or "Mentions": rows}))

    def write(tmp: Path) -> int:
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        with tmp.open("w", encoding=encoding, newline="") as out:
            return text_writer(out)

    return _atomic(path, write)


def export_views_xlsx(ws: Workspace, views: dict[str, str], out_path: str | Path) -> int:
    """One sheet per saved view (name -> query)."""
    for query in views.values():
        count(ws, query)
    return _atomic(
        Path(out_path), lambda tmp: _write_xlsx(tmp, {n: records(ws, q) for n, q in views.items()})
    )
