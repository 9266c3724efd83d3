"""Platforms' own "download your data" archives, read as downloaded: a zip, its unpacked
folder, or one exported file (a Play Console reviews CSV, an outbox.json).

`open_archive(path, ours=...)` recognises what the archive holds by its content (member names,
a CSV's columns), not by the file's name, and yields domain Items: the platform as the source
kind, the platform's own ids (or stable derived ones), thread and parent ids so a DM or a comment
thread is one conversation, the author, the platform's own date, decoded text, metrics, and
`ours=True` for what the account owner wrote (from the archive itself, or the handles given as
`ours`). One module per platform family; each offers `claim` (which members it reads) and
`read` (the Items from them). A member that cannot be read safely is refused with a message in
`Archive.problems` and the rest is read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType

from listener_app.domain.models import Item
from listener_app.formats.archives import (
    app_store,
    google_reviews,
    linkedin,
    mastodon,
    meta,
    play_store,
    reddit,
    trustpilot,
    twitter,
    youtube,
)
from listener_app.formats.archives.common import Context, Reader
from listener_app.formats.archives.container import Container, FileContainer, open_container
from listener_app.formats.sniff import ImportFormatError

__all__ = ["KINDS", "Archive", "UnknownArchiveError", "is_archive", "open_archive", "platform_file"]


READERS: tuple[Reader, ...] = tuple(
    reader
    for module in (
        twitter,
        meta,
        google_reviews,
        play_store,
        app_store,
        trustpilot,
        youtube,
        linkedin,
        reddit,
        mastodon,
    )
    for reader in module.READERS
)
KINDS = tuple(dict.fromkeys(r.kind for r in READERS))
_SHEETS = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")  # spreadsheets (zips, or named as one): not archives


class UnknownArchiveError(ImportFormatError):
    """Nothing in the archive is a platform export Listener reads."""


class Archive:
    """An open archive: which platforms it holds, its Items, and the problems met reading it."""

    def __init__(self, path: Path, container: Container, ours: Sequence[str] = ()) -> None:
        self.path = path
        self.container = container
        self.context = Context(container)
        self.context.add_owner(*ours)
        names = container.names()
        self._claims = [
            (reader, claimed) for reader in READERS if (claimed := reader.claim(self.context, names))
        ]
        if not self._claims:
            container.close()
            looked = "; ".join(r.looks_for for r in READERS)
            raise UnknownArchiveError(
                f"{path.name}: no platform export recognised in its {len(names)} files (looked for {looked})"
            )

    @property
    def kinds(self) -> list[str]:
        return list(dict.fromkeys(reader.kind for reader, _ in self._claims))

    @property
    def problems(self) -> list[str]:
        return self.container.problems

    def items(self) -> Iterator[Item]:
        for reader, claimed in self._claims:
            yield from reader.read(self.context, claimed)

    def close(self) -> None:
        self.container.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def is_archive(path: Path) -> bool:
    """A folder or a zip (an XLSX workbook is a zip too, and is not an archive)."""
    return path.is_dir() or (
        path.suffix.lower() not in _SHEETS and path.is_file() and zipfile.is_zipfile(path)
    )


def platform_file(path: Path) -> bool:
    """One file a platform reader recognises by its content (a Play Console CSV, a tweets.js)."""
    if not path.is_file() or path.suffix.lower() in _SHEETS:
        return False
    context = Context(FileContainer(path))
    return any(reader.claim(context, [path.name]) for reader in READERS)


def open_archive(path: str | Path, *, ours: Sequence[str] = ()) -> Archive:
    """Open a downloaded archive (zip, folder, or one exported file); UnknownArchiveError when
    nothing in it is recognised, ImportFormatError when it is not readable at all."""
    path = Path(path)
    if not path.exists():
        raise ImportFormatError(f"No file or folder at {path}")
    try:
        container = open_container(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFormatError(f"{path.name} is not a readable zip archive ({exc})") from exc
    return Archive(path, container, ours)
