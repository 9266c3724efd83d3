"""Turning one matched record (a row of a CSV/XLSX, an object of JSON) into an Item.

Label columns (sentiment, intent, status) from other tools are mapped onto Listener's words;
a value that cannot be mapped makes that row an error (reported with its line), never a crash
and never a silent guess. Lists in a CSV cell are split on the separators the exporter uses,
or read as a JSON list when the exporter had to write one (a tag containing ';').
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date as date_type
from datetime import datetime, time
from functools import lru_cache
from typing import Any

from listener_app.domain.models import AuthorRef, Item

_PLATFORMS = {
    "x": "twitter", "twitter": "twitter", "tweet": "twitter", "facebook": "facebook", "fb": "facebook",
    "instagram": "instagram", "ig": "instagram", "linkedin": "linkedin", "youtube": "youtube", "tiktok": "tiktok",
    "reddit": "reddit", "mastodon": "mastodon", "bluesky": "bluesky", "bsky": "bluesky", "news": "news",
    "online news": "news", "onlinenews": "news", "blog": "blogs", "blogs": "blogs", "forum": "forums",
    "forums": "forums", "blogs and forums": "forums", "messageboard": "forums", "hacker news": "hackernews",
    "hackernews": "hackernews", "app store": "appstore", "appstore": "appstore", "stack exchange": "stackexchange",
    "stackexchange": "stackexchange", "rss": "rss", "web": "web", "podcasts": "podcasts", "review": "reviews",
    "reviews": "reviews", "github": "github", "threads": "threads", "pinterest": "pinterest", "videos": "video",
}  # fmt: skip
PLATFORM_KINDS = tuple(sorted(set(_PLATFORMS.values())))  # the source kinds a file's platform may be


def platform_named(words: Sequence[str]) -> str | None:
    """The platform a file's name names ('facebook_comments_2026' -> facebook), if one does
    (single letters such as 'x' are too common in names to count)."""
    return next((_PLATFORMS[w] for w in words if len(w) > 1 and w in _PLATFORMS), None)


_DOMAINS = {
    "twitter.com": "twitter", "x.com": "twitter", "facebook.com": "facebook", "fb.com": "facebook",
    "instagram.com": "instagram", "reddit.com": "reddit", "youtube.com": "youtube", "youtu.be": "youtube",
    "linkedin.com": "linkedin", "tiktok.com": "tiktok", "news.ycombinator.com": "hackernews",
    "bsky.app": "bluesky", "apps.apple.com": "appstore", "github.com": "github", "threads.net": "threads",
    "pinterest.com": "pinterest", "stackoverflow.com": "stackexchange",
}  # fmt: skip
_SENTIMENT_NONE = {"", "n/a", "na", "none", "-", "not rated", "unrated", "unknown", "not set", "null"}
_SENTIMENT_WORDS = {
    "mixed": "neutral",
    "neu": "neutral",
    "neutre": "neutral",
    "good": "positive",
    "bad": "negative",
}
_INTENTS = {
    "question": "question", "questions": "question", "inquiry": "question", "enquiry": "question",
    "help request": "question", "complaint": "complaint", "complaints": "complaint", "issue": "complaint",
    "problem": "complaint", "bug": "complaint", "praise": "praise", "compliment": "praise", "kudos": "praise",
    "thanks": "praise", "suggestion": "suggestion", "suggestions": "suggestion", "feature request": "suggestion",
    "idea": "suggestion", "other": "other", "general": "other",
}  # fmt: skip
_STATUSES = {
    "new": "new", "open": "new", "unread": "new", "unassigned": "new", "needs response": "needs_response",
    "needs reply": "needs_response", "to do": "needs_response", "todo": "needs_response",
    "pending": "needs_response", "awaiting reply": "needs_response", "assigned": "needs_response",
    "monitoring": "monitoring", "monitor": "monitoring", "watching": "monitoring", "in progress": "monitoring",
    "responded": "responded", "replied": "responded", "answered": "responded", "done": "done",
    "closed": "done", "resolved": "done", "completed": "done", "complete": "done", "archived": "done",
    "reviewed": "done", "ignored": "ignored", "ignore": "ignored", "spam": "ignored", "dismissed": "ignored",
}  # fmt: skip
_TRUE = {"1", "true", "yes", "y", "x", "★", "starred", "✓", "flagged"}
TAG_SEPARATOR = "; "
NOTE_SEPARATOR = " | "
_SPLIT_TAGS = re.compile(r"\s*[,;|]\s*")
_SPLIT_NOTES = re.compile(r"\s+\|\s+")
_SPLIT_LINKS = re.compile(r"\s*;\s*|\s+")
FORMULA_RISK = re.compile(r"^'*[=+\-@\t\r]")  # the exporter prefixes one quote to these
_FORMULA_GUARD = re.compile(r"^'(?='*[=+\-@\t\r])")
_LIST_FIELDS = {"tags", "notes", "links", "metrics"}
_METRIC_FIELDS = ("likes", "shares", "replies", "score")
_LABEL_FIELDS = frozenset({"sentiment", "intent", "links", "tags", "notes", "status", "starred"})
METRIC_PREFIX = "metric:"  # a field 'metric:views' keeps a count column as metrics['views']
KEPT_ORIGINS = (None, "manual", "learned")


def _words(value: Any) -> str:
    return re.sub(r"[\s_\-]+", " ", str(value).strip().lower())


@lru_cache(maxsize=4096)
def source_kind(value: str | None) -> str:
    """A source kind from a platform name or a domain: 'Twitter'/'X' -> twitter,
    'www.reddit.com' -> reddit, 'SOCIALMEDIA_FACEBOOK' -> facebook, other sites -> web."""
    if not value:
        return "import"
    lowered = str(value).strip().lower()
    words = _words(lowered).removeprefix("socialmedia ").removeprefix("social media ")
    if words in _PLATFORMS:
        return _PLATFORMS[words]
    if words.replace(" ", "_") in _PLATFORMS.values():
        return words.replace(" ", "_")
    host = re.sub(r"^([a-z]+://)?(www\.|m\.|old\.|mobile\.)?", "", lowered).split("/")[0].split(":")[0]
    if host in _DOMAINS:
        return _DOMAINS[host]
    if "." in host and " " not in host:
        return "web"  # a site's domain: the URL keeps which one
    cleaned = re.sub(r"[^a-z0-9]+", "_", lowered).strip("_")
    return cleaned[:30] or "import"


def sentiment_label(value: Any) -> tuple[str | None, float | None]:
    """(label, score) from 'Positive', 'pos', 'very negative', 'mixed', 1, -5, '0.4'...;
    raises ValueError for a value that is none of those."""
    if value is None or isinstance(value, bool):
        return None, None
    text = _words(value)
    if text in _SENTIMENT_NONE:
        return None, None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        number = None
    if number is not None:
        label = "positive" if number > 0 else "negative" if number < 0 else "neutral"
        return label, number if -1.0 <= number <= 1.0 else None
    for label in ("positive", "negative", "neutral"):
        if text.startswith(label[:3]) or text.endswith(label):  # 'pos', 'very negative'
            return label, None
    if text in _SENTIMENT_WORDS:
        return _SENTIMENT_WORDS[text], None
    raise ValueError(f"sentiment {value!r} is not positive, neutral, negative or a number")


def intent_label(value: Any) -> str | None:
    if value is None:
        return None
    text = _words(value)
    if not text or text in _SENTIMENT_NONE:
        return None
    if text in _INTENTS:
        return _INTENTS[text]
    raise ValueError(f"intent {value!r} is not question, complaint, praise, suggestion or other")


def status_label(value: Any) -> str | None:
    text = _words(value)
    if not text:
        return None
    if text in _STATUSES:
        return _STATUSES[text]
    raise ValueError(f"status {value!r} is not new, needs_response, monitoring, responded, done or ignored")


def _values(record: Sequence[Any] | dict[str, Any], columns: dict[str, Any]) -> dict[str, Any]:
    """{field: cleaned value} for the mapped fields that have a value in this record."""
    if type(record) is dict:  # a JSON object: the common case of a big import, kept lean
        values: dict[str, Any] = {}
        get = record.get
        for field, key in columns.items():
            value = get(key)
            if value is None:
                continue
            if type(value) is str:
                value = value.strip()
                if not value:
                    continue
            elif type(value) in (dict, list) and field not in _LIST_FIELDS:
                continue  # a nested structure where a plain value belongs
            values[field] = value
        return values
    return _sheet_values(record, columns)


def _sheet_values(record: Sequence[Any], columns: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, key in columns.items():
        if key is None or field.startswith("__"):
            continue
        try:
            value = record[key]
        except (IndexError, KeyError):
            continue
        if value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
            if value[0] == "'":
                value = _FORMULA_GUARD.sub("", value)
        elif isinstance(value, dict | list) and field not in _LIST_FIELDS:
            continue
        values[field] = value
    return values


def _int(value: Any) -> int | None:
    if type(value) is int:
        return value
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(float(str(value).replace(",", "").strip()))
    except (ValueError, OverflowError):
        return None


def split_list(value: Any, separator: re.Pattern[str]) -> list[str]:
    """A list cell: a JSON list of strings (the exporter's form when an element holds a
    separator) or text split on `separator`."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None and str(v).strip()]
    text = str(value)
    if text.startswith("[") and text.endswith("]"):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list) and all(isinstance(v, str) for v in parsed):
            return [v for v in parsed if v.strip()]
    return [part for part in separator.split(text) if part.strip()]


