"""Understanding a file's columns by their names and by their values, and saying so.

`understand` takes a header and the first rows and decides which column feeds which field: the
user's map first, then a tool's preset, then known names (columns.py), then the parts of a
name (`tweet_created`, `retweet_count`, `airline_sentiment`) and what the values are (dates,
sentiment labels, star ratings, whole numbers, links, long free text). Every column ends up in
the `MappingSummary` either mapped (and why) or left out (and why); a missing date or text
column is a warning there, never a silent default.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from listener_app.domain.normalize import parse_date
from listener_app.formats.columns import COMMON, PRESETS, SKIP, header_key, match_columns
from listener_app.formats.records import intent_label, sentiment_label

__all__ = ["NO_PLATFORM", "SAMPLE_ROWS", "ColumnChoice", "MappingSummary", "Understanding", "understand"]

SAMPLE_ROWS = 50  # rows whose values decide what a column holds
_MOSTLY = 0.8  # share of a column's values that must agree (dates, labels, numbers)
_DATE_WORDS = ("created", "date", "time", "timestamp", "posted", "published", "datetime", "at", "when")
_METRIC_BASES = {
    "retweet": "shares", "retweets": "shares", "share": "shares", "shares": "shares", "repost": "shares",
    "reposts": "shares", "favorite": "likes", "favorites": "likes", "favourite": "likes", "like": "likes",
    "likes": "likes", "reaction": "likes", "reactions": "likes", "heart": "likes", "reply": "replies",
    "replies": "replies", "comment": "replies", "comments": "replies", "score": "score", "points": "score",
    "upvotes": "score", "votes": "score",
}  # fmt: skip
_COUNT_WORDS = {"count", "counts", "total", "num", "number", "nb"}
_RATING_WORDS = {"rating", "stars", "star", "rate", "grade"}
_AUTHOR_WORDS = {"author", "user", "username", "screen", "handle", "sender", "from", "reviewer", "nickname"}
_TEXT_WORDS = {"text", "content", "body", "message", "comment", "review", "caption", "description", "snippet"}
_THING_WORDS = {
    "tweet", "post", "status", "review", "comment", "message", "mention", "item", "article", "entry",
    "story", "toot", "note", "reply",
}  # fmt: skip
_LEFT_OUT_WORDS = {
    "confidence": "a confidence score, not a label",
    "probability": "a confidence score, not a label",
    "coord": "coordinates: Listener keeps no location",
    "coords": "coordinates: Listener keeps no location",
    "coordinates": "coordinates: Listener keeps no location",
    "geo": "coordinates: Listener keeps no location",
    "latitude": "coordinates: Listener keeps no location",
    "longitude": "coordinates: Listener keeps no location",
    "location": "a place: Listener keeps no location",
    "city": "a place: Listener keeps no location",
    "country": "a place: Listener keeps no location",
    "timezone": "a time zone (the dates carry their own offset, or are taken as UTC)",
    "tz": "a time zone (the dates carry their own offset, or are taken as UTC)",
}
_PLATFORM_HINTS = (  # a word in the column names -> the platform every row comes from
    ("tweet", "twitter"), ("retweet", "twitter"), ("subreddit", "reddit"), ("toot", "mastodon"),
)  # fmt: skip
NO_PLATFORM = "Nothing says which platform"
_URL = re.compile(r"https?://\S+$", re.IGNORECASE)
_INTEGER = re.compile(r"[+-]?\d[\d,]*(\.0+)?$")


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """One column of the file: the field it feeds (None: left out) and why."""

    column: str
    field: str | None
    why: str


@dataclass(slots=True)
class MappingSummary:
    """What an import does with each column; printed at an import's end and by a dry run."""

    choices: list[ColumnChoice] = field(default_factory=list)
    preset: str | None = None
    source: str | None = None  # the platform every row comes from, when the file says
    source_why: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def mapped(self) -> list[ColumnChoice]:
        return [c for c in self.choices if c.field is not None]

    @property
    def left_out(self) -> list[ColumnChoice]:
        return [c for c in self.choices if c.field is None]

    def field_of(self, column: str) -> str | None:
        return next((c.field for c in self.choices if c.column == column), None)

    def lines(self) -> list[str]:
        width = max((len(c.column) for c in self.choices), default=0) + 2
        lines = [f"Columns ({len(self.choices)}){f', preset {self.preset}' if self.preset else ''}:"]
        lines += [f"  {c.column:<{width}}-> {_field_name(c.field)}  ({c.why})" for c in self.mapped]
        if self.left_out:
            lines.append("Left out:")
            lines += [f"  {c.column:<{width}}{c.why}" for c in self.left_out]
        if self.source:
            lines.append(f"Source: {self.source} ({self.source_why})")
        lines += [f"WARNING: {w}" for w in self.warnings]
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


