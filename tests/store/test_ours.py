"""What the brand itself wrote (`ours`): stored as context, never inbox work; found with is:ours;
shown in its conversation; its replies timing the first response."""

from __future__ import annotations

import pytest

from listener_app.domain.models import AuthorRef, Item
from listener_app.domain.query import QueryError
from listener_app.domain.rules import parse_action, validate_rule
from listener_app.store import playbook
from listener_app.store.rules import save_rule
from listener_app.store.search import mention_ids
from listener_app.store.stats import thread_of
from listener_app.store.triage import set_status
from listener_app.workspace.ingest import ingest_items


def post(external_id: str, text: str, when: str, *, who: str = "dana", ours: bool = False, **fields) -> Item:
    return Item(
        source=fields.pop("source", "twitter"),
        external_id=external_id,
        text=text,
        published_at=when,
        author=AuthorRef(who),
        ours=ours,
        **fields,
    )


def status_of(ws, external_id: str) -> str:
    return ws.scalar("SELECT status FROM mentions WHERE external_id = ?", (external_id,))


def ids_of(ws, query: str) -> set[str]:
    found = mention_ids(ws, query)
    marks = ",".join("?" * len(found))
    return {r[0] for r in ws.execute(f"SELECT external_id FROM mentions WHERE id IN ({marks})", found)}


def test_the_brands_own_posts_never_land_in_new_and_are_found_with_is_ours(ws):
    ingest_items(
        ws,
        [
            post("1", "my parcel never arrived", "2026-01-01T10:00:00Z"),
            post(
                "2",
                "sorry Dana, a new parcel left today",
                "2026-01-01T11:00:00Z",
                who="AcmeCare",
                ours=True,
                parent_external_id="1",
            ),
        ],
        score=False,
    )
    assert (status_of(ws, "1"), status_of(ws, "2")) == ("new", "done")
    assert ids_of(ws, "status:new") == {"1"}
    assert ids_of(ws, "is:ours") == {"2"}
    assert ids_of(ws, "-is:ours") == {"1"}
    assert ids_of(ws, "parcel is:us") == {"2"}  # an alias
    with pytest.raises(QueryError, match="ours"):
        mention_ids(ws, "is:oursx")


def test_a_conversation_shows_both_sides_and_replies_that_name_only_their_parent(ws):
    ingest_items(
        ws,
        [
            post("1", "where is my order?", "2026-01-01T10:00:00Z"),
            post(
                "2", "on its way!", "2026-01-01T10:30:00Z", who="AcmeCare", ours=True, parent_external_id="1"
            ),
            post("3", "thanks", "2026-01-01T10:40:00Z", parent_external_id="2", thread_external_id="1"),
            post("9", "unrelated", "2026-01-01T10:50:00Z"),
        ],
        score=False,
    )
    root = ws.scalar("SELECT id FROM mentions WHERE external_id = '1'")
    thread = thread_of(ws, root)
    assert [(m["text"], m["ours"]) for m in thread] == [
        ("where is my order?", False), ("on its way!", True), ("thanks", False),
    ]  # fmt: skip
    reply = ws.scalar("SELECT id FROM mentions WHERE external_id = '2'")
    assert [m["id"] for m in thread_of(ws, reply)] == [m["id"] for m in thread]


def test_a_later_import_that_knows_who_we_are_takes_our_posts_out_of_new_but_keeps_triage(ws):
    items = [
        post("1", "we fixed the sync bug", "2026-01-01T10:00:00Z", who="AcmeCare"),
        post("2", "we shipped dark mode", "2026-01-02T10:00:00Z", who="AcmeCare"),
    ]
    ingest_items(ws, items, score=False)
    handled = ws.scalar("SELECT id FROM mentions WHERE external_id = '2'")
    set_status(ws, [handled], "monitoring")
    for item in items:
        item.ours = True
    report = ingest_items(ws, items, score=False)
    assert report.inserted == 0
    assert (status_of(ws, "1"), status_of(ws, "2")) == ("done", "monitoring")  # the strategist's choice stays
    assert ids_of(ws, "is:ours") == {"1", "2"}
    for item in items:
        item.ours = False  # an import that does not know who we are does not undo it
    ingest_items(ws, items, score=False)
    assert ids_of(ws, "is:ours") == {"1", "2"}


def test_rules_act_on_what_customers_wrote_and_on_ours_only_when_they_say_so(ws):
    save_rule(ws, validate_rule("Refunds", "refund", [parse_action("status:needs_response")]))
    save_rule(ws, validate_rule("Our replies", "is:ours refund", [parse_action("tag:our-reply")]))
    ingest_items(
        ws,
        [
            post("1", "I want a refund", "2026-01-01T10:00:00Z"),
            post("2", "your refund is on its way", "2026-01-01T11:00:00Z", who="AcmeCare", ours=True),
        ],
        score=False,
    )
    assert (status_of(ws, "1"), status_of(ws, "2")) == ("needs_response", "done")
    assert ids_of(ws, "tag:our-reply") == {"2"}


def _timed(ws):
    return {
        ws.scalar("SELECT external_id FROM mentions WHERE id = ?", (i,)): round(h, 2)
        for i, h in playbook.replies_of_ours(ws).items()
    }


