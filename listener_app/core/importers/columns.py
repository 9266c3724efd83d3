"""Matching a file's columns to mention fields: common names, tool presets, explicit --map.

Presets follow the export columns the tools document in their help pages (Brand24 "Export
mentions", Mention "Export to CSV", Hootsuite Insights/Streams exports, Sprout Social
"Listening messages" export, Agorapulse inbox export, Talkwalker "Export results"). A preset
is chosen when the header has its signature columns; any column it does not name falls back
to the common names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from listener_app.core.errors import UserError


class ImportFormatError(UserError):
    """The whole file is unreadable as the format it claims; nothing was imported."""


FIELDS = (
    "external_id", "text", "title", "url", "author", "handle", "display_name", "author_url", "reach",
    "date", "time", "source", "lang", "sentiment", "intent", "tags", "notes", "status", "starred",
    "likes", "shares", "replies", "score", "sentiment_origin", "intent_origin", "sentiment_score", "metrics",
    "parent_external_id", "thread_external_id", "links",
)  # fmt: skip

COMMON = {
    "external_id": ("external_id", "id", "post id", "post_id", "tweet_id", "tweet id", "mention id", "message id", "guid", "status id", "review id"),
    "text": ("text", "content", "message", "snippet", "body", "full text", "post text", "mention", "comment", "review", "description", "message text"),
    "title": ("title", "headline", "subject", "post title"),
    "url": ("url", "link", "permalink", "post url", "mention url", "post link", "source url"),
    "author": ("author", "author name", "name", "from", "user"),
    "handle": ("username", "screen name", "screen_name", "handle", "user name", "author handle", "author_handle", "account"),
    "display_name": ("display name", "full name"),
    "author_url": ("author url", "author_url", "profile url", "profile", "author link"),
    "reach": ("followers", "reach", "audience", "follower count", "followers count", "subscribers", "influence score", "potential reach"),
    "date": ("date", "created_at", "created at", "published", "published_at", "published at", "time", "timestamp", "datetime", "posted", "post date", "date published"),
    "time": ("hour", "time of day", "post time"),
    "source": ("source", "platform", "network", "channel", "source type", "source_type", "site", "domain", "media type"),
    "lang": ("lang", "language"),
    "sentiment": ("sentiment", "tone", "polarity"),
    "intent": ("intent", "category", "type of message"),
    "tags": ("tags", "labels", "tag", "label", "categories"),
    "notes": ("notes", "note", "comments internal", "internal note"),
    "status": ("status", "state"),
    "starred": ("starred", "favorite", "favourite", "flagged", "important"),
    "likes": ("likes", "favorites", "favourites", "reactions", "like count"),
    "shares": ("shares", "retweets", "reposts", "share count"),
    "replies": ("replies", "comments", "comment count", "reply count"),
    "score": ("score", "points", "upvotes", "engagement"),
    "sentiment_origin": ("sentiment_origin",),
    "sentiment_score": ("sentiment_score", "sentiment score"),
    "metrics": ("metrics",),
    "parent_external_id": ("parent_external_id", "parent id", "in reply to"),
    "thread_external_id": ("thread_external_id", "thread id", "conversation id"),
    "links": ("links",),
    "intent_origin": ("intent_origin",),
}  # fmt: skip

PRESETS: dict[str, dict[str, str]] = {
    "brand24": {"date": "date", "hour": "time", "title": "title", "content": "text", "url": "url",
                "author": "author", "influence score": "reach", "sentiment": "sentiment", "source": "source",
                "domain": "source"},
    "mention": {"date": "date", "title": "title", "description": "text", "url": "url", "author": "author",
                "source type": "source", "reach": "reach", "tone": "sentiment", "language": "lang", "tags": "tags"},
    "hootsuite": {"date": "date", "post": "text", "author": "author", "network": "source", "link": "url",
                  "sentiment": "sentiment", "followers": "reach", "language": "lang"},
    "sprout social": {"timestamp": "date", "message": "text", "sender": "author", "network": "source",
                      "permalink": "url", "sentiment": "sentiment", "message id": "external_id", "tags": "tags",
                      "audience": "reach"},
    "agorapulse": {"date": "date", "content": "text", "author name": "author", "author username": "handle",
                   "social network": "source", "link": "url", "labels": "tags", "sentiment": "sentiment",
                   "status": "status"},
    "talkwalker": {"published": "date", "content": "text", "title": "title", "url": "url",
                   "extra_author_attributes.name": "author", "extra_author_attributes.short_name": "handle",
                   "source_type": "source", "sentiment": "sentiment", "lang": "lang", "reach": "reach",
                   "engagement": "score"},
}  # fmt: skip
SIGNATURES = {
    "brand24": {"influence score", "content", "hour"},
    "mention": {"description", "source type", "tone"},
    "hootsuite": {"post", "network", "author"},
    "sprout social": {"message", "sender", "network"},
    "agorapulse": {"author name", "social network", "content"},
    "talkwalker": {"extra_author_attributes.name", "source_type", "published"},
}


def header_key(name: object) -> str:
    return re.sub(r"[\s_\-]+", " ", str(name or "").strip().lower().lstrip("\ufeff")).strip()


def detect_preset(headers: Sequence[str]) -> str | None:
    keys = {header_key(h) for h in headers}
    for preset, signature in SIGNATURES.items():
        if {header_key(s) for s in signature} <= keys:
            return preset
    return None


def parse_map(pairs: Sequence[str]) -> dict[str, str]:
    """--map 'Post Text=text' pairs as {header key: field}."""
    mapping = {}
    for pair in pairs:
        column, sep, field = pair.rpartition("=")
        if not sep or not column.strip():
            raise UserError(f"--map expects COLUMN=FIELD, not {pair!r}")
        field = field.strip().lower()
        if field not in FIELDS:
            raise UserError(f"--map: unknown field {field!r}; fields are {', '.join(FIELDS)}")
        mapping[header_key(column)] = field
    return mapping


def match_columns(
    headers: Sequence[str], *, explicit: dict[str, str] | None = None, preset: str | None = None
) -> dict[str, int]:
    """{field: column index} for a header row. Raises UserError if no column holds text."""
    keys = [header_key(h) for h in headers]
    chosen: dict[str, int] = {}
    if explicit:
        missing = [column for column in explicit if column not in keys]
        if missing:
            raise UserError(f"--map names columns the file does not have: {', '.join(missing)}")
        for column, field in explicit.items():
            chosen[field] = keys.index(column)
    if preset:
        if preset not in PRESETS:
            raise UserError(f"Unknown preset {preset!r}; presets: {', '.join(PRESETS)}")
        for column, field in PRESETS[preset].items():
            column = header_key(column)
            if column in keys and field not in chosen:
                chosen[field] = keys.index(column)
    for field, names in COMMON.items():
        if field in chosen:
            continue
        for name in map(header_key, names):
            if name in keys and keys.index(name) not in chosen.values():
                chosen[field] = keys.index(name)
                break
    if "text" not in chosen and "title" not in chosen:
        shown = ", ".join(str(h) for h in headers[:12])
        raise ImportFormatError(
            f"No column with the post's text (looked for text, content, message, snippet...). Columns: {shown}. "
            "Use --map COLUMN=text"
        )
    return chosen
