"""The workspace facade: the one object the window, the command line and reports call.

Orchestration lives here and only here: ingest, scoring, rules, learning, fetching, imports and
exports, undo, backups. It drives the store (the only SQL), sources and file formats.

May import: listener_app.domain, listener_app.store, listener_app.sources, listener_app.formats.

`Workspace` is loaded when first asked for: an import's worker processes load this package for
their half of the work (workers, preparing) and need none of the facade's modules (sources,
HTTP, learning), which took 0.3 s of each worker's start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from listener_app.workspace.workspace import Workspace

__all__ = ["Workspace"]


def __getattr__(name: str) -> Any:
    if name == "Workspace":
        from listener_app.workspace.workspace import Workspace

        return Workspace
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
