from __future__ import annotations

import pytest

from listener_app.core.normalize import canonical_url, clean_text, parse_date


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


def test_canonical_url_drops_tracking():
    assert (
        canonical_url("HTTPS://Shop.Example:443/item?id=4&utm_source=news&fbclid=abc#reviews")
        == "https://shop.example/item?id=4"
    )
    assert canonical_url("javascript:alert(1)") is None
    assert canonical_url("http://[bad") is None
