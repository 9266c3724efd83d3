"""The domain's value types, shared by sources, importers, ingest and the db layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

STATUSES = ("new", "needs_response", "monitoring", "responded", "done", "ignored")
SENTIMENTS = ("negative", "neutral", "positive")
# The score a sentiment label stands for when it was set by hand or learned (no scorer behind it).
SCORE_OF = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}
INTENTS = ("question", "complaint", "praise", "suggestion", "other")
ORIGINS = ("auto", "manual", "learned")
TRACKER_ROLES = ("brand", "competitor", "topic")
MAX_NOTE_CHARS = 20_000  # a note on a mention or an author


@dataclass(slots=True)
class AuthorRef:
    """Who wrote a mention, as the source reports it."""

    handle: str
    display_name: str | None = None
    profile_url: str | None = None
    reach: int | None = None  # followers, subscribers, karma: the platform's measure of audience
    platform: str | None = None  # defaults to the item's source kind


@dataclass(slots=True)
class Item:
    """One incoming mention before normalization.

    Sources and importers yield these; `core.ingest` cleans them (HTML to text, dates to UTC,
    canonical URLs, size cap) and stores them. Fields may be raw: `text` may be HTML and
    `published_at` any common date format or a datetime. (formats.records.to_item gives the
    first eleven fields positionally: keep their order.)
    """

    source: str  # source kind: rss, hackernews, mastodon, ... or the platform named in an import
    external_id: str | None  # the source's own id; None lets ingest derive one from the URL/text
    text: str
    published_at: str | datetime | int | float | None = None
    url: str | None = None
    title: str | None = None
    author: AuthorRef | None = None
    lang: str | None = None
    metrics: dict[str, int] = field(default_factory=dict)  # score, likes, replies, shares, views
    parent_external_id: str | None = None  # the post this replies to, when the source says
    thread_external_id: str | None = None  # the conversation's root post, when the source says
    is_html: bool | None = None  # None: detect
    links: list[str] = field(default_factory=list)  # links already extracted (e.g. by an export)
    # Labels an import may carry: manual labels unless the origin says 'learned' (our own
    # exports say which labels were suggestions applied by the learner).
    sentiment: str | None = None
    sentiment_score: float | None = None  # with a manual sentiment: the score it was given
    intent: str | None = None
    sentiment_origin: str | None = None  # 'manual' (the default) or 'learned'
    intent_origin: str | None = None
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    status: str | None = None
    starred: bool | None = None
    # What the account owner (the brand) wrote: its replies, its side of a DM, a review's reply.
    # Kept as context in its conversation, never inbox work.
    ours: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
