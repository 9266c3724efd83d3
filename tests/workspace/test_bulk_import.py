"""Every import goes through staging files (workspace.parallel_ingest), prepared by worker
processes or in this process: it must store exactly what the ordinary path (fetching's) stores."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from contextlib import ExitStack

import pytest

from listener_app.domain.models import AuthorRef, Item
from listener_app.formats.blocks import BLOCK_BYTES
from listener_app.formats.json_reader import parse_line, read_jsonl, read_jsonl_blocks
from listener_app.formats.reading import chunks, open_file, records_to_items
from listener_app.store import open_store, search
from listener_app.store.mentions import mention_records
from listener_app.workspace.importing import ImportPlan, import_file, plan_import
from listener_app.workspace.ingest import ingest_items


def _before(ws) -> None:
    """What the workspace holds before the import: a post the file edits, a post whose URL the
    file brings again from another source kind, and an author the file says more about."""
    ingest_items(
        ws,
        [
            Item(source="reddit", external_id="r-1", text="Stored before: the Acme X2 battery is weak",
                 published_at="2026-02-01T08:00:00Z", url="https://reddit.example/r/1",
                 author=AuthorRef(handle="dana", display_name="Dana", reach=10)),
            Item(source="rss", external_id="feed-9", text="Review of the Acme X2 from our feed",
                 published_at="2026-02-02T08:00:00Z", url="https://news.example/acme-x2-review"),
            Item(source="appstore", external_id="a-1", text="Stored review one", published_at="2026-02-03",
                 url="https://apps.example/acme"),
        ],
        score=False,
    )  # fmt: skip


def _lines() -> list[str]:
    rows: list[dict | str] = []
    for n in range(40):
        rows.append({
            "id": f"m-{n}", "source": ["mastodon", "hackernews", "reddit"][n % 3],
            "text": f"Post {n} about the Acme X2 battery — café {n}", "date": f"2026-03-{1 + n % 28:02d}T10:00:00Z",
            "url": f"https://social.example/{n}?utm_source=x", "author": f"user{n % 7}", "followers": n,
        })  # fmt: skip
    rows[3]["tags"], rows[3]["notes"] = ["battery", "Billing"], ["Call back on Monday"]
    rows[5]["sentiment"] = "negative"  # a label from the file is manual
    rows += [
        {"id": "r-1", "source": "reddit", "text": "Stored before, now edited", "date": "2026-02-01T08:00:00Z",
         "url": "https://reddit.example/r/1", "author": "dana", "followers": 99},
        {"id": "m-4", "source": "hackernews", "text": "Post 4, edited later in the file", "date": "2026-03-05T10:00:00Z",
         "url": "https://social.example/4", "author": "user4"},
        {"id": "hn-9", "source": "hackernews", "text": "Review of the Acme X2 from our feed",
         "date": "2026-02-02T08:00:00Z", "url": "https://news.example/acme-x2-review"},
        {"id": "a-2", "source": "appstore", "text": "Second review", "date": "2026-02-04",
         "url": "https://apps.example/acme"},
        {"text": "No id of its own, the URL of a stored feed post", "source": "rss",
         "url": "https://news.example/acme-x2-review", "date": "2026-02-02T08:00:00Z"},
        '{"id": "broken", "text": ',
        {"id": "empty", "source": "reddit", "text": "", "date": "2026-03-01"},
    ]  # fmt: skip
    return [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]


def _state(ws) -> dict:
    ids = [r[0] for r in ws.execute("SELECT id FROM mentions")]
    records = {}
    for record in mention_records(ws, ids):
        record.pop("id")
        record.pop("fetched_at")
        records[(record["source"], record["external_id"])] = record
    authors = sorted(
        tuple(r)
        for r in ws.execute("SELECT platform, handle, display_name, reach, mention_count FROM authors")
    )
    found = search.count(ws, "battery")
    return {"records": records, "authors": authors, "battery": found}


def _read_line_by_line(path, fmt: str = "jsonl") -> tuple[list[Item], list[tuple[int, str]]]:
    """The file's records as Items, and the errors, read one line (or row) after another."""
    items, errors = [], []
    with ExitStack() as stack:
        records, columns, _, _, _ = open_file(path, fmt, {}, None, stack)
        for chunk in chunks(records, columns, lambda: None):
            numbered, rejected = records_to_items(chunk)
            items += [item for _, item in numbered]
            errors += rejected
    return items, errors


