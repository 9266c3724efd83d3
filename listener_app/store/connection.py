"""Opening a workspace: one SQLite file in WAL mode, migrated on open, with clear errors."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from listener_app.domain.errors import (
    WorkspaceBusy,
    WorkspaceCorrupt,
    WorkspaceError,
    WorkspaceNotFound,
    WorkspaceReadOnly,
    WorkspaceTooNew,
)
from listener_app.store.disk import disk_full, is_disk_full
from listener_app.store.locks import if_idle
from listener_app.store.recovery import recover_interrupted_write
from listener_app.store.schema import READ_INDEXES, applied_migrations, migration_names, migration_set

MAP_BYTES = 4 << 30  # the most of a workspace file `Store.map_file` maps
SORT_CACHE_KB = 1_000  # see Store.sorting


class Store:
    """A connection to one workspace file. Not shared across threads: open one per thread."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool) -> None:
        self.path = path
        self.conn = conn
        self.readonly = readonly

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if is_disk_full(exc):
                raise disk_full(self.path) from exc
            raise

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """One atomic unit of work; it takes the write lock at once (BEGIN IMMEDIATE), so reads
        inside it (such as the next id) stay true until commit. Nested calls become savepoints."""
        if self.readonly:
            raise WorkspaceReadOnly(f"{self.path} is read-only: changes cannot be saved")
        if self.conn.in_transaction:
            with self._savepoint():
                yield self
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise WorkspaceBusy(
                    f"{self.path.name} is busy with another change; try again in a moment"
                ) from exc
            raise
        try:
            yield self
            self.conn.execute("COMMIT")  # in a full disk's WAL, this is where it fails
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if is_disk_full(exc):
                raise disk_full(self.path) from exc
            raise

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        self.conn.execute("SAVEPOINT nested")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:  # a RAISE(ROLLBACK) ends the whole transaction
                self.conn.execute("ROLLBACK TO nested")
                self.conn.execute("RELEASE nested")
            raise
        self.conn.execute("RELEASE nested")

    @contextlib.contextmanager
    def sorting(self) -> Iterator[None]:
        """Settings for statements that sort every mention (building an index): small runs
        spilled to temporary files and merged on two threads (the sorters' memory follows the
        cache size). Runs of 1 MB fit the processor's cache: the read indexes build in 1.0-1.15 s
        at 200,000 mentions and 5.8 s at 1M, against 1.4-1.5 s and 6.6-6.8 s with runs of 8 MB,
        and 8.6 s at 1M with the usual 32 MB runs."""
        conn = self.conn
        (cache_size,) = conn.execute("PRAGMA cache_size").fetchone()
        (temp_store,) = conn.execute("PRAGMA temp_store").fetchone()
        conn.execute(f"PRAGMA cache_size = -{SORT_CACHE_KB}")
        conn.execute("PRAGMA temp_store = FILE")
        conn.execute("PRAGMA threads = 2")
        try:
            yield
        finally:
            conn.execute("PRAGMA threads = 0")
            conn.execute(f"PRAGMA temp_store = {int(temp_store)}")
            conn.execute(f"PRAGMA cache_size = {int(cache_size)}")

    @contextlib.contextmanager
    def journal_while_alone(self) -> Iterator[bool]:
        """A rollback journal instead of WAL while no other connection has the workspace open
        (the command line): the pages a bulk import appends are then written once instead of
        twice (to the WAL, then into the file), each commit as atomic as before, and every
        commit synced to disk. With other connections open (the window's readers) it stays in
        WAL. Yields whether it switched."""
        conn = self.conn
        (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            (mode,) = conn.execute("PRAGMA journal_mode = TRUNCATE").fetchone()
        except sqlite3.OperationalError:  # others have it open
            mode = "wal"
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        switched = mode == "truncate"
        (synchronous,) = conn.execute("PRAGMA synchronous").fetchone()
        if switched:
            conn.execute("PRAGMA synchronous = FULL")
        try:
            yield switched
        finally:
            if switched:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute(f"PRAGMA synchronous = {int(synchronous)}")

    def map_file(self, limit: int = MAP_BYTES) -> None:
        """Read the file through the operating system's page cache directly (mmap) rather than
        copying each page into SQLite's own cache: analytics that touch a large part of a big
        workspace run 10-25 % faster. The mapped pages count as this process's memory while used,
        so only the dashboard's readers ask for it."""
        self.conn.execute(f"PRAGMA mmap_size = {int(limit)}")

    def wait_when_busy(self, seconds: float) -> None:
        """How long a statement waits for a lock another connection holds before it gives up
        (then a transaction raises WorkspaceBusy)."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def checkpoint(self) -> None:
        """Fold the write-ahead log back into the file (before the file is copied or renamed)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if not self.readonly:
                self.conn.execute("PRAGMA optimize")
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode={'ro' if readonly else 'rwc'}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def _configure(conn: sqlite3.Connection, readonly: bool) -> None:
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA cache_size = -32000")
    conn.execute("PRAGMA temp_store = MEMORY")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")


def _sqlite_utils_database() -> type:
    """sqlite-utils' Database, loaded without numpy. sqlite-utils loads numpy whenever it is
    installed (scikit-learn brings it), to map numpy's types to column types, which migrations
    never meet: half of the 0.1 s that loading it took, and a thread of numpy's math library
    that busied a core meanwhile (a 20,000-row import into a new workspace: 0.2 s less CPU, 10 %
    faster). numpy is kept out while sqlite-utils loads, and loads as usual afterwards (a
    process that has it already shares it). Only while this is the process's one thread (the
    command line's start): another thread's `import numpy` meanwhile would fail."""
    if threading.active_count() == 1 and "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
        sys.modules["numpy"] = None  # type: ignore[assignment]  # import numpy: ImportError
        try:
            import sqlite_utils  # noqa: F401
        finally:
            del sys.modules["numpy"]
    from sqlite_utils import Database

    return Database


def _check_version(applied: list[str], path: Path) -> None:
    known = set(migration_names())
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise WorkspaceTooNew(
            f"{path} was saved by a newer version of Listener (it has schema changes "
            f"{', '.join(unknown)}). Update Listener to open it."
        )


def file_writable(path: Path) -> bool:
    """Whether this user may change the workspace file (SQLite also creates its -wal file beside it)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_store(path: str | os.PathLike[str], *, create: bool = True, readonly: bool = False) -> Store:
    """Open (and if needed create and migrate) the workspace at `path`.

    Raises a WorkspaceError subclass with a readable message for a missing file, a file that is
    not a workspace, a read-only file that needs upgrading, or a workspace from a newer version.
    A read-only file that is up to date opens read-only.
    """
    path = Path(path).expanduser()
    exists = path.exists()
    if not exists and not create:
        raise WorkspaceNotFound(f"No workspace at {path}")
    if exists and path.is_dir():
        raise WorkspaceError(f"{path} is a folder, not a workspace file")
    if not exists:
        path.parent.mkdir(parents=True, exist_ok=True)
    if exists and not readonly and not file_writable(path):
        readonly = True
    if exists and readonly:
        recover_interrupted_write(path)
    try:
        conn = _connect(path, readonly)
        _configure(conn, readonly)
        applied = applied_migrations(conn)
        _check_version(applied, path)
        if set(migration_names()) - set(applied):
            if exists and not readonly and applied:
                from listener_app.store.backup import backup_workspace

                backup_workspace(path, reason="before-upgrade")  # an upgrade can always be undone
            if readonly:
                raise WorkspaceReadOnly(
                    f"{path} is read-only and needs upgrading to this version of Listener: "
                    "copy it somewhere writable first"
                )
            Database = _sqlite_utils_database()
            # without sqlite-utils' plugins: they have no business with a workspace's connection,
            # and looking for them took 37 ms of creating every workspace
            migration_set().apply(Database(conn, execute_plugins=False))
        if not readonly:
            if exists:
                _rebuild_dropped_indexes(conn, path)
            else:  # a new workspace: no import can be running in it
                ensure_read_indexes(conn)
            ensure_workspace_id(conn)
            from listener_app.store.backup import remove_leftovers

            remove_leftovers(path)  # of backups and restores a killed process left
    except sqlite3.DatabaseError as exc:
        message = str(exc)
        if is_disk_full(exc):
            raise disk_full(path, "nothing") from exc
        if "not a database" in message or "malformed" in message or "file is encrypted" in message:
            raise WorkspaceCorrupt(
                f"{path} is not a Listener workspace (or it is damaged): {message}"
            ) from exc
        if "readonly" in message or "read-only" in message:
            raise WorkspaceReadOnly(f"{path} cannot be written: {message}") from exc
        if "locked" in message or "busy" in message:
            raise WorkspaceBusy(
                f"{path.name} is busy: another Listener process is writing to it (a large import?); "
                "it can be opened as soon as that finishes"
            ) from exc
        if _nearly_full(path):
            raise disk_full(path, "nothing") from exc
        raise WorkspaceError(f"Cannot open {path}: {message}") from exc
    return Store(path, conn, readonly)


def _nearly_full(path: Path) -> bool:
    """Whether the disk holding `path` has less room than SQLite needs to open a file (its
    shared-memory index, a WAL page): opening then fails as a bare "disk I/O error"."""
    try:
        return shutil.disk_usage(path.parent).free < 256 * 1024
    except OSError:
        return False


WORKSPACE_ID_KEY = "workspace_id"


def ensure_workspace_id(conn: sqlite3.Connection) -> None:
    """Give the workspace a random id (in its settings) the first time it is opened for
    writing: the keyring keeps a source's secrets under it, so another workspace file with a
    source of the same name never finds them. Copies of the file (its backups) share it."""
    if conn.execute("SELECT 1 FROM settings WHERE key = ?", (WORKSPACE_ID_KEY,)).fetchone() is None:
        conn.execute(
            "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
            (WORKSPACE_ID_KEY, json.dumps(uuid.uuid4().hex)),
        )


def _missing_read_indexes(conn: sqlite3.Connection) -> list[str]:
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    return [name for name in READ_INDEXES if name not in present]


def ensure_read_indexes(conn: sqlite3.Connection) -> list[str]:
    """Build any read index a large import dropped and did not get to build again."""
    missing = _missing_read_indexes(conn)
    for name in missing:
        conn.execute(READ_INDEXES[name])
    return missing


def _rebuild_dropped_indexes(conn: sqlite3.Connection, path: Path) -> None:
    """On opening: build the read indexes a killed import dropped, unless an import (in any
    process: each holds the workspace's import lock) is running now, whose dropped indexes are
    its own to build when it ends."""
    if not _missing_read_indexes(conn):
        return
    with if_idle(path, "import") as no_import:
        if no_import:
            ensure_read_indexes(conn)
