"""The X/Twitter account archive ("Download an archive of your data"), and the pre-2019 one.

Since 2019 the archive's `data/` folder holds JavaScript files, each one assignment such as
`window.YTD.tweets.part0 = [...]` whose right-hand side is JSON: it is stripped and parsed,
never run. Read here:
- `tweets.js` (older archives: `tweet.js`; big ones add `tweets-part1.js`...): the owner's posts
  as `{"tweet": {...}}` (oldest archives: the object bare) with `id_str`, `full_text`
  (HTML-escaped, links shortened to t.co with the originals in `entities.urls`), `created_at`
  ('Tue Jan 31 09:01:52 +0000 2017'), counts as strings, `in_reply_to_status_id_str`.
  Retweets ("RT @...") are someone else's words and are left out.
- `note-tweet.js`: the full text of long posts, whose `tweets.js` text is cut short.
- `account.js` (and `manifest.js`'s userInfo): who the owner is; no post names its author.
- `direct-messages.js`, `direct-messages-group.js`: `dmConversation` objects with a
  `conversationId` and `messages` of `messageCreate` (`senderId`, `recipientId`, `text`, ISO
  `createdAt`): one thread per conversation, both sides, the owner's marked ours.
The pre-2019 archive's `tweets.csv` (tweet_id, in_reply_to_status_id, timestamp, text,
retweeted_status_id, expanded_urls) with `data/js/user_details.js` naming the owner.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from listener_app.domain.models import Item
from listener_app.domain.normalize import parse_date
from listener_app.formats.archives.common import Context, Reader, basename, item, pick

SOURCE = "twitter"
LOOKS_FOR = "X/Twitter: data/tweets.js, tweet.js, direct-messages.js or the older tweets.csv"
_TWEETS = re.compile(r"tweets?(-part\d+)?\.js$")
_DMS = re.compile(r"direct-messages?(-group)?(-part\d+)?\.js$")
_NOTES = re.compile(r"note-tweet(-part\d+)?\.js$")
_TCO = re.compile(r"https?://t\.co/\w+")
_OLD_CSV_COLUMNS = {"tweet id", "timestamp", "text", "in reply to status id"}


def claim(ctx: Context, names: list[str]) -> list[str]:
    posts = [n for n in names if _TWEETS.fullmatch(basename(n)) or _DMS.fullmatch(basename(n))]
    old = [n for n in names if basename(n) == "tweets.csv" and ctx.header(n) >= _OLD_CSV_COLUMNS]
    if not posts and not old:
        return []
    extra = [n for n in names if basename(n) in ("account.js", "manifest.js", "user_details.js")]
    return sorted({*posts, *old, *extra, *(n for n in names if _NOTES.fullmatch(basename(n)))})


def read(ctx: Context, names: list[str]) -> Iterator[Item]:
    owner = _owner(ctx, names)
    notes = _notes(ctx, [n for n in names if _NOTES.fullmatch(basename(n))])
    for name in names:
        base = basename(name)
        if _TWEETS.fullmatch(base):
            for entry in _entries(ctx, name):
                tweet = entry.get("tweet", entry) if isinstance(entry, dict) else None
                if isinstance(tweet, dict) and (made := _tweet(tweet, owner, notes)) is not None:
                    yield made
        elif _DMS.fullmatch(base):
            for entry in _entries(ctx, name):
                conversation = entry.get("dmConversation") if isinstance(entry, dict) else None
                if isinstance(conversation, dict):
                    yield from _conversation(conversation, owner)
        elif base == "tweets.csv":
            yield from _old_tweets(ctx, name, owner)


class _Owner:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.account_id: str | None = None
        self.username: str | None = None

    def set(self, account_id: Any, username: Any, display: Any = None) -> None:
        self.account_id = self.account_id or (str(account_id) if account_id else None)
        self.username = self.username or (str(username) if username else None)
        self.ctx.add_owner(self.username, str(display) if display else None)

    def ours(self, sender_id: str | None = None) -> bool:
        if sender_id is not None:
            return sender_id == self.account_id or self.ctx.is_ours(sender_id)
        return True  # a post in the owner's own tweets.js

    def url(self, tweet_id: str) -> str:
        return f"https://x.com/{self.username or 'i/web'}/status/{tweet_id}"


def _entries(ctx: Context, name: str) -> list[Any]:
    data = ctx.read_json(name, javascript=True)
    if data is None:
        return []
    if not isinstance(data, list):
        ctx.problem(name, "not the list of records an X archive file holds")
        return []
    return data


READERS = [Reader(SOURCE, LOOKS_FOR, claim, read)]


def _owner(ctx: Context, names: list[str]) -> _Owner:
    owner = _Owner(ctx)
    for name in names:
        base = basename(name)
        if base == "account.js":
            for entry in _entries(ctx, name):
                account = entry.get("account", {}) if isinstance(entry, dict) else {}
                owner.set(
                    account.get("accountId"), account.get("username"), account.get("accountDisplayName")
                )
        elif base == "manifest.js":
            manifest = ctx.read_json(name, javascript=True)
            info = manifest.get("userInfo", {}) if isinstance(manifest, dict) else {}
            owner.set(info.get("accountId"), info.get("userName"), info.get("displayName"))
        elif base == "user_details.js":
            details = ctx.read_json(name, javascript=True)
            if isinstance(details, dict):
                owner.set(details.get("id"), details.get("screen_name"), details.get("full_name"))
    return owner


def _notes(ctx: Context, names: list[str]) -> dict[str, list[str]]:
    """Long posts' full texts by the second they were posted."""
    notes: dict[str, list[str]] = {}
    for name in names:
        for entry in _entries(ctx, name):
            note = entry.get("noteTweet", {}) if isinstance(entry, dict) else {}
            text = (note.get("core") or {}).get("text")
            try:
                when = parse_date(note.get("createdAt") or "")
            except ValueError:
                continue
            if isinstance(text, str):
                notes.setdefault(when, []).append(text)
    return notes


