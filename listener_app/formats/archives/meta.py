"""Facebook and Instagram "Download your information" in JSON.

Meta writes every string as UTF-8 bytes escaped one by one ("Jen\\u00c5\\u0091" for "Jenő"):
each string is re-read as the UTF-8 it is. Read here, under any of the roots the exports have
used (the archive's top, `your_activity_across_facebook/`, `your_facebook_activity/`,
`your_instagram_activity/`...):
- Messenger and Instagram threads: `messages/<section>/<thread>/message_N.json` for the sections
  inbox, archived_threads, filtered_threads, message_requests and e2ee_cutover, with
  `participants`, and `messages` of `sender_name`, `timestamp_ms`, `content`. A message has no
  id: it gets a stable one from its thread, time, sender and text. One thread per folder name
  (a thread moved from requests to the inbox in a later download stays the same thread).
- The owner's comments: Facebook `comments.json` (`comments_v2`, older `comments`: `data` of
  `comment` objects with `comment`, `author`, `timestamp`); Instagram `post_comments_N.json` and
  `reels_comments.json` (`string_map_data` whose keys are in the account's language).
- The owner's posts: Facebook `your_posts_N.json` (`data` of `post`), Instagram `posts_N.json`
  (`media` with `title` and `creation_timestamp`).
The owner is named by `profile_information.json` (Facebook) or `personal_information.json`
(Instagram), or else is the one participant every thread has.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from listener_app.domain.models import Item
from listener_app.domain.normalize import owner_key
from listener_app.formats.archives.common import Context, Reader, basename, derived_id, item

_SECTIONS = ("inbox", "archived_threads", "filtered_threads", "message_requests", "e2ee_cutover")
_MESSAGES = re.compile(r"(?:^|.*/)messages/(?:" + "|".join(_SECTIONS) + r")/([^/]+)/message_\d+\.json$")
_FB_COMMENTS = re.compile(r"comments(_v2)?(_\d+)?\.json$")
_IG_COMMENTS = re.compile(r"(post|reels)_comments(_\d+)?\.json$")
_FB_POSTS = re.compile(r"your_posts.*?(_\d+)?\.json$")
_IG_POSTS = re.compile(r"posts(_\d+)?\.json$")
_PROFILES = ("profile_information.json", "personal_information.json")
# string_map_data keys in the languages of real exports: what holds the comment's text
_COMMENT_KEYS = {"comment", "kommentar", "commentaire", "comentario", "commento", "opmerking", "reactie",
                 "komentarz", "yorum", "comentário", "コメント", "댓글"}  # fmt: skip


def fix_text(value: Any) -> Any:
    """Meta's escaped UTF-8 read back as text, in strings, lists and objects alike."""
    if isinstance(value, str):
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value  # already real text (or not Meta's escaping)
    if isinstance(value, list):
        return [fix_text(v) for v in value]
    if isinstance(value, dict):
        return {fix_text(k): fix_text(v) for k, v in value.items()}
    return value


def _instagram(names: list[str]) -> bool:
    return any("instagram" in name.lower() or basename(name) == "personal_information.json" for name in names)


def _claimer(platform: str) -> Any:
    def claim(ctx: Context, names: list[str]) -> list[str]:
        if _instagram(names) != (platform == "instagram"):
            return []
        comments = _IG_COMMENTS if platform == "instagram" else _FB_COMMENTS
        posts = _IG_POSTS if platform == "instagram" else _FB_POSTS
        found = [
            n for n in names
            if _MESSAGES.match(n) or (n.endswith(".json") and (
                (comments.fullmatch(basename(n)) and _looks_meta(ctx, n))
                or (posts.fullmatch(basename(n)) and _is_posts(n))
            ))
        ]  # fmt: skip
        if not found:
            return []
        return sorted({*found, *(n for n in names if basename(n) in _PROFILES)})

    return claim


def _looks_meta(ctx: Context, name: str) -> bool:
    """A comments file in Meta's shape (another tool's comments.json is not claimed)."""
    head = ctx.container.head(name, 4096)
    return b'"timestamp"' in head and (b'"string_map_data"' in head or b'"comment"' in head)


def _is_posts(name: str) -> bool:
    """Post files sit under posts/, content/ or media/ (not saved_posts, liked_posts)."""
    parts = PurePosixPath(name).parts
    return basename(name).startswith(("your_posts", "posts")) and any(
        p in ("posts", "content", "media") for p in parts[:-1]
    )


def _reader(platform: str) -> Any:
    def read(ctx: Context, names: list[str]) -> Iterator[Item]:
        _owner(ctx, names)
        threads = [n for n in names if _MESSAGES.match(n)]
        if not ctx.ours:
            _guess_owner(ctx, threads)
        for name in names:
            base = basename(name)
            if name in threads:
                yield from _thread(ctx, platform, name)
            elif base in _PROFILES:
                continue
            elif _IG_COMMENTS.fullmatch(base) or _FB_COMMENTS.fullmatch(base):
                yield from _comments(ctx, platform, name)
            else:
                yield from _posts(ctx, platform, name)

    return read


READERS = [
    Reader("facebook", "Facebook: messages/inbox/*/message_1.json, comments.json, your_posts_1.json",
           _claimer("facebook"), _reader("facebook")),
    Reader("instagram", "Instagram: messages/inbox/*/message_1.json, post_comments_1.json, posts_1.json",
           _claimer("instagram"), _reader("instagram")),
]  # fmt: skip


