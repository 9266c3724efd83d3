"""Cleaning incoming content: HTML to plain text, dates to UTC ISO-8601, canonical URLs.

Everything a source or an importer hands over passes through here before it is stored, so the
rest of the app can trust that `text` is plain, bounded text and `published_at` sorts as a string.

Limits (documented in the README):
- `MAX_TEXT_CHARS`: stored text is cut at this many characters, at a word boundary when one is
  near; the original length is recorded in `mentions.original_length`.
- `MAX_HTML_CHARS`: HTML beyond this is not parsed at all (a 10 MB post costs bounded time).
"""

from __future__ import annotations

import contextlib
import html
import html.entities
import re
import unicodedata
from datetime import UTC, datetime, timezone
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MAX_TEXT_CHARS = 20_000
MAX_TITLE_CHARS = 500
MAX_HTML_CHARS = 2_000_000
MAX_LINKS = 50

_DROP_CONTENT = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "head",
    "title",
}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "section", "article", "header", "footer", "hr", "dd", "dt",
}  # fmt: skip
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_HTML_HINT = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*[\s/>]|/[a-zA-Z]|!--|![A-Za-z])")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000b\u000e-\u001f\u007f\u200b\u200e\u200f\u2028\u2029\ufeff]")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")


class _TextExtractor(HTMLParser):
    """Keeps visible text and link targets; drops scripts, styles, images and every attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            self._skip_depth += 1
            return
        if tag in _BLOCK:
            self.parts.append("\n")
        if tag == "a" and not self._skip_depth:
            href = next((v for k, v in attrs if k == "href" and v), None)
            if href and href.strip().lower().startswith(_LINK_SCHEMES) and len(self.links) < MAX_LINKS:
                self.links.append(href.strip())

    def updatepos(self, i: int, j: int) -> int:
        """Positions are only for error messages, which this parser never gives: not counting
        lines and columns makes a feed item's HTML 10 % faster to read."""
        return j

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_CONTENT:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


_ODD_SPACE = re.compile(
    r"[\r\t\f\v\u0000-\u0008\u000e-\u001f\u007f\u00a0\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]"
)


def _needs_tidy(value: str) -> bool:
    if "  " in value or " \n" in value or "\n " in value or "\n\n\n" in value:
        return True
    if value.isascii():  # no odd space but a control character (a newline is fine)
        return not value.isprintable() and not value.replace("\n", "").isprintable()
    return _ODD_SPACE.search(value) is not None


def tidy_whitespace(value: str) -> str:
    if not _needs_tidy(value):  # the common case: nothing to tidy
        return value.strip()
    value = _INVISIBLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = _SPACES.sub(" ", value)
    value = _SPACE_AROUND_NEWLINE.sub("\n", value)
    value = _BLANK_LINES.sub("\n\n", value)
    return value.strip()


def html_to_text(value: str) -> tuple[str, list[str]]:
    """Visible text and the list of link targets of an HTML fragment."""
    value = value[:MAX_HTML_CHARS]
    simple = _simple_html_to_text(value)
    if simple is not None:
        return simple
    parser = _TextExtractor()
    parser.feed(value)
    parser.close()
    return tidy_whitespace("".join(parser.parts)), parser.links


# Well-formed tags, spelled so that html.parser reads them the same way: a name of letters and
# digits, attributes separated by ASCII whitespace, values quoted or plainly unquoted.
_GAP = r"[ \t\n\r\f]"
_ATTRIBUTE = (
    _GAP
    + r"+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:"
    + _GAP
    + r"*="
    + _GAP
    + r"*(\"[^\"]*\"|'[^']*'|[^ \t\n\r\f\"'=<>`]+))?"
)
_ATTRIBUTES = re.compile(_ATTRIBUTE)
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:" + _ATTRIBUTE + r")*)" + _GAP + r"*(/?)>")
_END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)" + _GAP + r"*>")
_RAW_TEXT_END = {name: re.compile(rf"</\s*{name}\s*>", re.I) for name in ("script", "style")}


