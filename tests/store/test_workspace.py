from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from listener_app.domain.errors import WorkspaceCorrupt, WorkspaceNotFound, WorkspaceReadOnly, WorkspaceTooNew
from listener_app.store import open_store


def test_new_workspace_is_wal_with_fts(tmp_path):
    ws = open_store(tmp_path / "a.db")
    assert ws.scalar("PRAGMA journal_mode") == "wal"
    tables = {r[0] for r in ws.execute("SELECT name FROM sqlite_master")}
    assert {"mentions", "mentions_fts", "tags", "events", "views", "rules", "trackers"} <= tables
    ws.close()


def test_reopen_applies_nothing_twice(tmp_path):
    open_store(tmp_path / "a.db").close()
    ws = open_store(tmp_path / "a.db")
    names = [r[0] for r in ws.execute("SELECT name FROM _sqlite_migrations")]
    assert len(names) == len(set(names))
    ws.close()


def test_an_up_to_date_workspace_opens_without_loading_sqlite_utils(tmp_path):
    """What it records as applied is read with one query, and agrees with sqlite-utils' reading."""
    from sqlite_utils import Database

    from listener_app.store.schema import applied_migrations, migration_names, migration_set

    path = tmp_path / "a.db"
    ws = open_store(path)
    applied = [m.name for m in migration_set().applied(Database(ws.conn))]
    assert applied_migrations(ws.conn) == applied == migration_names()
    assert migration_set().pending(Database(ws.conn)) == []
    ws.close()
    opened = "from listener_app.store import open_store; import sys; open_store(sys.argv[1]).close(); "
    loaded = subprocess.run(
        [sys.executable, "-c", opened + "print('sqlite_utils' in sys.modules)", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert loaded.stdout.strip() == "False"


def test_creating_a_workspace_does_not_load_numpy(tmp_path):
    """sqlite-utils, which applies the migrations, loads without it; numpy loads afterwards."""
    script = (
        "from listener_app.store import open_store; import sys; open_store(sys.argv[1]).close(); "
        "print('numpy' in sys.modules); import numpy; print(numpy.zeros(2).sum())"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "new.db")], capture_output=True, text=True, check=True
    )
    assert run.stdout.split() == ["False", "0.0"]


def test_a_workspace_from_before_url_keys_finds_its_mentions_by_url(tmp_path):
    from listener_app.domain.models import Item
    from listener_app.workspace.ingest import ingest_items

    path = tmp_path / "a.db"
    ws = open_store(path)
    url = "https://news.example/acme-x2-review"
    ingest_items(ws, [Item(source="rss", external_id="f-1", text="The review", url=url)], score=False)
    ws.close()
    conn = sqlite3.connect(path)  # the workspace as the version before m006 left it
    conn.executescript(
        """
        DROP INDEX mentions_url_key;
        ALTER TABLE mentions DROP COLUMN url_key;
        CREATE INDEX mentions_url ON mentions (url) WHERE url IS NOT NULL;
        DELETE FROM _sqlite_migrations WHERE name = 'm006_url_key';
        """
    )
    conn.close()
    ws = open_store(path)
    again = Item(
        source="hackernews", external_id="hn-1", text="The review, via HN", url=url + "?utm_source=hn"
    )
    report = ingest_items(ws, [again], score=False)
    assert (report.inserted, report.updated) == (0, 1)  # the same article from another source kind
    assert ws.scalar("SELECT count(*) FROM mentions WHERE url_key IS NOT NULL") == 1
    ws.close()