def _items_of(path) -> list[Item]:
    return _read_line_by_line(path)[0]


def _import_as(monkeypatch, ws, path, workers: int, defer_indexes: bool):
    import listener_app.workspace.importing as importers

    plan = importers.plan_import
    monkeypatch.setattr(
        importers,
        "plan_import",
        lambda rows, stored, score: ImportPlan(rows, workers, defer_indexes, BLOCK_BYTES),
    )
    try:
        return import_file(ws, path, score=False)
    finally:
        monkeypatch.setattr(importers, "plan_import", plan)


@pytest.mark.parametrize(
    ("workers", "defer_indexes", "seen_keys"),
    [(2, True, True), (0, False, True), (2, False, False)],
    ids=["workers", "in-process", "looked-up"],
)
def test_an_import_stores_what_ingesting_its_items_stores(
    tmp_path, monkeypatch, workers, defer_indexes, seen_keys
):
    """Whether chunks are prepared by workers or in this process, with the read indexes kept or
    built again at the end, stored rows told apart by the workspace's keys read beforehand or
    through its indexes, an import stores what the ordinary path (fetching's) stores for the same
    items: edits, duplicates across chunks and commit groups, the same post by URL from another
    source kind, tags and notes, author counts."""
    import listener_app.formats.blocks as blocks_module
    import listener_app.workspace.parallel_ingest as parallel_ingest

    if not seen_keys:  # as for a small import into a big workspace
        monkeypatch.setattr(parallel_ingest, "SEEN_KEYS_SHARE", 0)

    path = tmp_path / "mentions.jsonl"
    lines = _lines()
    path.write_bytes(("\r\n".join(lines[:20]) + "\n" + "\n\n".join(lines[20:]) + "\n").encode())
    ordinary = open_store(tmp_path / "ordinary.db")
    _before(ordinary)
    ingest_items(ordinary, _items_of(path), score=False)

    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 900)  # several blocks, each its own staging file
    monkeypatch.setattr(blocks_module, "READ_BYTES", 256)
    monkeypatch.setattr(parallel_ingest, "BULK_TRANSACTION_ROWS", 12)  # several commit groups
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "scratch"))
    (tmp_path / "scratch").mkdir()
    bulk = open_store(tmp_path / "bulk.db")
    _before(bulk)
    report = _import_as(monkeypatch, bulk, path, workers, defer_indexes)
    other = open_store(tmp_path / "other.db")
    _before(other)
    expected = _import_as(monkeypatch, other, path, 2 - workers, not defer_indexes)

    assert report.errors == expected.errors
    assert [line for line, _ in report.errors] == [71, 73]  # blank lines count as lines
    ours, theirs = report.ingest, expected.ingest
    assert (ours.inserted, ours.updated, ours.unchanged, ours.skipped) == (
        theirs.inserted, theirs.updated, theirs.unchanged, theirs.skipped,
    )  # fmt: skip
    assert _state(bulk) == _state(ordinary) == _state(other)
    state = _state(bulk)["records"]
    assert state[("reddit", "r-1")]["text"] == "Stored before, now edited"
    assert state[("hackernews", "m-4")]["text"] == "Post 4, edited later in the file"
    assert set(state[("mastodon", "m-3")]["tags"]) == {"Billing", "battery"}
    assert state[("mastodon", "m-3")]["notes"] == ["Call back on Monday"]
    assert ("hackernews", "hn-9") not in state  # the feed post again, from another source kind
    assert ("appstore", "a-2") in state  # the same app page, a review of its own
    assert list((tmp_path / "scratch").iterdir()) == []  # no staging file is left behind
    assert bulk.scalar("PRAGMA foreign_keys") == 1
    bulk.execute(
        "INSERT INTO mentions_fts (mentions_fts, rank) VALUES ('integrity-check', 1)"
    )  # raises if not
    automerge = bulk.scalar("SELECT v FROM mentions_fts_config WHERE k = 'automerge'")
    assert automerge in (None, 4)  # merging as usual (4, the default) again
    assert [r[1] for r in bulk.execute("PRAGMA database_list")] == ["main"]  # every staging file detached


