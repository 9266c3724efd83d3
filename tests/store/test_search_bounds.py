"""Searches that would overflow or run for seconds get a clear query error instead."""

from __future__ import annotations

import pytest

from listener_app.cli import main
from listener_app.domain.models import Item
from listener_app.domain.query import QueryError, parse
from listener_app.store import search
from listener_app.workspace.ingest import ingest_items


@pytest.mark.parametrize("query", ["reach>1e309", "reach>=1e30", "reach<-1e400", "reach>inf"])
def test_a_reach_past_any_number_is_a_query_error(ws, query):
    with pytest.raises(QueryError, match="too large a number"):
        search.count(ws, query)


def test_reach_nan_is_not_a_number():
    with pytest.raises(QueryError, match="expects a number"):
        parse("reach>nan")


def test_the_command_line_says_so_in_one_line(ws, capsys):
    assert main(["search", "reach>1e309", "--db", str(ws.path)]) == 1
    err = capsys.readouterr().err
    assert "too large a number" in err and "Traceback" not in err


def test_a_one_letter_prefix_is_refused_with_the_reason(ws):
    with pytest.raises(QueryError, match=r"'w\*' is too short") as caught:
        search.mention_ids(ws, "acme w*", limit=10)
    assert caught.value.position == 5
    assert search.mention_ids(ws, "wa*", limit=10) == []


def test_many_prefixes_in_one_search_are_refused(ws):
    many = " OR ".join(f"{a}{b}*" for a in "abcd" for b in "aeiou")  # 20
    with pytest.raises(QueryError, match="at most 16 words ending in"):
        search.count(ws, many)
    search.count(ws, " OR ".join(many.split(" OR ")[:16]))


def test_a_search_that_runs_too_long_is_stopped_with_advice(ws, monkeypatch):
    ingest_items(
        ws,
        [
            Item(source="rss", external_id=str(n), text=f"word{n} acme", published_at="2026-01-01")
            for n in range(3000)
        ],
        score=False,
    )
    monkeypatch.setattr(search, "SEARCH_SECONDS", 0.0)
    with pytest.raises(QueryError, match="takes too long"):
        search.mention_ids(ws, "acme OR wo* sort:oldest")
    monkeypatch.undo()
    assert search.count(ws, "acme") == 3000  # the connection works on afterwards