def _simple_html_to_text(value: str) -> tuple[str, list[str]] | None:
    """What _TextExtractor makes of `value`, in a fifth of the time, or None when the HTML holds
    anything but well-formed tags, text and entities (comments, declarations, a stray '<', an
    unclosed script): html.parser reads those. A feed item's HTML is nearly always simple."""
    parts: list[str] = []
    links: list[str] = []
    skip, at = 0, 0
    find = value.find
    while (start := find("<", at)) >= 0:
        if start > at and not skip:
            parts.append(unescape(value[at:start]))
        if value.startswith("</", start):
            tag = _END_TAG.match(value, start)
            if tag is None:
                return None
            at, name = tag.end(), tag.group(1).lower()
            if name in _DROP_CONTENT:
                skip = max(0, skip - 1)
            elif name in _BLOCK:
                parts.append("\n")
            continue
        tag = _START_TAG.match(value, start)
        if tag is None:
            return None
        at, name = tag.end(), tag.group(1).lower()
        if tag.group(tag.re.groups):  # <br/>: html.parser's startendtag
            if name in _BLOCK:
                parts.append("\n")
        elif name in _DROP_CONTENT:
            if name in _RAW_TEXT_END:  # script, style: raw text up to their end tag, dropped
                end = _RAW_TEXT_END[name].search(value, at)
                if end is None:
                    return None
                at = end.end()
            else:
                skip += 1
        else:
            if name in _BLOCK:
                parts.append("\n")
            if name == "a" and not skip and tag.group(2):
                _add_link(tag.group(2), links)
    if not skip:
        parts.append(unescape(value[at:]))
    return tidy_whitespace("".join(parts)), links


# Where html.unescape may change a text: '&#', '&name;', or one of the legacy names HTML reads
# without a semicolon ('&amp', '&copy'...; a longer word after the '&' counts when it starts
# with one). Elsewhere it returns the text as it is, after trying every prefix of each '&word'
# against its table: a link's '?a=1&utm_medium=email' took 6 us, nearly half a feed item's HTML.
_MAY_UNESCAPE = re.compile(
    "&(?:#|[^\t\n\f <&#;]{1,32};|"
    + "|".join(sorted((n for n in html.entities.html5 if not n.endswith(";")), key=len, reverse=True))
    + ")"
)


def unescape(text: str) -> str:
    """html.unescape(text), without its cost where it would change nothing."""
    return html.unescape(text) if "&" in text and _MAY_UNESCAPE.search(text) else text


def _add_link(attributes: str, links: list[str]) -> None:
    """The first non-empty href among a start tag's attributes, as _TextExtractor takes it."""
    for attribute in _ATTRIBUTES.finditer(attributes):
        name, quoted = attribute.groups()
        if name.lower() != "href" or not quoted:
            continue
        href = unescape(quoted[1:-1] if quoted[0] in "\"'" else quoted)
        if href:
            if href.strip().lower().startswith(_LINK_SCHEMES) and len(links) < MAX_LINKS:
                links.append(href.strip())
            return


def clean_text(value: str | None, is_html: bool | None = None) -> tuple[str, list[str]]:
    """Plain, tidy text (and any links) from text that may be HTML or carry entities."""
    if not value:
        return "", []
    # HTML when told so, or (None) when a '<' starts a tag, a comment or a declaration
    if is_html or (is_html is None and "<" in value and _HTML_HINT.search(value) is not None):
        return html_to_text(value)
    if "&" in value and _MAY_UNESCAPE.search(value):  # unescape(), inline: a call fewer a text
        value = html.unescape(value)
    return tidy_whitespace(value), []


def cap_text(value: str, limit: int = MAX_TEXT_CHARS) -> tuple[str, int | None]:
    """(text cut to `limit` characters, original length if it was cut)."""
    if len(value) <= limit:
        return value, None
    cut = value.rfind(" ", limit - 200, limit)
    return value[: cut if cut > 0 else limit].rstrip() + " …", len(value)


# ---------------------------------------------------------------- dates

