"""The digest: headline numbers against the previous period, what is still open, quotes,
notable authors, the strategist's notes, and a short method section."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from listener_app.domain.query import customers_only, quoted, within
from listener_app.formats.markdown_writer import escape, link_target
from listener_app.reports.quotes import brand_voice, clean_quote, credit, is_clear_praise
from listener_app.workspace import Workspace
from listener_app.workspace.analytics import Analytics, Hourly


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
    compared: bool = True  # the previous period has mentions to compare with


NOTE_LABEL_CHARS = 60
PRINT_WIDTH = 500  # points: the text width of an A4 page with 16 mm margins


# The headline figures, each counted from a period's Hourly tallies (one pass per period).
HEADLINE: tuple[tuple[str, Callable[[Hourly], int]], ...] = (
    ("Mentions", lambda c: c.total),
    ("Negative", lambda c: c.by(1)["negative"]),
    ("Questions", lambda c: c.by(3)["question"]),
    ("Complaints", lambda c: c.by(3)["complaint"]),
    ("Praise", lambda c: c.by(3)["praise"]),
)


def _within(query: str, start: date, end: date) -> str:
    return f"{query} after:{start.isoformat()} before:{end.isoformat()}".strip()


def _brand_scope(ws: Workspace, query: str) -> str:
    """What is "still open" and quoted is about the workspace's own brand: mentions matched by a
    brand tracker, unless the search already names a tracker (a digest about a competitor)."""
    if "tracker:" in query.lower():
        return ""
    brands = [t["name"] for t in ws.trackers.list(with_counts=False) if t["role"] == "brand"]
    return "(" + " OR ".join(f"tracker:{quoted(name)}" for name in brands) + ")" if brands else ""


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip(" ,;:.-") + "…"


def build_digest(ws: Workspace, query: str, start: date, end: date, *, audience: str = "") -> Digest:
    """`end` is exclusive; the previous period is the same length just before `start`.
    `audience` (a team, for a feedback packet) goes in the title."""
    length = (end - start).days
    now_q, before_q = _within(query, start, end), _within(query, start - timedelta(days=length), start)
    counts, before = ws.analytics.hourly(now_q), ws.analytics.hourly(before_q)
    headline = [(label, figure(counts), figure(before)) for label, figure in HEADLINE]
    not_spam = "-tag:spam" if ws.tags.by_name("spam") else ""
    ours = _brand_scope(ws, query)
    voice = brand_voice(ws)
    quoted_ids: set[int] = set()

    def pick(extra: str, n: int, keep: Callable[[dict[str, Any]], bool] = bool) -> list[dict[str, Any]]:
        """Up to `n` quotes worth reading, most reach first: whole thoughts (not a few words or
        a reply to someone), never the brand's own, no repeats of the same words, none already
        quoted above, and each one `keep` accepts."""
        records = ws.records(ws.search(customers_only(f"{now_q} {not_spam} {ours} {extra}"), limit=n * 20))
        chosen: dict[str, dict[str, Any]] = {}
        for record in records:
            words = " ".join(record["text"].lower().split())
            if (
                voice.quotable(record["text"])
                and not voice.wrote(record)
                and keep(record)
                and words not in chosen
                and record["id"] not in quoted_ids
            ):
                chosen[words] = record
        picked = list(chosen.values())[:n]
        quoted_ids.update(r["id"] for r in picked)
        return picked

    days = ws.analytics.volume_by_day(counts=counts)
    noted = [r for r in pick("has:note", 10) if r["notes"]]
    quoted_ids.clear()  # a noted mention may be quoted again below
    return Digest(
        title=f"What customers told us — {ws.setting('brand', '') or ws.name}"
        + (f" · for {audience}" if audience else ""),
        period=f"{start.isoformat()} to {(end - timedelta(days=1)).isoformat()}",
        headline=headline,
        open_items=pick(
            "(intent:complaint OR intent:question) (status:new OR status:needs_response) sort:reach", 10
        ),
        praise=pick("intent:praise sentiment:positive sort:reach", 5, is_clear_praise),
        complaints=pick("intent:complaint sentiment:negative sort:reach", 5),
        voices=ws.analytics.share_of_voice(now_q),
        authors=ws.analytics.scoped_authors(now_q, limit=8)["top"],
        notes=[(shorten(r["title"] or r["text"], NOTE_LABEL_CHARS), n) for r in noted for n in r["notes"]],
        days=days,
        spikes=Analytics.spikes(days),
        intents=ws.analytics.intent_mix(counts=counts),
        compared=before.total > 0,
    )


def tag_groups(ws: Workspace) -> dict[str, list[str]]:
    """Tag names by group ("Product", "Support"...), for feedback packets."""
    groups: dict[str, list[str]] = {}
    for tag in ws.tags.list():
        if tag["group"]:
            groups.setdefault(tag["group"], []).append(tag["name"])
    return groups


def packet_query(query: str, tags: list[str]) -> str:
    """The mentions of `query` carrying any of `tags`."""
    return within(query, "(" + " OR ".join(f"tag:{quoted(t)}" for t in tags) + ")")


def build_packets(
    ws: Workspace, query: str, start: date, end: date, progress: Callable[[int, int, str], None] | None = None
) -> dict[str, Digest]:
    """One digest per tag group, each over only the mentions carrying that group's tags."""
    groups = tag_groups(ws)
    packets = {}
    for index, (group, tags) in enumerate(sorted(groups.items())):
        if progress:
            progress(index, len(groups), group)
        packets[group] = build_digest(ws, packet_query(query, tags), start, end, audience=group)
    return packets


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "packet"