def _published(date: Any, clock: Any) -> Any:
    """The date, with a separate time column joined in when the date has no time of its own."""
    if clock is None or date is None:
        return date
    if isinstance(clock, datetime):
        clock = clock.time()
    if isinstance(date, datetime):
        if date.time() != time(0) or not isinstance(clock, time):
            return date
        return datetime.combine(date.date(), clock)
    if isinstance(date, date_type):
        date = date.isoformat()
    if isinstance(date, str) and ":" not in date:
        return f"{date} {clock}"
    return date


def to_item(
    record: Sequence[Any] | dict[str, Any], columns: dict[str, Any], default_source: str | None = None
) -> Item:
    """An Item from one record; raises ValueError for a value that cannot be read.

    The source kind is the record's platform column, else its link's site, else
    `default_source` (the platform the whole file comes from, when its columns say).
    `metric:NAME` fields are counts kept under NAME (a rating, views, quotes)."""
    values = _values(record, columns)
    get = values.get
    text, title, url = get("text"), get("title"), get("url")
    external_id = get("external_id")
    date, clock = get("date"), get("time")
    if clock is not None:
        date = _published(date, clock)
    if date is None and external_id is None and url is None:
        raise ValueError("no date (needed to tell posts apart when a row has no id or url)")
    handle = get("handle") or get("author")
    author = None
    if handle:  # (handle, display name, profile link, reach)
        reach = get("reach")
        author = AuthorRef(
            str(handle).lstrip("@"), str(get("author") or get("display_name") or handle), get("author_url"),
            reach if type(reach) is int else _int(reach),
        )  # fmt: skip
    metrics = _metrics(values["metrics"]) if "metrics" in values else {}
    metric_fields, labelled = _traits(columns)
    for field, name in metric_fields:
        if field in values and (number := _int(values[field])) is not None:
            metrics[name] = number
    lang, ours = get("lang"), get("ours")
    # Item's first eleven fields, given in their order (positionally: made in half the time)
    item = Item(
        source_kind(get("source") or _domain_of(url) or default_source),  # source
        str(external_id) if external_id is not None else None,  # external_id
        str(text) if text is not None else "",  # text
        date,  # published_at
        str(url) if url is not None else None,  # url
        str(title) if title is not None else None,  # title
        author,  # author
        str(lang) if lang is not None else None,  # lang
        metrics,  # metrics
        str(parent) if (parent := get("parent_external_id")) is not None else None,  # parent_external_id
        str(thread) if (thread := get("thread_external_id")) is not None else None,  # thread_external_id
    )
    if ours is not None:
        item.ours = ours is True or _words(ours) in _TRUE
    if labelled:
        _read_labels(item, values)
    return item


