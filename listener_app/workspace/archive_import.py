"""Importing a platform's "download your data" archive (formats.archives): a zip, its unpacked
folder, or one exported file, through the same ingest as every other import.

The platforms' own ids (or ids derived from stable parts, for records that have none) make a
second import of the same archive, or of a newer download that overlaps it, add only what is
new; a re-import refreshes content and never touches triage work. What the account owner wrote
(the archive says, or the handles given as `ours`) is stored as the brand's own. Items are
stored in batches of one transaction each: Cancel stops after the current batch, what was
stored stays, and importing again adds the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from listener_app.domain.models import Item
from listener_app.domain.tasks import TaskState
from listener_app.formats import archives
from listener_app.store.connection import Store
from listener_app.workspace.importing import ImportReport
from listener_app.workspace.ingest import ingest_items

__all__ = ["describe_kinds", "import_archive", "is_platform_export"]


def is_platform_export(path: Path) -> bool:
    """A zip or folder (an archive), or one file a platform reader recognises by its content."""
    return archives.is_archive(path) or archives.platform_file(path)


def import_archive(
    ws: Store,
    path: str | Path,
    *,
    ours: Sequence[str] = (),
    score: bool = True,
    state: TaskState | None = None,
) -> ImportReport:
    """Import a platform archive; ImportFormatError (UnknownArchiveError) when nothing in it is
    recognised. The report counts the posts read by kind and lists the archive's problems
    (members refused or unreadable: the rest went in)."""
    path = Path(path)
    counts: Counter[str] = Counter()
    written: Counter[bool] = Counter()

    def counted(items: Iterable[Item]) -> Iterator[Item]:
        for item in items:
            counts[f"{item.source} {item.extra.get('kind', 'post')}"] += 1
            written[item.ours] += 1
            yield item

    with archives.open_archive(path, ours=ours) as archive:
        if state is not None:
            state.progress(
                0, total=0, message=f"Importing {path.name} ({', '.join(archive.kinds)}; posts read)"
            )
        ingest = ingest_items(ws, counted(archive.items()), score=score, state=state)
        problems = list(archive.problems)
    return ImportReport(
        path, "archive", None, ingest, kinds=dict(counts), ours=written[True], problems=problems
    )


def describe_kinds(kinds: dict[str, int]) -> str:
    """An archive report's counts as read: 'twitter: 1 message, 2 posts; facebook: 3 comments'."""
    by_source: dict[str, list[str]] = {}
    for key, count in sorted(kinds.items()):
        source, _, kind = key.partition(" ")
        plural = kind if count == 1 else kind[:-1] + "ies" if kind.endswith("y") else kind + "s"
        by_source.setdefault(source, []).append(f"{count:,} {plural}")
    return "; ".join(f"{source}: {', '.join(parts)}" for source, parts in by_source.items())
