"""Google Play Console reviews: the monthly `reviews_<package>_YYYYMM.csv` reports (UTF-16).

Columns, read by name: Package Name, App Version Code/Name, Reviewer Language, Device, Review
Submit Date and Time, Review Submit Millis Since Epoch, Review Last Update Date and Time/Millis,
Star Rating, Review Title, Review Text, Developer Reply Date and Time/Millis, Developer Reply
Text, Review Link. The reviewer is not named in the report. The developer's reply is its own
Item in the review's thread, ours, dated by its own time.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

from listener_app.domain.models import Item
from listener_app.formats.archives.common import derived_id, item, pick, review_csv

SOURCE = "play_store"
LOOKS_FOR = "Google Play: a reviews CSV with Star Rating and Review Text"
_COLUMNS = {"star rating", "review text", "package name"}


def _review(row: dict[str, str]) -> Iterator[Item]:
    text, title = pick(row, "Review Text"), pick(row, "Review Title")
    when = pick(row, "Review Submit Millis Since Epoch", "Review Submit Date and Time")
    link = pick(row, "Review Link")
    review_id = _review_id(link) or derived_id(pick(row, "Package Name"), when, text or title)
    stars = pick(row, "Star Rating")
    if not (text or title or stars) or not when:
        return
    yield item(
        SOURCE, review_id, text or "", int(when) if when.isdigit() else when,
        title=title, url=link, lang=pick(row, "Reviewer Language"), kind="review",
        metrics={"rating": int(stars)} if stars and stars.isdigit() else {},
    )  # fmt: skip
    reply = pick(row, "Developer Reply Text")
    replied = pick(row, "Developer Reply Millis Since Epoch", "Developer Reply Date and Time")
    if reply:
        yield item(
            SOURCE, f"{review_id}:reply", reply, int(replied) if replied and replied.isdigit() else replied,
            ours=True, kind="reply", parent_external_id=review_id, thread_external_id=review_id,
        )  # fmt: skip


def _review_id(link: str | None) -> str | None:
    """The reviewId in a Review Link (play.google.com/console/...?reviewId=...)."""
    if not link:
        return None
    query = parse_qs(urlsplit(link).query)
    return (query.get("reviewId") or [None])[0]


READERS = [review_csv(SOURCE, LOOKS_FOR, _COLUMNS, _review)]
