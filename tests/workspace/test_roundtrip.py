"""Export a workspace, import it into a fresh one: every record comes back (except the local id)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from listener_app.domain.models import AuthorRef, Item
from listener_app.store import open_store
from listener_app.store.mentions import mention_records
from listener_app.store.search import mention_ids
from listener_app.workspace.demo import build_demo
from listener_app.workspace.exporting import export_query
from listener_app.workspace.importing import import_file
from listener_app.workspace.ingest import ingest_items
from listener_app.workspace.scoring import rescore

LOCAL = {"id", "fetched_at", "trackers"}  # trackers belong to the workspace, not the mention

TRICKY = [
    Item(source="rss", external_id="t1", text="=HYPERLINK(\"http://evil\") typed by a customer",
         published_at="2026-01-02T03:04:05Z", tags=["billing; refunds", "a,b", "plain"],
         notes=["first | with a bar", "=SUM(A1)", "multi\nline"], status="needs_response", starred=True),
    Item(source="mastodon", external_id="t2", text="'=already quoted and -dash", title="[not a list]",
         published_at="2026-01-03", author=AuthorRef("ann", "Ann | Co", reach=12), tags=["[x]"],
         notes=["[\"looks\", \"like json\"]"], sentiment="negative", sentiment_score=-0.25, intent="complaint"),
    Item(source="reddit", external_id="t3", text="@everyone +1 this\tplease", published_at="2026-01-04",
         url="https://www.reddit.com/r/acme/comments/t3", metrics={"score": 5, "replies": 2}, status="done",
         links=["https://a.example/x;y", "https://b.example/"], parent_external_id="t0", thread_external_id="t0"),
    Item(source="reddit", external_id="t4", text="Thanks, fixed in 2.1", published_at="2026-01-05",
         author=AuthorRef("acme"), parent_external_id="t3", thread_external_id="t0", ours=True),
]  # fmt: skip


def _comparable(records: list[dict]) -> list[str]:
    return sorted(json.dumps({k: v for k, v in r.items() if k not in LOCAL}, sort_keys=True) for r in records)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    ws = open_store(tmp_path_factory.mktemp("rt") / "a.db")
    build_demo(ws, count=200, now=datetime(2026, 11, 1, tzinfo=UTC))
    ingest_items(ws, TRICKY, score=True)
    yield ws
    ws.close()


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "xlsx"])
def test_export_then_import_round_trips(source, tmp_path, fmt):
    original = _comparable(mention_records(source, mention_ids(source, "")))
    out = tmp_path / f"all.{fmt}"
    assert export_query(source, "", fmt, out) == len(original)
    target = open_store(tmp_path / "b.db")
    report = import_file(target, out, score=True)
    assert (report.ingest.inserted, report.errors) == (len(original), [])
    assert _comparable(mention_records(target, mention_ids(target, ""))) == original
    again = import_file(target, out, score=True)
    assert (again.ingest.inserted, again.ingest.unchanged) == (0, len(original))
    target.close()


def test_without_scoring_only_automatic_labels_wait_for_rescore(source, tmp_path):
    out = tmp_path / "all.jsonl"
    export_query(source, "", "jsonl", out)
    target = open_store(tmp_path / "b.db")
    import_file(target, out, score=False)
    copied = {r["external_id"]: r for r in mention_records(target, mention_ids(target, ""))}
    for record in mention_records(source, mention_ids(source, "")):
        twin = copied[record["external_id"]]
        manual = record["sentiment_origin"] == "manual"
        assert twin["sentiment_origin"] == ("manual" if manual else None)
        assert (twin["tags"], twin["notes"], twin["status"], twin["starred"]) == (
            record["tags"], record["notes"], record["status"], record["starred"],
        )  # fmt: skip
    rescore(target)
    expected = _comparable(mention_records(source, mention_ids(source, "")))
    assert _comparable(mention_records(target, mention_ids(target, ""))) == expected
    target.close()


def test_learned_labels_round_trip(tmp_path):
    ws = open_store(tmp_path / "a.db")
    ingest_items(ws, [Item(source="rss", external_id="1", text="meh", published_at="2026-01-01")], score=True)
    with ws.transaction():
        ws.execute(
            "UPDATE mentions SET sentiment = 'negative', sentiment_score = -0.5, sentiment_origin = 'learned', "
            "intent = 'complaint', intent_origin = 'learned'"
        )
    export_query(ws, "", "jsonl", tmp_path / "x.jsonl")
    target = open_store(tmp_path / "b.db")
    import_file(target, tmp_path / "x.jsonl", score=True)
    assert _comparable(mention_records(target, mention_ids(target, ""))) == _comparable(
        mention_records(ws, mention_ids(ws, ""))
    )
