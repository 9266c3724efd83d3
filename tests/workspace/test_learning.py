"""Learning from the strategist's labels in a workspace: relearn and what it says, a new label
learned at once, applying learned labels (never over the strategist's), taking them back, the
auto-apply setting on new mentions, and "ask me"."""

from __future__ import annotations

import random

import pytest

from listener_app.domain.models import Item
from listener_app.workspace import Workspace
from listener_app.workspace.ingest import ingest_items

PRODUCTS = ("phone", "tablet", "earbuds", "watch", "router", "laptop")
WHEN = ("after the update", "this morning", "since Tuesday", "on day two", "overnight", "again")
# Words the automatic scorer reads as neutral, that this client's customers use for a dead device.
BROKEN = ("needs an RMA", "sent for RMA", "boot loops", "is a paperweight now", "went to the repair depot")
FINE = ("arrived today", "is in the box", "ships on Friday", "has a blue case", "was on sale")
GLAD = ("is wonderful", "is brilliant, love it", "works great", "is excellent", "is a joy to use")
WORDS = {"negative": BROKEN, "neutral": FINE, "positive": GLAD}


def _post(rng: random.Random, kind: str) -> str:
    return f"My {rng.choice(PRODUCTS)} {rng.choice(WORDS[kind])} {rng.choice(WHEN)}"


def _items(count: int, *, labelled: bool, seed: int, prefix: str) -> list[Item]:
    rng = random.Random(seed)
    items = []
    for n in range(count):
        kind = rng.choice(tuple(WORDS))
        label = kind if labelled else None
        items.append(
            Item(
                source="rss",
                external_id=f"{prefix}{n}",
                text=_post(rng, kind),
                published_at="2026-02-01",
                sentiment=label,
            )
        )
    return items


@pytest.fixture
def learned(tmp_path) -> Workspace:
    """120 mentions whose sentiment the strategist set (RMA and boot loops are negative here),
    60 without a label, learned from."""
    ws = Workspace.open(tmp_path / "client.listener.db")
    ingest_items(ws.store, _items(120, labelled=True, seed=1, prefix="l"))
    ingest_items(ws.store, _items(60, labelled=False, seed=2, prefix="u"))
    ws.learning.relearn()
    yield ws
    ws.close()


def _id(ws: Workspace, external_id: str) -> int:
    return int(ws.store.scalar("SELECT id FROM mentions WHERE external_id = ?", (external_id,)))


def _new(ws: Workspace, external_id: str, text: str) -> int:
    ingest_items(
        ws.store, [Item(source="rss", external_id=external_id, text=text, published_at="2026-02-02")]
    )
    return _id(ws, external_id)


def test_relearn_learns_the_workspaces_words_and_says_how_far_to_trust_them(learned):
    mention = _new(learned, "x", "My watch boot loops since Tuesday")
    assert learned.mention(mention)["sentiment"] == "neutral"  # the scorer's reading
    label, confidence = learned.learning.suggestions(mention)["sentiment"]
    assert label == "negative" and confidence > 0.8
    sentiment = next(m for m in learned.learning.summary() if m.model == "sentiment")
    assert sum(sentiment.labels.values()) == 120 and len(sentiment.labels) == 3 and sentiment.needs == 0
    assert (
        sentiment.estimate.labels == 120 and sentiment.estimate.learned > sentiment.estimate.automatic + 0.2
    )
    assert sentiment.estimate.describe("sentiment").startswith("learned sentiment: ")
    assert learned.learning.behind() == 0


def test_new_labels_change_the_next_suggestion_at_once(learned):
    learned.learning.warm()  # as the window does after start-up
    other = _new(learned, "y", "My phone smells of smoke overnight")
    assert learned.learning.suggestions(other)["sentiment"][0] == "neutral"
    reader = Workspace.open(learned.path, readonly=True)  # the window's own connection
    try:
        for n, text in enumerate(
            ("My tablet smells of smoke since Tuesday", "My laptop smells of smoke again")
        ):
            learned.set_sentiment([_new(learned, f"s{n}", text)], "negative")
        # no relearn: the writer learned them, and the stored model says so
        assert reader.learning.suggestions(other)["sentiment"][0] == "negative"
    finally:
        reader.close()
    assert "sentiment" not in learned.learning.suggestions(_id(learned, "s0"))  # labelled by hand
    assert learned.learning.behind() == 2  # measured again by the next relearn
    learned.undo()  # what was learned from a label goes with it
    learned.undo()
    assert learned.learning.suggestions(other)["sentiment"][0] == "neutral"


