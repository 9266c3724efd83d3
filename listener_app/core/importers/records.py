"""Turning one matched record (a row of a CSV/XLSX, an object of JSON) into an Item."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from listener_app.core.models import INTENTS, STATUSES, AuthorRef, Item

_PLATFORMS = {
    "x": "twitter", "twitter": "twitter", "tweet": "twitter", "facebook": "facebook", "fb": "facebook",
    "instagram": "instagram", "ig": "instagram", "linkedin": "linkedin", "youtube": "youtube", "tiktok": "tiktok",
    "reddit": "reddit", "mastodon": "mastodon", "bluesky": "bluesky", "bsky": "bluesky", "news": "news",
    "blog": "blogs", "blogs": "blogs", "blogs and forums": "forums", "forum": "forums", "forums": "forums",
    "hacker news": "hackernews", "hackernews": "hackernews", "app store": "appstore", "appstore": "appstore",
    "stack exchange": "stackexchange", "stackexchange": "stackexchange", "rss": "rss", "web": "web",
    "podcasts": "podcasts", "review": "reviews", "reviews": "reviews", "github": "github",
}  # fmt: skip
_DOMAINS = {
    "twitter.com": "twitter", "x.com": "twitter", "facebook.com": "facebook", "instagram.com": "instagram",
    "reddit.com": "reddit", "youtube.com": "youtube", "linkedin.com": "linkedin", "tiktok.com": "tiktok",
    "news.ycombinator.com": "hackernews", "bsky.app": "bluesky", "apps.apple.com": "appstore", "github.com": "github",
}  # fmt: skip
_TRUE = {"1", "true", "yes", "y", "x", "★", "starred", "✓"}
_SPLIT_TAGS = re.compile(r"\s*[,;|]\s*")
_SPLIT_LINKS = re.compile(r"\s*;\s*|\s+")
NOTE_SEPARATOR = " | "
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")


def source_kind(value: str | None) -> str:
    if not value:
        return "import"
    lowered = value.strip().lower()
    if lowered in _PLATFORMS:
        return _PLATFORMS[lowered]
    host = re.sub(r"^(https?://)?(www\.|m\.|old\.)?", "", lowered).split("/")[0]
    if host in _DOMAINS:
        return _DOMAINS[host]
    cleaned = re.sub(r"[^a-z0-9]+", "_", lowered).strip("_")
    return cleaned[:30] or "import"


def sentiment_label(value: Any) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip().lower()
    for label in ("positive", "negative", "neutral"):
        if text.startswith(label[:3]):
            return label
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"sentiment {value!r} is not positive, neutral, negative or a number") from None
    return "positive" if number > 0 else "negative" if number < 0 else "neutral"


def _values(record: Sequence[Any] | dict[str, Any], columns: dict[str, Any]) -> dict[str, Any]:
    """{field: cleaned value} for the mapped fields that have a value in this record."""
    values: dict[str, Any] = {}
    for field, key in columns.items():
        if key is None or field.startswith("__"):
            continue
        try:
            value = record[key]  # type: ignore[index]
        except (IndexError, KeyError):
            continue
        if isinstance(value, str):
            value = value.strip()
            if value[:1] == "'":
                value = _FORMULA_GUARD.sub("", value)
        if value is not None and value != "":
            values[field] = value
    return values


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(float(str(value).replace(",", "").strip()))
    except ValueError:
        return None


def _list(value: Any, separator: re.Pattern[str] | str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    if isinstance(separator, str):
        return [part.strip() for part in str(value).split(separator) if part.strip()]
    return [part for part in separator.split(str(value)) if part]


def to_item(record: Sequence[Any] | dict[str, Any], columns: dict[str, int | str]) -> Item:
    """An Item from one record; raises ValueError for a value that cannot be read."""
    get = _values(record, columns).get
    text = get("text")
    title = get("title")
    date = get("date")
    if date is not None and get("time") is not None and not hasattr(date, "hour"):
        date = f"{date} {get('time')}"
    if date is None:
        raise ValueError("no date")
    handle = get("handle") or get("author")
    author = None
    if handle:
        author = AuthorRef(
            handle=str(handle).lstrip("@"),
            display_name=str(get("author") or get("display_name") or handle),
            profile_url=get("author_url"),
            reach=_int(get("reach")),
        )
    origin_sentiment = get("sentiment_origin")
    origin_intent = get("intent_origin")
    intent = get("intent")
    if intent is not None and str(intent).strip().lower() not in INTENTS:
        intent = None if columns.get("intent_origin") is None else intent
    status = get("status")
    if status is not None and str(status).strip().lower().replace(" ", "_") not in STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    metrics = _metrics(get("metrics"))
    metrics.update({k: v for k in ("likes", "shares", "replies", "score") if (v := _int(get(k))) is not None})
    score = get("sentiment_score")
    return Item(
        source=source_kind(get("source") or _domain_of(get("url"))),
        external_id=str(get("external_id")) if get("external_id") is not None else None,
        text=str(text) if text is not None else "",
        title=str(title) if title is not None else None,
        published_at=date,
        url=get("url"),
        author=author,
        lang=get("lang"),
        metrics=metrics,
        sentiment=sentiment_label(get("sentiment")) if origin_sentiment in (None, "manual") else None,
        sentiment_score=float(score) if score not in (None, "") and origin_sentiment == "manual" else None,
        links=_list(get("links"), _SPLIT_LINKS),
        parent_external_id=_text_or_none(get("parent_external_id")),
        thread_external_id=_text_or_none(get("thread_external_id")),
        intent=str(intent) if intent is not None and origin_intent in (None, "manual") else None,
        tags=_list(get("tags"), _SPLIT_TAGS),
        notes=_list(get("notes"), NOTE_SEPARATOR),
        status=str(status) if status is not None else None,
        starred=str(get("starred")).strip().lower() in _TRUE if get("starred") is not None else None,
    )


def _text_or_none(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


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


def json_value(value: Any) -> Any:
    """Nested JSON values (lists, dicts) as they should land in a record."""
    if isinstance(value, dict):
        return json.dumps(value)
    return value
