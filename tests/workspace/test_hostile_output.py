"""Active markup from posts, authors, notes and links is shown as written in every output
(Markdown and HTML digests, the Markdown export), and addresses are checked when they come in."""

from __future__ import annotations

import io
import re
from datetime import date

from listener_app.domain.models import AuthorRef, Item
from listener_app.domain.normalize import canonical_url
from listener_app.formats.markdown_writer import write_md
from listener_app.reports.digest import build_digest, to_html, to_markdown
from listener_app.store import search
from listener_app.store.mentions import mention_records
from listener_app.workspace import Workspace
from listener_app.workspace.importing import import_file
from listener_app.workspace.ingest import ingest_items

HOSTILE = (
    "This phone is broken <script>alert(1)</script> <img src=x onerror=alert(2)> "
    "and [click here](javascript:alert(3)) for a refund, I want my money back now"
)


def _hostile_workspace(ws) -> None:
    ingest_items(
        ws,
        [
            Item(
                source="rss",
                external_id="1",
                text=HOSTILE,
                is_html=False,
                published_at="2026-10-20T10:00:00Z",
                author=AuthorRef("<b onmouseover=alert(4)>eve</b>", "[me](javascript:alert(5))"),
                intent="complaint",
                sentiment="negative",
                notes=["<img src=x onerror=alert(6)> call [back](javascript:alert(7))"],
            )
        ],
        score=False,
    )
    # A link an older version stored unchecked.
    ws.execute("UPDATE mentions SET url = 'javascript:alert(8)'")


def _unescaped_angle(markdown: str) -> list[str]:
    """`<` that a Markdown viewer would read as the start of HTML (not escaped, not a link target)."""
    return re.findall(r"(?<!\\)<(?!https?://)\S*", markdown)


def test_the_markdown_digest_shows_markup_as_written(ws):
    _hostile_workspace(ws)
    digest = build_digest(Workspace(ws), "", date(2026, 10, 18), date(2026, 11, 1))
    assert digest.open_items and digest.notes  # the hostile mention is quoted, and its note
    markdown = to_markdown(digest)
    assert _unescaped_angle(markdown) == []
    assert not re.search(r"(?<!\\)\]\(", markdown)  # no link but ours
    assert "([link]" not in markdown  # the javascript: address is not made a link
    assert "alert(1)" in markdown  # shown, as text


def test_the_html_digest_has_no_active_markup(ws):
    _hostile_workspace(ws)
    page = to_html(build_digest(Workspace(ws), "", date(2026, 10, 18), date(2026, 11, 1)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    lowered = page.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<b " not in lowered
    assert 'href="javascript' not in lowered


def test_the_markdown_export_never_links_a_javascript_address(ws):
    _hostile_workspace(ws)
    out = io.StringIO()
    write_md(out, mention_records(ws, search.mention_ids(ws, "")), "", 1)
    assert "[Original]" not in out.getvalue()
    assert _unescaped_angle(out.getvalue()) == []


def test_imported_addresses_that_carry_markup_are_refused(ws, tmp_path):
    path = tmp_path / "links.csv"
    path.write_text(
        "id,text,url,date\r\n"
        '1,&lt;script&gt;alert(1)&lt;/script&gt; is what I typed,"https://example.com/a""><script>",2026-01-01\r\n'
        "2,a fine link,https://example.com/b?x=1,2026-01-01\r\n",
        encoding="utf-8",
    )
    report = import_file(ws, path, score=False)
    assert report.ingest.inserted == 2, report.errors
    first, second = sorted(mention_records(ws, search.mention_ids(ws, "")), key=lambda r: r["external_id"])
    assert first["url"] is None and second["url"] == "https://example.com/b?x=1"
    assert first["text"] == "<script>alert(1)</script> is what I typed"  # text as text, escaped on output


def test_canonical_url_refuses_what_no_address_holds():
    for url in (
        'https://example.com/a"><script>',
        "https://example.com/a b",
        "https://ex.com/<x>",
        "https://x.com/a\nb",
    ):
        assert canonical_url(url) is None, url
    assert canonical_url(" https://Example.com:443/a?utm_source=x&b=1#f ") == "https://example.com/a?b=1"
