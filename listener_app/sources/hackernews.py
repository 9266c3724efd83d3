"""Hacker News through the Algolia search API: stories and comments matching a query, newest
first, with the story as the thread parent. High-water mark: the newest created_at_i seen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from listener_app.domain.models import AuthorRef, Item
from listener_app.sources.base import MAX_PAGES, Page, Setting, setting
from listener_app.sources.http import Http, SourceError

ITEM_URL = "https://news.ycombinator.com/item?id={}"


def to_item(hit: dict[str, Any]) -> Item:
    object_id = str(hit["objectID"])
    story = hit.get("story_id")
    parent = hit.get("parent_id")
    return Item(
        source="hackernews",
        external_id=object_id,
        title=hit.get("title") or hit.get("story_title"),
        text=hit.get("comment_text") or hit.get("story_text") or hit.get("title") or "",
        published_at=hit.get("created_at_i") or hit.get("created_at"),
        url=ITEM_URL.format(object_id),
        author=AuthorRef(hit["author"], profile_url=f"https://news.ycombinator.com/user?id={hit['author']}")
        if hit.get("author")
        else None,
        metrics={
            k: v
            for k, v in (("score", hit.get("points")), ("replies", hit.get("num_comments")))
            if v is not None
        },
        parent_external_id=str(parent) if parent else None,
        thread_external_id=str(story) if story and str(story) != object_id else None,
        is_html=True,
    )


class HackerNewsSource:
    kind = "hackernews"
    title = "Hacker News (Algolia search)"
    settings = (
        Setting("query", "what to search for (a tracker's query is used when the source follows trackers)"),
        Setting("base_url", "the API's address", default="https://hn.algolia.com"),
    )

    def fetch(
        self, settings: dict[str, str], state: dict[str, Any], http: Http, queries: list[str]
    ) -> Iterator[Page]:
        base = setting(settings, self.settings, "base_url").rstrip("/")
        searches = queries or [setting(settings, self.settings, "query")]
        marks: dict[str, int] = dict(state.get("since", {}))
        for query in searches:
            since = int(marks.get(query, 0))
            newest = since
            for page in range(MAX_PAGES):
                data = http.get(
                    f"{base}/api/v1/search_by_date",
                    params={"query": query, "tags": "(story,comment)", "numericFilters": f"created_at_i>{since}",
                            "hitsPerPage": 100, "page": page},
                ).json()  # fmt: skip
                if not isinstance(data, dict) or not isinstance(data.get("hits"), list):
                    raise SourceError("Hacker News answered in an unexpected shape")
                hits = [h for h in data["hits"] if h.get("objectID")]
                newest = max([newest, *(int(h.get("created_at_i") or 0) for h in hits)])
                last = page + 1 >= int(data.get("nbPages") or 0) or not hits
                # The mark moves only once every page of this query is stored: no gaps if we stop.
                marks_after = dict(marks, **({query: newest} if last else {}))
                yield Page([to_item(h) for h in hits], {"since": marks_after})
                if last:
                    marks = marks_after
                    break