@dataclass(slots=True)
class Understanding:
    """The decision for one header: {field: column index}, and the summary that explains it."""

    fields: dict[str, int]
    summary: MappingSummary
    by_name: frozenset[int] = frozenset()  # keys left to each record's own matching (see understand)

    def explicit_map(self, headers: Sequence[object]) -> dict[str, str]:
        """The decision as a --map for records matched by key (JSON objects): every column
        named, the left-out ones as 'skip', so per-record matching cannot undo it; but for the
        keys in `by_name`, which a record's own keys match by name when it has them."""
        by_index = {index: name for name, index in self.fields.items()}
        return {header_key(h): by_index.get(i, SKIP) for i, h in enumerate(headers) if i not in self.by_name}


def _field_name(name: str | None) -> str:
    if name and name.startswith("metric:"):
        return f"metrics[{name[7:]}]"
    if name in ("likes", "shares", "replies", "score"):
        return f"metrics[{name}]"
    return str(name)


def name_words(name: object) -> list[str]:
    """The parts of a column name: 'tweet_created' -> tweet, created; 'retweetCount' -> retweet, count."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(name or ""))
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


class _Column:
    """What a column's sampled values are."""

    def __init__(self, index: int, name: str, values: list[Any]) -> None:
        self.index, self.name, self.words = index, name, name_words(name)
        self.values = [v.strip() if isinstance(v, str) else v for v in values]
        self.filled = [v for v in self.values if v not in (None, "")]
        self._dates: tuple[int, Any] | None = None

    @property
    def empty(self) -> bool:
        return not self.filled

    def share(self, test: Any) -> float:
        return sum(1 for v in self.filled if test(v)) / len(self.filled) if self.filled else 0.0

    def integers(self) -> bool:
        return bool(self.filled) and self.share(_is_integer) >= 1.0

    def dates(self) -> tuple[int, Any]:
        """(how many values parse as dates, the first value that does not)."""
        if self._dates is None:
            good, bad = 0, None
            for value in self.filled:
                try:
                    if isinstance(value, str) and len(value) > 64:
                        raise ValueError
                    parse_date(value)
                    good += 1
                except (ValueError, OverflowError, TypeError):
                    bad = value if bad is None else bad
            self._dates = (good, bad)
        return self._dates

    def dated(self, share: float = _MOSTLY) -> bool:
        """Most values are dates; numbers count only under a date-like name (ids are numbers too)."""
        if self.empty or (self.integers() and not self.date_named()):
            return False
        return self.dates()[0] >= share * len(self.filled)

    def date_named(self) -> bool:
        return any(w in _DATE_WORDS for w in self.words) or "date" in self.name.lower()

    def labels(self, reader: Any, share: float = 0.9) -> bool:
        """At least `share` of the values are labels `reader` (value -> label or None) reads;
        not all numbers (a column of numbers is scores or counts, not labels)."""
        if self.empty or self.share(_is_number) >= 1.0:
            return False

        def readable(value: Any) -> bool:
            try:
                return reader(value) is not None
            except ValueError:
                return False

        return self.share(readable) >= share

    def stars(self) -> bool:
        return self.integers() and all(1 <= _number(v) <= 10 for v in self.filled)

    def average_length(self) -> float:
        texts = [str(v) for v in self.filled]
        return sum(map(len, texts)) / len(texts) if texts else 0.0

    def distinct(self) -> list[str]:
        return list(dict.fromkeys(str(v) for v in self.filled))


def _sentiment(value: Any) -> str | None:
    return sentiment_label(value)[0]


def _number(value: Any) -> float:
    return float(str(value).replace(",", ""))


def _is_number(value: Any) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    try:
        _number(value)
        return True
    except ValueError:
        return False


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return _INTEGER.match(str(value)) is not None


class _Decision:
    """The choices being made for one header, field by field."""

    def __init__(self, columns: list[_Column]) -> None:
        self.columns = columns
        self.fields: dict[str, int] = {}
        self.why: dict[int, str] = {}
        self.left: dict[int, str] = {}
        self.lost_date: int | None = None  # the column matched as the date by name, if another took it

    def free(self, column: _Column) -> bool:
        return column.index not in self.why and column.index not in self.left

    def take(self, name: str, column: _Column, why: str) -> None:
        self.fields[name] = column.index
        self.why[column.index] = why
        self.left.pop(column.index, None)

    def drop(self, name: str) -> None:
        index = self.fields.pop(name)
        del self.why[index]


