"""Generated posts for the demo workspace and the benchmark workspace (seeded, offline).

`posts()` yields `Post` records: plain data with the ground truth the generator used (intent,
sentiment, topic). The demo turns them into `Item`s for ingest; `bench/generate.py` writes them
straight into the schema. Everything comes from one `random.Random`, so a seed and a `now` give
the same posts every time.
"""

from __future__ import annotations

import base64
import hashlib
import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from listener_app.domain import demo_text as t

DAYS = 60
SOURCE_WEIGHTS = {
    "mastodon": 20, "reddit": 20, "hackernews": 10, "rss": 12, "appstore": 13, "bluesky": 10,
    "youtube": 10, "stackexchange": 5,
}  # fmt: skip
# Share of posts per (intent, topic) of demo_text.LINES; competitor and foreign-language posts
# come on top (COMPETITOR_SHARE, LANGUAGE_SHARE).
TOPIC_WEIGHTS: dict[tuple[str, str], float] = {key: 1.0 for key in t.LINES} | {
    ("complaint", "bug"): 2.5, ("complaint", "battery"): 2.0, ("complaint", "billing"): 1.5,
    ("complaint", "support"): 1.5, ("question", "setup"): 2.0, ("praise", "general"): 2.0,
    ("suggestion", "feature"): 2.0, ("other", "news"): 1.5, ("other", "spam"): 1.2, ("other", "offtopic"): 1.2,
}  # fmt: skip
KIND_TOPICS = {  # kinds that carry only some kinds of talk
    "appstore": {"bug", "billing", "support", "general", "feature", "battery", "setup"},
    "stackexchange": {"setup", "battery", "bug", "camera", "screen"},
    "rss": {"news", "compare", "offtopic", "battery", "camera", "screen", "general", "support", "billing"},
}
COMPETITOR_SHARE, LANGUAGE_SHARE = 0.12, 0.05
SENTIMENT_OF = {"complaint": "negative", "praise": "positive"}
INSTANCES = ("mastodon.social", "fosstodon.org", "hachyderm.io", "mstdn.social")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(slots=True)
class Person:
    kind: str
    handle: str
    name: str | None
    reach: int | None
    mood: str | None  # "advocate", "detractor" or None
    profile_url: str | None = None


@dataclass(slots=True)
class Post:
    kind: str
    external_id: str
    url: str
    text: str
    author: Person
    published: datetime
    intent: str  # what the generator meant: the ground truth
    topic: str
    title: str | None = None
    html: str | None = None  # the feed's HTML form of `text` (rss)
    lang: str = "en"
    metrics: dict[str, int] = field(default_factory=dict)
    parent: str | None = None
    thread: str | None = None
    spike: bool = False

    @property
    def sentiment(self) -> str:
        return SENTIMENT_OF.get(self.intent, "neutral")


