"""A Mastodon account archive (Preferences > Import and export > Request your archive):
`outbox.json`, an ActivityStreams OrderedCollection whose `orderedItems` are `Create`
activities of `Note` objects (id, url, published, content as HTML, inReplyTo, sensitive
summary), and `actor.json` naming the owner. Everything in the outbox is the owner's (ours);
boosts (`Announce`) are someone else's words and are left out. Ids are the objects' URIs, as
the Mastodon source stores them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from listener_app.domain.models import Item
from listener_app.formats.archives.common import Context, Reader, basename, item

SOURCE = "mastodon"
LOOKS_FOR = "Mastodon: outbox.json"


def claim(ctx: Context, names: list[str]) -> list[str]:
    outboxes = [n for n in names if basename(n) == "outbox.json" and b"orderedItems" in ctx.container.head(n)]
    return outboxes + [n for n in names if basename(n) == "actor.json"] if outboxes else []


def read(ctx: Context, names: list[str]) -> Iterator[Item]:
    actor = next((ctx.read_json(n) for n in names if basename(n) == "actor.json"), None)
    handle = None
    if isinstance(actor, dict):
        handle = actor.get("preferredUsername")
        ctx.add_owner(handle, actor.get("name"))
    for name in names:
        if basename(name) != "outbox.json":
            continue
        outbox = ctx.read_json(name)
        activities = outbox.get("orderedItems") if isinstance(outbox, dict) else None
        if not isinstance(activities, list):
            ctx.problem(name, "no orderedItems list in it")
            continue
        for activity in activities:
            made = _note(activity, handle or ctx.owner)
            if made is not None:
                yield made


READERS = [Reader(SOURCE, LOOKS_FOR, claim, read)]


def _note(activity: Any, handle: str | None) -> Item | None:
    if not isinstance(activity, dict) or activity.get("type") != "Create":
        return None
    note = activity.get("object")
    if not isinstance(note, dict) or not note.get("id") or not isinstance(note.get("content"), str):
        return None
    parent = note.get("inReplyTo")
    return item(
        SOURCE, str(note["id"]), note["content"], note.get("published") or activity.get("published"),
        author=handle, ours=True, kind="reply" if parent else "post", is_html=True,
        url=note.get("url") if isinstance(note.get("url"), str) else str(note["id"]),
        title=note.get("summary") or None, parent_external_id=parent if isinstance(parent, str) else None,
    )  # fmt: skip