def understand(
    headers: Sequence[object],
    rows: Sequence[Sequence[Any]],
    *,
    explicit: dict[str, str] | None = None,
    preset: str | None = None,
    records: bool = False,
) -> Understanding:
    """Which column feeds which field, from the names and the first rows' values.

    `explicit` is a parsed --map ({header key: field}); its columns are taken as they are.
    `records`: the rows are JSON objects, which differ in the keys they carry (records merged
    from two tools: 'text' in most, 'content' in a few). A key few of the objects read have, or
    one that lost the date to another, is then left to each record's own matching by name
    (`Understanding.by_name`): it feeds its field in the records without the chosen key.
    """
    names = [str(h) for h in headers]
    columns = [_Column(i, n, [row[i] if i < len(row) else None for row in rows]) for i, n in enumerate(names)]
    decision = _Decision(columns)
    explicit = explicit or {}
    by_key = {header_key(c.name): c for c in reversed(columns)}
    for key, name in explicit.items():
        if key in by_key:
            if name == SKIP:
                decision.left[by_key[key].index] = "left out by your map"
            else:
                decision.take(name, by_key[key], "your map")
    preset_keys = {header_key(k) for k in PRESETS.get(preset or "", {})}
    matched = match_columns(headers, explicit=explicit, preset=preset, strict=False)
    for name, index in matched.items():
        if name not in decision.fields and index not in decision.left:
            origin = f"{preset} preset" if header_key(headers[index]) in preset_keys else "by name"
            decision.take(name, columns[index], origin)
    user_fields = {f for f in explicit.values() if f != SKIP}
    taken = {columns[i].name: n for n, i in decision.fields.items()}
    for column in columns:  # a JSON object's inner keys ('metrics.likes') when the object is mapped
        parent = column.name.rpartition(".")[0]
        if parent in taken and decision.free(column):
            decision.left[column.index] = f"inside {parent}, which is read as {taken[parent]}"
    _check_by_content(decision, user_fields)
    _by_name_parts(decision)
    _date_by_content(decision, user_fields)
    _labels_by_content(decision)
    _text_by_content(decision)
    summary = MappingSummary(preset=preset)
    summary.source, summary.source_why = _platform(decision, names)
    by_name: dict[int, str] = {}  # (records) left-out keys that feed a field where the chosen one is missing
    for column in columns:
        if column.index in decision.why:
            name = next(n for n, i in decision.fields.items() if i == column.index)
            summary.choices.append(ColumnChoice(column.name, name, decision.why[column.index]))
            continue
        why = decision.left.get(column.index)
        named = (
            _alternative(column, why, decision, preset)
            if records and header_key(column.name) not in explicit
            else None
        )
        if named is not None:
            by_name[column.index] = named
            chosen = columns[decision.fields[named]].name
            share = f"{len(column.filled)} of {len(column.values)} rows read"
            summary.choices.append(
                ColumnChoice(column.name, named, f"where a record has no {chosen!r}: {share}")
            )
            continue
        summary.choices.append(ColumnChoice(column.name, None, why or _left_out(column, decision)))
    other_dates = [columns[i] for i, named in by_name.items() if named == "date"]
    summary.warnings = _warnings(decision, rows, summary.source, other_dates)
    return Understanding(decision.fields, summary, frozenset(by_name))


def _alternative(column: _Column, why: str | None, decision: _Decision, preset: str | None) -> str | None:
    """The field a JSON key left out still feeds, by its name, in the records without the key
    chosen for that field: when it lost the date to another key, or few of the objects read
    have it (and nothing else ruled it out)."""
    if why is not None and column.index != decision.lost_date:
        return None
    if why is None and len(column.filled) >= len(column.values) / 4:
        return None
    named = next(iter(match_columns([column.name], preset=preset, strict=False)), None)
    return named if named in decision.fields else None


