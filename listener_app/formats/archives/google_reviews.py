"""Google Business Profile reviews from Takeout (`reviews.json`, `reviews-NNN.json`...).

Each review is the Business Profile API's shape: `reviewId` (or `name`, whose last part is the
id), `reviewer.displayName`, `starRating` ONE..FIVE, `comment`, `createTime`, and the owner's
`reviewReply` (`comment`, `updateTime`), which becomes its own Item in the review's thread, ours,
dated by its own time. A comment Google translated reads "(Translated by Google) ...
(Original) ...": the customer's own words are kept as the text, the translation in extra.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from listener_app.domain.models import Item
from listener_app.formats.archives.common import Context, Reader, basename, item

SOURCE = "google_reviews"
LOOKS_FOR = "Google Business Profile: reviews*.json with starRating"
STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
_FILE = re.compile(r"reviews?[^/]*\.json$")
_TRANSLATED = re.compile(
    r"^\s*\(Translated by Google\)\s*(?P<translation>.*?)\s*\(Original\)\s*(?P<original>.*?)\s*$", re.DOTALL
)
_ORIGINAL_FIRST = re.compile(
    r"^\s*(?P<original>.*?)\s*\(Translated by Google\)\s*(?P<translation>.*?)\s*$", re.DOTALL
)


def claim(ctx: Context, names: list[str]) -> list[str]:
    return [n for n in names if _FILE.fullmatch(basename(n)) and b'"starRating"' in ctx.container.head(n)]


def read(ctx: Context, names: list[str]) -> Iterator[Item]:
    for name in names:
        data = ctx.read_json(name)
        reviews = data.get("reviews") if isinstance(data, dict) else data
        if not isinstance(reviews, list):
            ctx.problem(name, "no list of reviews in it")
            continue
        for review in reviews:
            if isinstance(review, dict):
                yield from _review(review)


READERS = [Reader(SOURCE, LOOKS_FOR, claim, read)]


def split_translation(comment: str) -> tuple[str, str | None]:
    """(the reviewer's own words, Google's translation or None)."""
    for pattern in (_TRANSLATED, _ORIGINAL_FIRST):
        found = pattern.match(comment)
        if found and found["original"] and found["translation"]:
            return found["original"], found["translation"]
    return comment, None


def _review(review: dict[str, Any]) -> Iterator[Item]:
    review_id = review.get("reviewId") or str(review.get("name") or "").rpartition("/")[2]
    if not review_id:
        return
    reviewer = review.get("reviewer") or {}
    name = None if reviewer.get("isAnonymous") else reviewer.get("displayName")
    stars = STARS.get(str(review.get("starRating") or "").upper())
    comment = review.get("comment")
    text, translation = split_translation(comment) if isinstance(comment, str) else ("", None)
    made = item(
        SOURCE, review_id, text or f"({stars or '?'} stars, no comment)", review.get("createTime"),
        author=name or "anonymous", kind="review", metrics={"rating": stars} if stars else {},
    )  # fmt: skip
    if translation:
        made.extra["translation"] = translation
    yield made
    reply = review.get("reviewReply")
    if isinstance(reply, dict) and isinstance(reply.get("comment"), str) and reply["comment"].strip():
        yield item(
            SOURCE, f"{review_id}:reply", reply["comment"], reply.get("updateTime"),
            ours=True, kind="reply", parent_external_id=review_id, thread_external_id=review_id,
        )  # fmt: skip