def test_labels_set_elsewhere_are_learned_by_the_next_label_here(learned):
    learned.learning.warm()
    other = _new(learned, "y", "My phone smells of smoke overnight")
    elsewhere = Workspace.open(learned.path)  # the command line, while the window is open
    try:  # counted there, not learned: that process is not warm
        elsewhere.set_sentiment(
            [_new(elsewhere, "s0", "My tablet smells of smoke since Tuesday")], "negative"
        )
    finally:
        elsewhere.close()
    assert learned.learning.suggestions(other)["sentiment"][0] == "neutral"
    learned.set_sentiment([_new(learned, "s1", "My laptop smells of smoke again")], "negative")
    assert learned.learning.suggestions(other)["sentiment"][0] == "negative"  # both labels learned
    assert learned.learning.behind() == 2


def test_apply_sets_learned_labels_only_where_they_change_something(learned):
    negative = learned.count("sentiment:negative")
    standing = learned.learning.apply(0.8)
    rows = learned.store.execute(
        "SELECT sentiment, sentiment_origin FROM mentions WHERE external_id LIKE 'u%'"
    ).fetchall()
    assert {origin for _, origin in rows} == {"auto", "learned"}
    # the scorer read "works great" right already; only what it misread is learned
    assert {sentiment for sentiment, origin in rows if origin == "learned"} == {"negative"}
    assert standing == sum(origin == "learned" for _, origin in rows)
    assert learned.store.scalar("SELECT count(*) FROM mentions WHERE sentiment_origin = 'manual'") == 120
    assert learned.count("sentiment:negative") == negative + standing


def test_applying_again_makes_the_learned_labels_what_the_models_say_now(tmp_path):
    ws = Workspace.open(tmp_path / "noisy.listener.db")
    items = _items(160, labelled=True, seed=1, prefix="l")
    rng = random.Random(9)
    for item in items:  # a strategist who is not always consistent
        if rng.random() < 0.2:
            item.sentiment = rng.choice(tuple(WORDS))
    ingest_items(ws.store, items + _items(200, labelled=False, seed=2, prefix="u"))
    ws.learning.relearn()
    before = dict(
        ws.store.execute("SELECT id, sentiment FROM mentions WHERE external_id LIKE 'u%'").fetchall()
    )
    assert ws.learning.apply(0.8) > 0
    # right 84 % of the time on the labels, never 90 % together: at 0.9 nothing stands
    assert ws.learning.apply(0.9) == 0
    after = dict(
        ws.store.execute("SELECT id, sentiment FROM mentions WHERE external_id LIKE 'u%'").fetchall()
    )
    assert after == before  # the scorer's labels again
    assert not ws.store.scalar("SELECT count(*) FROM mentions WHERE sentiment_origin = 'learned'")
    ws.close()


def test_learned_labels_can_be_taken_back(learned):
    mention = _new(learned, "x", "My watch boot loops since Tuesday")
    learned.learning.apply(0.8)
    assert learned.mention(mention)["sentiment_origin"] == "learned"
    assert learned.learning.clear() >= 1
    taken_back = learned.mention(mention)
    assert (taken_back["sentiment"], taken_back["sentiment_origin"]) == ("neutral", "auto")  # the scorer's
    assert learned.store.scalar("SELECT count(*) FROM mentions WHERE sentiment_origin = 'manual'") == 120


def test_new_mentions_get_learned_labels_when_the_setting_is_on(learned):
    off = _new(learned, "off", "My watch boot loops since Tuesday")
    assert learned.mention(off)["sentiment_origin"] == "auto"
    learned.learning.set_auto_apply(0.8)
    on = _new(learned, "on", "My laptop boot loops overnight")
    assert (learned.mention(on)["sentiment"], learned.mention(on)["sentiment_origin"]) == (
        "negative",
        "learned",
    )
    assert learned.mention(off)["sentiment_origin"] == "auto"  # only new ones
    learned.learning.set_auto_apply(None)
    assert learned.learning.auto_apply() is None
    with pytest.raises(ValueError, match=r"at least 0\.5"):
        learned.learning.set_auto_apply(1.5)


def test_a_tag_model_adds_only_its_tag_and_never_where_the_strategist_tagged_otherwise(tmp_path):
    ws = Workspace.open(tmp_path / "tags.listener.db")
    rng = random.Random(3)
    broken = [Item(source="rss", external_id=f"b{n}", text=_post(rng, "negative"), published_at="2026-02-01",
                   tags=["repairs"]) for n in range(30)]  # fmt: skip
    other = [Item(source="rss", external_id=f"o{n}", text=_post(rng, "neutral"), published_at="2026-02-01",
                  tags=["orders"]) for n in range(30)]  # fmt: skip
    ingest_items(ws.store, broken + other)
    ws.learning.relearn()
    fresh = _new(ws, "fresh", "My phone boot loops again")
    ordered = _new(ws, "ordered", "My watch needs an RMA overnight")
    ws.add_tags([ordered], ["orders"])  # the strategist: an order question, not a repair
    assert ws.learning.apply(0.8) > 0
    repairs, orders = ws.tags.by_name("repairs")["id"], ws.tags.by_name("orders")["id"]
    assert repairs in ws.rows([fresh])[0]["tag_ids"]
    assert repairs not in ws.rows([ordered])[0]["tag_ids"]
    ws.tags.delete(repairs)  # its model goes with it
    assert [r[0] for r in ws.store.execute("SELECT name FROM learned_models")] == [f"tag:{orders}"]
    ws.close()