def _check_by_content(decision: _Decision, user_fields: set[str]) -> None:
    """Name matches the values contradict are undone (a 'date' column of numbers, a
    'sentiment' column of free text); the user's own map is never second-guessed."""
    checks = {
        "date": lambda c: c.dated(0.5) or c.empty,
        "sentiment": lambda c: c.empty or c.labels(_sentiment, 0.5) or c.share(_is_number) >= 1.0,
        "intent": lambda c: c.empty or c.labels(intent_label, 0.5),
        "url": lambda c: c.empty or c.share(lambda v: _URL.match(str(v))) >= _MOSTLY,
    }
    for name, check in checks.items():
        if name in decision.fields and name not in user_fields:
            column = decision.columns[decision.fields[name]]
            if not check(column):
                decision.drop(name)
                decision.left[column.index] = f"named like {name} but its values are not ({_example(column)})"
    for name in ("likes", "shares", "replies", "score", "reach"):
        if name in decision.fields and name not in user_fields:
            column = decision.columns[decision.fields[name]]
            if column.share(_is_number) < _MOSTLY and not column.empty:
                decision.drop(name)
                decision.left[column.index] = (
                    f"named like a count but its values are not numbers ({_example(column)})"
                )


def _example(column: _Column) -> str:
    return f"e.g. {str(column.filled[0])[:40]!r}" if column.filled else "empty"


def _by_name_parts(decision: _Decision) -> None:
    """Fields from the parts of a name the common names do not cover."""
    for column in decision.columns:
        if not decision.free(column):
            continue
        words = column.words
        reason = next((_LEFT_OUT_WORDS[w] for w in words if w in _LEFT_OUT_WORDS), None)
        if reason:
            decision.left[column.index] = reason
            continue
        guess = _guess(column)
        if guess and guess not in decision.fields:
            decision.take(guess, column, f"by name ({' + '.join(words)})")


def _guess(column: _Column) -> str | None:
    words = column.words
    if not words:
        return None
    if words[-1] == "id" and len(words) > 1:
        thing = set(words[:-1])
        if thing & {"parent", "replied", "reply"} or words[:3] == ["in", "reply", "to"]:
            return "parent_external_id"
        if thing & {"thread", "conversation"}:
            return "thread_external_id"
        return "external_id" if thing & _THING_WORDS else None
    if column.integers():
        base = [w for w in words if w not in _COUNT_WORDS]
        if len(base) < len(words) or (base and base[-1] in _METRIC_BASES):
            if base and base[-1] in _METRIC_BASES:
                return _METRIC_BASES[base[-1]]
            if base and base[-1] in ("followers", "follower", "subscribers"):
                return "reach"
            return "metric:" + "_".join(base or words)
        if set(words) & _RATING_WORDS and column.stars():
            return "metric:rating"
        if set(words) & {"followers", "follower", "subscribers", "reach", "audience"}:
            return "reach"
    if set(words) & {"sentiment", "tone", "polarity"} and column.labels(_sentiment):
        return "sentiment"
    if set(words) & {"intent", "intention"} and column.labels(intent_label):
        return "intent"
    if set(words) & _AUTHOR_WORDS:
        if "url" in words or "link" in words or "profile" in words:
            return "author_url"
        if "display" in words or "full" in words:
            return "display_name"
        return "handle" if set(words) & {"username", "screen", "handle"} or "name" in words else "author"
    if set(words) & {"url", "link", "permalink"} and column.share(lambda v: _URL.match(str(v))) >= _MOSTLY:
        return "url"
    if set(words) & {"lang", "language", "locale"}:
        return "lang"
    if set(words) & {"platform", "network", "channel"}:
        return "source"
    if set(words) & {"title", "subject", "headline"}:
        return "title"
    if set(words) & _TEXT_WORDS and not column.integers():
        return "text"
    return None


def _date_by_content(decision: _Decision, user_fields: set[str]) -> None:
    """The date column is the one whose values are dates, date-like names first; among those the
    one matched by name, unless another holds more than twice its dates (JSON records that name
    their date two ways: 'created_at' in one of seven, 'published_at' in the six others)."""
    if "date" in user_fields:
        return
    current = decision.fields.get("date")
    candidates = [
        c for c in decision.columns
        if (decision.free(c) or c.index == current) and c.dated()
    ]  # fmt: skip
    if not candidates:
        return
    named = any(c.date_named() for c in candidates)
    most = max(c.dates()[0] for c in candidates if c.date_named() == named)

    def rank(column: _Column) -> tuple[bool, bool, int, int]:
        kept = column.index == current and 2 * column.dates()[0] >= most
        return column.date_named(), kept, column.dates()[0], -column.index

    best = max(candidates, key=rank)
    if best.index == current:
        return
    if current is not None:
        decision.drop("date")
        decision.left[current] = f"another column holds the dates ({best.name})"
        decision.lost_date = current
    good = best.dates()[0]
    decision.take(
        "date", best, f"values are dates ({good} of {len(best.filled)}), e.g. {str(best.filled[0])[:32]!r}"
    )


