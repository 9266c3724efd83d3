from __future__ import annotations

import html
from html.entities import html5

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listener_app.domain.normalize import canonical_url, clean_text, parse_date


def test_html_is_cleaned_and_links_kept():
    text, links = clean_text(
        '<div onclick="x()">Hi <a href="https://acme.example/p?utm_medium=x">there</a></div>'
        "<style>p{}</style><script>document.cookie</script><img src=//pixel.gif height=1>&eacute;t&eacute;"
    )
    assert text == "Hi there\nété"
    assert links == ["https://acme.example/p?utm_medium=x"]


def test_javascript_links_are_dropped():
    assert clean_text('<a href="javascript:alert(1)">x</a>')[1] == []


def test_plain_text_with_entities_and_odd_spaces():
    assert clean_text("Fish &amp; chips\u00a0\u200b  now\r\n\r\n\r\n\r\nok") == ("Fish & chips now\n\nok", [])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-15T10:00:00Z", "2026-03-15T10:00:00Z"),
        ("2026-03-15T12:00:00+02:00", "2026-03-15T10:00:00Z"),
        ("Sun, 15 Mar 2026 10:00:00 GMT", "2026-03-15T10:00:00Z"),
        ("03/15/2026 10:00", "2026-03-15T10:00:00Z"),
        ("Mar 15, 2026 10:00 AM", "2026-03-15T10:00:00Z"),
        ("15 March 2026", "2026-03-15T00:00:00Z"),
        (1773568800, "2026-03-15T10:00:00Z"),
        (1773568800000, "2026-03-15T10:00:00Z"),
        ("1773568800", "2026-03-15T10:00:00Z"),
    ],
)
def test_dates_real_exports_use(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["", "yesterday-ish", "31/31/2026", "0001-01-01"])
def test_bad_dates_raise_readable_errors(raw):
    with pytest.raises(ValueError):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tue Jan 31 09:01:52 +0000 2017", "2017-01-31T09:01:52Z"),  # X archive created_at
        ("2015-02-24 11:35:52 -0800", "2015-02-24T19:35:52Z"),  # Kaggle airline tweets
        ("2023-01-15 12:34:56 UTC", "2023-01-15T12:34:56Z"),  # Reddit, LinkedIn exports
        ("2023-09-19T17:42:53.434647+00:00", "2023-09-19T17:42:53Z"),  # YouTube Takeout
        ("20260315", "2026-03-15T00:00:00Z"),
        ("March 2026", "2026-03-01T00:00:00Z"),  # the first of the month, never today's day
    ],
)
def test_dates_of_platform_archives(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["-1", "2026", 2026, -1, 0, 45_000, True, "42", "3.5", "10:30", "Mar 15"])
def test_numbers_years_and_partial_dates_are_refused_not_guessed(raw):
    """dateutil would fill what is missing from today's date ('2026' as a day in this month)."""
    with pytest.raises(ValueError, match=r"year|number|date"):
        parse_date(raw)


def test_canonical_url_drops_tracking():
    assert (
        canonical_url("HTTPS://Shop.Example:443/item?id=4&utm_source=news&fbclid=abc#reviews")
        == "https://shop.example/item?id=4"
    )
    assert canonical_url("javascript:alert(1)") is None
    assert canonical_url("http://[bad") is None


# HTML made of pieces html.parser reads in every way: well-formed tags, odd tags, comments,
# declarations, stray brackets, entities, quotes inside attributes, raw text elements.
_PIECES = [
    "<p>", "</p>", "<br>", "<br/>", "<br />", "<div class='a>b'>", "</div>", "</div >", "</p foo>", "</ p>",
    "<a href='https://a.example/x?y=1&amp;z=2'>", '<a HREF="http://b.example">', "<a href=mailto:x@y.example>",
    "<a href=''>", "<a href>", "<a title='href=\"https://no.example\"' href=https://yes.example>",
    "<a href=\"javascript:x()\" href='https://second.example'>", "<a href=x/>", "</a>", "<img src=a.png/>",
    "<script>", "</script>", "<script>var a = '<p>';</script>", "<style>p{}</style>", "<SCRIPT>x</SCRIPT >",
    "<script/>", "</ script>", "<svg>", "</svg>", "<title>", "</title>", "<noscript>", "</noscript>",
    "<iframe src=x>", "</iframe>", "<o:p>", "</o:p>", "<!-- c -->", "<!DOCTYPE html>", "<?xml?>",
    "<![CDATA[x]]>", "<", ">", "</", "<3", "&", "&amp;", "&nbsp;", "&#39;", "&#x1F600;", "&bogus;", "&amp",
    "<b\vx>", "<p\xa0class=x>", "<p class=x\"y>", "<a href=a=b>", "<li>", "<ul>", "</ul>", "<td>", "<H1>",
    "</h1>", "<p\nclass=\"x\"\n>", "text", "Acme X2", " ", "\n", "\t", "\xa0", "é", "\u2028", "'", '"', "=",
]  # fmt: skip


@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=25))
@settings(max_examples=600, deadline=None)
def test_the_fast_html_reader_reads_what_html_parser_reads(pieces):
    from listener_app.domain.normalize import _simple_html_to_text, _TextExtractor, tidy_whitespace

    value = "".join(pieces)
    simple = _simple_html_to_text(value)
    if simple is not None:
        parser = _TextExtractor()
        parser.feed(value)
        parser.close()
        assert simple == (tidy_whitespace("".join(parser.parts)), parser.links)


_ENTITY_NAMES = sorted(html5)


@given(
    st.lists(
        st.one_of(
            st.sampled_from(_ENTITY_NAMES).map(lambda n: "&" + n),
            st.sampled_from(_ENTITY_NAMES).map(lambda n: "&" + n.rstrip(";") + "x"),
            st.integers(0, 0x10FFFF + 5).map(lambda n: f"&#{n}"),
            st.sampled_from(["&", "&#", "&#x", "&utm_medium=email", "?a=1&b=2", "AT&T", ";", "#"]),
            st.text(max_size=6),
        ),
        max_size=8,
    )
)
@settings(max_examples=600, deadline=None)
def test_unescape_reads_what_html_unescape_reads(pieces):
    from listener_app.domain.normalize import unescape

    value = "".join(pieces)
    assert unescape(value) == html.unescape(value)


def test_feed_html_takes_the_fast_reader():
    from listener_app.domain.normalize import _simple_html_to_text

    item = (
        "<p>Hands-on with the new Zenith Pods: <b>finally</b> fixed&nbsp;the bump.</p>"
        "<p>Read more on <a href='https://phonearena.example/2026/10/x?utm_source=google_alerts&amp;utm_medium=email'>"
        'phonearena.example</a>.</p><img src="https://t.example/pixel.gif" width="1" height="1" />'
        "<script>trackView()</script>"
    )
    assert _simple_html_to_text(item) == (
        "Hands-on with the new Zenith Pods: finally fixed the bump.\n\nRead more on phonearena.example.",
        ["https://phonearena.example/2026/10/x?utm_source=google_alerts&utm_medium=email"],
    )


def test_a_url_with_any_kind_of_space_in_it_is_refused():
    import sys

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert len(spaces) == 29
    for space in spaces:
        for url in (
            f"https://a.example/x{space}y",
            f"https://a.example/?q={space}r",
            f"https://a.example/#f{space}g",
        ):
            assert canonical_url(url) is None, repr(url)
    assert (
        canonical_url("https://a.example/caf\u00e9\u200bx?q=\u2060")
        == "https://a.example/caf\u00e9\u200bx?q=\u2060"
    )
