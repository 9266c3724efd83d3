"""Staging files for a large import: worker processes write normalized rows into small SQLite
files of their own, and the single writer copies them into the workspace with INSERT ... SELECT.

No row crosses a process boundary as Python objects, and the writer spends no Python per row on
what is surely new (core.parallel_ingest decides which rows those are). A staging file is scratch:
written without a journal, attached by the writer for one transaction, then deleted.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

from listener_app.store.connection import Store
from listener_app.store.disk import disk_full, is_disk_full
from listener_app.store.mentions import INSERT_COLUMNS

# The mention columns a staged row carries (its id and author id are given by the writer),
# then its author (a number in the file's own authors table) and, as JSON, what few rows have:
# tags, notes, a derived id, automatic labels other than its own.
MENTION_COLUMNS = tuple(c for c in INSERT_COLUMNS if c not in ("id", "author_id"))
COLUMNS = (*MENTION_COLUMNS, "author", "extra")
AUTHOR_COLUMNS = ("platform", "handle", "display_name", "profile_url", "reach")
MAX_ATTACHED = 8  # SQLite attaches at most 10 files to one connection


def write_rows(path: Path, rows: Sequence[Sequence[Any]], authors: Sequence[Sequence[Any]]) -> None:
    """A staging file holding `rows` (tuples in COLUMNS order) at positions 1, 2, ... and
    `authors` (tuples in AUTHOR_COLUMNS order) numbered 0, 1, ...

    Columns no row has a value for are left out of the INSERT (they read as NULL all the same):
    the sqlite3 module looks for an adapter for every None it binds, and a chunk's rows have a
    dozen each (sentiment, intent, links...); leaving out those of the columns that are empty
    throughout writes a chunk in 4.2 µs a row instead of 5.0."""
    filled = [i for i in range(len(COLUMNS)) if any(row[i] is not None for row in rows)] or [0]
    names = ", ".join(COLUMNS[i] for i in filled)
    pick = itemgetter(*filled) if len(filled) > 1 else lambda row: (row[filled[0]],)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute(f"CREATE TABLE rows (pos INTEGER PRIMARY KEY, {', '.join(COLUMNS)})")
        conn.execute(f"CREATE TABLE authors (ref INTEGER PRIMARY KEY, {', '.join(AUTHOR_COLUMNS)})")
        conn.execute("BEGIN")
        conn.executemany(
            f"INSERT INTO rows ({names}) VALUES ({', '.join('?' * len(filled))})", map(pick, rows)
        )
        conn.executemany(
            f"INSERT INTO authors (ref, {', '.join(AUTHOR_COLUMNS)}) VALUES (?, {', '.join('?' * len(AUTHOR_COLUMNS))})",
            ((ref, *author) for ref, author in enumerate(authors)),
        )
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if is_disk_full(exc):  # a worker's error crosses back to the writer as one line
            raise disk_full(path.parent, "the import") from exc
        raise
    finally:
        conn.close()


@contextlib.contextmanager
def attaching(ws: Store) -> Iterator[Callable[[Path], str]]:
    """Yields a function that attaches a staging file (inside a transaction too) and returns
    the schema it is attached as; every file is detached at the end, which SQLite allows only
    outside a transaction (so the caller's ends first)."""
    aliases: list[str] = []

    def attach(path: Path) -> str:
        if len(aliases) == MAX_ATTACHED:
            raise ValueError(f"at most {MAX_ATTACHED} staging files at once")
        alias = f"stage{len(aliases)}"
        ws.execute("ATTACH DATABASE ? AS " + alias, (str(path),))
        aliases.append(alias)
        return alias

    try:
        yield attach
    finally:
        for alias in aliases:
            ws.execute(f"DETACH DATABASE {alias}")


def upsert_authors(ws: Store, alias: str) -> None:
    """Add the staged authors, and refresh known ones with what the file says of them (a value
    the file leaves empty keeps the stored one)."""
    ws.execute(
        f"""
        INSERT INTO authors ({", ".join(AUTHOR_COLUMNS)})
        SELECT {", ".join(AUTHOR_COLUMNS)} FROM {alias}.authors WHERE true
        ON CONFLICT (platform, handle) DO UPDATE SET
            display_name = coalesce(excluded.display_name, display_name),
            profile_url = coalesce(excluded.profile_url, profile_url),
            reach = coalesce(excluded.reach, reach)
        WHERE coalesce(excluded.display_name, display_name) IS NOT display_name
           OR coalesce(excluded.profile_url, profile_url) IS NOT profile_url
           OR coalesce(excluded.reach, reach) IS NOT reach
        """
    )


def insert_mentions(ws: Store, alias: str, id_offset: int, skip: Sequence[int]) -> None:
    """Insert every staged row but those at the positions in `skip`, as mention `id_offset + pos`,
    linked to its author; the caller adds them to the full-text index."""
    columns = ", ".join(MENTION_COLUMNS)
    picked = ", ".join(f"r.{c}" for c in MENTION_COLUMNS)
    ws.execute(
        f"""
        INSERT INTO mentions (id, author_id, {columns})
        SELECT ? + r.pos, a.id, {picked}
        FROM {alias}.rows r
        LEFT JOIN {alias}.authors s ON s.ref = r.author
        LEFT JOIN authors a ON a.platform = s.platform AND a.handle = s.handle
        WHERE r.pos NOT IN (SELECT value FROM json_each(?))
        ORDER BY r.pos
        """,
        (id_offset, json.dumps(list(skip))),
    )


def extras(ws: Store, alias: str, positions: Sequence[int]) -> list[tuple[int, dict[str, Any], str]]:
    """(position, extra, fetched_at) of the staged rows at `positions`, which have extras."""
    if not positions:
        return []
    rows = ws.execute(
        f"SELECT pos, extra, fetched_at FROM {alias}.rows WHERE pos IN (SELECT value FROM json_each(?)) ORDER BY pos",
        (json.dumps(list(positions)),),
    )
    return [(r[0], json.loads(r[1]), r[2]) for r in rows]


def rows_at(ws: Store, alias: str, positions: Sequence[int]) -> list[dict[str, Any]]:
    """The staged rows at `positions`, in position order, as {column: value} with their author
    as {'author': {AUTHOR_COLUMNS...} or None} and extras parsed."""
    rows = ws.execute(
        f"SELECT {', '.join(f'r.{c}' for c in COLUMNS)}, {', '.join(f's.{c}' for c in AUTHOR_COLUMNS)} "
        f"FROM {alias}.rows r LEFT JOIN {alias}.authors s ON s.ref = r.author "
        "WHERE r.pos IN (SELECT value FROM json_each(?)) ORDER BY r.pos",
        (json.dumps(list(positions)),),
    )
    records = []
    for row in rows:
        record = dict(zip(COLUMNS, row[: len(COLUMNS)], strict=True))
        author = dict(zip(AUTHOR_COLUMNS, row[len(COLUMNS) :], strict=True))
        record["author"] = author if record["author"] is not None else None
        record["extra"] = json.loads(record["extra"]) if record["extra"] else {}
        records.append(record)
    return records