_ISO_FAST = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?: ?(?:Z|[+-]\d{2}:?\d{2}))?"
)
_STORED_FORM = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_TIMESTAMP_TEXT = re.compile(r"\d{10}(?:\.\d+)?|\d{13}")
_COMPACT_DAY = re.compile(r"(?:19|20)\d{6}")  # 20260315
# Twitter's created_at ('Tue Jan 31 09:01:52 +0000 2017'): every X archive date, so read fast.
_TWITTER_FORM = re.compile(r"[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}")
_UTC_SUFFIX = re.compile(r" (?:UTC|GMT)$")
_MIN_YEAR, _MAX_YEAR = 1970, 2100
MIN_TIMESTAMP = 100_000_000  # Unix seconds of March 1973: a smaller number is a count, not a time
_NO_YEAR = datetime(1, 1, 1)  # dateutil fills what a text lacks from this: year 1 means "no year"


def _to_utc(moment: datetime, default_tz: timezone) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_tz)
    return moment.astimezone(UTC)


def format_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_now() -> str:
    return format_utc(datetime.now(UTC))


def parse_date(
    value: str | datetime | int | float, *, dayfirst: bool = False, default_tz: timezone = UTC
) -> str:
    """Any date a real export or feed uses, as 'YYYY-MM-DDTHH:MM:SSZ' (UTC).

    Accepts datetimes, Unix time in seconds or milliseconds, ISO-8601, RFC 2822 (feeds), Twitter's
    'Tue Jan 31 09:01:52 +0000 2017', and the usual spreadsheet forms ('03/15/2026 14:22',
    '15.03.2026', 'Mar 15, 2026 2:22 PM'). Times without a zone are taken as `default_tz`.

    Never guesses: a bare year ('2026'), a small number ('-1', '42'), a time without a date or a
    day without a year raise ValueError with a readable message instead of becoming some day
    filled in from today's date. A month and year ('March 2026') is the first of that month.
    """
    if isinstance(value, str) and _STORED_FORM.fullmatch(value):
        moment = datetime.fromisoformat(value)  # validates; already in the stored form
        if _MIN_YEAR <= moment.year <= _MAX_YEAR:
            return value
    if isinstance(value, datetime):
        moment = _to_utc(value, default_tz)
    elif isinstance(value, int | float):
        moment = _from_timestamp(value)
    else:
        moment = _parse_date_text(str(value).strip(), dayfirst, default_tz)
    if not _MIN_YEAR <= moment.year <= _MAX_YEAR:
        raise ValueError(f"date out of range: {value!r}")
    return format_utc(moment)


def _from_timestamp(value: int | float) -> datetime:
    """Unix time in seconds or milliseconds; a number too small to be one is refused."""
    if isinstance(value, bool) or value != value or abs(value) < MIN_TIMESTAMP:
        raise ValueError(f"{value!r} is a number, not a plausible date or Unix time")
    seconds = float(value) / 1000 if abs(value) > 1e11 else float(value)
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise ValueError(f"date out of range: {value!r}") from exc


def _parse_date_text(text: str, dayfirst: bool, default_tz: timezone) -> datetime:
    if not text:
        raise ValueError("empty date")
    if _ISO_FAST.fullmatch(text):
        try:
            return _to_utc(
                datetime.fromisoformat(text.replace("Z", "+00:00").replace(" +", "+").replace(" -", "-")),
                default_tz,
            )
        except ValueError:
            pass
    if _NUMBER.fullmatch(text):
        return _date_from_number_text(text)
    if _TWITTER_FORM.fullmatch(text):
        return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
    # The readers of other forms load when first needed: most files' dates take the paths above,
    # and an import's worker processes start 50 ms sooner without them.
    if text[:3].isalpha() and "," in text[:5]:
        from email.utils import parsedate_to_datetime

        try:
            return _to_utc(parsedate_to_datetime(text), default_tz)
        except (TypeError, ValueError, IndexError):
            pass
    if _UTC_SUFFIX.search(text) and _ISO_FAST.fullmatch(text[:-4]):  # '2023-01-15 12:34:56 UTC'
        return _parse_date_text(text[:-4] + "Z", dayfirst, default_tz)
    from dateutil import parser as dateutil_parser

    try:
        moment = dateutil_parser.parse(text, dayfirst=dayfirst, fuzzy=False, default=_NO_YEAR)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"unrecognised date {text[:60]!r}") from exc
    if moment.year == 1:
        raise ValueError(f"{text[:60]!r} has no year: not a date that can be placed")
    return _to_utc(moment, default_tz)