def _labels_by_content(decision: _Decision) -> None:
    """Human labels (positive/negative, question/complaint) kept as manual labels."""
    for name, reader in (("sentiment", _sentiment), ("intent", intent_label)):
        if name in decision.fields:
            continue
        candidates = [c for c in decision.columns if decision.free(c) and c.labels(reader)]
        if candidates:
            best = max(candidates, key=lambda c: len(c.filled))
            values = "/".join(best.distinct()[:4])
            decision.take(name, best, f"labels {values}, kept as manual labels")
    if "sentiment" in decision.fields:
        column = decision.columns[decision.fields["sentiment"]]
        why = decision.why[column.index]
        if "manual" not in why and not column.share(_is_number) >= 1.0:
            decision.why[column.index] = (
                f"{why}; labels {'/'.join(column.distinct()[:4])} kept as manual labels"
            )


def _text_by_content(decision: _Decision) -> None:
    if "text" in decision.fields or "title" in decision.fields:
        return
    candidates = [
        c for c in decision.columns
        if decision.free(c) and not c.empty and c.share(_is_number) < 0.5
        and c.share(lambda v: _URL.match(str(v))) < 0.5 and c.average_length() >= 20
    ]  # fmt: skip
    if candidates:
        best = max(candidates, key=lambda c: c.average_length())
        decision.take("text", best, f"the longest free text (about {best.average_length():.0f} characters)")


def _platform(decision: _Decision, names: list[str]) -> tuple[str | None, str | None]:
    if "source" in decision.fields:
        return None, None  # each row says
    for hint, platform in _PLATFORM_HINTS:
        named = [n for n in names if hint in name_words(n) or f"{hint}_" in n.lower()]
        if named:
            return platform, f"the columns {', '.join(named[:3])} name it; rows with a link take its site"
    return None, None


def _left_out(column: _Column, decision: _Decision) -> str:
    if column.empty:
        return "empty in the rows read"
    words = set(column.words)
    if words & {"sentiment", "tone", "polarity"} and "sentiment" in decision.fields:
        used = decision.columns[decision.fields["sentiment"]].name
        return f"another sentiment column ({used} is used)"
    if column.words and column.words[-1] == "id":
        return "an id of something else than the post"
    if len(column.filled) < len(column.values) / 4:
        return f"mostly empty ({len(column.filled)} of {len(column.values)} rows read)"
    distinct = column.distinct()
    if len(distinct) <= max(12, len(column.filled) // 4):
        shown = ", ".join(repr(v[:20]) for v in distinct[:3])
        return f"no matching field ({len(distinct)} values such as {shown}); --map {column.name}=tags keeps it as tags"
    return f"no matching field; --map {column.name}=FIELD to keep it"


def _warnings(
    decision: _Decision,
    rows: Sequence[Sequence[Any]],
    platform: str | None,
    other_dates: Sequence[_Column] = (),
) -> list[str]:
    """What the user should know before importing; `other_dates`: the JSON keys that date the
    records without the date column's key."""
    warnings = []
    if "date" not in decision.fields:
        looked = ", ".join(sorted({n for n in COMMON["date"]})[:6])
        warnings.append(
            "No date column: no column's values read as dates (looked for names like "
            f"{looked}, and at every column's values). Each post would be dated by the time of the "
            "import; use --map COLUMN=date"
        )
    else:
        column = decision.columns[decision.fields["date"]]
        good, bad = column.dates()
        if good < len(column.filled):
            warnings.append(
                f"{column.name}: {len(column.filled) - good} of {len(column.filled)} values read are not "
                f"dates (e.g. {str(bad)[:40]!r}); those rows will be reported and skipped"
            )
        if undated := sum(
            1
            for i, value in enumerate(column.values)
            if value in (None, "") and all(other.values[i] in (None, "") for other in other_dates)
        ):
            warnings.append(
                f"{column.name}: {undated} of {len(column.values)} rows read have no date; those will be "
                "dated by the time of the import"
            )
    if "text" not in decision.fields and "title" not in decision.fields:
        warnings.append("No column with the post's text; use --map COLUMN=text")
    if not platform and "source" not in decision.fields and "url" not in decision.fields:
        warnings.append(
            f"{NO_PLATFORM} these posts come from (no platform column, no links, no platform's column "
            "names): they would be stored with the source 'import'; name it with --source (twitter, "
            "facebook, instagram...)"
        )
    if not rows:
        warnings.append("The file has a header but no rows")
    return warnings