def test_a_csv_file_cut_inside_quoted_fields_imports_what_reading_it_line_by_line_gives(
    tmp_path, monkeypatch
):
    """A CSV file's blocks are parsed by the workers; cuts made blind (inside quoted fields that
    span lines, after a quote never closed) are read on past by the block before and the block
    after is read again: the workspace holds what the line-by-line reader's rows give, and the
    errors carry the same line numbers."""
    import listener_app.formats.blocks as blocks_module
    import listener_app.formats.csv_reader as csv_reader
    from tests.formats.block_files import blind_cut, csv_export

    path = tmp_path / "export.csv"
    path.write_text(csv_export(5, "\r\n", rows=300), encoding="utf-8")
    items, errors = _read_line_by_line(path, "csv")
    ordinary = open_store(tmp_path / "ordinary.db")
    ingest_items(ordinary, items, score=False)

    read_again = []
    starting_at = csv_reader.CsvBlock.starting_at
    monkeypatch.setattr(
        csv_reader.CsvBlock, "starting_at", lambda b, at: read_again.append(at) or starting_at(b, at)
    )
    monkeypatch.setattr(csv_reader, "_row_start", blind_cut)
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 900)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "scratch"))
    (tmp_path / "scratch").mkdir()
    bulk = open_store(tmp_path / "bulk.db")
    report = _import_as(monkeypatch, bulk, path, 2, True)
    assert read_again  # some cuts fell inside rows
    assert report.errors == sorted(errors) and errors
    assert _state(bulk) == _state(ordinary)
    assert list((tmp_path / "scratch").iterdir()) == []  # no staging file is left behind


@pytest.mark.parametrize("inline", ["", ","], ids=["indented", "on-one-line"])
def test_a_json_array_cut_inside_elements_imports_what_reading_it_element_by_element_gives(
    tmp_path, monkeypatch, inline
):
    """A JSON file's array, indented or on one line, with broken elements, cut blind (inside
    elements): the workers parse its blocks, each finishing an element that goes on past its
    end, and the workspace holds what the streaming reader's elements give, with the errors at
    the same numbers."""
    import listener_app.formats.blocks as blocks_module
    import listener_app.formats.json_reader as json_reader
    from tests.formats.block_files import json_array

    path = tmp_path / "export.json"
    path.write_text(json_array(9, None if inline else 2, rows=200, inline=inline), encoding="utf-8")
    items, errors = _read_line_by_line(path, "json")
    ordinary = open_store(tmp_path / "ordinary.db")
    ingest_items(ordinary, items, score=False)

    monkeypatch.setattr(json_reader, "_ELEMENT_LINE", json_reader.re.compile(rb"(?!)"))
    monkeypatch.setattr(json_reader, "_opening", lambda key: json_reader.re.compile(rb",()"))
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 900)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "scratch"))
    (tmp_path / "scratch").mkdir()
    bulk = open_store(tmp_path / "bulk.db")
    report = _import_as(monkeypatch, bulk, path, 2, True)
    assert report.errors == sorted(errors) and errors
    assert _state(bulk) == _state(ordinary)
    assert list((tmp_path / "scratch").iterdir()) == []


@pytest.mark.parametrize("seen_keys", [True, False], ids=["seen-keys", "looked-up"])
def test_rows_repeating_an_earlier_piece_of_their_chunk_store_as_ingest_stores_them(
    tmp_path, monkeypatch, seen_keys
):
    """The whole file one chunk, prepared in pieces of two rows: a row repeating one of an
    earlier piece (its key, or its URL from another source kind) is found all the same."""
    import listener_app.workspace.parallel_ingest as parallel_ingest
    import listener_app.workspace.preparing as preparing

    monkeypatch.setattr(preparing, "STAGE_ROWS", 2)
    if not seen_keys:
        monkeypatch.setattr(parallel_ingest, "SEEN_KEYS_SHARE", 0)
    path = tmp_path / "mentions.jsonl"
    path.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    ordinary = open_store(tmp_path / "ordinary.db")
    _before(ordinary)
    ingest_items(ordinary, _items_of(path), score=False)
    bulk = open_store(tmp_path / "bulk.db")
    _before(bulk)
    _import_as(monkeypatch, bulk, path, 0, False)
    assert _state(bulk) == _state(ordinary)


