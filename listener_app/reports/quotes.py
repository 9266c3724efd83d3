"""Which posts a digest may quote, and how a quote reads.

Praise is quoted only from clearly positive posts that are not ironic: "Good luck with that!"
scores positive, and so does "Thanks for the six-hour layover", and both are complaints. No
quote is ever one of the brand's own posts (its replies "complained about" nothing). A quote is
shown without the quote marks the post itself was wrapped in, credited to its author and date,
and to its platform when the import named one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from listener_app.workspace import Workspace

QUOTE_MIN_WORDS = 8  # a quote says something on its own: not "Agreed!" or "Thanks for sharing."
PRAISE_MIN_SCORE = 0.35  # clearly positive: well above the positive cut (0.175)
IRONY = re.compile(
    r"\b(good luck|yeah,? right|thanks for nothing|thanks a lot|thanks a bunch|way to go|great job|"
    r"nice job|well done|so much for|love (how|that|it when|when)|just what i needed|as usual|"
    r"what a joke|of course)\b|#(not|fail|sarcasm)\b|/s\b|[🙄😒😤😡🤬]",
    re.IGNORECASE,
)
# A grievance in an otherwise glowing post ("thanks for the layover!") makes it no praise to quote.
GRIEVANCE = re.compile(
    r"\b(delay(ed|s)?|cancel+(ed|ation|ations)?|layovers?|lost|stuck|on hold|waiting|waited|refunds?|"
    r"broken|rude|worst|never again|nobody|no one|still no|missed|stranded|overbooked|"
    r"\d+\s*(hours?|hrs?|minutes?|mins?)|(one|two|three|four|five|six|seven|eight|nine|ten)[- ]hours?)\b",
    re.IGNORECASE,
)
SUPPORT_SUFFIXES = (
    "support",
    "help",
    "helps",
    "assist",
    "care",
    "cares",
    "service",
    "team",
    "official",
    "hq",
    "news",
)
GENERIC_SOURCES = {"import", "web", "file"}
QUOTE_MARKS = "\"'“”‘’«»„"


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class BrandVoice:
    """How to tell the brand's own posts, as far as the workspace says: @handles named in a
    brand tracker's query, and handles spelled like the brand's names (@AmericanAir for
    "American Air", @DeltaAssist for "Delta"). Until mentions carry an `ours` flag."""

    handles: frozenset[str]
    names: frozenset[str]  # letters only

    def is_handle(self, handle: str) -> bool:
        handle = handle.strip().lstrip("@").rstrip(":,.!?").lower()
        letters = _letters(handle)
        return bool(handle) and (
            handle in self.handles
            or any(
                letters == name or (letters.startswith(name) and letters[len(name) :] in SUPPORT_SUFFIXES)
                for name in self.names
            )
        )

    def wrote(self, record: dict[str, Any]) -> bool:
        """Marked as the brand's own (`ours`, where mentions carry it), or by one of its handles."""
        return bool(record.get("ours")) or self.is_handle(record.get("author_handle") or "")

    def quotable(self, text: str) -> bool:
        """A whole thought said to the brand or about it: at least QUOTE_MIN_WORDS words after
        any @brand it is addressed to, and not a reply to someone else (@another first)."""
        words = text.split()
        lead = 0
        while lead < len(words) and words[lead].startswith("@"):
            if not self.is_handle(words[lead]):
                return False
            lead += 1
        return len(words) - lead >= QUOTE_MIN_WORDS


def brand_voice(ws: Workspace) -> BrandVoice:
    brands = [t for t in ws.trackers.list(with_counts=False) if t["role"] == "brand"]
    handles = {h.lower() for t in brands for h in re.findall(r"@(\w+)", t.get("query") or "")}
    names = {_letters(n) for n in [*(t["name"] for t in brands), ws.setting("brand", "") or ""]}
    return BrandVoice(frozenset(handles), frozenset(n for n in names if n))


def is_clear_praise(record: dict[str, Any]) -> bool:
    text = record.get("text") or ""
    return (
        record.get("sentiment") == "positive"
        and float(record.get("sentiment_score") or 0) >= PRAISE_MIN_SCORE
        and not IRONY.search(text)
        and not GRIEVANCE.search(text)
    )


def clean_quote(text: str) -> str:
    """One line, without the @handles it starts with (the brand it was said to) and the quote
    marks a post was wrapped in (the digest adds its own)."""
    line, before = " ".join(text.split()), None
    while line != before:
        before = line
        line = re.sub(r"^(@\w+[:,]?\s+)+", "", line)
        if len(line) > 1 and line[0] in QUOTE_MARKS and line[-1] in QUOTE_MARKS:
            line = line[1:-1].strip()
    return line


def credit(record: dict[str, Any]) -> str:
    """'Andy Ellwood (@andyellwood), twitter, 24 Feb 2015': who, where (when the source names a
    platform), and when."""
    name = record.get("author") or ""
    handle = (record.get("author_handle") or "").lstrip("@")
    who = name or (f"@{handle}" if handle else "unknown author")
    if handle and name and _letters(name) != _letters(handle):
        who += f" (@{handle})"
    parts = [who]
    if record.get("source") and record["source"] not in GENERIC_SOURCES:
        parts.append(record["source"])
    if record.get("published_at"):
        parts.append(date.fromisoformat(record["published_at"][:10]).strftime("%d %b %Y").lstrip("0"))
    return ", ".join(parts)
