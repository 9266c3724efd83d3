"""Writing records to files: the export formats, each written beside its target and renamed into
place at the end, so a failed or cancelled export never leaves half a file under the requested
name. Records have the documented shape of docs/export-format.md."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from listener_app.domain.errors import UserError
from listener_app.formats.csv_writer import write_csv
from listener_app.formats.json_writer import write_json, write_jsonl
from listener_app.formats.markdown_writer import write_md
from listener_app.formats.xlsx_writer import write_xlsx

FORMATS = ("csv", "json", "jsonl", "md", "xlsx")
STREAMABLE = ("csv", "json", "jsonl", "md")  # can be written to standard output

Records = Iterable[dict[str, Any]]


def export_format(fmt: str) -> str:
    """The format named by `fmt` (a suffix or a name: 'markdown', '.ndjson'); UserError if unknown."""
    fmt = fmt.lower().lstrip(".")
    fmt = {"markdown": "md", "ndjson": "jsonl"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise UserError(f"Unknown export format {fmt!r}; use {', '.join(FORMATS)}")
    return fmt


def atomic(out_path: Path, write: Callable[[Path], int]) -> int:
    """Write through `write(temporary path)` beside `out_path`, then rename it into place; a
    full disk or a folder that cannot be written is a UserError, with nothing left behind."""
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", dir=out_path.parent)
    except OSError as exc:
        raise UserError(f"Cannot write {out_path}: {exc.strerror or exc}") from exc
    os.close(handle)
    os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the export from the user's other tools
    try:
        written = write(Path(tmp))
        os.replace(tmp, out_path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UserError(
                f"The disk is full: {out_path.name} was not written (nothing was left behind)"
            ) from exc
        if isinstance(exc, OSError):
            raise UserError(f"Cannot write {out_path}: {exc.strerror or exc}") from exc
        raise
    return written


def write_records(fmt: str, rows: Records, out_path: str | Path | IO[str], *, query: str, total: int) -> int:
    """Write `rows` in `fmt` to `out_path` (a path, or an open text stream for csv/json/jsonl/md);
    returns how many were written. `query` and `total` head a Markdown file."""

    def text_writer(out: IO[str]) -> int:
        if fmt == "csv":
            return write_csv(out, rows)
        if fmt == "jsonl":
            return write_jsonl(out, rows)
        if fmt == "json":
            return write_json(out, rows)
        return write_md(out, rows, query, total)

    if not isinstance(out_path, str | Path):
        if fmt not in STREAMABLE:
            raise UserError("XLSX cannot be written to standard output; give a file name")
        return text_writer(out_path)
    path = Path(out_path)
    if fmt == "xlsx":
        return atomic(path, lambda tmp: write_xlsx(tmp, {query or "Mentions": rows}))

    def write(tmp: Path) -> int:
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"  # the BOM tells Excel it is UTF-8
        with tmp.open("w", encoding=encoding, newline="") as out:
            return text_writer(out)

    return atomic(path, write)


def write_sheets(sheets: dict[str, Records], out_path: str | Path) -> int:
    """One XLSX sheet per named group of records."""
    return atomic(Path(out_path), lambda tmp: write_xlsx(tmp, sheets))
