"""Imports as the window and the command line start them (`ws.imports`, and `ws.import_file`):
a file of mentions or a platform archive, recognised by its content; the workspace's "this is
us" handles; and the mapping remembered for each shape of file.

A mapping is remembered by the file's header signature (formats.columns.header_signature): the
columns the user mapped differently from what was detected, and the platform they named. The
next file of the same shape (next month's export) is previewed and imported with them, so it
goes in with one click; a mapping given with the import always wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from listener_app.domain.changes import Changes
from listener_app.domain.errors import UserError
from listener_app.domain.tasks import TaskState
from listener_app.formats.preview import Preview, file_signature, preview
from listener_app.store.connection import Store
from listener_app.store.settings import get_setting, set_setting
from listener_app.workspace.archive_import import import_archive, is_platform_export
from listener_app.workspace.importing import ImportReport, import_file

US_KEY = "ours_handles"
MAPPING_KEY = "import_mapping:"  # + a header signature

Mapping = Sequence[str] | dict[str, str]


@dataclass(frozen=True, slots=True)
class Remembered:
    """What the user chose for files of one shape: {column: field} where they differ from
    what was detected, and the platform they named (None: detected)."""

    mapping: dict[str, str]
    source: str | None = None


class Imports:
    def __init__(self, store: Store) -> None:
        self._store = store

    # ------------------------------------------------------------ this is us

    def us(self) -> list[str]:
        """The handles and names the brand writes under: what they wrote is stored as ours."""
        return list(get_setting(self._store, US_KEY, None) or [])

    def set_us(self, handles: Iterable[str]) -> Changes:
        cleaned = list(dict.fromkeys(h.strip().lstrip("@").strip() for h in handles if h.strip(" @")))
        set_setting(self._store, US_KEY, cleaned)
        return Changes()

    def _handles(self, ours: Sequence[str]) -> list[str]:
        return list(dict.fromkeys([*self.us(), *ours]))

    # ------------------------------------------------------------ remembered mappings

    def remembered(self, signature: str | None) -> Remembered | None:
        if not signature:
            return None
        saved: dict[str, Any] | None = get_setting(self._store, MAPPING_KEY + signature)
        return Remembered(dict(saved.get("mapping") or {}), saved.get("source")) if saved else None

    def remember(self, signature: str, mapping: dict[str, str], source: str | None = None) -> Changes:
        """Keep the user's choices for files with this header (none: forget them)."""
        chosen = {"mapping": dict(mapping), "source": source} if mapping or source else None
        set_setting(self._store, MAPPING_KEY + signature, chosen)
        return Changes()

    def _choices(
        self, path: Path, mapping: Mapping | None, source: str | None
    ) -> tuple[Mapping | None, str | None]:
        """The mapping and platform to read `path` with: those given, else those remembered."""
        if mapping is not None or source is not None:
            return mapping, source
        saved = self.remembered(file_signature(path))
        return (saved.mapping, saved.source) if saved else (None, None)

    # ------------------------------------------------------------ previewing and importing

    def preview(
        self,
        path: str | Path,
        mapping: Mapping | None = None,
        *,
        preset: str | None = None,
        source: str | None = None,
        ours: Sequence[str] = (),
    ) -> Preview:
        """What importing `path` would store, read as `run` would read it (with the handles of
        "this is us" and, unless a mapping or platform is given, the remembered ones)."""
        path = Path(path)
        mapping, source = self._choices(path, mapping, source)
        return preview(path, mapping, preset=preset, ours=self._handles(ours), source=source)

    def run(
        self,
        path: str | Path,
        *,
        mapping: Mapping | None = None,
        preset: str | None = None,
        source: str | None = None,
        ours: Sequence[str] = (),
        score: bool = True,
        state: TaskState | None = None,
    ) -> ImportReport:
        """Import a platform archive (a zip, its folder, or one exported file such as a Play
        Console CSV) or a file of mentions (CSV, XLSX, JSON, JSON Lines)."""
        path = Path(path)
        handles = self._handles(ours)
        if path.exists() and is_platform_export(path):
            if mapping or preset or source:
                raise UserError(
                    f"{path.name} is a platform's archive: it is read as the platform writes it, "
                    "without --map, --preset or --source"
                )
            return import_archive(self._store, path, ours=handles, score=score, state=state)
        mapping, source = self._choices(path, mapping, source)
        return import_file(
            self._store,
            path,
            mapping=mapping,
            preset=preset,
            score=score,
            state=state,
            ours=handles,
            source=source,
        )
