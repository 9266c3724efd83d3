"""Staging files (db.staging): what a worker writes is what the writer reads back."""

from __future__ import annotations

import sqlite3

from listener_app.store import staging


def _read(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT pos, {', '.join(staging.COLUMNS)} FROM rows ORDER BY pos").fetchall()
    finally:
        conn.close()


def test_columns_empty_throughout_read_back_as_null(tmp_path) -> None:
    width = len(staging.COLUMNS)
    first = tuple(f"a{i}" if i % 3 == 0 else None for i in range(width))
    second = tuple(f"b{i}" if i % 3 == 0 or i == 1 else None for i in range(width))
    rows = [dict(zip(staging.COLUMNS, row, strict=True)) for row in (first, second)]
    staging.write_rows(tmp_path / "s.db", rows, [("x", "dana", None, None, 3)])
    assert _read(tmp_path / "s.db") == [(1, *first), (2, *second)]


def test_rows_with_one_filled_column_or_none(tmp_path) -> None:
    only = tuple("x" if i == 4 else None for i in range(len(staging.COLUMNS)))
    staging.write_rows(tmp_path / "one.db", [dict(zip(staging.COLUMNS, only, strict=True))] * 2, [])
    assert _read(tmp_path / "one.db") == [(1, *only), (2, *only)]
    staging.write_rows(tmp_path / "none.db", [], [])
    assert _read(tmp_path / "none.db") == []