@pytest.mark.parametrize("stored", [True, False], ids=["stored-before", "new"])
def test_the_last_copy_of_a_post_in_a_file_wins(tmp_path, monkeypatch, stored):
    """A post edited back and forth in one file, its copies in several pieces of one chunk: what
    it holds after the import is its last copy's text, whether or not it was stored before. (The
    copies after the first were each compared with the stored post, in one batch: the edit in
    the middle copy outlasted the last copy, which was the same as the stored post.)"""
    import listener_app.workspace.preparing as preparing

    monkeypatch.setattr(preparing, "STAGE_ROWS", 2)
    texts = ["First words", "Edited once", "First words", "Edited once", "First words"]
    rows = []
    for number, text in enumerate(texts):
        rows += [{"id": "p-1", "source": "reddit", "text": text, "date": "2026-03-01T10:00:00Z"},
                 {"id": f"other-{number}", "source": "reddit", "text": "Filler", "date": "2026-03-01"}]  # fmt: skip
    path = tmp_path / "mentions.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ws = open_store(tmp_path / "bulk.db")
    if stored:
        ingest_items(
            ws, [Item(source="reddit", external_id="p-1", text="First words", published_at="2026-03-01")]
        )
    report = _import_as(monkeypatch, ws, path, 0, False)
    assert ws.scalar("SELECT text FROM mentions WHERE external_id = 'p-1'") == "First words"
    assert report.ingest.inserted == 5 + (0 if stored else 1)


@pytest.mark.parametrize("workers", [2, 0], ids=["workers", "in-process"])
def test_an_import_counts_the_rows_it_dated_by_its_own_time(tmp_path, monkeypatch, workers):
    """A row with no date is stored dated by the time of the import, and the import says how
    many it dated so (a date the user never gave, in charts and the inbox's order); a row naming
    a mention stored before leaves that mention's date as it was."""
    import listener_app.workspace.preparing as preparing

    monkeypatch.setattr(preparing, "STAGE_ROWS", 2)  # the count is summed over pieces
    rows = [
        {"id": "d-1", "source": "reddit", "text": "Dated post", "date": "2026-03-01T10:00:00Z"},
        {"id": "u-1", "source": "reddit", "text": "No date at all"},
        {"id": "u-2", "source": "reddit", "text": "An empty date", "date": ""},
        {"id": "u-2", "source": "reddit", "text": "An empty date, again in the file", "date": ""},
        {"id": "r-1", "source": "reddit", "text": "Stored before, its date left out here"},
        {"id": "d-2", "source": "reddit", "text": "Dated too", "date": "2026-03-02"},
    ]
    path = tmp_path / "mentions.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ws = open_store(tmp_path / "bulk.db")
    _before(ws)
    report = _import_as(monkeypatch, ws, path, workers, False)

    assert report.ingest.undated == 3  # u-1, u-2 once, r-1
    assert report.undated_warning.startswith("3 lines had no date: dated by the time of the import")
    dates = dict(ws.execute("SELECT external_id, published_at FROM mentions"))
    assert dates["r-1"] == "2026-02-01T08:00:00Z"
    assert dates["u-1"] > "2026-12" and dates["d-1"] == "2026-03-01T10:00:00Z"