class _Slots(dict[str, str]):
    """Fills template slots lazily; {q} is a product of the competitor chosen for {c}."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        rng = self.rng
        if key == "q":
            value = rng.choice(t.COMPETITOR_PRODUCTS[self["c"]])
        elif key == "n":
            value = str(rng.randint(3, 45))
        else:
            value = rng.choice(_SLOT_VALUES[key])
        self[key] = value
        return value


_SLOT_VALUES = {
    "p": t.PRODUCTS, "c": t.COMPETITORS, "ver": t.VERSIONS, "agent": t.AGENTS, "amount": t.AMOUNTS,
    "city": t.CITIES, "carrier": t.CARRIERS, "hook": t.HOOKS,
}  # fmt: skip


def fill(text: str, rng: random.Random, slots: _Slots | None = None) -> str:
    return text.format_map(slots if slots is not None else _Slots(rng)) if "{" in text else text


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def _handle(rng: random.Random, kind: str, first: str, last: str) -> str:
    first, last = first.lower(), last.lower().replace("ü", "u").replace("í", "i")
    style = rng.randrange(6)
    base = (
        f"{first}{last[:4]}", f"{first}_{last}", f"{first[0]}{last}{rng.randint(1, 99)}",
        f"{rng.choice(t.HANDLE_WORDS)}{first}", f"{first}.{last}", f"{last}{rng.randint(70, 2009)}",
    )[style]  # fmt: skip
    if kind == "reddit" and rng.random() < 0.3:
        base = f"{rng.choice(['throwaway', 'Actual', 'Not', 'The'])}_{base.replace('.', '_').title()}"
    return base.replace(".", "_") if kind in ("reddit", "hackernews", "youtube") else base


def profile_url(kind: str, handle: str) -> str | None:
    if kind == "mastodon":
        user, _, instance = handle.partition("@")
        return f"https://{instance or 'mastodon.social'}/@{user}"
    return {
        "reddit": f"https://www.reddit.com/user/{handle}",
        "hackernews": f"https://news.ycombinator.com/user?id={handle}",
        "bluesky": f"https://bsky.app/profile/{handle}",
        "youtube": f"https://www.youtube.com/@{handle}",
    }.get(kind)


def people(rng: random.Random, count: int) -> dict[str, list[Person]]:
    """About `count` authors over the source kinds: heavy-tailed reach (most under 500, a few
    influencers with 50k-500k), some advocates and detractors who keep coming back."""
    total = sum(SOURCE_WEIGHTS.values())
    pools: dict[str, list[Person]] = {}
    for kind, weight in SOURCE_WEIGHTS.items():
        pool = []
        for _ in range(max(12, count * weight // total)):
            first, last = rng.choice(t.FIRST_NAMES), rng.choice(t.LAST_NAMES)
            handle = _handle(rng, kind, first, last)
            if kind == "mastodon":
                handle = f"{handle}@{rng.choice(INSTANCES)}"
            elif kind == "bluesky":
                handle = f"{handle.replace('_', '')}.bsky.social"
            reach = None if kind in ("rss", "appstore") else min(int(rng.paretovariate(1.2) * 25), 40_000)
            roll = rng.random()
            mood = "advocate" if roll < 0.06 else "detractor" if roll < 0.11 else None
            name = None if kind in ("hackernews", "reddit") else f"{first} {last}"
            if kind == "appstore":
                name = f"{first} {last[0]}."
            pool.append(Person(kind, handle, name, reach, mood, profile_url(kind, handle)))
        pools[kind] = pool
    for pool in pools.values():  # the most frequent posters have strong opinions
        for index, mood in enumerate(("advocate", "detractor", None, "advocate", "detractor")):
            pool[index].mood = mood
    for position, (handle, name, kind, reach, mood) in enumerate(t.INFLUENCERS):
        if kind == "bluesky":
            handle = f"{handle}.bsky.social"
        elif kind == "mastodon":
            handle = f"{handle}@mastodon.social"
        influencer = Person(kind, handle, name, reach, mood, profile_url(kind, handle))
        pools[kind].insert(min(6 + position * 3, len(pools[kind])), influencer)
    return pools


REGULARS = 25
_REGULAR_CUM = tuple(sum(1 / (i + 1) for i in range(k + 1)) for k in range(REGULARS))


def _author(rng: random.Random, pool: list[Person]) -> Person:
    """A fifth of the posts come from the regulars at the front of the pool (Zipf-weighted)."""
    if rng.random() < 0.2:
        return rng.choices(pool[:REGULARS], cum_weights=_REGULAR_CUM[: min(REGULARS, len(pool))])[0]
    return pool[rng.randrange(len(pool))]


class Timeline:
    """When posts happen: 60 days with a weekly and daily rhythm, slow growth, an outage spike
    (complaints about the Acme Care app, in the afternoon UTC) and a smaller news day."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.start = (now - timedelta(days=DAYS)).replace(hour=0, minute=0, second=0, microsecond=0)
        self.outage_day, self.news_day = DAYS - 9, DAYS - 24
        weights = []
        for day in range(DAYS + 1):
            weekday = (self.start + timedelta(days=day)).weekday()
            weight = (0.75 if weekday >= 5 else 1.0) * (0.8 + 0.4 * day / DAYS)
            weight *= 7.0 if day == self.outage_day else 2.2 if day == self.news_day else 1.0
            weights.append(weight)
        self.day_cum = _cumulative(weights)
        self.hour_cum = _cumulative(
            [2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 9, 9, 10, 11, 12, 12, 12, 11, 10, 9, 8, 6, 4, 3]
        )

    def moment(self, rng: random.Random) -> tuple[datetime, bool]:
        """A moment, and whether it falls in the outage."""
        day = rng.choices(range(DAYS + 1), cum_weights=self.day_cum)[0]
        outage = day == self.outage_day and rng.random() < 0.8
        hour = rng.randint(13, 18) if outage else rng.choices(range(24), cum_weights=self.hour_cum)[0]
        moment = self.start + timedelta(
            days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60)
        )
        if moment >= self.now:
            moment = self.now - timedelta(minutes=rng.randint(5, 600))
        return moment, outage


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


