"""What importing a file would do, without storing anything: the dry run and the preview dialog.

`preview(path)` reads the head of a file (or a platform archive) and returns its format, the
preset or archive kind, the mapping summary, five sample rows as they would be stored, and the
problems found in the rows it read. Pure: no workspace, no SQL, nothing written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from listener_app.domain import normalize
from listener_app.domain.models import Item
from listener_app.formats import archives
from listener_app.formats.columns import header_signature, parse_map
from listener_app.formats.mapping import MappingSummary
from listener_app.formats.reading import UNITS, Opened, format_of, open_file, records_to_items, unsupported
from listener_app.formats.sniff import ImportFormatError

__all__ = ["Preview", "file_signature", "preview", "stored_form"]

SAMPLES = 5
READ_ROWS = 200  # rows (or archive items) read to find problems
MAX_PROBLEMS = 20
NO_DATE = "no date: would be dated by the time of the import"


@dataclass(slots=True)
class Preview:
    """What an import of `path` would store; `lines()` is the dry run's printout."""

    path: Path
    format: str  # csv, xlsx, json, jsonl, or archive
    preset: str | None = None
    archive_kinds: list[str] = field(default_factory=list)  # twitter, facebook, play_store...
    signature: str | None = None  # the header's signature, to remember a mapping by
    summary: MappingSummary | None = None
    samples: list[Item] = field(default_factory=list)  # as they would be stored
    problems: list[str] = field(default_factory=list)
    rows_read: int = 0

    @property
    def importable(self) -> bool:
        return bool(self.samples)

    def lines(self) -> list[str]:
        what = f"{self.format}" + (f", preset {self.preset}" if self.preset else "")
        if self.archive_kinds:
            what = f"{self.format}: {', '.join(self.archive_kinds)}"
        lines = [f"{self.path.name} ({what})"]
        if self.summary is not None:
            lines += self.summary.lines()
        lines.append(f"Sample ({len(self.samples)} of the first {self.rows_read} read), as stored:")
        for item in self.samples:
            who = item.author.handle if item.author else "-"
            flags = " [ours]" if item.ours else ""
            lines.append(
                f"  {item.published_at or 'NO DATE'}  {item.source}  @{who}{flags}: {item.text[:70]!r}"
            )
        if self.problems:
            lines.append(f"Problems ({len(self.problems)}):")
            lines += [f"  {p}" for p in self.problems]
        else:
            lines.append("No problems found in the rows read.")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


def stored_form(item: Item) -> Item:
    """The item as ingest would store it: plain capped text, the date in UTC ISO form, canonical
    links. Raises ValueError with ingest's reason for an item it would refuse."""
    text, links = normalize.clean_text(item.text, item.is_html)
    title = normalize.clean_text(item.title, item.is_html)[0] if item.title else None
    if not text and not title:
        raise ValueError("no text")
    published = normalize.parse_date(item.published_at) if item.published_at not in (None, "") else None
    canonical = [u for u in map(normalize.canonical_url, [*item.links, *links]) if u]
    return dataclasses.replace(
        item,
        text=normalize.cap_text(text)[0],
        title=normalize.cap_text(title, normalize.MAX_TITLE_CHARS)[0] if title else None,
        published_at=published,
        url=normalize.canonical_url(item.url),
        links=list(dict.fromkeys(canonical)),
        is_html=False,
    )


def preview(
    path: str | Path,
    mapping: Sequence[str] | dict[str, str] | None = None,
    *,
    preset: str | None = None,
    ours: Sequence[str] = (),
    source: str | None = None,
) -> Preview:
    """What importing `path` would store (a file of mentions or a platform archive).

    `mapping` is the user's --map (COLUMN=FIELD strings or a dict); `ours` the handles or
    names the brand writes under ("this is us"); `source` the platform a file comes from, when
    the user names it. A file that cannot be read at all gives a preview whose problems say
    why, and no samples.
    """
    path = Path(path)
    fmt = format_of(path)
    if not path.exists():
        return Preview(path, fmt or "unknown", problems=[f"No file at {path}"])
    try:
        if archives.is_archive(path) or archives.platform_file(path):
            return _archive_preview(path, ours)
        if fmt is None:
            return Preview(
                path,
                "unknown",
                problems=[unsupported(path)],
            )
        return _file_preview(path, fmt, parse_map(mapping or []), preset, ours, source)
    except ImportFormatError as exc:
        return Preview(path, fmt or "archive", problems=[str(exc)])


def _file_preview(
    path: Path,
    fmt: str,
    explicit: dict[str, str],
    preset: str | None,
    ours: Sequence[str],
    source: str | None,
) -> Preview:
    with ExitStack() as stack:
        opened = open_file(
            path, fmt, explicit, preset, stack, ours=ours, source=source, strict=False, sampling=True
        )
        result = Preview(path, fmt, opened.preset, signature=_signature(opened), summary=opened.summary)
        records = list(islice(opened.records, READ_ROWS))
    result.rows_read = len(records)
    items, errors = records_to_items((records, opened.columns))
    unit = UNITS[fmt]
    problems = [(n, reason) for n, reason in errors]
    for number, item in items:
        try:
            stored = stored_form(item)
        except ValueError as exc:
            problems.append((number, str(exc)))
            continue
        if stored.published_at is None:
            problems.append((number, NO_DATE))
        if len(result.samples) < SAMPLES:
            result.samples.append(stored)
    result.problems = [f"{unit} {n}: {reason}" for n, reason in sorted(problems)[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        result.problems.append(
            f"... and {len(problems) - MAX_PROBLEMS} more in the first {len(records)} {unit}s"
        )
    return result


def _signature(opened: Opened) -> str:
    return header_signature([c.column for c in opened.summary.choices])


def file_signature(path: str | Path) -> str | None:
    """The header signature of a file of mentions, to find the mapping remembered for files of
    its shape (None for an archive, or a file that cannot be read)."""
    path = Path(path)
    fmt = format_of(path)
    if fmt is None or not path.is_file() or archives.platform_file(path):
        return None
    try:
        with ExitStack() as stack:
            return _signature(open_file(path, fmt, {}, None, stack, strict=False, sampling=True))
    except ImportFormatError:
        return None


def _archive_preview(path: Path, ours: Sequence[str]) -> Preview:
    with archives.open_archive(path, ours=ours) as archive:
        result = Preview(
            path, "archive", archive_kinds=archive.kinds, signature="archive:" + "+".join(archive.kinds)
        )
        by_kind: dict[str, list[Item]] = {}
        problems: list[str] = []
        for number, item in enumerate(islice(archive.items(), READ_ROWS), start=1):
            result.rows_read = number
            try:
                stored = stored_form(item)
            except ValueError as exc:
                problems.append(f"item {number} ({item.source} {item.external_id}): {exc}")
                continue
            if stored.published_at is None:
                problems.append(f"item {number} ({item.source} {item.external_id}): {NO_DATE}")
            by_kind.setdefault(_sample_key(item), []).append(stored)
        result.problems = archive.problems + problems[:MAX_PROBLEMS]
    queues = list(by_kind.values())  # one of each kind of post first, so a DM shows beside the tweets
    while len(result.samples) < SAMPLES and any(queues):
        for queue in queues:
            if queue and len(result.samples) < SAMPLES:
                result.samples.append(queue.pop(0))
    return result


def _sample_key(item: Item) -> str:
    return f"{item.source}:{item.extra.get('kind', '')}:{item.ours}"
