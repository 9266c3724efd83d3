"""Reading a file of mentions as records: the format from its suffix, the columns matched (by
name, a tool's preset, or the user's map), and chunks of numbered records turned into Items
(`records_to_items` runs in worker processes for big files). No storing: the workspace facade
decides where the Items go.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path
from typing import Any, NamedTuple

from listener_app.domain.models import Item
from listener_app.domain.normalize import owner_key
from listener_app.formats.columns import detect_preset, looks_like_header, match_columns
from listener_app.formats.csv_reader import CSV_ERROR, CsvBlock, read_csv, read_csv_blocks
from listener_app.formats.json_reader import (
    ArrayBlock,
    LineBlock,
    parse_line,
    read_json,
    read_json_blocks,
    read_jsonl,
    read_jsonl_blocks,
)
from listener_app.formats.mapping import (
    NO_PLATFORM,
    SAMPLE_ROWS,
    MappingSummary,
    Understanding,
    name_words,
    understand,
)
from listener_app.formats.records import platform_named, source_kind, to_item
from listener_app.formats.sniff import ImportFormatError, open_binary
from listener_app.formats.xlsx_reader import read_xlsx

FORMATS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
}  # fmt: skip
UNITS = {"csv": "line", "jsonl": "line", "xlsx": "row", "json": "item"}
FILE_KINDS = {
    "csv": "a CSV file",
    "jsonl": "a JSON Lines file",
    "xlsx": "an XLSX workbook",
    "json": "a JSON file",
}
# Spreadsheets people save that are not read: what to do instead
OTHER_SHEETS = {
    ".xls": "an Excel 97-2003 workbook: save it as .xlsx (Excel Workbook) or CSV",
    ".ods": "an OpenDocument spreadsheet: save it as .xlsx or CSV",
    ".numbers": "a Numbers spreadsheet: export it as CSV or Excel",
}
CHUNK_ROWS = 5000
# A chunk of records read in this process (a CSV file's, a sheet's, a JSON array's) waits in its
# memory until a worker takes it, and the worker holds it whole, several times over as it
# normalizes it. So a chunk also ends once its records take about CHUNK_BYTES, estimated from
# their text and VALUE_BYTES for each value's own object (and each key's: a JSON object's keys
# are its own). In chunks of 5,000 rows alone, a CSV file of 20,000 articles of 8 KB took the
# import's processes to 451 MB, and a JSON array of 200,000 posts to 309 MB scored; now 164 and
# 233 MB. (Chunks of 4 MB: as fast, and 20-40 MB more.)
CHUNK_BYTES = 2_000_000
VALUE_BYTES = 60

Numbered = list[tuple[int, Any]]
Chunk = tuple[Numbered | LineBlock | CsvBlock | ArrayBlock, dict[str, Any]]


def records_to_items(
    chunk: tuple[Numbered, dict[str, Any]],
) -> tuple[list[tuple[int, Item]], list[tuple[int, str]]]:
    """Module-level (it runs in worker processes): numbered records (a block's lines are read
    first: workspace.preparing) to numbered Items."""
    records, columns = chunk
    width = columns.get("__width__")
    source = columns.get("__source__")
    ours = columns.get("__ours__")
    explicit, preset = columns.get("__explicit__"), columns.get("__preset__")
    keys, matched = None, columns
    items: list[tuple[int, Item]] = []
    errors: list[tuple[int, str]] = []
    for number, record in records:
        nested = True
        if isinstance(record, str | bytes):  # a JSON Lines line, parsed here (in a worker for big files)
            # an object within the line's object needs an opening brace of its own (found with
            # two finds: counting them reads the whole line a character at a time)
            brace = b"{" if isinstance(record, bytes) else "{"
            nested = record.find(brace, record.find(brace) + 1) >= 0
            record = parse_line(record)
        if isinstance(record, Exception):
            errors.append((number, str(record)))
            continue
        if isinstance(record, list) and record and str(record[0]).startswith(CSV_ERROR):
            errors.append((number, f"unreadable row ({record[0][len(CSV_ERROR) :]})"))
            continue
        if isinstance(record, list) and width is not None and len(record) != width:
            errors.append((number, f"expected {width} fields, found {len(record)} (broken quoting?)"))
            continue
        if not isinstance(record, list | dict):
            errors.append((number, f"not an object but {type(record).__name__}"))
            continue
        try:
            if isinstance(record, dict):
                if nested:
                    record = _flatten(record)
                record_keys = tuple(record)
                if record_keys != keys:  # the records of a file mostly share their keys
                    matched, keys = _match_keys(record_keys, explicit, preset), record_keys
                item = to_item(record, matched, source)
            else:
                item = to_item(record, columns, source)
            if ours and item.author is not None:
                item.ours = item.ours or bool(
                    {owner_key(item.author.handle), owner_key(item.author.display_name)} & ours
                )
            items.append((number, item))
        except (ValueError, TypeError, OverflowError) as exc:
            errors.append((number, str(exc)))
        except RecursionError:
            errors.append((number, "nested too deeply to read"))
    return items, errors


def _flatten(record: dict[str, Any]) -> dict[str, Any]:
    """Nested objects one level deep as dotted keys too ('author': {'name'} -> 'author.name')."""
    if dict not in map(type, record.values()):  # JSON objects decode as plain dicts
        return record
    flat = dict(record)
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update((f"{key}.{inner}", v) for inner, v in value.items() if f"{key}.{inner}" not in flat)
    return flat


@lru_cache(maxsize=512)
def _match_keys(
    keys: tuple[str, ...], explicit: tuple[tuple[str, str], ...], preset: str | None
) -> dict[str, Any]:
    """Columns of a JSON record (records may differ in which keys they carry)."""
    indexes = match_columns(keys, explicit=dict(explicit), preset=preset, strict=False)
    return {name: keys[index] for name, index in indexes.items()}


def chunks(
    records: Iterable[tuple[int, Any]], columns: dict[str, Any], progress: Callable[[], None]
) -> Iterator[Chunk]:
    """Records read here (a CSV file's, a sheet's, a JSON array's), CHUNK_ROWS at a time, or
    fewer when they take about CHUNK_BYTES of memory before that (long posts, wide objects)."""
    iterator = iter(records)
    while True:
        chunk: Numbered = []
        size = 0
        for entry in iterator:
            chunk.append(entry)
            size += _footprint(entry[1])
            if len(chunk) == CHUNK_ROWS or size >= CHUNK_BYTES:
                break
        if not chunk:
            return
        progress()
        yield chunk, columns


def _footprint(record: Any) -> int:
    """About the memory a record takes, in bytes: its text, and VALUE_BYTES for each value."""
    if isinstance(record, str | bytes):
        return len(record) + VALUE_BYTES
    if isinstance(record, dict):
        return _text_length(record.values()) + sum(map(len, record)) + 2 * VALUE_BYTES * len(record)
    if isinstance(record, list):
        return _text_length(record) + VALUE_BYTES * len(record)
    return 0  # a line that failed to parse


def _text_length(values: Iterable[Any]) -> int:
    try:
        return sum(map(len, values))  # a CSV row: text alone
    except TypeError:  # a sheet's numbers and dates, JSON's nulls
        return sum(len(value) for value in values if isinstance(value, str))


def line_blocks(
    path: Path,
    fmt: str,
    columns: dict[str, Any],
    stack: ExitStack,
    progress: Callable[[int], None],
    block_bytes: int,
) -> Iterator[Chunk] | None:
    """A JSON Lines, CSV or JSON file's chunks as blocks of its raw bytes of about `block_bytes`
    (whole lines, or whole elements of a JSON array written on one line; None for a sheet, or a
    file that cannot be cut so: UTF-16, a JSON array of other things than records); the file was
    checked already."""
    if fmt not in ("jsonl", "csv", "json"):
        return None
    handle = stack.enter_context(open_binary(path))
    blocks: Iterator[LineBlock | CsvBlock | ArrayBlock] | None
    if fmt == "csv":
        blocks = read_csv_blocks(path, handle, block_bytes, looks_like_header)
    elif fmt == "json":
        blocks = read_json_blocks(path, handle, block_bytes)
    else:
        blocks = read_jsonl_blocks(path, handle, block_bytes)
    if blocks is None:
        return None

    def chunks() -> Iterator[Chunk]:
        for block in blocks:
            progress(handle.tell())
            yield block, columns

    return chunks()


def format_of(path: Path) -> str | None:
    """What a file of mentions is read as, by its name: csv, xlsx, json or jsonl (None for
    another kind). A workbook renamed .xls is read as the XLSX it is (a zip: an .xls is not)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None and path.suffix.lower() == ".xls" and path.is_file() and zipfile.is_zipfile(path):
        return "xlsx"
    return fmt


def unsupported(path: Path) -> str:
    """Why a file of mentions with this name cannot be read, and what to do."""
    other = OTHER_SHEETS.get(path.suffix.lower())
    return (
        f"{path.name} is {other}"
        if other
        else f"{path.name}: unsupported file type; use CSV, XLSX, JSON or JSONL"
    )


class Opened(NamedTuple):
    """An open file of records: what `records_to_items` needs, and how its columns were read."""

    records: Iterator[tuple[int, Any]]
    columns: dict[str, Any]
    preset: str | None
    position: Callable[[], int]  # bytes read so far
    summary: MappingSummary


def _require_text(headers: Sequence[object], understanding: Understanding) -> None:
    if "text" not in understanding.fields and "title" not in understanding.fields:
        shown = ", ".join(str(h) for h in headers[:12])
        raise ImportFormatError(
            "No column with the post's text (looked for text, content, message, snippet... and for a "
            f"column of long free text). Columns: {shown}. Use --map COLUMN=text"
        )


def _tabular(
    path: Path,
    header: list[str],
    rows: Iterator[tuple[int, list[Any]]],
    explicit: dict[str, str],
    preset: str | None,
    strict: bool,
) -> tuple[Iterator[tuple[int, Any]], dict[str, Any], str | None, MappingSummary]:
    """Rows of a sheet: the first SAMPLE_ROWS decide the columns (by name and by value)."""
    preset = preset or detect_preset(header)
    head = list(islice(rows, SAMPLE_ROWS))
    sample = [r for _, r in head if len(r) == len(header) and not str(r[0]).startswith(CSV_ERROR)]
    understanding = understand(header, sample, explicit=explicit, preset=preset)
    if strict:
        _require_text(header, understanding)
    columns: dict[str, Any] = dict(understanding.fields)
    columns["__width__"] = len(header)
    columns["__source__"] = understanding.summary.source
    return chain(head, rows), columns, preset, understanding.summary


def _objects(
    path: Path, records: Iterator[tuple[int, Any]], explicit: dict[str, str], preset: str | None, strict: bool
) -> tuple[Iterator[tuple[int, Any]], dict[str, Any], str | None, MappingSummary]:
    """JSON records: refused if none of the first SAMPLE_ROWS objects has a text-like key (or
    there is none), or --map names a key none of them has; those objects decide the columns,
    which every record's own keys then follow."""
    leading: Numbered = []
    objects: list[dict[str, Any]] = []
    for number, record in records:
        if isinstance(record, str):
            record = parse_line(record)
        leading.append((number, record))
        if isinstance(record, dict):
            objects.append(_flatten(record))
        elif not isinstance(record, Exception) and not objects:
            break  # the first value decides: not objects at all
        if len(objects) >= SAMPLE_ROWS or (not objects and len(leading) > 100):
            break
    if not leading:
        raise ImportFormatError(f"{path.name} has no records")
    if not objects:
        first = leading[-1][1]
        if len(leading) > 100:
            raise ImportFormatError(f"{path.name}: the first 100 lines are not valid JSON")
        if isinstance(first, Exception):
            raise ImportFormatError(f"{path.name} has no valid JSON records ({first})")
        raise ImportFormatError(f"{path.name} holds {type(first).__name__} values, not objects (records)")
    keys = list(dict.fromkeys(key for record in objects for key in record))
    preset = preset or detect_preset(keys)
    if strict:  # refuses a file with no text-like key (records merged from two tools differ in theirs)
        match_columns(tuple(keys), explicit=explicit, preset=preset)
    understanding = understand(
        keys, [[o.get(k) for k in keys] for o in objects], explicit=explicit, preset=preset, records=True
    )
    columns = {
        "__explicit__": tuple(understanding.explicit_map(keys).items()),
        "__preset__": preset,
        "__width__": None,
        "__source__": understanding.summary.source,
    }
    return chain(leading, records), columns, preset, understanding.summary


def open_file(
    path: Path,
    fmt: str,
    explicit: dict[str, str],
    preset: str | None,
    stack: ExitStack,
    *,
    ours: Sequence[str] = (),
    source: str | None = None,
    strict: bool = True,
    sampling: bool = False,
) -> Opened:
    """A file opened for reading records; ImportFormatError for a bad one.

    `ours`: the handles or names the brand writes under ("this is us"): rows by them are the
    brand's own. `source`: the platform the whole file comes from, when the user says so (rows
    whose platform column or link names one keep theirs). `strict=False` (a preview) opens a
    file with no text column too: its summary says so, and the user may map one. `sampling`:
    only the first rows will be read (a preview)."""
    handle = None
    if fmt == "xlsx":
        header, rows, close = read_xlsx(path, looks_like_header, sampling=sampling)
        stack.callback(close)
        records, columns, chosen, summary = _tabular(path, header, rows, explicit, preset, strict)
    else:
        handle = stack.enter_context(open_binary(path))
        if fmt == "csv":
            header, rows, *_ = read_csv(path, handle, looks_like_header)
            records, columns, chosen, summary = _tabular(path, header, rows, explicit, preset, strict)
        else:
            read = read_jsonl if fmt == "jsonl" else read_json
            records, columns, chosen, summary = _objects(path, read(path, handle), explicit, preset, strict)
    per_row = any(c.field == "source" for c in summary.choices)
    named = None if summary.source or per_row else platform_named(name_words(path.stem))
    if source or named:
        columns["__source__"] = summary.source = source_kind(source) if source else named
        summary.source_why = (
            "you chose it" if source else f"the file's name says so ({path.name})"
        ) + "; rows whose platform column or link names one keep theirs"
        summary.warnings = [w for w in summary.warnings if not w.startswith(NO_PLATFORM)]
    if ours:
        columns["__ours__"] = frozenset(owner_key(name) for name in ours if name.strip())

    def position() -> int:
        return handle.tell() if handle is not None and not handle.closed else 0

    return Opened(records, columns, chosen, position, summary)
