"""A digest of a client's historical export (tweets to an airline, February 2015): the period
comes from the data, praise is praise, the brand never complains about itself, quotes are clean,
and the chart reads at one bar or thirty."""

from __future__ import annotations

from datetime import date

import pytest

from listener_app.domain.models import AuthorRef, Item
from listener_app.reports.digest import build_digest, to_html, to_markdown
from listener_app.reports.pdf import nice_ticks
from listener_app.reports.period import data_span, default_period
from listener_app.reports.quotes import brand_voice, clean_quote
from listener_app.workspace import Workspace
from listener_app.workspace.ingest import ingest_items

TODAY = date(2026, 12, 6)
TWEETS = [
    ("andy", "@AmericanAir on hold for 55 minutes now, is anyone there to help me rebook my flight?", 24),
    ("sam", "@AmericanAir Good luck with that! Your app crashed again while I was trying to check in", 24),
    ("lee", "@AmericanAir thanks for the six-hour layover in Dallas, what a wonderful way to start a holiday", 23),
    ("kim", '"@AmericanAir the crew on AA100 were wonderful, kind and funny, best flight I have had in years"', 22),
    ("AmericanAir", "We're sorry for the trouble with your booking, please send us a DM with the details and we will help", 22),
    ("pat", "@AmericanAir lost my golf bag and nobody answers the phone, this is a terrible experience overall", 20),
    ("jo", "@AmericanAir the new lounge in Miami is lovely, great coffee and really friendly staff, thank you", 17),
]  # fmt: skip


@pytest.fixture
def airline(tmp_path):
    with Workspace.open(tmp_path / "airline.listener.db") as ws:
        ws.trackers.create("American Air", '"american air" OR americanair', role="brand")
        items = [
            Item(
                source="twitter",
                external_id=str(n),
                text=text,
                published_at=f"2015-02-{day:02d}T11:35:00Z",
                author=AuthorRef(handle=handle, display_name=handle),
                url=f"https://example.social/{handle}/{n}",
            )
            for n, (handle, text, day) in enumerate(TWEETS)
        ]
        ingest_items(ws.store, items, score=True)
        ws.trackers.rerun()
        yield ws


def test_the_period_defaults_to_the_span_of_old_data(airline):
    assert data_span(airline, "") == (date(2015, 2, 17), date(2015, 2, 24))
    assert default_period(airline, "", TODAY) == (date(2015, 2, 17), date(2015, 2, 25))
    assert default_period(airline, "status:new sort:reach", TODAY) == (date(2015, 2, 17), date(2015, 2, 25))


def test_recent_data_keeps_the_last_seven_days(tmp_path):
    with Workspace.open(tmp_path / "recent.listener.db") as ws:
        ingest_items(ws.store, [Item(source="rss", external_id="1", text="hi", published_at="2026-12-05")])
        assert default_period(ws, "", TODAY) == (date(2026, 11, 30), date(2026, 12, 7))


def test_a_digest_of_old_data_has_numbers_and_honest_quotes(airline):
    digest = build_digest(airline, "", *default_period(airline, "", TODAY))
    assert digest.headline[0] == ("Mentions", len(TWEETS), 0)
    assert not digest.compared  # nothing before the export: no "new vs 0" on every card
    html, markdown = to_html(digest), to_markdown(digest)
    assert "no earlier data" in html and "vs 0" not in html
    praised = [r["text"] for r in digest.praise]
    assert any("lounge in Miami" in t for t in praised)
    assert not any("Good luck" in t or "layover" in t for t in praised)  # sarcasm is not praise
    everything = digest.praise + digest.complaints + digest.open_items
    assert not any(r["author_handle"] == "AmericanAir" for r in everything)  # never the brand's own
    assert any("on hold for 55 minutes" in r["text"] for r in digest.open_items)
    assert "“”" not in html and '“"' not in markdown  # no doubled quote marks
    assert ", import" not in markdown and "twitter" in markdown


def test_the_brand_voice_knows_its_handles(airline):
    voice = brand_voice(airline)
    assert voice.wrote({"author_handle": "AmericanAir"}) and voice.wrote(
        {"author_handle": "AmericanAirSupport"}
    )
    assert not voice.wrote({"author_handle": "americanairfan99"})
    assert voice.quotable("@AmericanAir my bag never arrived in Boston and nobody calls back")
    assert not voice.quotable("@andy I had the same thing happen to me on Tuesday last week")  # a reply


def test_quotes_lose_their_wrapping_marks_and_leading_handles():
    assert clean_quote('"@AmericanAir the crew were wonderful"') == "the crew were wonderful"
    assert clean_quote("“Best. Flight. Ever.”") == "Best. Flight. Ever."


def test_chart_ticks_are_whole_and_cover_the_peak():
    assert nice_ticks(1) == [0, 1]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert nice_ticks(1117)[-1] >= 1117 and len(nice_ticks(1117)) <= 6


def test_the_cli_report_defaults_to_the_data(airline, tmp_path, capsys):
    from listener_app.cli import main

    out = tmp_path / "digest.md"
    assert main(["report", "--db", str(airline.path), "--format", "md", "--out", str(out)]) == 0
    assert "2015-02-17 to 2015-02-24" in capsys.readouterr().out
    assert "| Mentions | 7 |" in out.read_text()