class Ids:
    """Source-shaped external ids and permalinks."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.n = 0

    def __call__(
        self, kind: str, person: Person, when: datetime, title: str | None = None, root: Post | None = None
    ) -> tuple[str, str]:
        self.n += 1
        n, rng = self.n, self.rng
        if kind == "mastodon":
            status = (int(when.timestamp() * 1000) << 16) + n % 65536
            user, _, instance = person.handle.partition("@")
            return (
                f"https://{instance}/users/{user}/statuses/{status}",
                f"https://{instance}/@{user}/{status}",
            )
        if kind == "reddit":
            if root is None:
                post = _base36(2_200_000_000 + n * 7919)
                slug = _SLUG.sub("_", (title or "post").lower()).strip("_")[:48]
                return (
                    f"t3_{post}",
                    f"https://www.reddit.com/r/{rng.choice(t.SUBREDDITS)}/comments/{post}/{slug}/",
                )
            comment = _base36(1_600_000_000_000 // 1000 + n * 104_729)
            return f"t1_{comment}", f"{root.url}{comment}/"
        if kind == "hackernews":
            item = 41_800_000 + n * 17
            return str(item), f"https://news.ycombinator.com/item?id={item}"
        if kind == "appstore":
            review = 11_000_000_000 + n * 31
            return str(review), "https://apps.apple.com/us/app/acme-care/id1474420000?see-all=reviews"
        if kind == "bluesky":
            rkey = "3l" + _base36(int(when.timestamp() * 1_000_000) + n)[-11:]
            did = base64.b32encode(hashlib.blake2b(person.handle.encode(), digest_size=15).digest()).decode()
            return (
                f"at://did:plc:{did.lower()}/app.bsky.feed.post/{rkey}",
                f"https://bsky.app/profile/{person.handle}/post/{rkey}",
            )
        if kind == "youtube":
            comment = f"Ugx{_base36(n * 48_271 + 10**15)}4AaABAg"
            video = root.url.split("v=")[1].split("&")[0] if root else rng.choice(t.YOUTUBE_VIDEOS)
            return comment, f"https://www.youtube.com/watch?v={video}&lc={comment}"
        if kind == "stackexchange":
            question = 291_000 + n
            slug = _SLUG.sub("-", (title or "question").lower()).strip("-")[:60]
            return str(question), f"https://{rng.choice(t.SE_SITES)}/questions/{question}/{slug}"
        slug = _SLUG.sub("-", (title or "acme").lower()).strip("-")[:60]
        url = f"https://{rng.choice(t.TECH_SITES)}/{when:%Y/%m}/{slug}-{n}"
        return url, f"{url}?utm_source=google_alerts&utm_medium=email"


APPSTORE_TITLES = {
    "complaint": ("Keeps crashing", "Needs work", "Billing nightmare", "Useless since the update", "1 star"),
    "praise": ("Great companion app", "Love it", "Finally fixed!", "Does what it says"),
}
REPLY_CHANCE = {"hackernews": 0.55, "reddit": 0.4, "mastodon": 0.3, "bluesky": 0.25, "youtube": 0.3}


class Topics:
    """What a post is about: an (intent, topic) of demo_text.LINES, by source kind and mood."""

    def __init__(self, weights: Mapping[tuple[str, str], float]) -> None:
        self.choices: dict[tuple[str, str | None], tuple[list[tuple[str, str]], list[float]]] = {}
        for kind in SOURCE_WEIGHTS:
            for mood in (None, "advocate", "detractor"):
                keys = [k for k, w in weights.items() if w > 0 and k[1] in KIND_TOPICS.get(kind, {k[1]})]
                if mood == "advocate":
                    keys = [k for k in keys if k[0] in ("praise", "suggestion")] or keys
                elif mood == "detractor":
                    keys = [k for k in keys if k[0] == "complaint"] or keys
                self.choices[(kind, mood)] = (keys, _cumulative([weights[k] for k in keys]))

    def pick(self, rng: random.Random, kind: str, mood: str | None) -> tuple[str, str]:
        keys, cum = self.choices[(kind, mood)]
        return rng.choices(keys, cum_weights=cum)[0]


def _compose(rng: random.Random, kind: str, intent: str, line: str, person: Person, slots: _Slots) -> str:
    parts = []
    if intent in t.OPENERS and kind != "rss" and rng.random() < 0.2:
        parts.append(rng.choice(t.OPENERS[intent]))
    parts.append(line)
    if intent in t.FOLLOW_UPS and rng.random() < 0.3:
        parts.append(rng.choice(t.FOLLOW_UPS[intent]))
    text = " ".join(parts)
    if person.mood == "detractor" and intent == "complaint" and rng.random() < 0.5:
        text += rng.choice(t.DETRACTOR_TAILS)
    elif person.mood == "advocate" and intent == "praise" and rng.random() < 0.5:
        text += rng.choice(t.ADVOCATE_TAILS)
    if kind in ("mastodon", "bluesky", "youtube", "reddit") and intent in t.EMOJI and rng.random() < 0.3:
        text += " " + rng.choice(t.EMOJI[intent])
    if kind == "mastodon" and rng.random() < 0.7:
        text += "\n\n" + " ".join(rng.sample(t.HASHTAGS, rng.randint(1, 3)))
    elif kind == "bluesky" and rng.random() < 0.25:
        text += " " + rng.choice(t.HASHTAGS)
    text = fill(text, rng, slots)
    if intent == "complaint" and rng.random() < 0.04:
        text = text.upper()
    elif kind in ("youtube", "bluesky", "mastodon") and rng.random() < 0.15:
        text = text[0].lower() + text[1:]
    return text


def _title(rng: random.Random, kind: str, intent: str, topic: str, text: str) -> str | None:
    if kind == "appstore":
        return rng.choice(APPSTORE_TITLES.get(intent, ("Does the job", "Needs work", "OK")))
    if kind in ("rss", "hackernews") and topic in ("news", "review", "compare"):
        return rng.choice(t.TITLES[kind])
    if kind in ("rss", "hackernews", "stackexchange") or (kind == "reddit" and rng.random() < 0.8):
        first = re.split(r"(?<=[.?!])\s", text, maxsplit=1)[0]
        return first if len(first) <= 110 else first[:100].rsplit(" ", 1)[0] + "…"
    return None


def _metrics(rng: random.Random, kind: str, intent: str, replies: int) -> dict[str, int]:
    likes = int(rng.paretovariate(1.4)) - 1
    if kind == "appstore":
        rating = {"complaint": rng.choice((1, 1, 2)), "praise": rng.choice((4, 5, 5))}.get(intent)
        return {"rating": rating or rng.choice((2, 3, 4))}
    return {
        "hackernews": {"points": likes * 3 + 1, "comments": replies},
        "reddit": {"score": likes * 2 + 1, "comments": replies},
        "mastodon": {"favourites": likes, "reblogs": likes // 3, "replies": replies},
        "bluesky": {"likes": likes, "reposts": likes // 4, "replies": replies},
        "youtube": {"likes": likes},
        "stackexchange": {"score": likes // 2, "answers": rng.randint(0, 3), "views": 40 + likes * 25},
    }.get(kind, {})


def posts(
    rng: random.Random,
    now: datetime,
    *,
    authors: int,
    topic_weights: Mapping[tuple[str, str], float] | None = None,
    long_share: float | None = None,
) -> Iterator[Post]:
    """Posts without end (take as many as needed): a root post, then any replies to it.

    `topic_weights` and `long_share` (the share of long reviews) let the benchmark tune how
    often words occur."""
    pools = people(rng, authors)
    timeline = Timeline(now)
    topics = Topics(topic_weights or TOPIC_WEIGHTS)
    ids = Ids(rng)
    kinds, kind_cum = list(SOURCE_WEIGHTS), _cumulative(list(SOURCE_WEIGHTS.values()))
    while True:
        kind = rng.choices(kinds, cum_weights=kind_cum)[0]
        person = _author(rng, pools[kind])
        when, outage = timeline.moment(rng)
        slots = _Slots(rng)
        roll, lang, topic = rng.random(), "en", "general"
        if outage and rng.random() < 0.7 and kind != "rss":
            intent, line = rng.choice(t.OUTAGE_LINES)
            topic = "outage"
        elif roll < LANGUAGE_SHARE and kind not in ("hackernews", "stackexchange"):
            lang, intent, line = rng.choice(t.LANGUAGE_POSTS)
        elif roll < LANGUAGE_SHARE + COMPETITOR_SHARE and kind != "appstore":
            intent, line = rng.choice(t.COMPETITOR_LINES)
            topic = "competitor"
        else:
            intent, topic = topics.pick(rng, kind, person.mood)
            line = rng.choice(t.LINES[(intent, topic)])
        long = long_share if long_share is not None else 0.3 if kind == "rss" else 0.05
        if lang == "en" and kind in ("rss", "reddit", "appstore") and rng.random() < long:
            paragraphs = [p for p in t.LONG_PARAGRAPHS if rng.random() < 0.75] or list(t.LONG_PARAGRAPHS[:2])
            text, intent, topic = fill("\n\n".join(paragraphs), rng, slots), "other", "review"
        else:
            text = (
                _compose(rng, kind, intent, line, person, slots) if lang == "en" else fill(line, rng, slots)
            )
        title = _title(rng, kind, intent, topic, text)
        if title:
            title = fill(title, rng, slots)
        external_id, url = ids(kind, person, when, title)
        replies = (
            rng.randint(1, 6 if kind == "hackernews" else 4)
            if rng.random() < REPLY_CHANCE.get(kind, 0)
            else 0
        )
        root = Post(kind, external_id, url, text, person, when, intent, topic, title=title, lang=lang,
                    metrics=_metrics(rng, kind, intent, replies), spike=outage)  # fmt: skip
        if kind == "rss":
            paragraphs = "".join(f"<p>{part}</p>" for part in text.split("\n\n"))
            root.html = (
                f"{paragraphs}<p>Read more on <a href='{url}'>{url.split('/')[2]}</a>.</p>"
                "<script>trackView()</script>"
            )
        yield root
        yield from _replies(rng, root, replies, pools[kind], ids, slots, now)


def _replies(
    rng: random.Random, root: Post, count: int, pool: list[Person], ids: Ids, slots: _Slots, now: datetime
) -> Iterator[Post]:
    when, parent, brand_done = root.published, root, False
    for _ in range(count):
        when = min(
            when + timedelta(minutes=int(rng.expovariate(1 / 90)) + 2), root.published + timedelta(days=3)
        )
        if when >= now:
            return
        account = t.BRAND_ACCOUNTS.get(root.kind)
        if root.intent == "complaint" and account and not brand_done and rng.random() < 0.35:
            brand_done = True
            name = None if root.kind in ("hackernews", "reddit") else "Acme Support"
            person = Person(root.kind, account, name, None, None, profile_url(root.kind, account))
            intent, text = "other", fill(rng.choice(t.BRAND_REPLIES), rng, slots)
        else:
            person = _author(rng, pool)
            intent, text = rng.choice(t.REPLIES.get(root.intent, t.REPLIES["other"]))
            text = fill(text, rng, slots)
        external_id, url = ids(root.kind, person, when, root=root)
        reply = Post(root.kind, external_id, url, text, person, when, intent, root.topic, parent=parent.external_id,
                     thread=root.external_id, metrics=_metrics(rng, root.kind, intent, 0), spike=root.spike)  # fmt: skip
        yield reply
        if root.kind in ("hackernews", "reddit") and rng.random() < 0.4:
            parent = reply  # the next comment answers this one