def test_a_copy_that_fails_half_way_leaves_nothing_of_its_chunk(tmp_path, monkeypatch):
    """A chunk is copied without a savepoint of its own (INSERT OR FAIL): a copy that stops half
    way, on a row that breaks a constraint, is undone with its whole transaction, full-text
    index and authors included."""
    import listener_app.workspace.parallel_ingest as parallel_ingest

    ws = open_store(tmp_path / "bulk.db")
    _before(ws)
    before = _state(ws)
    rows = [{"id": f"n-{n}", "source": "reddit", "text": f"New battery post {n}", "date": "2026-03-01",
             "author": f"new{n}"} for n in range(30)]  # fmt: skip
    rows[20] = {"id": "r-1", "source": "reddit", "text": "Stored before: the battery", "date": "2026-02-01"}
    path = tmp_path / "mentions.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    monkeypatch.setattr(parallel_ingest, "_looked_up", lambda *args: [])  # r-1 copied as if new

    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        _import_as(monkeypatch, ws, path, 0, True)

    assert _state(ws) == before
    assert ws.scalar("SELECT count(*) FROM mentions") == 3
    ws.execute("INSERT INTO mentions_fts (mentions_fts) VALUES ('integrity-check')")
    assert ws.scalar("PRAGMA integrity_check") == "ok"


@pytest.mark.parametrize("rows_in_memory", [True, False], ids=["rows", "places"])
def test_chunks_that_carry_their_rows_are_sent_to_the_workers_few_at_a_time(tmp_path, rows_in_memory):
    """Chunks read in this process (a CSV file's rows) wait in its memory until a worker takes
    them: IN_MEMORY_PER_WORKER per worker are sent ahead of the one being stored, against
    IN_FLIGHT_PER_WORKER per worker and a commit group's worth for blocks of lines."""
    from listener_app.store import staging
    from listener_app.workspace.parallel_ingest import (
        IN_FLIGHT_PER_WORKER,
        IN_MEMORY_PER_WORKER,
        ingest_staged,
    )

    columns = {"external_id": 0, "text": 1, "date": 2, "__width__": 3, "__source__": "rss"}
    read: list[int] = []

    def parts():
        for n in range(40):
            read.append(n)
            yield [(n, [f"p-{n}", f"Post {n}", "2026-03-01"])], columns

    ahead: list[int] = []
    ws = open_store(tmp_path / "w.db")
    report = ingest_staged(
        ws, parts(), records_to_items, workers=2, score=False, rows_in_memory=rows_in_memory,
        on_batch=lambda _: ahead.append(len(read)),
    )  # fmt: skip
    assert report.inserted == 40 and len(ahead) == 40
    limit = 2 * IN_MEMORY_PER_WORKER if rows_in_memory else 2 * IN_FLIGHT_PER_WORKER + staging.MAX_ATTACHED
    assert (
        ahead[0] == limit and max(ahead) == 40 and max(a - stored for stored, a in enumerate(ahead)) == limit
    )


def test_a_chunk_names_the_rows_that_may_repeat_an_earlier_row_of_it():
    """As ingest matches rows: the same key, or the same URL from another source kind or with an
    id derived from it; the same URL from the same kind with an id of its own is another post."""
    from listener_app.workspace.preparing import ChunkRepeats

    repeats = ChunkRepeats()
    rows = [
        ("reddit", "r-1", "https://a.example/1", False),
        ("reddit", "r-2", "https://a.example/1", False),  # same kind, own id: another post
        ("reddit", "r-1", None, False),  # the same key again
        ("hackernews", "h-1", "https://a.example/1", False),  # the URL from another kind
        ("reddit", "r-3", "https://a.example/1", False),  # that URL is now of two kinds
        ("rss", "https://b.example/2", "https://b.example/2", True),
        ("rss", "https://b.example/2?x", "https://b.example/2", True),  # derived from a URL seen
        ("rss", "r-4", "https://c.example/3", False),
    ]
    for position, (source, external_id, url, derived) in enumerate(rows, 1):
        repeats.add(position, {"source": source, "external_id": external_id, "url": url}, derived)
    assert list(repeats.positions) == [3, 4, 5, 7]


LINES_WITH_CR = '\ufeff{"a": 1}\r\n\r\n{"b": "é"}\r{"c": 3}\n\n  \n{"d": "\u2028 inside"}\n{"e": 5}'.encode()
# Without a \r, lines stay bytes. After 3,000 plain lines (past the part read to tell the
# encoding): bytes that are not UTF-8 (read as cp1252), a line of wide spaces (blank), NaN
# (json reads it, orjson does not), a broken line.
LINES_AS_BYTES = (
    "".join(f'{{"n": {n}, "t": "café"}}\n' for n in range(3000)).encode()
    + b'{"b": "\x93quoted\x94"}\n'
    + '\u3000 \n{"c": NaN}\n{"d": \n{"e": 5}'.encode()
)


