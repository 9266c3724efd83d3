"""Matching a file's columns to mention fields: common names, tool presets, explicit --map.

Presets follow the export columns the tools document in their help pages (Brand24 "Export
mentions", Mention "Export to CSV", Hootsuite Insights/Streams exports, Sprout Social
"Listening messages" export, Agorapulse inbox export, Talkwalker "Export results"). A preset
is chosen when the header has its signature columns; any column it does not name falls back
to the common names.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from listener_app.domain.errors import UserError
from listener_app.formats.sniff import ImportFormatError

__all__ = [
    "FIELDS", "PRESETS", "ImportFormatError", "detect_preset", "header_signature", "match_columns", "parse_map",
]  # fmt: skip
SKIP = "skip"  # --map COLUMN=skip: leave a column out

FIELDS = (
    "external_id", "text", "title", "url", "author", "handle", "display_name", "author_url", "reach",
    "date", "time", "source", "lang", "sentiment", "intent", "tags", "notes", "status", "starred",
    "likes", "shares", "replies", "score", "sentiment_origin", "intent_origin", "sentiment_score", "metrics",
    "parent_external_id", "thread_external_id", "links", "ours", SKIP,
)  # fmt: skip

COMMON = {
    "external_id": ("external_id", "id", "post id", "post_id", "tweet_id", "tweet id", "mention id", "message id", "guid", "status id", "review id"),
    "text": ("text", "content", "message", "snippet", "body", "full text", "post text", "mention", "comment", "review", "description", "message text"),
    "title": ("title", "headline", "subject", "post title"),
    "url": ("url", "link", "permalink", "post url", "mention url", "post link", "source url"),
    "author": ("author", "author name", "name", "from", "user"),
    "handle": ("username", "screen name", "screen_name", "handle", "user name", "author handle", "author_handle", "account"),
    "display_name": ("display name", "full name", "author display name"),
    "author_url": ("author url", "author_url", "profile url", "profile", "author link"),
    "reach": ("followers", "reach", "audience", "follower count", "followers count", "subscribers", "influence score", "potential reach"),
    "date": ("date", "created_at", "created at", "published", "published_at", "published at", "time", "timestamp", "datetime", "posted", "post date", "date published"),
    "time": ("hour", "time", "time of day", "post time"),
    "source": ("source", "platform", "network", "social network", "channel", "source type", "source_type", "site", "domain", "media type"),
    "lang": ("lang", "language"),
    "sentiment": ("sentiment", "tone", "polarity"),
    "intent": ("intent",),
    "tags": ("tags", "labels", "tag", "label", "categories"),
    "notes": ("notes", "note", "internal note", "internal notes"),
    "status": ("status", "triage status"),
    "starred": ("starred", "favorite", "favourite", "flagged", "important"),
    "likes": ("likes", "favorites", "favourites", "reactions", "like count"),
    "shares": ("shares", "retweets", "reposts", "share count"),
    "replies": ("replies", "comments", "comment count", "reply count"),
    "score": ("score", "points", "upvotes", "engagement", "engagements", "interactions"),
    "sentiment_origin": ("sentiment_origin",),
    "sentiment_score": ("sentiment_score", "sentiment score"),
    "metrics": ("metrics",),
    "parent_external_id": ("parent_external_id", "parent id", "in reply to"),
    "thread_external_id": ("thread_external_id", "thread id", "conversation id"),
    "links": ("links",),
    "intent_origin": ("intent_origin",),
    "ours": ("ours",),
}  # fmt: skip

PRESETS: dict[str, dict[str, str]] = {
    "brand24": {"id": "external_id", "date": "date", "hour": "time", "title": "title", "content": "text",
                "url": "url", "author": "author", "influence score": "reach", "sentiment": "sentiment",
                "source": "source", "domain": "source", "likes": "likes", "comments": "replies",
                "shares": "shares", "tags": "tags"},
    "mention": {"date": "date", "title": "title", "description": "text", "url": "url", "author": "author",
                "author url": "author_url", "source type": "source", "reach": "reach", "tone": "sentiment",
                "language": "lang", "tags": "tags", "source name": "source"},
    "hootsuite": {"date": "date", "post": "text", "message": "text", "author": "author", "network": "source",
                  "link": "url", "post link": "url", "sentiment": "sentiment", "followers": "reach",
                  "language": "lang", "tags": "tags"},
    "brandwatch": {"date": "date", "title": "title", "full text": "text", "snippet": "text", "url": "url",
                   "domain": "source", "page type": "source", "sentiment": "sentiment", "author": "handle",
                   "full name": "display_name", "language": "lang", "resource id": "external_id",
                   "thread id": "thread_external_id", "twitter followers": "reach", "tags": "tags"},
    "sprout social": {"timestamp": "date", "created time": "date", "message": "text", "sender": "author",
                      "from": "author", "network": "source", "permalink": "url", "link": "url",
                      "sentiment": "sentiment", "message id": "external_id", "tags": "tags",
                      "audience": "reach", "sender followers": "reach"},
    "agorapulse": {"date": "date", "content": "text", "author name": "author", "author username": "handle",
                   "social network": "source", "link": "url", "labels": "tags", "sentiment": "sentiment",
                   "status": "status"},
    "talkwalker": {"published": "date", "content": "text", "title": "title", "url": "url",
                   "extra_author_attributes.name": "author", "extra_author_attributes.short_name": "handle",
                   "extra_author_attributes.url": "author_url", "source_type": "source", "sentiment": "sentiment",
                   "lang": "lang", "reach": "reach", "engagement": "score", "tags_customer": "tags",
                   "parent_url": "parent_external_id"},
}  # fmt: skip
SIGNATURES = {
    "brand24": {"influence score", "content", "hour"},
    "mention": {"description", "source type", "tone"},
    "talkwalker": {"extra_author_attributes.name", "source_type", "published"},
    "brandwatch": {"page type", "full text"},
    "agorapulse": {"author name", "social network", "content"},
    "sprout social": {"message", "sender", "network"},
    "hootsuite": {"post", "network", "author"},
}


def header_key(name: object) -> str:
    """A column name for matching: case, spaces, underscores, dashes and dots do not matter."""
    return re.sub(r"[\s_\-.]+", " ", str(name or "").strip().lower().lstrip("\ufeff")).strip()


def header_signature(headers: Sequence[object]) -> str:
    """A stable name for a header row, so a mapping can be remembered for the next file of the
    same shape (next month's export): the same columns in the same order give the same
    signature whatever their case, spacing or the file's encoding."""
    joined = "\x1f".join(header_key(h) for h in headers)
    return hashlib.sha1(joined.encode()).hexdigest()[:16]


def detect_preset(headers: Sequence[object]) -> str | None:
    keys = {header_key(h) for h in headers}
    for preset, signature in SIGNATURES.items():
        if {header_key(s) for s in signature} <= keys:
            return preset
    return None


def parse_map(pairs: Sequence[str] | dict[str, str]) -> dict[str, str]:
    """--map 'Post Text=text' pairs (or a {column: field} dict) as {header key: field}."""
    items = list(pairs.items()) if isinstance(pairs, dict) else [_split_pair(p) for p in pairs]
    mapping = {}
    for column, field in items:
        field = field.strip().lower()
        if field not in FIELDS and not (field.startswith("metric:") and len(field) > len("metric:")):
            raise UserError(
                f"--map: unknown field {field!r}; fields are {', '.join(FIELDS)}, or metric:NAME for a count"
            )
        mapping[header_key(column)] = field
    fed = [field for field in mapping.values() if field != SKIP]
    if twice := next((field for field in fed if fed.count(field) > 1), None):
        columns = [column for column, field in items if field.strip().lower() == twice]
        raise UserError(
            f"--map: {' and '.join(map(repr, columns))} both map to {twice}; a field takes one column"
        )
    return mapping


def _split_pair(pair: str) -> tuple[str, str]:
    column, sep, field = pair.rpartition("=")
    if not sep or not column.strip():
        raise UserError(f"--map expects COLUMN=FIELD, not {pair!r}")
    return column, field


def looks_like_header(cells: Sequence[object]) -> bool:
    """Whether a row names at least one column that can hold the post's text."""
    keys = {header_key(c) for c in cells}
    names = {header_key(n) for field in ("text", "title") for n in COMMON[field]}
    names |= {header_key(c) for preset in PRESETS.values() for c, f in preset.items() if f == "text"}
    return bool(keys & names)


def match_columns(
    headers: Sequence[object],
    *,
    explicit: dict[str, str] | None = None,
    preset: str | None = None,
    strict: bool = True,
) -> dict[str, int]:
    """{field: column index} for a header row: explicit --map first, then the preset, then
    the common names. `strict` raises when --map names a missing column or nothing holds text
    (a JSON record without them is a row error instead)."""
    keys = [header_key(h) for h in headers]
    chosen: dict[str, int] = {}
    taken: set[int] = set()
    for column, field in (explicit or {}).items():
        if column not in keys:
            if strict:
                raise UserError(f"--map names a column the file does not have: {column!r}")
            continue
        taken.add(keys.index(column))
        if field != SKIP:
            chosen[field] = keys.index(column)
    if preset:
        if preset not in PRESETS:
            raise UserError(f"Unknown preset {preset!r}; presets: {', '.join(PRESETS)}")
        for column, field in PRESETS[preset].items():
            column = header_key(column)
            if column in keys and field not in chosen and keys.index(column) not in taken:
                chosen[field] = keys.index(column)
                taken.add(keys.index(column))
    for field, names in COMMON.items():
        if field in chosen:
            continue
        for name in map(header_key, names):
            if name in keys and keys.index(name) not in taken:
                chosen[field] = keys.index(name)
                taken.add(keys.index(name))
                break
    if strict and "text" not in chosen and "title" not in chosen:
        shown = ", ".join(str(h) for h in headers[:12])
        raise ImportFormatError(
            f"No column with the post's text (looked for text, content, message, snippet...). "
            f"Columns: {shown}. Use --map COLUMN=text"
        )
    return chosen