def test_the_summary_says_what_a_model_still_needs(tmp_path):
    ws = Workspace.open(tmp_path / "few.listener.db")
    ingest_items(ws.store, _items(12, labelled=True, seed=4, prefix="l"))
    ws.learning.relearn()
    sentiment = next(m for m in ws.learning.summary() if m.model == "sentiment")
    assert sentiment.estimate is None and sum(sentiment.labels.values()) == 12
    best_two = sorted(sentiment.labels.values())[-2:]
    assert sentiment.needs == sum(max(0, 8 - n) for n in best_two)
    intent = next(m for m in ws.learning.summary() if m.model == "intent")
    assert intent.labels == {} and intent.needs == 16
    ws.close()


def test_a_label_by_hand_is_learned_with_the_automatic_verdict_it_corrects(learned):
    mention = _new(learned, "x", "the app asks for my location again")
    learned.learning.warm()
    learned.set_sentiment([mention], "negative")  # the scorer's neutral is gone from the mention
    stored = learned.store.execute(
        "SELECT sentiment, intent FROM doc_verdicts WHERE mention_id = ?", (mention,)
    )
    assert tuple(stored.fetchone()) == ("neutral", "complaint")


def test_labels_from_before_this_version_are_learned_again(tmp_path):
    ws = Workspace.open(tmp_path / "old.listener.db")
    ingest_items(ws.store, _items(30, labelled=True, seed=5, prefix="l"))
    assert ws.learning.needs_relearn()  # labels, and no model fitted on them by this version
    ws.learning.relearn()
    assert not ws.learning.needs_relearn()
    ws.close()


def test_ask_me_lists_what_would_teach_most_until_it_is_labelled(learned):
    asked = learned.search("is:asked sort:asked", limit=None)
    assert 0 < len(asked) <= 60
    assert all(learned.mention(i)["sentiment_origin"] != "manual" for i in asked)
    assert learned.store.scalar("SELECT mention_id FROM asked WHERE rank = 1") == asked[0]
    assert "among your 60 unlabelled mentions" in learned.learning.asked()
    learned.set_sentiment([asked[0]], "negative")
    assert asked[0] not in learned.search("is:asked", limit=None)
    assert learned.sidebar()["counts"]["asked"] == len(asked) - 1


def test_the_brands_own_posts_are_never_asked_about_nor_given_learned_labels(learned):
    reply = "My watch boot loops? DM us and we'll help"
    ingest_items(
        learned.store,
        [Item(source="rss", external_id="ours", text=reply, published_at="2026-03-01", ours=True)],
    )
    ours = _id(learned, "ours")
    learned.learning.relearn()
    assert ours not in learned.search("is:asked", limit=None)
    assert "among your 60 unlabelled mentions" in learned.learning.asked()  # customers' only
    learned.learning.apply(0.8)
    assert learned.mention(ours)["sentiment_origin"] == "auto"


def test_a_relearn_apart_stores_what_it_learned_and_can_be_cancelled(tmp_path):
    """The window's first relearn runs in a process of its own: the models it stores are the
    ones an in-process relearn would; progress comes back; a cancel ends it with nothing stored."""
    from listener_app.domain.tasks import Cancelled, TaskState

    ws = Workspace.open(tmp_path / "apart.listener.db")
    ingest_items(ws.store, _items(120, labelled=True, seed=1, prefix="l"))
    cancelled = TaskState(on_progress=lambda state: state.cancel())
    with pytest.raises(Cancelled):
        ws.learning.relearn_apart(cancelled)
    assert ws.learning.needs_relearn()
    messages = []
    result = ws.learning.relearn_apart(TaskState(on_progress=lambda state: messages.append(state.message)))
    assert result.labelled == 120 and result.models == 1 and "Learning from your labels" in messages
    assert not ws.learning.needs_relearn()
    mention = _new(ws, "x", "My watch boot loops since Tuesday")
    assert ws.learning.suggestions(mention)["sentiment"][0] == "negative"
    ws.close()