def _read_labels(item: Item, values: dict[str, Any]) -> None:
    """The labels, lists and triage state a record carries, into its Item."""
    get = values.get
    # Our own exports say how each label was set: by hand and learned labels are kept as such,
    # automatic ones are scored again. Another tool's label column is a manual label.
    sentiment_origin, intent_origin = get("sentiment_origin"), get("intent_origin")
    if "sentiment" in values and sentiment_origin in KEPT_ORIGINS:
        item.sentiment, item.sentiment_score = sentiment_label(values["sentiment"])
        if sentiment_origin is not None and get("sentiment_score") is not None:
            item.sentiment_score = float(values["sentiment_score"])
        if item.sentiment:
            item.sentiment_origin = sentiment_origin
    if "intent" in values and intent_origin in KEPT_ORIGINS:
        item.intent = intent_label(values["intent"])
        if item.intent:
            item.intent_origin = intent_origin
    if "links" in values:
        item.links = split_list(values["links"], _SPLIT_LINKS)
    if "tags" in values:
        item.tags = split_list(values["tags"], _SPLIT_TAGS)
    if "notes" in values:
        item.notes = split_list(values["notes"], _SPLIT_NOTES)
    if (status := get("status")) is not None:
        item.status = status_label(status)
    if (starred := get("starred")) is not None:
        item.starred = starred is True or _words(starred) in _TRUE


_last_traits: tuple[object, tuple[tuple[tuple[str, str], ...], bool]] = (None, ((), False))


def _traits(columns: dict[str, Any]) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The fields of `columns` that are counts, in order, with the names they are kept under,
    and whether it has any of the fields few files carry (labels, lists, triage state): found
    once per mapping (a file's rows share theirs), not for every value of every row."""
    global _last_traits
    last = _last_traits
    if last[0] is not columns:
        fields = tuple(
            (f, f.removeprefix(METRIC_PREFIX))
            for f in columns
            if f in _METRIC_FIELDS or f.startswith(METRIC_PREFIX)
        )
        _last_traits = last = (columns, (fields, not _LABEL_FIELDS.isdisjoint(columns)))
    return last[1]


def _metrics(value: Any) -> dict[str, int]:
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): n for k, v in value.items() if (n := _int(v)) is not None}


def _domain_of(url: Any) -> str | None:
    if not url:
        return None
    kind = source_kind(str(url))
    return kind if kind in _DOMAINS.values() else None