def test_engagement_is_kept_per_mention_and_filled_in_for_older_workspaces(tmp_path):
    from listener_app.domain.models import AuthorRef, Item
    from listener_app.workspace.ingest import ingest_items

    def post(likes: int) -> Item:
        return Item(source="reddit", external_id="r-1", text="A post", author=AuthorRef(handle="dana"),
                    metrics={"likes": likes, "replies": 2, "views": 1000})  # fmt: skip

    path = tmp_path / "a.db"
    ws = open_store(path)
    ingest_items(ws, [post(5), Item(source="reddit", external_id="r-2", text="No metrics")], score=False)
    assert [r[0] for r in ws.execute("SELECT engagement FROM mentions ORDER BY id")] == [7, 0]
    ingest_items(ws, [post(9)], score=False)  # the same post again, with new metrics only
    assert ws.scalar("SELECT engagement FROM mentions WHERE external_id = 'r-1'") == 11
    ws.close()
    conn = sqlite3.connect(path)  # the workspace as the version before m007 left it
    conn.executescript(
        """
        DROP INDEX mentions_author_sentiment;
        ALTER TABLE mentions DROP COLUMN engagement;
        DELETE FROM _sqlite_migrations WHERE name = 'm007_engagement';
        """
    )
    conn.close()
    ws = open_store(path)
    assert [r[0] for r in ws.execute("SELECT engagement FROM mentions ORDER BY id")] == [11, 0]
    columns = [r["name"] for r in ws.execute("PRAGMA index_info(mentions_author_sentiment)")]
    assert columns[-2:] == ["engagement", "ours"]
    ws.close()


def test_one_index_by_author_replaces_two_in_older_workspaces(tmp_path):
    from listener_app.domain.models import AuthorRef, Item
    from listener_app.workspace.ingest import ingest_items

    path = tmp_path / "a.db"
    ws = open_store(path)
    ws.close()
    conn = sqlite3.connect(path)  # the workspace as the version before m008 left it
    conn.executescript(
        """
        DROP INDEX mentions_author_sentiment;
        CREATE INDEX mentions_author_sentiment ON mentions (author_id, sentiment, published_at, source,
            status, intent, lang, engagement);
        CREATE INDEX mentions_author ON mentions (author_id, published_at);
        DELETE FROM _sqlite_migrations WHERE name = 'm008_one_index_by_author';
        """
    )
    conn.close()
    ws = open_store(path)
    indexes = {r[0] for r in ws.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "mentions_author" not in indexes
    columns = [r["name"] for r in ws.execute("PRAGMA index_info(mentions_author_sentiment)")]
    assert columns[:3] == ["author_id", "published_at", "sentiment"]
    dana = AuthorRef(handle="dana")
    items = [Item(source="reddit", external_id=f"r-{n}", text=f"Post {n}", author=dana,
                  published_at=f"2026-03-0{n}T10:00:00Z") for n in (1, 2, 3)]  # fmt: skip
    ingest_items(ws, items, score=False)
    plan = " ".join(
        r["detail"] for r in ws.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM mentions WHERE author_id = 1 ORDER BY published_at DESC"
        )
    )  # fmt: skip
    assert "mentions_author_sentiment" in plan and "TEMP B-TREE" not in plan
    ws.close()


def test_missing_workspace_without_create(tmp_path):
    with pytest.raises(WorkspaceNotFound, match="No workspace"):
        open_store(tmp_path / "nope.db", create=False)


