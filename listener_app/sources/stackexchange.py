"""Stack Exchange: /2.3/search/advanced on one site, newest first, honouring `backoff` and
the daily quota the API reports. High-water mark: the newest creation_date seen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from listener_app.domain.models import AuthorRef, Item
from listener_app.sources.base import MAX_PAGES, Page, Setting, setting
from listener_app.sources.http import Http, RateLimited, SourceError


def to_item(question: dict[str, Any]) -> Item:
    owner = question.get("owner") or {}
    return Item(
        source="stackexchange",
        external_id=str(question["question_id"]),
        title=question.get("title"),
        text=question.get("body") or question.get("title") or "",
        published_at=question.get("creation_date"),
        url=question.get("link"),
        author=AuthorRef(
            str(owner.get("display_name") or owner.get("user_id") or "unknown"),
            profile_url=owner.get("link"),
            reach=owner.get("reputation"),
        )
        if owner
        else None,
        metrics={"score": question.get("score") or 0, "replies": question.get("answer_count") or 0},
        is_html=True,
    )


class StackExchangeSource:
    kind = "stackexchange"
    title = "Stack Exchange (one site's questions)"
    settings = (
        Setting("site", "the site, e.g. stackoverflow, android, superuser", default="stackoverflow"),
        Setting("query", "words the questions contain (a tracker's query is used when empty)"),
        Setting("base_url", "the API's address", default="https://api.stackexchange.com"),
    )

    def fetch(
        self, settings: dict[str, str], state: dict[str, Any], http: Http, queries: list[str]
    ) -> Iterator[Page]:
        base = setting(settings, self.settings, "base_url").rstrip("/")
        site = setting(settings, self.settings, "site")
        searches = queries or [setting(settings, self.settings, "query")]
        marks: dict[str, int] = dict(state.get("since", {}))
        for query in searches:
            since = int(marks.get(query, 0))
            newest = since
            for page in range(1, MAX_PAGES + 1):
                data = http.get(
                    f"{base}/2.3/search/advanced",
                    params={"site": site, "q": query, "sort": "creation", "order": "desc", "fromdate": since + 1,
                            "page": page, "pagesize": 100, "filter": "withbody"},
                ).json()  # fmt: skip
                if not isinstance(data, dict) or "items" not in data:
                    raise SourceError(
                        data.get("error_message", "Stack Exchange answered in an unexpected shape")
                    )
                items = data["items"]
                newest = max([newest, *(int(q.get("creation_date") or 0) for q in items)])
                last = not data.get("has_more") or not items
                if last:
                    marks[query] = newest
                yield Page([to_item(q) for q in items if q.get("question_id")], {"since": dict(marks)})
                if data.get("quota_remaining", 1) <= 0:
                    raise RateLimited("Stack Exchange's daily quota is used up; fetching resumes tomorrow")
                if data.get("backoff"):
                    http.sleep(float(data["backoff"]))
                if last:
                    break