@pytest.mark.parametrize("data", [LINES_WITH_CR, LINES_AS_BYTES], ids=["text", "bytes"])
def test_blocks_of_lines_number_lines_as_the_line_reader_does(tmp_path, monkeypatch, data):
    import listener_app.formats.blocks as blocks_module

    block_bytes = 7 if data is LINES_WITH_CR else 4096
    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", block_bytes)
    monkeypatch.setattr(blocks_module, "READ_BYTES", 5 if data is LINES_WITH_CR else 1000)
    path = tmp_path / "lines.jsonl"
    path.write_bytes(data)
    with path.open("rb") as handle:
        expected = [(n, parse_line(line)) for n, line in read_jsonl(path, handle)]
    found, before = [], 0  # each block numbers its lines from 1, as the writer numbers them in turn
    with path.open("rb") as handle:
        blocks = read_jsonl_blocks(path, handle, block_bytes)
        assert blocks is not None
        blocks = list(blocks)
        assert len(blocks) > 2
        for block in blocks:
            lines = block.read()
            found += [(before + n, parse_line(line)) for n, line in lines]
            before += lines.line_breaks
    assert repr(found) == repr(expected)  # (NaN != NaN; errors compare by their text)
    if data is LINES_WITH_CR:
        assert [n for n, _ in found] == [1, 3, 4, 7, 8]
    else:
        assert [n for n, _ in found[-4:]] == [3001, 3003, 3004, 3005]
        assert found[-4][1] == {"b": "\u201cquoted\u201d"}
        assert isinstance(found[-2][1], ValueError)
    utf16 = tmp_path / "wide.jsonl"
    utf16.write_bytes('{"a": 1}\n'.encode("utf-16"))
    with utf16.open("rb") as handle:
        assert read_jsonl_blocks(utf16, handle) is None  # UTF-16 is read line by line instead


def test_blocks_grow_then_shrink_towards_the_end_of_the_file(tmp_path, monkeypatch):
    """Small first blocks (the writer starts early), whole ones in the middle, and a third of what
    is left at the end (the workers finish together)."""
    import listener_app.formats.blocks as blocks_module

    monkeypatch.setattr(blocks_module, "FIRST_BLOCK_BYTES", 1000)
    monkeypatch.setattr(blocks_module, "READ_BYTES", 1000)
    path = tmp_path / "many.jsonl"
    path.write_bytes(b"".join(b'{"text": "%06d"}\n' % n for n in range(10_000)))  # 190,000 bytes
    with path.open("rb") as handle:
        blocks = list(read_jsonl_blocks(path, handle, block_bytes=16_000) or [])
    sizes = [block.size for block in blocks]
    assert sum(sizes) == path.stat().st_size
    assert sizes[0] < 2000 and sum(size > 15_000 for size in sizes) > 5 and max(sizes) < 18_000
    assert max(sizes[-4:]) < 4000 and sizes[-1] < 2000


def test_an_import_is_planned_by_its_size_and_whether_it_scores():
    """Workers only when they repay their start; read indexes rebuilt at the end only when
    keeping them up to date would cost more; half-size blocks when scoring (a worker holds its
    block's scored rows until they are stored: memory), whole ones otherwise (speed)."""
    small, big = (
        plan_import(500, 100_000, False, cores=2),
        plan_import(1_000_000, 0, False, cores=2),
    )
    assert (small.workers, small.defer_indexes) == (0, False)
    assert (big.workers, big.defer_indexes) == (2, True)
    assert plan_import(2_000, 10_000_000, False, cores=2).defer_indexes is False
    assert big.block_bytes == BLOCK_BYTES
    assert plan_import(1_000_000, 0, True, cores=2).block_bytes == BLOCK_BYTES // 2
    assert plan_import(1_000_000, 0, True, cores=1).workers == 0
