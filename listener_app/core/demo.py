"""The demo workspace: a few thousand realistic mentions of a fictional brand and two rivals.

Deterministic (seeded) and offline: the same seed and `now` always give the same workspace.
It has threads, repeat authors (advocates and detractors), a heavy-tailed audience, several
source kinds and languages, an outage spike, and some triage already done so the inbox looks
lived in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from listener_app.core import demo_text as t
from listener_app.core.ingest import ingest_items
from listener_app.core.models import AuthorRef, Item
from listener_app.core.normalize import format_utc

SOURCE_WEIGHTS = {
    "mastodon": 22, "reddit": 20, "hackernews": 10, "rss": 12, "appstore": 14, "bluesky": 10,
    "youtube": 8, "stackexchange": 4,
}  # fmt: skip
DAYS = 60
TAGS = (  # name, colour, group, shortcut
    ("billing", "#e5484d", "Billing", "1"),
    ("shipping", "#f76b15", "Support", "2"),
    ("battery", "#ffc53d", "Product", "3"),
    ("bug", "#8e4ec6", "Product", "4"),
    ("feature-request", "#0090ff", "Product", "5"),
    ("support", "#12a594", "Support", "6"),
    ("praise", "#46a758", "Marketing", "7"),
    ("urgent", "#d6409f", None, "8"),
    ("spam", "#687076", None, "9"),
)
VIEWS = (
    ("Open complaints", "status:new intent:complaint"),
    ("Questions to answer", "intent:question -status:done -status:responded"),
    ("Unhappy influencers", "sentiment:negative reach>10000"),
)
TRACKERS = (
    ("Acme", '"acme phone" OR acme OR acmecare', "brand"),
    ("Zenith", '"zenith mobile" OR zenith', "competitor"),
    ("Nova", '"nova devices" OR nova', "competitor"),
)


@dataclass
class DemoReport:
    mentions: int
    authors: int


@dataclass
class _Person:
    handle: str
    name: str
    reach: int
    mood: str | None  # "advocate", "detractor" or None


def _people(rng: random.Random, count: int) -> list[_Person]:
    people = []
    for index in range(count):
        first, last = rng.choice(t.FIRST_NAMES), rng.choice(t.LAST_NAMES)
        handle = f"{first.lower()}{rng.choice(['', '_', '.'])}{last.lower()[:4]}{rng.randint(1, 99) if index % 3 else ''}"
        reach = int(rng.paretovariate(1.1) * 40)
        if index < 6:
            reach = rng.randint(40_000, 400_000)  # a few influencers
        mood = "advocate" if index % 17 == 0 else "detractor" if index % 19 == 0 else None
        people.append(_Person(handle, f"{first} {last}", min(reach, 2_000_000), mood))
    return people


def _moment(rng: random.Random, now: datetime, spike_day: int) -> datetime:
    day = spike_day if rng.random() < 0.08 else int(rng.triangular(0, DAYS, DAYS * 0.8))
    hour = int(rng.triangular(6, 23, 14))
    moment = now - timedelta(days=DAYS - day, hours=-hour, minutes=-rng.randint(0, 59))
    return min(moment, now - timedelta(minutes=5))


def _permalink(kind: str, rng: random.Random, handle: str, n: int) -> tuple[str, str]:
    if kind == "mastodon":
        status = 112_000_000_000_000_000 + n * 7919
        return str(status), f"https://mastodon.social/@{handle}/{status}"
    if kind == "reddit":
        post = format(n * 104729 + 3_000_000, "x")
        sub = rng.choice(t.SUBREDDITS)
        return f"t3_{post}", f"https://www.reddit.com/r/{sub}/comments/{post}/"
    if kind == "hackernews":
        item = 41_000_000 + n * 13
        return str(item), f"https://news.ycombinator.com/item?id={item}"
    if kind == "appstore":
        review = 11_000_000_000 + n * 31
        return str(review), f"https://apps.apple.com/app/acme-care/id1474420000?review={review}"
    if kind == "bluesky":
        rkey = format(n * 99991 + 10**12, "x")
        return (
            f"at://did:plc:{handle[:8]}/app.bsky.feed.post/{rkey}",
            f"https://bsky.app/profile/{handle}.bsky.social/post/{rkey}",
        )
    if kind == "youtube":
        comment = f"Ugx{format(n * 7907, 'x')}AaABAg"
        return comment, f"https://www.youtube.com/watch?v=acmeRvw{n % 40:02d}&lc={comment}"
    if kind == "stackexchange":
        question = 290_000 + n
        return str(question), f"https://{rng.choice(t.SE_SITES)}/questions/{question}"
    url = f"https://{rng.choice(t.TECH_SITES)}/acme-news-{n}"
    return url, f"{url}?utm_source=alerts"


def _flavour(rng: random.Random, text: str, person: _Person) -> str:
    if person.mood == "detractor" and rng.random() < 0.5:
        text += rng.choice([" Never again.", " Typical Acme.", " 🙄", " Done with this brand."])
    if person.mood == "advocate" and rng.random() < 0.5:
        text += rng.choice([" Love this brand.", " ❤️", " Keep it up Acme!", " Still the best."])
    if rng.random() < 0.06:
        text = text.upper()
    if rng.random() < 0.05:
        text = text.replace("the ", "teh ", 1)
    return text


def _template_for(rng: random.Random, person: _Person, spike: bool) -> tuple[str, str, str | None, str]:
    pool = t.TEMPLATES
    if spike:
        pool = tuple(x for x in t.TEMPLATES if x[1] in ("bug", "support")) or pool
    elif person.mood == "advocate":
        pool = tuple(x for x in t.TEMPLATES if x[0] == "praise")
    elif person.mood == "detractor":
        pool = tuple(x for x in t.TEMPLATES if x[0] == "complaint")
    return rng.choice(pool)


def demo_items(
    *, seed: int = 7, count: int = 3000, now: datetime | None = None
) -> tuple[list[Item], dict[str, list[int]]]:
    """The demo's mentions, and the indexes of those the demo triages (by what it does)."""
    rng = random.Random(seed)
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    people = _people(rng, max(50, count // 6))
    spike_day = DAYS - 9
    kinds = list(SOURCE_WEIGHTS)
    weights = list(SOURCE_WEIGHTS.values())
    items: list[Item] = []
    plan: dict[str, list[int]] = {
        "done": [],
        "needs_response": [],
        "monitoring": [],
        "responded": [],
        "star": [],
        "read": [],
    }
    while len(items) < count:
        n = len(items)
        person = (
            people[min(int(rng.paretovariate(1.3)) - 1, len(people) - 1)]
            if rng.random() < 0.3
            else rng.choice(people)
        )
        kind = rng.choices(kinds, weights)[0]
        moment = _moment(rng, now, spike_day)
        spike = abs((moment - (now - timedelta(days=DAYS - spike_day))).days) == 0
        roll = rng.random()
        title = None
        lang = "en"
        if roll < 0.05:
            lang, intent, text = rng.choice(t.LANGUAGE_POSTS)
            text = text.format(p=rng.choice(t.PRODUCTS))
        elif roll < 0.22:
            competitor = rng.choice(t.COMPETITORS)
            intent, text = rng.choice(t.COMPETITOR_TEMPLATES)
            text = text.format(c=competitor, q=rng.choice(t.COMPETITOR_PRODUCTS[competitor]))
        else:
            intent, _topic, _tag, text = _template_for(rng, person, spike)
            text = text.format(p=rng.choice(t.PRODUCTS), c=rng.choice(t.COMPETITORS), n=rng.randint(3, 45))
        text = _flavour(rng, text, person)
        external_id, url = _permalink(kind, rng, person.handle, n)
        if kind in ("rss", "hackernews") or (kind == "reddit" and rng.random() < 0.5):
            title = text.split(". ")[0][:90]
            if kind == "rss":
                text = (
                    f"<p>{text}</p><p>Read more on <a href='{url}'>the site</a>.</p><script>track()</script>"
                )
        if kind == "appstore":
            title = rng.choice(
                ["Great phone companion", "Keeps crashing", "Needs work", "Love it", "Billing nightmare"]
            )
        metrics = {"likes": int(rng.paretovariate(1.5) * 2) - 2, "replies": rng.randint(0, 12)}
        if kind == "appstore":
            metrics = {"rating": 1 if intent == "complaint" else 5 if intent == "praise" else 3}
        author = AuthorRef(
            person.handle, person.name, f"https://{kind}.example/@{person.handle}", person.reach
        )
        item = Item(source=kind, external_id=external_id, text=text, title=title, published_at=moment, url=url,
                    author=author, lang=lang, metrics=metrics)  # fmt: skip
        items.append(item)
        if kind in ("hackernews", "mastodon", "reddit") and rng.random() < 0.35:
            for reply_n in range(rng.randint(1, 4)):
                replier = rng.choice(people)
                _reply_intent, reply_text = rng.choice(t.REPLIES)
                reply_id, reply_url = _permalink(kind, rng, replier.handle, 100_000 + n * 10 + reply_n)
                items.append(
                    Item(
                        source=kind,
                        external_id=reply_id,
                        text=reply_text,
                        url=reply_url,
                        published_at=min(moment + timedelta(minutes=20 + 37 * reply_n), now),
                        author=AuthorRef(replier.handle, replier.name, None, replier.reach),
                        lang="en",
                        parent_external_id=external_id,
                        thread_external_id=external_id,
                    )
                )
        age_days = (now - moment).days
        if age_days > 10:
            bucket = rng.choices(
                ["done", "responded", "monitoring", "needs_response", None], [40, 15, 8, 7, 30]
            )[0]
            if bucket:
                plan[bucket].append(n)
        elif age_days > 3 and rng.random() < 0.25:
            plan["needs_response"].append(n)
        if rng.random() < 0.04:
            plan["star"].append(n)
        if age_days > 2 or rng.random() < 0.2:
            plan["read"].append(n)
    return items[:count], plan


def build_demo(ws: object, *, seed: int = 7, count: int = 3000, now: datetime | None = None) -> DemoReport:
    """Fill `ws` with the demo: mentions, tags with shortcuts, trackers, views, some triage."""
    from listener_app.db import demo_store

    items, plan = demo_items(seed=seed, count=count, now=now)
    report = ingest_items(ws, items, score=True)  # type: ignore[arg-type]
    ids = report.new_ids
    demo_store.setup(ws, tags=TAGS, views=VIEWS, trackers=TRACKERS, brand=t.BRAND)
    rng = random.Random(seed + 1)
    by_index = {i: ids[i] for i in range(min(len(ids), len(items)))}
    demo_store.apply_plan(ws, {k: [by_index[i] for i in v if i in by_index] for k, v in plan.items()}, rng=rng,
                          now=format_utc(now or datetime.now(UTC)))  # fmt: skip
    return DemoReport(mentions=len(ids), authors=len({i.author.handle for i in items if i.author}))
