"""RSS, Atom and JSON Feed by URL: Google Alerts and Talkwalker Alerts feeds, blog and comment
feeds, Reddit search RSS. Uses feedparser on bytes fetched by our HTTP layer, with conditional
GET so an unchanged feed costs one small request."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import feedparser

from listener_app.core.models import AuthorRef, Item
from listener_app.sources.base import Page, Setting, setting
from listener_app.sources.http import Http, SourceError


def unwrap_google(url: str | None) -> str | None:
    """Google Alerts links go through google.com/url?...&url=REAL: keep the real one."""
    if not url:
        return url
    parts = urlsplit(url)
    if parts.netloc.endswith("google.com") and parts.path == "/url":
        real = parse_qs(parts.query).get("url") or parse_qs(parts.query).get("q")
        if real:
            return real[0]
    return url


def _json_feed(data: dict[str, Any], base: str) -> list[Item]:
    items = []
    for entry in data.get("items") or []:
        author = (entry.get("authors") or [entry.get("author")])[0] or {}
        url = urljoin(base, entry.get("url") or entry.get("external_url") or "") or None
        items.append(
            Item(
                source="rss",
                external_id=str(entry.get("id") or url or ""),
                title=entry.get("title"),
                text=entry.get("content_html") or entry.get("content_text") or entry.get("summary") or "",
                published_at=entry.get("date_published") or entry.get("date_modified"),
                url=url,
                author=AuthorRef(author["name"], profile_url=author.get("url"))
                if author.get("name")
                else None,
            )
        )
    return items


def _entries(parsed: Any, base: str) -> list[Item]:
    items = []
    for entry in parsed.entries:
        link = unwrap_google(urljoin(base, entry.get("link") or "")) or None
        content = entry.get("content") or []
        text = content[0].get("value") if content else entry.get("summary") or entry.get("description") or ""
        published = entry.get("published") or entry.get("updated") or entry.get("created")
        author = entry.get("author")
        items.append(
            Item(
                source="rss",
                external_id=str(entry.get("id") or link or ""),
                title=entry.get("title"),
                text=text,
                published_at=published or None,
                url=link,
                author=AuthorRef(author) if author else None,
                is_html=True,
            )
        )
    return items


class RssSource:
    kind = "rss"
    title = "RSS / Atom / JSON Feed"
    settings = (
        Setting(
            "url",
            "the feed's address (Google Alerts, Talkwalker Alerts, a blog, reddit.com/search.rss?q=...)",
            True,
        ),
    )

    def fetch(
        self, settings: dict[str, str], state: dict[str, Any], http: Http, queries: list[str]
    ) -> Iterator[Page]:
        url = setting(settings, self.settings, "url")
        response = http.get(url, etag=state.get("etag"), modified=state.get("modified"))
        new_state = dict(
            state, etag=response.headers.get("etag"), modified=response.headers.get("last-modified")
        )
        if response.not_modified:
            yield Page([], dict(state))
            return
        head = response.body.lstrip()[:1]
        if head == b"{":
            try:
                items = _json_feed(json.loads(response.body), response.url)
            except (json.JSONDecodeError, AttributeError) as exc:
                raise SourceError(f"{url} is not a valid JSON Feed ({exc})") from exc
        else:
            parsed = feedparser.parse(response.body, response_headers=response.headers)
            if parsed.bozo and not parsed.entries:
                raise SourceError(f"{url} is not a feed ({parsed.get('bozo_exception', 'unreadable')})")
            items = _entries(parsed, response.url)
        yield Page(items, new_state)
