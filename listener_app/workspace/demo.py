"""The demo workspace: a few thousand realistic mentions of a fictional brand and two rivals.

Deterministic (seeded) and offline: the same seed and `now` always give the same mentions.
There are threads, repeat authors (advocates and detractors), a heavy-tailed audience, eight
source kinds, four languages, an outage spike and a news day, and triage already done so the
inbox looks lived in. Every write goes through the db layer; demo triage is written without
undo events (it is where the user starts, not something they did).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice

from listener_app.domain import demo_text as t
from listener_app.domain.demo_posts import Post, posts
from listener_app.domain.models import AuthorRef, Item
from listener_app.domain.normalize import format_utc
from listener_app.domain.rules import parse_action, validate_rule
from listener_app.store import demo_store, settings, sources, tags, views
from listener_app.store import rules as rule_store
from listener_app.store.connection import Store
from listener_app.store.trackers import create_tracker, list_trackers
from listener_app.workspace.imports import US_KEY
from listener_app.workspace.ingest import ingest_items
from listener_app.workspace.learning import relearn

TAGS = (  # name, colour, group, shortcut
    ("billing", "#e5484d", "Billing", "1"),
    ("shipping", "#f76b15", "Support", "2"),
    ("battery", "#ffc53d", "Product", "3"),
    ("bug", "#8e4ec6", "Product", "4"),
    ("feature-request", "#0090ff", "Product", "5"),
    ("support", "#12a594", "Support", "6"),
    ("praise", "#46a758", "Marketing", "7"),
    ("urgent", "#d6409f", None, "8"),
    ("spam", "#687076", "Marketing", "9"),
)
VIEWS = (
    ("Open complaints", "status:new intent:complaint"),
    ("Questions to answer", "intent:question -status:done -status:responded"),
    ("Unhappy influencers", "sentiment:negative reach>10000"),
)
# Saved after the demo's mentions, so they wait for the next fetch (or Run on existing mentions).
RULES = (
    ("Billing complaints", "intent:complaint (refund OR charged OR invoice OR billing)",
     ("tag:billing", "status:needs_response")),
    ("Big accounts", "reach>50000 -status:done", ("star", "notify:A big account mentioned us")),
)  # fmt: skip
TRACKERS = (
    ("Acme", 'acme OR "acme phone" OR acmecare', "brand"),
    ("Zenith", '"zenith mobile" OR zenith', "competitor"),
    ("Nova", '"nova devices" OR nova', "competitor"),
)
# Demo sources are named as such and point at reserved .example hosts: a fetch can never reach anyone.
SOURCES = {
    "rss": ("Demo Google Alerts: Acme Phone", {"url": "https://alerts.example/feeds/acme-phone.xml"}),
    "hackernews": ("Demo Hacker News: acme", {"query": "acme", "base_url": "https://hn.example"}),
    "mastodon": ("Demo Mastodon #AcmePhone", {"base_url": "https://mastodon.example", "hashtags": "AcmePhone,AcmeCare"}),
    "reddit": ("Demo Reddit: acme phone", {"query": "acme phone", "client_id": "demo", "username": "demo",
                                      "base_url": "https://reddit.example", "auth_url": "https://reddit.example/token"}),
    "appstore": ("Demo App Store: Acme Care", {"app_id": "1474420000", "country": "us", "base_url": "https://itunes.example"}),
    "stackexchange": ("Demo Stack Exchange: android", {"site": "android", "query": "acme",
                                                  "base_url": "https://api.stackexchange.example"}),
    "youtube": ("Demo YouTube: Acme reviews", {"query": "acme phone 12 review", "base_url": "https://youtube.example"}),
    "bluesky": ("Demo Bluesky: acme", {"handle": "demo.bsky.social", "query": "acme", "base_url": "https://bsky.example"}),
}  # fmt: skip


@dataclass
class DemoReport:
    mentions: int
    authors: int
    sources: dict[str, int] = field(default_factory=dict)


# Triage the demo applies, as indexes into its items: statuses, "star" and "read".
DemoPlan = dict[str, list[int]]


BRAND_HANDLES = frozenset(handle.casefold() for handle in t.BRAND_ACCOUNTS.values())


def is_ours(post: Post) -> bool:
    """Whether Acme itself wrote the post (its support accounts' replies)."""
    return post.author.handle.casefold() in BRAND_HANDLES


def to_item(post: Post) -> Item:
    person = post.author
    author = AuthorRef(person.handle, person.name, person.profile_url, person.reach)
    return Item(
        source=post.kind, external_id=post.external_id, text=post.html or post.text, title=post.title,
        published_at=post.published, url=post.url, author=author, lang=post.lang, metrics=dict(post.metrics),
        parent_external_id=post.parent, thread_external_id=post.thread, is_html=post.html is not None,
        ours=is_ours(post),
    )  # fmt: skip


def _plan(rng: random.Random, generated: list[Post], now: datetime) -> DemoPlan:
    """Older mentions mostly triaged, recent complaints and questions partly, influencers starred."""
    plan: DemoPlan = {
        key: [] for key in ("done", "needs_response", "monitoring", "responded", "star", "read")
    }
    for index, post in enumerate(generated):
        if is_ours(post):
            continue  # the brand's own replies are context in their conversation, not triage work
        age = (now - post.published).days
        status = None
        if age > 10 and post.topic != "spam":
            status = rng.choices(
                ["done", "responded", "monitoring", "needs_response", None], [40, 14, 8, 6, 32]
            )[0]
        elif age > 2 and post.intent in ("complaint", "question") and rng.random() < 0.3:
            status = rng.choice(["needs_response", "needs_response", "monitoring", "responded"])
        if status:
            plan[status].append(index)
        influential = (post.author.reach or 0) > 10_000
        if rng.random() < 0.03 or (influential and status == "needs_response"):
            plan["star"].append(index)
        if status or age > 2 or rng.random() < 0.2:
            plan["read"].append(index)
        # What the generator meant, for the labels the demo's strategist corrected by hand.
        plan.setdefault(f"sentiment:{post.sentiment}", []).append(index)
        plan.setdefault(f"intent:{post.intent}", []).append(index)
    return plan


def demo_posts(*, seed: int = 7, count: int = 3000, now: datetime | None = None) -> list[Post]:
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    return list(islice(posts(random.Random(seed), now, authors=max(60, count // 5)), count))


def demo_items(
    *, seed: int = 7, count: int = 3000, now: datetime | None = None
) -> tuple[list[Item], DemoPlan]:
    """The demo's mentions, and the triage the demo applies to them."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    generated = demo_posts(seed=seed, count=count, now=now)
    return [to_item(p) for p in generated], _plan(random.Random(seed + 1), generated, now)


def build_demo(
    ws: Store, *, seed: int = 7, count: int = 3000, now: datetime | None = None, learn: bool = True
) -> DemoReport:
    """Fill `ws` with the demo: sources, trackers, tags with shortcuts, views, mentions, triage,
    and (unless `learn` is False: the window learns once it shows) models of its labels."""
    items, plan = demo_items(seed=seed, count=count, now=now)
    report = DemoReport(mentions=0, authors=len({(i.source, i.author.handle) for i in items if i.author}))
    settings.set_setting(ws, "brand", t.BRAND)
    settings.set_setting(ws, US_KEY, sorted(t.BRAND_ACCOUNTS.values()))  # "this is us"
    for name, color, group, shortcut in TAGS:
        if tags.tag_by_name(ws, name) is None:
            tags.create_tag(ws, name, color=color, group=group, shortcut=shortcut)
    for name, query in VIEWS:
        views.save_view(ws, name, query)
    _add_trackers(ws)
    ids: dict[int, int] = {}  # item index -> mention id
    by_kind: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_kind[item.source].append(index)
    for kind, indexes in by_kind.items():
        name, source_settings = SOURCES[kind]
        source_id = sources.add_source(ws, kind, name, source_settings, interval_minutes=24 * 60)
        stored = ingest_items(ws, [items[i] for i in indexes], source_id=source_id, score=True)
        ids.update(zip(indexes, stored.new_ids, strict=True))
        with ws.transaction():  # as if fetched: healthy, and not due again for a day
            sources.save_state(ws, source_id, {}, len(stored.new_ids))
        sources.record_run(ws, source_id, error=None)
        report.sources[kind] = len(stored.new_ids)
    report.mentions = len(ids)

    # Demo triage is the starting point, not history: it is written without undo events.
    # (With undo ignoring origin "demo", triage.set_status(..., origin=ORIGIN) could do this.)
    rng = random.Random(seed + 2)
    mapped = {key: [ids[i] for i in indexes if i in ids] for key, indexes in plan.items()}
    demo_store.apply_plan(ws, mapped, rng=rng, now=format_utc(now or datetime.now(UTC)))
    for name, query, actions in RULES:
        rule_store.save_rule(ws, validate_rule(name, query, [parse_action(a) for a in actions]))
    if learn:
        relearn(ws)  # the demo's labels set by hand are learned from, as if the strategist had set them
    return report


def _add_trackers(ws: Store) -> None:
    existing = {tracker["name"] for tracker in list_trackers(ws, with_counts=False)}
    for name, query, role in TRACKERS:
        if name not in existing:
            create_tracker(ws, name, query, role)  # before ingest: new mentions are matched as stored
