"""The digest: headline numbers against the previous period, what is still open, quotes,
notable authors, the strategist's notes, and a short method section."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from listener_app.db import search
from listener_app.db.analytics import intent_mix, share_of_voice, spikes, volume_by_day
from listener_app.db.authors import top_authors
from listener_app.db.mentions import mention_records
from listener_app.db.settings import get_setting
from listener_app.db.tags import tag_by_name
from listener_app.db.workspace import Workspace


@dataclass
class Digest:
    title: str
    period: str
    headline: list[tuple[str, int, int]]  # (label, this period, previous period)
    open_items: list[dict[str, Any]]
    praise: list[dict[str, Any]]
    complaints: list[dict[str, Any]]
    voices: list[dict[str, Any]]
    authors: list[dict[str, Any]]
    notes: list[tuple[str, str]] = field(default_factory=list)
    days: list[dict[str, Any]] = field(default_factory=list)
    spikes: list[str] = field(default_factory=list)
    intents: dict[str, int] = field(default_factory=dict)


def _within(query: str, start: date, end: date) -> str:
    return f"{query} after:{start.isoformat()} before:{end.isoformat()}".strip()


def build_digest(ws: Workspace, query: str, start: date, end: date) -> Digest:
    """`end` is exclusive; the previous period is the same length just before `start`."""
    length = (end - start).days
    now_q, before_q = _within(query, start, end), _within(query, start - timedelta(days=length), start)
    headline = [
        (label, search.count(ws, f"{now_q} {extra}".strip()), search.count(ws, f"{before_q} {extra}".strip()))
        for label, extra in (("Mentions", ""), ("Negative", "sentiment:negative"), ("Questions", "intent:question"),
                             ("Complaints", "intent:complaint"), ("Praise", "intent:praise"))
    ]  # fmt: skip
    not_spam = "-tag:spam" if tag_by_name(ws, "spam") else ""

    def pick(extra: str, n: int) -> list[dict[str, Any]]:
        return mention_records(ws, search.mention_ids(ws, f"{now_q} {not_spam} {extra}", limit=n))

    days = volume_by_day(ws, now_q)
    noted = [r for r in pick("has:note", 10) if r["notes"]]
    return Digest(
        title=f"What customers told us — {get_setting(ws, 'brand', '') or ws.path.name.removesuffix('.listener.db')}",
        period=f"{start.isoformat()} to {(end - timedelta(days=1)).isoformat()}",
        headline=headline,
        open_items=pick(
            "(intent:complaint OR intent:question) (status:new OR status:needs_response) sort:reach", 10
        ),
        praise=pick("intent:praise sentiment:positive sort:reach", 5),
        complaints=pick("intent:complaint sentiment:negative sort:reach", 5),
        voices=share_of_voice(ws, now_q),
        authors=top_authors(ws, limit=8),
        notes=[(r["title"] or r["text"][:60], n) for r in noted for n in r["notes"]],
        days=days,
        spikes=spikes(days),
        intents=intent_mix(ws, now_q),
    )


def _change(now: int, before: int) -> str:
    if before == 0:
        return "new" if now else "—"
    delta = 100 * (now - before) / before
    return f"{delta:+.0f}%"


METHOD = (
    "Mentions were collected by Listener from the sources configured for this workspace and "
    "de-duplicated. Sentiment is automatic (a blend of the VADER and TextBlob lexicons measured "
    "on human-rated social text) unless the strategist set it by hand; intent is pattern-based "
    "and likewise correctable. Changes compare with the previous period of the same length."
)


def to_markdown(d: Digest) -> str:
    lines = [
        f"# {d.title}",
        "",
        f"*{d.period}*",
        "",
        "| | this period | previous | change |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {label} | {now:,} | {before:,} | {_change(now, before)} |" for label, now, before in d.headline
    ]
    if d.spikes:
        lines += ["", f"Spikes: {', '.join(d.spikes)}."]
    for heading, items in (("Still open: complaints and questions", d.open_items), ("What they praised", d.praise),
                           ("What they complained about", d.complaints)):  # fmt: skip
        lines += ["", f"## {heading}", ""]
        lines += [f"- “{' '.join(r['text'].split())[:240]}” — {r['author'] or 'unknown'}, {r['source']}"
                  + (f" ([link]({r['url']}))" if r["url"] else "") for r in items] or ["- None."]  # fmt: skip
    if d.voices:
        lines += ["", "## Share of voice", ""] + [f"- {v['name']} ({v['role']}): {v['mentions']:,} mentions, "
                                                  f"{v['positive'] or 0:,} positive, {v['negative'] or 0:,} negative" for v in d.voices]  # fmt: skip
    lines += ["", "## Notable authors", ""] + [f"- @{a['handle']} ({a['platform']}): influence {a['influence']}, "
                                               f"{a['mention_count']} mentions" for a in d.authors]  # fmt: skip
    if d.notes:
        lines += ["", "## Notes from the team", ""] + [f"- {what}: {note}" for what, note in d.notes]
    lines += ["", "## Method", "", METHOD, ""]
    return "\n".join(lines)


def _bars(days: list[dict[str, Any]], spikes_: list[str]) -> str:
    """An inline SVG of mentions per day by sentiment (self-contained; no scripts)."""
    if not days:
        return ""
    width, height, top = 720, 160, max(d["mentions"] for d in days) or 1
    bar = width / len(days)
    rects = []
    for i, d in enumerate(days):
        y = height
        for key, colour in (("negative", "#e5484d"), ("neutral", "#8b8d98"), ("positive", "#30a46c")):
            h = height * (d[key] or 0) / top
            y -= h
            rects.append(
                f'<rect x="{i * bar:.1f}" y="{y:.1f}" width="{bar * 0.8:.1f}" height="{h:.1f}" fill="{colour}"/>'
            )
        if d["day"] in spikes_:
            rects.append(f'<text x="{i * bar:.1f}" y="10" font-size="10">▲</text>')
    return f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}">{"".join(rects)}</svg>'


def to_html(d: Digest, *, charts: bool = True) -> str:
    e = html.escape
    rows = "".join(f"<tr><td>{e(label)}</td><td>{now:,}</td><td>{before:,}</td><td>{_change(now, before)}</td></tr>"
                   for label, now, before in d.headline)  # fmt: skip

    def quotes(items: list[dict[str, Any]]) -> str:
        if not items:
            return "<p>None.</p>"
        blocks = []
        for r in items:
            link = f' · <a href="{e(r["url"])}">original</a>' if r["url"] else ""
            text = e(" ".join(r["text"].split())[:300])
            blocks.append(
                f"<blockquote>“{text}”<br><small>— {e(r['author'] or 'unknown')}, {e(r['source'])}{link}</small></blockquote>"
            )
        return "".join(blocks)

    voices = "".join(f"<li>{e(v['name'])} ({e(v['role'])}): {v['mentions']:,} mentions, {v['positive'] or 0:,} positive, "
                     f"{v['negative'] or 0:,} negative</li>" for v in d.voices)  # fmt: skip
    authors = "".join(f"<li>@{e(a['handle'])} ({e(a['platform'])}): influence {a['influence']}, {a['mention_count']} mentions</li>"
                      for a in d.authors)  # fmt: skip
    notes = "".join(f"<li><b>{e(what)}</b>: {e(note)}</li>" for what, note in d.notes)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(d.title)}</title>
<style>body{{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:780px;margin:32px auto;color:#1c2024}}
h1{{font-size:24pt;margin-bottom:0}} h2{{font-size:14pt;border-bottom:2px solid #3e63dd;padding-bottom:4px;margin-top:28px}}
table{{border-collapse:collapse}} td,th{{padding:4px 14px 4px 0;text-align:left}} blockquote{{margin:8px 0;padding:6px 12px;border-left:3px solid #3e63dd;background:#f7f7f8}}
small{{color:#60646c}} .period{{color:#60646c}}</style></head><body>
<h1>{e(d.title)}</h1><p class="period">{e(d.period)}</p>
<table><tr><th></th><th>this period</th><th>previous</th><th>change</th></tr>{rows}</table>
{_bars(d.days, d.spikes) if charts else ""}{f"<p>Spikes: {', '.join(d.spikes)}</p>" if d.spikes else ""}
<h2>Still open: complaints and questions</h2>{quotes(d.open_items)}
<h2>What they praised</h2>{quotes(d.praise)}
<h2>What they complained about</h2>{quotes(d.complaints)}
<h2>Share of voice</h2><ul>{voices or "<li>No brand or competitor trackers.</li>"}</ul>
<h2>Notable authors</h2><ul>{authors}</ul>
{f"<h2>Notes from the team</h2><ul>{notes}</ul>" if notes else ""}
<h2>Method</h2><p>{e(METHOD)}</p></body></html>"""