def _change(now: int, before: int, compared: bool = True) -> str:
    if not compared:
        return "—"
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


def _md_link(url: str | None) -> str:
    target = link_target(url)
    return f" ([link]({target}))" if target else ""


def to_markdown(d: Digest) -> str:
    """The digest in Markdown; everything taken from posts, authors, notes and settings is
    escaped (shown as written, never rendered), and only http(s) links are links."""
    e = escape
    lines = [
        f"# {e(d.title)}",
        "",
        f"*{e(d.period)}*",
        "",
        "| | this period | previous | change |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {label} | {now:,} | {before:,} | {_change(now, before, d.compared)} |"
        for label, now, before in d.headline
    ]
    if not d.compared:
        lines += ["", "No mentions in the period before this one: nothing to compare with."]
    if d.spikes:
        lines += ["", f"Spikes: {e(', '.join(d.spikes))}."]
    for heading, items in (("Still open: complaints and questions", d.open_items), ("What they praised", d.praise),
                           ("What they complained about", d.complaints)):  # fmt: skip
        lines += ["", f"## {heading}", ""]
        lines += [f"- “{e(shorten(clean_quote(r['text']), 240))}” — {e(credit(r))}{_md_link(r['url'])}"
                  for r in items] or ["- None."]  # fmt: skip
    if d.voices:
        lines += ["", "## Share of voice", ""] + [f"- {e(v['name'])} ({e(v['role'])}): {v['mentions']:,} mentions, "
                                                  f"{v['positive'] or 0:,} positive, {v['negative'] or 0:,} negative" for v in d.voices]  # fmt: skip
    lines += ["", "## Notable authors", ""] + [f"- @{e(a['handle'])} ({e(a['platform'])}): {a['mentions']:,} mentions, "
                                               f"{a['positive']:,} positive, {a['negative']:,} negative" for a in d.authors]  # fmt: skip
    if d.notes:
        lines += ["", "## Notes from the team", ""] + [
            f"- {e(' '.join(what.split()))}: {e(' '.join(note.split()))}" for what, note in d.notes
        ]
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


_KPI_GOOD = {"Praise": 1, "Negative": -1, "Complaints": -1}  # which way is good news
_EMOJI = re.compile("[\U00010000-\U0010ffff\ufe0f\u200d\u2600-\u27bf]")


def _kpis(d: Digest) -> str:
    cells = []
    for label, now, before in d.headline:
        change = _change(now, before, d.compared)
        direction = (now > before) - (now < before)
        good = _KPI_GOOD.get(label, 0) * direction
        colour = "#18794e" if good > 0 else "#ce2c31" if good < 0 else "#60646c"
        cells.append(
            f'<td width="20%" bgcolor="#f7f7f8"><span style="font-size:16pt;font-weight:600">'
            f'{now:,}</span><br><span style="color:#60646c">{label}</span><br>'
            + (
                f'<span style="color:{colour};font-weight:600">{change}</span> <span style="color:#8b8d98;'
                f'font-size:8pt">vs {before:,}</span></td>'
                if d.compared
                else '<span style="color:#8b8d98;font-size:8pt">no earlier data</span></td>'
            )
        )
    return f'<table width="100%" cellspacing="4" cellpadding="8"><tr>{"".join(cells)}</tr></table>'


def _intent_rows(intents: dict[str, int]) -> str:
    total = sum(intents.values()) or 1
    colours = {"question": "#0090ff", "complaint": "#e5484d", "praise": "#46a758", "suggestion": "#8e4ec6"}
    rows = []
    for intent, n in sorted(intents.items(), key=lambda kv: -kv[1]):
        share = round(100 * n / total)
        bar = (
            f'<table width="100%" cellspacing="0" cellpadding="0"><tr><td width="{max(1, share)}%" '
            f'bgcolor="{colours.get(intent, "#b9bbc6")}">&nbsp;</td><td width="{100 - max(1, share)}%"></td></tr></table>'
        )
        rows.append(
            f'<tr><td width="22%">{html.escape(intent)}</td><td width="10%" align="right">{n:,}</td>'
            f'<td width="8%" align="right" style="color:#60646c">{share}%</td><td width="60%">{bar}</td></tr>'
        )
    return f'<table width="100%" cellspacing="0" cellpadding="3">{"".join(rows)}</table>'


