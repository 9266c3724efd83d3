"""RSS, Atom and JSON Feed by URL: Google Alerts and Talkwalker Alerts feeds, blog and comment
feeds, Reddit search RSS. Uses feedparser on bytes fetched by our HTTP layer, with conditional
GET so an unchanged feed costs one small request."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from listener_app.domain.models import AuthorRef, Item
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


Row = tuple[str, str | None, str, str | None, str | None, str | None]


def parse_feed(body: bytes, headers: dict[str, str], base: str) -> tuple[list[Row], str | None]:
    """(entries as plain tuples, an error) from an RSS/Atom document. A module-level function of
    plain data: big feeds are parsed in a worker process (feedparser runs regular expressions
    over the whole document, which would pause every other thread, the window's included)."""
    import feedparser  # loaded by the first feed: a command that reads none starts sooner

    parsed = feedparser.parse(body, response_headers=headers)
    if parsed.bozo and not parsed.entries:
        return [], str(parsed.get("bozo_exception", "unreadable"))
    rows: list[Row] = []
    for entry in parsed.entries:
        link = unwrap_google(urljoin(base, entry.get("link") or "")) or None
        content = entry.get("content") or []
        text = content[0].get("value") if content else entry.get("summary") or entry.get("description") or ""
        published = entry.get("published") or entry.get("updated") or entry.get("created")
        rows.append(
            (
                str(entry.get("id") or link or ""),
                entry.get("title"),
                text,
                published or None,
                link,
                entry.get("author"),
            )
        )
    return rows, None


def _items(rows: list[Row]) -> list[Item]:
    return [
        Item(source="rss", external_id=external_id, title=title, text=text, published_at=published, url=link,
             author=AuthorRef(author) if author else None, is_html=True)
        for external_id, title, text, published, link, author in rows
    ]  # fmt: skip


_pool: ProcessPoolExecutor | None = None
BIG_FEED = 1024 * 1024


def shutdown_parser() -> None:
    """Stop the parsing process (the window calls this before it quits)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def _parse(body: bytes, headers: dict[str, str], base: str) -> tuple[list[Row], str | None]:
    global _pool
    if len(body) < BIG_FEED:
        return parse_feed(body, headers, base)
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
    try:
        return _pool.submit(parse_feed, body, headers, base).result()
    except BrokenProcessPool:  # a host that cannot start workers: parse here instead
        _pool = None
        return parse_feed(body, headers, base)


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
            rows, error = _parse(response.body, response.headers, response.url)
            if error is not None:
                raise SourceError(f"{url} is not a feed ({error})")
            items = _items(rows)
        yield Page(items, new_state)