def _load(ctx: Context, name: str) -> Any:
    return fix_text(ctx.read_json(name))


def _owner(ctx: Context, names: list[str]) -> None:
    for name in names:
        if basename(name) not in _PROFILES:
            continue
        data = _load(ctx, name)
        if not isinstance(data, dict):
            continue
        profile = data.get("profile_v2") or data.get("profile") or {}
        full = (profile.get("name") or {}).get("full_name") if isinstance(profile, dict) else None
        ctx.add_owner(full)
        for user in data.get("profile_user") or []:  # Instagram
            for key, entry in ((user or {}).get("string_map_data") or {}).items():
                if owner_key(key) in ("username", "name", "nom", "nombre", "benutzername"):
                    ctx.add_owner((entry or {}).get("value"))


def _guess_owner(ctx: Context, threads: list[str]) -> None:
    """The one participant of every thread is the account owner (two threads at least)."""
    counts: Counter[str] = Counter()
    folders = set()
    for name in threads:
        folder = _MESSAGES.match(name).group(1)  # type: ignore[union-attr]
        if folder in folders:
            continue
        folders.add(folder)
        data = _load(ctx, name)
        people = {p.get("name") for p in (data or {}).get("participants") or [] if isinstance(p, dict)}
        counts.update(p for p in people if p)
    if len(folders) >= 2:
        everywhere = [p for p, n in counts.items() if n == len(folders)]
        if len(everywhere) == 1:
            ctx.add_owner(everywhere[0])


def _thread(ctx: Context, platform: str, name: str) -> Iterator[Item]:
    data = _load(ctx, name)
    if not isinstance(data, dict):
        return
    folder = _MESSAGES.match(name).group(1)  # type: ignore[union-attr]
    thread = f"thread:{folder}"
    title = data.get("title") if isinstance(data.get("title"), str) else None
    for message in data.get("messages") or []:
        if not isinstance(message, dict):
            continue
        text, sender, when = message.get("content"), message.get("sender_name"), message.get("timestamp_ms")
        if not isinstance(text, str) or not text.strip() or when is None:
            continue
        share = (message.get("share") or {}).get("link")
        yield item(
            platform, f"msg:{derived_id(folder, when, sender, text)}", text, when,
            author=sender, ours=ctx.is_ours(sender), kind="message", thread_external_id=thread,
            title=title, links=[share] if isinstance(share, str) else [],
        )  # fmt: skip


def _records(data: Any) -> list[Any]:
    """The list a comments or posts file holds: top-level, or under its one list-valued key."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        return next((v for v in data.values() if isinstance(v, list)), [])
    return []


def _comments(ctx: Context, platform: str, name: str) -> Iterator[Item]:
    for record in _records(_load(ctx, name)):
        if not isinstance(record, dict):
            continue
        if "string_map_data" in record:  # Instagram
            text, when, about = _string_map(record["string_map_data"])
        else:
            comment = next(
                (
                    d["comment"]
                    for d in record.get("data") or []
                    if isinstance(d, dict) and isinstance(d.get("comment"), dict)
                ),
                {},
            )
            text, when = comment.get("comment"), comment.get("timestamp") or record.get("timestamp")
            about = record.get("title")
        if not isinstance(text, str) or not text.strip() or not when:
            continue
        yield item(
            platform, f"comment:{derived_id(when, text)}", text, when,
            author=ctx.owner, ours=True, kind="comment",
            title=about if isinstance(about, str) else None,
        )  # fmt: skip


def _string_map(data: Any) -> tuple[str | None, Any, str | None]:
    """(comment, timestamp, whose post) from Instagram's string_map_data, whatever its language."""
    if not isinstance(data, dict):
        return None, None, None
    text = when = None
    others: list[str] = []
    for key, entry in data.items():
        if not isinstance(entry, dict):
            continue
        if entry.get("timestamp"):
            when = entry["timestamp"]
        value = entry.get("value")
        if isinstance(value, str) and value.strip():
            if owner_key(key) in _COMMENT_KEYS:
                text = value
            else:
                others.append(value)
    if text is None and others:  # a language not listed: the comment is the longest value
        text = max(others, key=len)
        others.remove(text)
    return text, when, (f"on a post by {others[0]}" if others else None)


def _posts(ctx: Context, platform: str, name: str) -> Iterator[Item]:
    for record in _records(_load(ctx, name)):
        if not isinstance(record, dict):
            continue
        media = [m for m in record.get("media") or [] if isinstance(m, dict)]
        texts = [d.get("post") for d in record.get("data") or [] if isinstance(d, dict)]
        text = next(
            (
                t
                for t in [*texts, record.get("title"), *(m.get("title") for m in media)]
                if isinstance(t, str) and t.strip()
            ),
            None,
        )
        when = (
            record.get("timestamp")
            or record.get("creation_timestamp")
            or next((m.get("creation_timestamp") for m in media if m.get("creation_timestamp")), None)
        )
        if text is None or not when:
            continue
        yield item(
            platform, f"post:{derived_id(when, text)}", text, when,
            author=ctx.owner, ours=True, kind="post",
        )  # fmt: skip
