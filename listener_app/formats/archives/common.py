"""What the platform readers share: reading members as JSON, JS or CSV rows, stable ids for
records that have none, telling the account owner's posts from everyone else's."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import orjson

from listener_app.domain.models import AuthorRef, Item
from listener_app.domain.normalize import owner_key
from listener_app.formats.archives.container import Container
from listener_app.formats.columns import header_key
from listener_app.formats.csv_reader import read_csv
from listener_app.formats.sniff import ImportFormatError, sniff_encoding

_JS_ASSIGNMENT = re.compile(rb"^\s*(?:var\s+|window\.)?[\w.$\[\]\"']+\s*=\s*")


def derived_id(*parts: object) -> str:
    """A stable id for a record the platform gives none (a Messenger message): the same parts
    give the same id in every download, so a newer archive that overlaps adds nothing twice."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def basename(name: str) -> str:
    return PurePosixPath(name).name.lower()


@dataclass
class Context:
    """One archive being read: its files, who "we" are, and what went wrong so far."""

    container: Container
    ours: set[str] = field(default_factory=set)  # folded handles and names of the account owner
    owner: str | None = None  # the first of them as written, to name the owner's posts by

    @property
    def problems(self) -> list[str]:
        return self.container.problems

    def add_owner(self, *names: str | None) -> None:
        for name in names:
            if name and name.strip():
                self.ours.add(owner_key(name))
                self.owner = self.owner or name.strip().lstrip("@")

    def is_ours(self, *names: str | None) -> bool:
        return any(owner_key(n) in self.ours for n in names if n)

    def problem(self, name: str, reason: str) -> None:
        self.container.problems.append(f"{name}: {reason}")

    def read_json(self, name: str, *, javascript: bool = False) -> Any:
        """A member as JSON (None when refused or broken: the reason is in `problems`). With
        `javascript`, the `window.YTD.x.part0 = ` assignment in front is stripped, never run."""
        data = self.container.read(name)
        if data is None:
            return None
        if javascript:
            data = _JS_ASSIGNMENT.sub(b"", data.lstrip(b"\xef\xbb\xbf"), count=1).rstrip().rstrip(b";")
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            try:
                return json.loads(data.decode(sniff_encoding(data[:4096]), errors="replace").lstrip("\ufeff"))
            except (json.JSONDecodeError, UnicodeError) as exc:
                self.problem(name, f"not readable as JSON ({exc})")
                return None

    def header(self, name: str) -> set[str]:
        """The header keys of a CSV member, from its first bytes (to recognise an export)."""
        try:
            header = read_csv(PurePosixPath(name), io.BytesIO(self.container.head(name))).header  # type: ignore[arg-type]
        except ImportFormatError:
            return set()
        return {header_key(h) for h in header}

    def csv_rows(self, name: str) -> Iterator[dict[str, str]]:
        """A CSV member's rows as {header key: value} (encoding and delimiter sniffed)."""
        data = self.container.read(name)
        if data is None:
            return iter(())
        try:
            header, rows, *_ = read_csv(PurePosixPath(name), io.BytesIO(data))  # type: ignore[arg-type]
        except ImportFormatError as exc:
            self.problem(name, str(exc))
            return iter(())
        keys = [header_key(h) for h in header]
        return (dict(zip(keys, row, strict=False)) for _, row in rows if len(row) > 1)


def pick(row: dict[str, Any], *names: str) -> str | None:
    """The first non-empty value among columns named like `names` (header keys)."""
    for name in names:
        value = row.get(header_key(name))
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def item(
    source: str,
    external_id: str,
    text: str,
    published_at: Any,
    *,
    author: str | None = None,
    display_name: str | None = None,
    ours: bool = False,
    kind: str = "post",
    **fields: Any,
) -> Item:
    """An Item from an archive record; `kind` (post, comment, message, review, reply) goes
    in `extra` so a preview can show one of each."""
    who = AuthorRef(handle=author, display_name=display_name or author) if author else None
    return Item(
        source=source,
        external_id=external_id,
        text=text,
        published_at=published_at,
        author=who,
        ours=ours,
        is_html=fields.pop("is_html", False),
        extra={"kind": kind},
        **fields,
    )


def members(names: Iterable[str], test: Callable[[str], bool]) -> list[str]:
    return sorted(n for n in names if test(n))


def first_text(values: Sequence[Any]) -> str | None:
    return next((str(v) for v in values if isinstance(v, str) and v.strip()), None)


@dataclass(frozen=True, slots=True)
class Reader:
    """One platform export: `claim` picks the members it reads from an archive's names
    (peeking at content where names are not enough), `read` turns them into Items."""

    kind: str  # the source kind its Items carry
    looks_for: str  # what it recognises, for the message when nothing is recognised
    claim: Callable[[Context, list[str]], list[str]]
    read: Callable[[Context, list[str]], Iterator[Item]]


def review_csv(
    kind: str, looks_for: str, columns: set[str], review: Callable[[dict[str, str]], Iterator[Item]]
) -> Reader:
    """The Reader of an export that is CSV files of reviews: it claims the CSV members whose
    header has `columns` (lower case) and reads each row with `review`."""

    def claim(ctx: Context, names: list[str]) -> list[str]:
        return [n for n in names if n.lower().endswith(".csv") and ctx.header(n) >= columns]

    def read(ctx: Context, names: list[str]) -> Iterator[Item]:
        for name in names:
            for row in ctx.csv_rows(name):
                yield from review(row)

    return Reader(kind, looks_for, claim, read)