def to_html(d: Digest, *, chart: str | None = None) -> str:
    """The digest as HTML that browsers and Qt's rich text (for the PDF) both lay out well.
    `chart` replaces the inline SVG of mentions per day (the PDF passes an image's name);
    the PDF also leaves out emoji, which its fonts cannot draw."""
    printable = (lambda t: _EMOJI.sub("", t)) if chart else (lambda t: t)

    def e(text: str) -> str:
        return html.escape(printable(text))

    def quotes(items: list[dict[str, Any]]) -> str:
        if not items:
            return "<p>None in this period.</p>"
        blocks = []
        for r in items:
            link = (
                f' · <a href="{html.escape(r["url"])}" style="color:#3e63dd;font-size:8pt">original</a>'
                if link_target(r["url"])  # http(s) only: an escaped javascript: link is still active
                else ""
            )
            text = html.escape(shorten(printable(clean_quote(r["text"])), 320))
            blocks.append(
                f'<table width="100%" cellpadding="8" cellspacing="0" style="margin-bottom:6px"><tr>'
                f'<td width="2" bgcolor="#3e63dd"></td><td bgcolor="#f7f7f8">“{text}”<br>'
                f'<span style="color:#60646c;font-size:8pt">— {e(credit(r))}{link}'
                f"</span></td></tr></table>"
            )
        return "".join(blocks)

    voices = "".join(
        f"<tr><td>{e(v['name'])}</td><td>{e(v['role'])}</td><td align='right'>{v['mentions']:,}</td>"
        f"<td align='right' style='color:#18794e'>{v['positive'] or 0:,}</td>"
        f"<td align='right' style='color:#ce2c31'>{v['negative'] or 0:,}</td></tr>"
        for v in d.voices
    )
    authors = "".join(
        f"<tr><td>@{e(a['handle'])}</td><td>{e(a['platform'])}</td><td align='right'>{a['mentions']:,}</td>"
        f"<td align='right' style='color:#18794e'>{a['positive']:,}</td>"
        f"<td align='right' style='color:#ce2c31'>{a['negative']:,}</td></tr>"
        for a in d.authors
    )
    head = "<tr style='color:#60646c'><th align='left'>{}</th><th align='left'>{}</th><th align='right'>mentions</th><th align='right'>positive</th><th align='right'>negative</th></tr>"
    notes = "".join(f"<li><b>{e(what)}</b>: {e(note)}</li>" for what, note in d.notes)
    picture = f'<img src="{chart}" width="{PRINT_WIDTH}">' if chart else _bars(d.days, d.spikes)
    page = "" if chart else "max-width:780px;margin:32px auto;"
    spikes = (
        f"<p style='color:#60646c'>▲ Spikes (days well above the two weeks before): {', '.join(d.spikes)}</p>"
        if d.spikes
        else ""
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(d.title)}</title>
<style>body{{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;{page}color:#1c2024;font-size:10pt}}
h1{{font-size:22pt;margin-bottom:0}} h2{{font-size:13pt;color:#3e63dd;margin-top:22px;margin-bottom:6px}}
td,th{{padding:3px 8px 3px 0}}</style></head><body>
<h1>{e(d.title)}</h1><p style="color:#60646c">{e(d.period)} · {"compared with the period of the same length before" if d.compared else "no mentions in the period before, nothing to compare with"}</p>
{_kpis(d)}
<h2>Mentions per day</h2>{picture}{spikes}
<h2>What people want</h2>{_intent_rows(d.intents)}
<h2>Still open: complaints and questions</h2>{quotes(d.open_items)}
<h2>What they praised</h2>{quotes(d.praise)}
<h2>What they complained about</h2>{quotes(d.complaints)}
<h2>Share of voice</h2>{f"<table width='100%'>{head.format('tracker', 'role')}{voices}</table>" if voices else "<p>No brand or competitor trackers matched.</p>"}
<h2>Notable authors</h2>{f"<table width='100%'>{head.format('author', 'where')}{authors}</table>" if authors else "<p>None.</p>"}
{f"<h2>Notes from the team</h2><ul>{notes}</ul>" if notes else ""}
<h2>Method</h2><p style="color:#60646c">{e(METHOD)}</p></body></html>"""
