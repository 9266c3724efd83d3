"""Markdown export: a readable list of mentions with their text, labels, tags and notes.

Everything taken from a post is escaped: text that looks like HTML (a <script> a post quoted)
or like a Markdown link is shown as written, never rendered by the viewer that opens the file.
Only http(s) addresses become links (never javascript: or data:).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any
from urllib.parse import quote

_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|!])")
_NOT_IN_LINK = re.compile(r"[\s<>]")


def escape(text: str) -> str:
    """Inline text shown literally by any Markdown renderer."""
    return _MARKDOWN.sub(r"\\\1", text.replace("&", "&amp;"))


def link_target(url: str | None) -> str | None:
    """`url` as a Markdown link target (`<...>`, which nothing inside can end early), or None
    when it is not an http(s) address: a javascript: or data: link is never written as one."""
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    return "<" + _NOT_IN_LINK.sub(lambda m: quote(m.group()), url) + ">"


def _line(text: str) -> str:
    return escape(" ".join(text.split()))


def write_md(out: IO[str], records: Iterable[dict[str, Any]], query: str, total: int) -> int:
    out.write(f"# Mentions: {_line(query) or 'all'}\n\n{total:,} mentions.\n")
    written = 0
    for r in records:
        heading = _line(r.get("title") or "") or _line(r["text"])[:100] or "(no text)"
        facts = [
            f"{r['published_at'][:16].replace('T', ' ')} UTC",
            escape(r["source"]),
            _line(r.get("author") or "unknown author"),
            f"sentiment: {r.get('sentiment') or 'unscored'}",
            f"intent: {r.get('intent') or '-'}",
            f"status: {r['status']}",
        ]
        if r.get("starred"):
            facts.append("starred")
        out.write(f"\n## {heading}\n\n*{' · '.join(facts)}*\n")
        if r.get("tags"):
            out.write("\nTags: " + ", ".join(f"`{t.replace('`', '')}`" for t in r["tags"]) + "\n")
        if r.get("trackers"):
            out.write("\nTrackers: " + ", ".join(_line(t) for t in r["trackers"]) + "\n")
        body = "\n".join(escape(line) for line in (r["text"] or "").splitlines())
        out.write("\n> " + body.replace("\n", "\n> ") + "\n")
        if target := link_target(r.get("url")):
            out.write(f"\n[Original]({target})\n")
        for note in r.get("notes") or []:
            out.write(f"\n- Note: {_line(note)}\n")
        written += 1
    return written