def _expand(text: str, urls: list[Any]) -> str:
    for link in urls or []:
        if isinstance(link, dict) and link.get("url"):
            text = text.replace(link["url"], link.get("expanded_url") or link.get("expanded") or link["url"])
    return text


def _long_text(text: str, created: str, notes: dict[str, list[str]]) -> str:
    """The note's full text when the post is a long one cut short in tweets.js."""
    if not notes:
        return text
    try:
        second = parse_date(created)
    except ValueError:
        return text
    start = html.unescape(text)[:40].rstrip("…").strip()
    for candidate in notes.get(second, []):
        if html.unescape(candidate).startswith(start):
            return candidate
    return text


def _count(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _tweet(tweet: dict[str, Any], owner: _Owner, notes: dict[str, list[str]]) -> Item | None:
    tweet_id = str(tweet.get("id_str") or tweet.get("id") or "")
    text = tweet.get("full_text") or tweet.get("text")
    if not tweet_id or not isinstance(text, str) or text.startswith("RT @"):
        return None
    created = str(tweet.get("created_at") or "")
    entities = tweet.get("entities") or {}
    text = _expand(_long_text(text, created, notes), [*entities.get("urls", []), *entities.get("media", [])])
    metrics = {
        name: number
        for name, key in (("likes", "favorite_count"), ("shares", "retweet_count"))
        if (number := _count(tweet.get(key))) is not None
    }
    parent = tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id")
    return item(
        SOURCE, tweet_id, text, created,
        author=owner.username, ours=owner.ours(), kind="reply" if parent else "post",
        url=owner.url(tweet_id), lang=tweet.get("lang") if tweet.get("lang") not in (None, "und") else None,
        metrics=metrics, parent_external_id=str(parent) if parent else None,
    )  # fmt: skip


def _conversation(conversation: dict[str, Any], owner: _Owner) -> Iterator[Item]:
    thread = f"dm:{conversation.get('conversationId')}"
    messages = [
        m["messageCreate"] for m in conversation.get("messages") or []
        if isinstance(m, dict) and isinstance(m.get("messageCreate"), dict)
    ]  # fmt: skip
    messages.sort(key=lambda m: (str(m.get("createdAt") or ""), str(m.get("id") or "")))
    previous: str | None = None
    for message in messages:
        text, message_id = message.get("text"), message.get("id")
        if not isinstance(text, str) or not message_id:
            continue
        sender = str(message.get("senderId") or "")
        ours = owner.ours(sender)
        yield item(
            SOURCE, f"dm:{message_id}", _expand(text, message.get("urls") or []), message.get("createdAt"),
            author=owner.username if ours and owner.username else sender or None, ours=ours, kind="message",
            thread_external_id=thread, parent_external_id=previous,
        )  # fmt: skip
        previous = f"dm:{message_id}"


def _old_tweets(ctx: Context, name: str, owner: _Owner) -> Iterator[Item]:
    for row in ctx.csv_rows(name):
        tweet_id, text = pick(row, "tweet_id"), pick(row, "text")
        if not tweet_id or not text or pick(row, "retweeted_status_id"):
            continue
        parent = pick(row, "in_reply_to_status_id")
        expanded = [u for u in (pick(row, "expanded_urls") or "").split(",") if u]
        shortened = _TCO.findall(text)
        if len(shortened) == len(expanded):  # the old archive lists the links in the text's order
            text = _expand(
                text, [{"url": s, "expanded_url": e} for s, e in zip(shortened, expanded, strict=True)]
            )
        yield item(
            SOURCE, tweet_id, text, pick(row, "timestamp"),
            author=owner.username, ours=True, kind="reply" if parent else "post",
            url=owner.url(tweet_id), parent_external_id=parent, links=expanded,
        )  # fmt: skip
