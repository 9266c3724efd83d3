"""Staging files for a large import: worker processes write normalized rows into small SQLite
files of their own, and the single writer copies them into the workspace with INSERT ... SELECT.

No row crosses a process boundary as Python objects, and the writer spends no Python per row on
what is surely new (workspace.parallel_ingest decides which rows those are). A staging file is
scratch: written without a journal, attached by the writer for one transaction, then deleted.

The files of one import live in a folder of its own in the temporary folder, which the import
holds a lock on while it runs; the next import removes the folders of imports that were killed
on the way (their lock is gone with their process).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listener_app.store.disk import disk_full, is_disk_full
from listener_app.store.rows import INSERT_COLUMNS

if TYPE_CHECKING:
    from listener_app.store.connection import Store

try:
    import fcntl
except ImportError:  # Windows, where a file held open cannot be deleted: that is the lock there
    fcntl = None  # type: ignore[assignment]

# The mention columns a staged row carries (its id and author id are given by the writer),
# then its author (a number in the file's own authors table) and, as JSON, what few rows have:
# tags, notes, a derived id, automatic labels other than its own.
MENTION_COLUMNS = tuple(c for c in INSERT_COLUMNS if c not in ("id", "author_id"))
COLUMNS = (*MENTION_COLUMNS, "author", "extra")
AUTHOR_COLUMNS = ("platform", "handle", "display_name", "profile_url", "reach")
MAX_ATTACHED = 8  # SQLite attaches at most 10 files to one connection
# A staging file is written once and read once, in order: in pages of 64 KB a worker writes a
# row in 3.95 us instead of 4.4 (4 KB pages), and the writer reads it in a sixteenth of the calls.
PAGE_BYTES = 65536
# A staging file is read once, in order: a small page cache each (the default is 2 MB; eight are
# attached at a time). Sixteen of its pages: with four, the writer read each page many times over
# (10 GB for a 200,000-row import), as the rows and the authors they name took turns.
ATTACHED_CACHE_KB = 1024
FOLDER_PREFIX = "listener-import-"
OWNER_FILE = "owner.lock"
# A folder without an owner file is an import's only for the moment between making the folder
# and locking the file (or one from before owner files): older than this, it is abandoned.
UNOWNED_GRACE_SECONDS = 600


@contextlib.contextmanager
def staging_folder() -> Iterator[Path]:
    """A new folder for one import's staging files, locked while the import runs and removed at
    the end. Folders that killed imports left behind are removed first."""
    remove_abandoned_folders()
    with tempfile.TemporaryDirectory(prefix=FOLDER_PREFIX) as name:
        folder = Path(name)
        with (folder / OWNER_FILE).open("wb") as owner:
            if fcntl is not None:
                fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
            yield folder


def remove_abandoned_folders() -> list[Path]:
    """Remove the staging folders of imports that are no longer running; returns them."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        if folder.is_dir() and _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _abandoned(folder: Path) -> bool:
    owner = folder / OWNER_FILE
    try:
        if not owner.exists():
            return time.time() - folder.stat().st_mtime > UNOWNED_GRACE_SECONDS
        if fcntl is None:
            owner.unlink()  # fails while its import holds it open
            return True
        with owner.open("rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released when closed
            return True
    except OSError:  # its import is running (BlockingIOError, PermissionError), or it is gone
        return False


class StagingWriter:
    """A staging file being written: rows added a piece at a time (at positions 1, 2, ... in
    the order added; mappings holding every one of COLUMNS, and perhaps more: a worker's
    prepared values as they are), then the authors they name (tuples in AUTHOR_COLUMNS order,
    numbered 0, 1, ...) as it is finished. Use it as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None)
        try:
            self.conn.execute(f"PRAGMA page_size = {PAGE_BYTES}")
            self.conn.execute("PRAGMA journal_mode = OFF")
            self.conn.execute("PRAGMA synchronous = OFF")
            self.conn.execute(f"CREATE TABLE rows (pos INTEGER PRIMARY KEY, {', '.join(COLUMNS)})")
            self.conn.execute(f"CREATE TABLE authors (ref INTEGER PRIMARY KEY, {', '.join(AUTHOR_COLUMNS)})")
            self.conn.execute("BEGIN")
        except sqlite3.Error as error:  # a full disk can stop it here already (a page is 64 KB)
            self.__exit__(type(error), error, None)
            raise

    def add_rows(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Columns no row has a value for are left out of the INSERT (they read as NULL all the
        same): the sqlite3 module looks for an adapter for every None it binds, and rows have a
        dozen each (sentiment, intent, links...); leaving out the columns that are empty
        throughout writes them in 4.2 us a row instead of 5.0."""
        if not rows:
            return
        filled = [c for c in COLUMNS if any(row[c] is not None for row in rows)] or [COLUMNS[0]]
        pick = itemgetter(*filled) if len(filled) > 1 else lambda row: (row[filled[0]],)
        self.conn.executemany(
            f"INSERT INTO rows ({', '.join(filled)}) VALUES ({', '.join('?' * len(filled))})", map(pick, rows)
        )

    def finish(self, authors: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(
            f"INSERT INTO authors (ref, {', '.join(AUTHOR_COLUMNS)}) VALUES (?, {', '.join('?' * len(AUTHOR_COLUMNS))})",
            ((ref, *author) for ref, author in enumerate(authors)),
        )
        self.conn.execute("COMMIT")

    def __enter__(self) -> StagingWriter:
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        self.conn.close()
        if isinstance(error, sqlite3.OperationalError) and is_disk_full(error):
            # a worker's error crosses back to the writer as one line
            raise disk_full(self.path.parent, "the import") from error


def write_rows(path: Path, rows: Sequence[Mapping[str, Any]], authors: Sequence[Sequence[Any]]) -> None:
    """A staging file holding `rows` and `authors` at once (see StagingWriter)."""
    with StagingWriter(path) as out:
        out.add_rows(rows)
        out.finish(authors)


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
        ws.execute(f"PRAGMA {alias}.cache_size = -{ATTACHED_CACHE_KB}")
        aliases.append(alias)
        return alias

    try:
        yield attach
    finally:
        for alias in aliases:
            ws.execute(f"DETACH DATABASE {alias}")


# The copies from a staging file are INSERT OR FAIL, not the default (ABORT): SQLite journals
# every page a statement that may abort halfway changes (and was there before it), to undo that
# statement alone; a failing copy rolls back the writer's whole transaction anyway. The key and
# URL indexes' pages made most of 190 MB of such journal for a 200,000-row import.
def upsert_authors(ws: Store, alias: str) -> None:
    """Add the staged authors, and refresh known ones with what the file says of them (a value
    the file leaves empty keeps the stored one). Inside a transaction that an error rolls back."""
    ws.execute(
        f"""
        INSERT OR FAIL INTO authors ({", ".join(AUTHOR_COLUMNS)})
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


def author_ids(ws: Store, alias: str) -> list[int]:
    """The ids of the staged authors (after upsert_authors)."""
    rows = ws.execute(
        f"SELECT a.id FROM {alias}.authors s JOIN authors a ON a.platform = s.platform AND a.handle = s.handle"
    )
    return [row[0] for row in rows]


def insert_mentions(ws: Store, alias: str, id_offset: int, skip: Sequence[int]) -> None:
    """Insert every staged row but those at the positions in `skip`, as mention `id_offset + pos`,
    linked to its author; the caller adds them to the full-text index. Inside a transaction that
    an error rolls back (see upsert_authors)."""
    columns = ", ".join(MENTION_COLUMNS)
    picked = ", ".join(f"r.{c}" for c in MENTION_COLUMNS)
    ws.execute(
        f"""
        INSERT OR FAIL INTO mentions (id, author_id, {columns})
        SELECT ? + r.pos, a.id, {picked}
        FROM {alias}.rows r
        LEFT JOIN {alias}.authors s ON s.ref = r.author
        LEFT JOIN authors a ON a.platform = s.platform AND a.handle = s.handle
        WHERE r.pos NOT IN (SELECT value FROM json_each(?))
        ORDER BY r.pos
        """,
        (id_offset, json.dumps(list(skip))),
    )


def stored_positions(
    ws: Store, alias: str, derived: Sequence[int], among: Sequence[int] | None = None
) -> list[int]:
    """The positions of the staged rows (those at `among`, or all) that match a stored mention,
    as ingest matches them (store.mentions.existing_by_key, existing_by_url): by (source,
    external id); or by URL, when the oldest mention with that URL came from another source kind
    or the row's id was derived (the positions in `derived`). Through the indexes: the cost
    follows the staged rows asked about."""
    asked = "" if among is None else "r.pos IN (SELECT value FROM json_each(?2)) AND"
    rows = ws.execute(
        f"""
        SELECT r.pos FROM {alias}.rows r
        WHERE {asked} (
            EXISTS (SELECT 1 FROM mentions m WHERE m.source = r.source AND m.external_id = r.external_id)
            OR (r.url_key IS NOT NULL AND (
                SELECT o.source <> r.source OR r.pos IN (SELECT value FROM json_each(?1))
                FROM mentions o WHERE o.url_key = r.url_key AND o.url = r.url ORDER BY o.id LIMIT 1)))
        """,
        (json.dumps(list(derived)),)
        if among is None
        else (json.dumps(list(derived)), json.dumps(list(among))),
    )
    return [row[0] for row in rows]


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
