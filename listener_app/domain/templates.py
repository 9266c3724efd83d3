"""Reply templates: text with {placeholders} filled from the mention, its author and the brand."""

from __future__ import annotations

import re
from difflib import get_close_matches
from typing import Any

PLACEHOLDERS = {
    "author": "the author's display name (or handle)",
    "handle": "the author's handle, with @",
    "brand": "your brand (workspace setting 'brand', else the first brand tracker)",
    "link": "the link to the original post",
    "title": "the post's title, or the start of its text",
    "source": "where it was posted",
    "date": "when it was posted (YYYY-MM-DD)",
    "agent": "your name (workspace setting 'agent_name')",
}
_FIELD = re.compile(r"\{([a-z_]+)\}")
_BRACED = re.compile(r"\{([^{}\s]{1,40})\}")

# What the preview fills a template with when no mention is selected.
SAMPLE_MENTION = {
    "author": "Sam Rivera",
    "handle": "samrivera",
    "url": "https://example.social/@samrivera/1",
    "title": "My order arrived damaged",
    "source": "mastodon",
    "published_at": "2026-11-20T09:30:00Z",
}

# Worded for any trade (an airline passenger, a shop's customer, an app's user): no order
# numbers, no products. [Square brackets] are what the strategist writes in before copying.
DEFAULT_TEMPLATES = {
    "thank": ("Thank you", "Thanks so much, {author}! We're really glad to hear it. — {agent}, {brand}"),
    "amplify": (
        "Thank and amplify",
        "Thank you, {author}! We loved this and have shared it with our community. — {agent}, {brand}",
    ),
    "answer": (
        "Answer a question",
        "Hi {author}, thanks for asking. [answer] If anything is still unclear, reply here and we'll help. "
        "— {agent}, {brand}",
    ),
    "fix_facts": (
        "Fix the facts",
        "Hi {author}, thanks for raising this. To clarify: [correct fact] (source: [link to source]). "
        "Happy to answer any questions. — {agent}, {brand}",
    ),
    "restore": (
        "Restore an unhappy customer",
        "Hi {author}, we're sorry about this — that's not the experience we want you to have. "
        "We'd like to put it right: [what we will do]. Could you send us a direct message with the details "
        "(and a booking, order or account reference if you have one)? — {agent}, {brand}",
    ),
    "refer": (
        "Refer to support",
        "Hi {author}, thanks for reaching out. Our support team can help with this directly at [support link]. "
        "— {agent}, {brand}",
    ),
}
# The bodies the first versions seeded: a workspace that still has one unchanged gets the new one.
FORMER_DEFAULTS = {
    "answer": "Hi {author}, good question! [answer]. If anything is unclear, reply here and we'll help. "
    "— {agent}, {brand}",
    "restore": "Hi {author}, we're sorry about this — that's not the experience we want you to have. "
    "We'd like to put it right: [remedy]. Could you send us a direct message with your order number? "
    "— {agent}, {brand}",
}
FILL_IN = re.compile(r"\[[^\[\]\n]{1,60}\]")  # [answer], [what we will do]: written in by hand


def unknown_placeholders(body: str) -> list[tuple[int, int, str]]:
    """Every {word} in `body` that is not a placeholder: (start, end, message with a hint)."""
    found = []
    for match in _BRACED.finditer(body):
        name = match.group(1)
        if name in PLACEHOLDERS:
            continue
        close = get_close_matches(name.lower(), list(PLACEHOLDERS), n=1, cutoff=0.6)
        hint = f" — did you mean {{{close[0]}}}?" if close else f" (use one of {placeholder_list()})"
        found.append((match.start(), match.end(), f"Unknown placeholder {{{name}}}{hint}"))
    return found


def placeholder_list() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def context_for(mention: dict[str, Any], *, brand: str | None, agent: str | None) -> dict[str, str]:
    """Placeholder values for a mention record (as db.mentions.mention_detail returns it)."""
    handle = mention.get("handle") or mention.get("author_handle") or ""
    text = mention.get("title") or " ".join((mention.get("text") or "").split())[:80]
    return {
        "author": mention.get("author") or mention.get("display_name") or handle or "there",
        "handle": f"@{handle.lstrip('@')}" if handle else "",
        "brand": brand or "",
        "link": mention.get("url") or "",
        "title": text,
        "source": mention.get("source") or "",
        "date": (mention.get("published_at") or "")[:10],
        "agent": agent or "",
    }


def render(body: str, context: dict[str, str]) -> tuple[str, list[str]]:
    """The filled template and the placeholders it used that have no value (left as typed)."""
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        value = context.get(match.group(1))
        if not value:
            missing.append(match.group(1))
            return match.group(0)
        return value

    text = _FIELD.sub(fill, body)
    return text, missing


def fill_ins(text: str) -> list[str]:
    """The [bracketed] parts of a draft still to be written, in order."""
    return FILL_IN.findall(text)


def draft(body: str, context: dict[str, str]) -> str:
    """The template filled for sending: a placeholder with no value is left out with the words
    that only joined it ("— {agent}, {brand}" with no name becomes "— Acme", with neither it
    goes), so no {placeholder} ever reaches a customer."""
    text, _missing = render(body, context)
    text = _FIELD.sub("", text)
    text = re.sub(r"[ \t]*,[ \t]*(?=,|$|\n)", "", text)  # "Acme, " or ", ," left by an empty field
    text = re.sub(r"([—–-])[ \t]*,[ \t]*", r"\1 ", text)  # "— , Acme" -> "— Acme"
    text = re.sub(r"[ \t]*[—–][ \t]*(?=$|\n)", "", text)  # a signature dash with nothing after it
    text = re.sub(r"\b(Hi|Hello|Thanks so much|Thank you),? *(?=[!,.])", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
