"""App Store Connect customer reviews as the App Store Connect API returns them, saved as JSON
(`GET /v1/apps/{id}/customerReviews?include=response`): `data` of `customerReviews` with
`attributes` rating, title, body, reviewerNickname, createdDate, territory, and `included`
`customerReviewResponses` (responseBody, lastModifiedDate), the developer's replies: each its
own Item in the review's thread, ours, dated by its own time.

The source kind is `appstore`, the kind the App Store reviews feed source already uses, so the
same app's reviews from either way are one source to search.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from listener_app.domain.models import Item
from listener_app.formats.archives.common import Context, Reader, item

SOURCE = "appstore"
LOOKS_FOR = "App Store Connect: customerReviews JSON"


def claim(ctx: Context, names: list[str]) -> list[str]:
    return [n for n in names if n.lower().endswith(".json") and b'"customerReviews"' in ctx.container.head(n)]


def read(ctx: Context, names: list[str]) -> Iterator[Item]:
    for name in names:
        data = ctx.read_json(name)
        pages = data if isinstance(data, list) else [data]
        for page in pages:
            if not isinstance(page, dict):
                continue
            responses = {
                r.get("id"): r.get("attributes") or {}
                for r in page.get("included") or []
                if isinstance(r, dict) and r.get("type") == "customerReviewResponses"
            }
            for review in page.get("data") or []:
                if isinstance(review, dict) and review.get("type") == "customerReviews":
                    yield from _review(review, responses)


READERS = [Reader(SOURCE, LOOKS_FOR, claim, read)]


def _review(review: dict[str, Any], responses: dict[Any, dict[str, Any]]) -> Iterator[Item]:
    review_id, attributes = review.get("id"), review.get("attributes") or {}
    if not review_id:
        return
    rating = attributes.get("rating")
    yield item(
        SOURCE, str(review_id), attributes.get("body") or "", attributes.get("createdDate"),
        author=attributes.get("reviewerNickname"), title=attributes.get("title"), kind="review",
        metrics={"rating": int(rating)} if isinstance(rating, int) else {},
    )  # fmt: skip
    link = ((review.get("relationships") or {}).get("response") or {}).get("data") or {}
    response = responses.get(link.get("id")) if isinstance(link, dict) else None
    if response and response.get("responseBody"):
        yield item(
            SOURCE, f"{review_id}:reply", response["responseBody"], response.get("lastModifiedDate"),
            ours=True, kind="reply", parent_external_id=str(review_id), thread_external_id=str(review_id),
        )  # fmt: skip
