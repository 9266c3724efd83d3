"""Apple App Store reviews: the public customer-reviews feed (JSON) of one app in one country,
pages 1-10, most recent first."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from listener_app.domain.models import AuthorRef, Item
from listener_app.sources.base import Page, Setting, setting
from listener_app.sources.http import Http, NotFound, SourceError

PAGES = 10


def _label(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return value.get("label") if isinstance(value, dict) else None


def to_item(entry: dict[str, Any], app_id: str) -> Item | None:
    review_id = _label(entry, "id")
    if not review_id or "im:rating" not in entry:  # the first entry of old feeds is the app itself
        return None
    author = (entry.get("author") or {}).get("name", {}).get("label")
    rating = int(_label(entry, "im:rating") or 0)
    return Item(
        source="appstore",
        external_id=review_id,
        title=_label(entry, "title"),
        text=_label(entry, "content") or "",
        published_at=_label(entry, "updated"),
        url=f"https://apps.apple.com/app/id{app_id}?see-all=reviews#{review_id}",
        author=AuthorRef(author) if author else None,
        metrics={"rating": rating, "likes": int(_label(entry, "im:voteSum") or 0)},
    )


class AppStoreSource:
    kind = "appstore"
    title = "Apple App Store reviews"
    settings = (
        Setting("app_id", "the app's numeric id (from its App Store address: .../id1234567890)", True),
        Setting("country", "two-letter store country", default="us"),
        Setting("base_url", "the feed's address", default="https://itunes.apple.com"),
    )

    def fetch(
        self, settings: dict[str, str], state: dict[str, Any], http: Http, queries: list[str]
    ) -> Iterator[Page]:
        base = setting(settings, self.settings, "base_url").rstrip("/")
        app_id = setting(settings, self.settings, "app_id")
        country = setting(settings, self.settings, "country").lower()
        seen = set(state.get("recent", []))
        for page in range(1, PAGES + 1):
            url = f"{base}/{country}/rss/customerreviews/page={page}/id={app_id}/sortby=mostrecent/json"
            try:
                data = http.get(url).json()
            except NotFound:
                if page == 1:
                    raise
                break
            entries = ((data.get("feed") or {}).get("entry")) if isinstance(data, dict) else None
            if entries is None:
                break
            if isinstance(entries, dict):
                entries = [entries]
            if not isinstance(entries, list):
                raise SourceError("The App Store feed answered in an unexpected shape")
            items = [i for i in (to_item(e, app_id) for e in entries) if i is not None]
            fresh = [i for i in items if i.external_id not in seen]
            recent = [i.external_id for i in items][:50] if page == 1 else state.get("recent", [])
            yield Page(items, {"recent": recent or list(seen)})
            if not fresh:  # everything on this page was seen before: the rest is older
                break