def _date_from_number_text(text: str) -> datetime:
    """A date written as digits only: Unix seconds (10 digits) or milliseconds (13), or a compact
    day (20260315). Anything else, a bare year included, is refused rather than guessed."""
    if _TIMESTAMP_TEXT.fullmatch(text):
        number = float(text)
        return datetime.fromtimestamp(number / 1000 if len(text) == 13 else number, UTC)
    if _COMPACT_DAY.fullmatch(text):
        try:
            return datetime.strptime(text, "%Y%m%d").replace(tzinfo=UTC)
        except ValueError:
            pass
    if len(text) == 4 and text.isdigit():
        raise ValueError(f"{text!r} is a bare year, not a date")
    raise ValueError(f"{text!r} is a number, not a date")


# ---------------------------------------------------------------- URLs

_TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "igshid",
    "mc_cid", "mc_eid", "_hsenc", "_hsmi", "hsctatracking", "mkt_tok", "ref_src", "ref_url", "s_cid",
    "cmpid", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "__s", "rb_clickid", "wt_mc", "xtor",
    "ncid", "sr_share", "li_fat_id", "si", "feature", "spm", "share_id", "trk", "trkcampaign",
}  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_")
_DEFAULT_PORTS = {("http", 80), ("https", 443)}


# What no URL holds unencoded (spaces, quotes, angle brackets, control characters).
# (\s spelled out, the 29 characters str.isspace() counts: as plain characters the class is read
# with one lookup a character, where \s is a category looked up for each; a URL matches in 0.2 us less)
_WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_NOT_IN_URL = _WHITESPACE + r"\"<>`\x00-\x1f\x7f"
# Already canonical unless the query names a tracking parameter: lower-case host, no port,
# no user info, none of _NOT_IN_URL (so a URL this matches needs no other check); a fragment is
# dropped. (groups: scheme and host, path, query)
_SIMPLE_URL = re.compile(
    rf"(https?://[a-z0-9-]+(?:\.[a-z0-9-]+)+)(/[^?#{_NOT_IN_URL}]*)?(?:\?([^#{_NOT_IN_URL}]*))?"
    rf"(?:#[^{_NOT_IN_URL}]*)?"
)
_TRACKING_IN_QUERY = re.compile(
    r"(?:^|&)(?:" + "|".join(sorted(map(re.escape, _TRACKING_PARAMS | set(_TRACKING_PREFIXES)))) + ")",
    re.IGNORECASE,
)


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


_NEVER_IN_URL = re.compile(f"[{_NOT_IN_URL}]")


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters, fragment, default port or case noise in the host.

    Returns None for anything that is not an http(s) URL, and for one holding what no URL
    holds unencoded (spaces, quotes, angle brackets, control characters): such an "address"
    (`https://example.com/a"><script>`) is markup looking for an attribute to break out of.
    """
    if not url:
        return None
    url = url.strip()
    simple = _SIMPLE_URL.fullmatch(url)
    if simple is not None:
        base, path, query = simple.group(1), simple.group(2) or "/", simple.group(3)
        if query and _TRACKING_IN_QUERY.search(query):
            query = "&".join(p for p in query.split("&") if not _is_tracking(p.split("=", 1)[0]))
        return f"{base}{path}?{query}" if query else f"{base}{path}"
    if _NEVER_IN_URL.search(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.rstrip(".")
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii")
    netloc = host if port is None or (scheme, port) in _DEFAULT_PORTS else f"{host}:{port}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not _is_tracking(k)]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def owner_key(name: str | None) -> str:
    """A handle or a name as "this is us" matches it: folded, without a leading @."""
    return fold((name or "").strip().lstrip("@"))


def fold(value: str) -> str:
    """Case- and accent-insensitive form of a name (for matching handles, tags, values)."""
    return (
        unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().casefold() or value.casefold()
    )