def test_not_a_database(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is a text file, not sqlite" * 100)
    with pytest.raises(WorkspaceCorrupt, match="not a Listener workspace"):
        open_store(bad)


def test_newer_version_is_refused(tmp_path):
    path = tmp_path / "a.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('listener', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceTooNew, match="newer version"):
        open_store(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_opens_read_only(tmp_path):
    path = tmp_path / "a.db"
    open_store(path).close()
    path.chmod(0o444)
    ws = open_store(path)
    assert ws.readonly
    with pytest.raises(WorkspaceReadOnly), ws.transaction():
        pass


def test_read_only_flag(tmp_path):
    path = tmp_path / "a.db"
    open_store(path).close()
    ws = open_store(path, readonly=True)
    with pytest.raises(WorkspaceReadOnly), ws.transaction():
        pass
    ws.close()


def test_core_layers_do_not_import_qt():
    code = (
        "import sys, listener_app.domain, listener_app.store, listener_app.sources, listener_app.cli;"
        "import pkgutil, importlib;"
        "[importlib.import_module(m.name) for p in ('domain','store','formats','workspace','sources') "
        " for m in pkgutil.walk_packages(getattr(importlib.import_module('listener_app.'+p),'__path__'),"
        " 'listener_app.'+p+'.')];"
        "assert 'PySide6' not in sys.modules, 'Qt imported by the core'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_lone_bulk_writer_uses_a_rollback_journal_and_comes_back_to_wal(tmp_path):
    ws = open_store(tmp_path / "w.db")
    with ws.journal_while_alone() as switched:
        assert switched
        assert ws.scalar("PRAGMA journal_mode") == "truncate"
        assert ws.scalar("PRAGMA synchronous") == 2  # FULL: every commit synced
    assert ws.scalar("PRAGMA journal_mode") == "wal"
    assert ws.scalar("PRAGMA synchronous") == 1


def test_with_readers_open_the_workspace_stays_in_wal_without_waiting(tmp_path):
    import time

    ws = open_store(tmp_path / "w.db")
    reader = open_store(tmp_path / "w.db", readonly=True)
    reader.scalar("SELECT count(*) FROM mentions")
    started = time.perf_counter()
    with ws.journal_while_alone() as switched:
        assert not switched
        assert ws.scalar("PRAGMA journal_mode") == "wal"
    assert time.perf_counter() - started < 1  # the busy timeout is not waited out
    assert ws.scalar("PRAGMA busy_timeout") == 10000
    reader.close()


def test_a_write_killed_under_a_rollback_journal_is_rolled_back_for_readers_and_the_check(tmp_path):
    from listener_app.store.backup import integrity_problems

    path = tmp_path / "w.db"
    open_store(path).close()
    killed = """
import os, sys
from listener_app.store import open_store
ws = open_store(sys.argv[1])
ws.execute("PRAGMA cache_size = 5")  # a small cache: the transaction spills into the file
with ws.journal_while_alone():
    ws.execute("BEGIN IMMEDIATE")
    ws.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
        "INSERT INTO settings SELECT 'half ' || i, hex(randomblob(300)) FROM n"
    )
    os._exit(9)
"""
    subprocess.run([sys.executable, "-c", killed, str(path)], check=False)
    assert (tmp_path / "w.db-journal").stat().st_size > 0  # what the killed writer left
    assert integrity_problems(path) == []
    reader = open_store(path, readonly=True)
    assert reader.scalar("SELECT count(*) FROM settings WHERE key LIKE 'half %'") == 0
    reader.close()


def test_opening_leaves_an_import_in_progress_its_dropped_indexes(tmp_path):
    """An import running in another process drops the read indexes and builds them when it
    ends; a workspace opened meanwhile must not build them under it (the two CREATE INDEX
    raced: "index mentions_published already exists"), but one opened after a killed import
    builds them."""
    from listener_app.store.locks import one_at_a_time

    path = tmp_path / "a.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX mentions_published")
    conn.close()
    with one_at_a_time(path, "import"):
        open_store(path).close()
        conn = sqlite3.connect(path)
        assert (
            conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'mentions_published'").fetchone() is None
        )
        conn.close()
    ws = open_store(path)
    assert ws.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'mentions_published'") == 1
    ws.close()


def test_the_date_and_dashboard_indexes_hold_ours_in_older_workspaces(tmp_path):
    """Searches without the brand's own posts read `ours` from the index (m012): a workspace
    from before it gets the indexes with the column when it opens."""
    path = tmp_path / "a.db"
    open_store(path).close()
    conn = sqlite3.connect(path)  # the workspace as the version before m012 left it
    conn.executescript(
        """
        DROP INDEX mentions_published;
        CREATE INDEX mentions_published ON mentions (published_at DESC, id DESC);
        DELETE FROM _sqlite_migrations WHERE name = 'm012_indexes_cover_ours';
        """
    )
    conn.close()
    ws = open_store(path)
    for index in ("mentions_published", "mentions_hourly", "mentions_author_sentiment"):
        assert [r["name"] for r in ws.execute(f"PRAGMA index_info({index})")][-1] == "ours"
    plan = " ".join(
        r["detail"]
        for r in ws.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM mentions m WHERE published_at >= '2026' AND NOT (ours = 1) "
            "ORDER BY published_at DESC, id DESC"
        )
    )
    assert "COVERING INDEX mentions_published" in plan
    ws.close()
