"""Mastodon: hashtag timelines and/or status search on one instance. Newest first, paged with
max_id, remembering the newest id per hashtag (since_id) so the next fetch asks only for what
is new; replies carry in_reply_to_id as their thread link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from listener_app.domain.models import AuthorRef, Item
from listener_app.sources.base import MAX_PAGES, Page, Setting, setting
from listener_app.sources.http import Http, SourceError

_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


def to_item(status: dict[str, Any]) -> Item:
    account = status.get("account") or {}
    return Item(
        source="mastodon",
        external_id=str(status.get("uri") or status["id"]),
        text=status.get("content") or "",
        title=status.get("spoiler_text") or None,
        published_at=status.get("created_at"),
        url=status.get("url") or status.get("uri"),
        author=AuthorRef(
            account.get("acct") or account.get("username") or "unknown",
            display_name=account.get("display_name") or None,
            profile_url=account.get("url"),
            reach=account.get("followers_count"),
        ),
        lang=status.get("language"),
        metrics={
            "likes": status.get("favourites_count") or 0,
            "shares": status.get("reblogs_count") or 0,
            "replies": status.get("replies_count") or 0,
        },
        parent_external_id=str(status["in_reply_to_id"]) if status.get("in_reply_to_id") else None,
        is_html=True,
    )


class MastodonSource:
    kind = "mastodon"
    title = "Mastodon (hashtags and search)"
    settings = (
        Setting("base_url", "the instance, e.g. https://mastodon.social", default="https://mastodon.social"),
        Setting("hashtags", "comma-separated hashtags to follow, without #"),
        Setting("query", "a status search (needs an instance that allows public search)"),
    )

    def fetch(
        self, settings: dict[str, str], state: dict[str, Any], http: Http, queries: list[str]
    ) -> Iterator[Page]:
        base = setting(settings, self.settings, "base_url").rstrip("/")
        tags = [t.strip().lstrip("#") for t in (settings.get("hashtags") or "").split(",") if t.strip()]
        searches = queries or ([settings["query"]] if settings.get("query") else [])
        if not tags and not searches:
            raise SourceError("This Mastodon source needs 'hashtags' or a 'query'")
        marks: dict[str, str] = dict(state.get("since", {}))
        for tag in tags:
            yield from self._timeline(http, f"{base}/api/v1/timelines/tag/{quote(tag)}", f"#{tag}", marks)
        for query in searches:
            data = http.get(
                f"{base}/api/v2/search", params={"q": query, "type": "statuses", "limit": 40}
            ).json()
            statuses = data.get("statuses") if isinstance(data, dict) else None
            if not isinstance(statuses, list):
                raise SourceError("Mastodon search answered in an unexpected shape")
            yield Page([to_item(s) for s in statuses if s.get("id")], {"since": dict(marks)})

    def _timeline(self, http: Http, url: str, key: str, marks: dict[str, str]) -> Iterator[Page]:
        since = marks.get(key)
        params: dict[str, Any] = {"limit": 40, **({"since_id": since} if since else {})}
        newest = since
        for _ in range(MAX_PAGES):
            response = http.get(url, params=params)
            statuses = response.json()
            if not isinstance(statuses, list):
                raise SourceError("Mastodon answered in an unexpected shape")
            statuses = [s for s in statuses if s.get("id")]
            if statuses and (newest is None or int(statuses[0]["id"]) > int(newest)):
                newest = str(max(int(s["id"]) for s in statuses))
            following = _NEXT.search(response.headers.get("link", ""))
            last = (
                not statuses or following is None or (since is not None and len(statuses) < params["limit"])
            )
            if last and newest:
                marks[key] = newest
            yield Page([to_item(s) for s in statuses], {"since": dict(marks)})
            if last:
                return
            url, params = following.group(1), {}