def test_time_to_first_response_from_the_brands_replies(ws):
    ingest_items(
        ws,
        [
            # a review answered 2 hours later (the reply names its parent)
            post("r1", "the app crashes", "2026-01-01T10:00:00Z", source="play_store"),
            post(
                "r1:reply",
                "fixed in 2.1",
                "2026-01-01T12:00:00Z",
                source="play_store",
                who="Acme",
                ours=True,
                parent_external_id="r1",
                thread_external_id="r1",
            ),
            # a DM: the customer's two messages are one turn, answered 30 minutes after the first
            post("d1", "hi", "2026-01-02T09:00:00Z", thread_external_id="dm:1", source="x_dm"),
            post("d2", "anyone there?", "2026-01-02T09:20:00Z", thread_external_id="dm:1", source="x_dm"),
            post(
                "d3",
                "hello Dana!",
                "2026-01-02T09:30:00Z",
                thread_external_id="dm:1",
                source="x_dm",
                who="Acme",
                ours=True,
            ),
            post(
                "d4",
                "thanks, one more thing",
                "2026-01-02T10:00:00Z",
                thread_external_id="dm:1",
                source="x_dm",
            ),
            post(
                "d5",
                "sure",
                "2026-01-02T11:00:00Z",
                thread_external_id="dm:1",
                source="x_dm",
                who="Acme",
                ours=True,
            ),
            post("d6", "bye", "2026-01-02T12:00:00Z", thread_external_id="dm:1", source="x_dm"),  # unanswered
            # a comment section: the brand's next comment may answer someone else, so nothing counts
            post(
                "c1",
                "nice video",
                "2026-01-03T09:00:00Z",
                thread_external_id="v1",
                source="youtube",
                who="ann",
            ),
            post(
                "c2",
                "what phone is that?",
                "2026-01-03T09:10:00Z",
                thread_external_id="v1",
                source="youtube",
                who="bob",
            ),
            post(
                "c3",
                "thanks Ann",
                "2026-01-03T10:00:00Z",
                thread_external_id="v1",
                source="youtube",
                who="Acme",
                ours=True,
            ),
        ],
        score=False,
    )
    assert _timed(ws) == {"r1": 2.0, "d1": 0.5, "d4": 1.0}
    figures = playbook.response_times(ws)
    assert figures == {"responded": 3, "median_hours": 1.0, "p90_hours": 2.0, "from_replies": 3}
    assert playbook.response_times(ws, "source:play_store")["median_hours"] == 2.0


def test_a_response_recorded_in_listener_and_a_reply_in_an_archive_count_once_the_earliest(ws):
    ingest_items(
        ws,
        [
            post("1", "broken", "2026-01-01T10:00:00Z"),
            post("2", "we are on it", "2026-01-01T14:00:00Z", who="Acme", ours=True, parent_external_id="1"),
        ],
        score=False,
    )
    first = ws.scalar("SELECT id FROM mentions WHERE external_id = '1'")
    with ws.transaction():
        ws.execute("UPDATE mentions SET responded_at = '2026-01-01T11:00:00Z' WHERE id = ?", (first,))
    assert playbook.response_times(ws) == {
        "responded": 1, "median_hours": 1.0, "p90_hours": 1.0, "from_replies": 0,
    }  # fmt: skip


def test_charts_count_what_customers_said_not_the_brands_replies(tmp_path):
    from listener_app.domain.models import AuthorRef, Item
    from listener_app.workspace import Workspace
    from listener_app.workspace.ingest import ingest_items

    with Workspace.open(tmp_path / "charts.listener.db") as ws:
        customer = Item("twitter", "1", "My order is late again", published_at="2026-03-01T10:00:00Z",
                        author=AuthorRef("ana"))  # fmt: skip
        reply = Item("twitter", "2", "Sorry Ana, we are on it", published_at="2026-03-01T11:00:00Z",
                     author=AuthorRef("acme"), parent_external_id="1", ours=True)  # fmt: skip
        ingest_items(ws.store, [customer, reply], score=False)
        assert ws.analytics.hourly("").total == 1
        assert ws.analytics.hourly("is:ours").total == 1
        assert sum(day["mentions"] for day in ws.analytics.volume_by_day("")) == 1


def test_updates_of_a_batch_apply_in_order_and_only_the_brands_own_change_ours(ws):
    """A batch's updates apply in their order whether or not their rows are the brand's own, and
    only those rows make a mention ours (the others leave `ours` and the status alone)."""
    from listener_app.store.mentions import CONTENT_COLUMNS, touch_mentions, update_mentions

    ingest_items(
        ws,
        [post("1", "first", "2026-01-01T10:00:00Z"), post("2", "second", "2026-01-02T10:00:00Z")],
        score=False,
    )
    first, second = (ws.scalar("SELECT id FROM mentions WHERE external_id = ?", (e,)) for e in ("1", "2"))
    set_status(ws, [second], "monitoring")
    row = dict.fromkeys(CONTENT_COLUMNS) | {
        "id": first,
        "fetched_at": "2026-01-03T10:00:00Z",
        "engagement": 0,
    }
    with ws.transaction():
        update_mentions(
            ws, [row | {"text": "ours, then edited", "ours": 1}, row | {"text": "edited", "ours": 0}]
        )
        touch_mentions(ws, [row | {"id": second, "ours": 0}])
    assert ws.scalar("SELECT text FROM mentions WHERE id = ?", (first,)) == "edited"
    assert ids_of(ws, "is:ours") == {"1"} and status_of(ws, "1") == "done"
    assert status_of(ws, "2") == "monitoring"
