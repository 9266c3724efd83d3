"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from listener_app.domain.errors import WorkspaceBusy, WorkspaceNotFound
from listener_app.paths import default_workspace_path
from listener_app.workspace import Workspace

BUSY_RETRY_SECONDS = 1.0


def workspace_path(args: argparse.Namespace) -> Path:
    return Path(args.db).expanduser() if getattr(args, "db", None) else default_workspace_path()


def open_from_args(args: argparse.Namespace, *, create: bool = False) -> Workspace:
    """Open the workspace named by --db (or the default); only `init`-like commands create one."""
    path = workspace_path(args)
    if not create and not path.exists():
        hint = "run `listener init` or `listener demo` first, or pass --db PATH"
        raise WorkspaceNotFound(f"No workspace at {path}: {hint}")
    return _when_free(lambda: Workspace.open(path, create=create), path)


def _when_free(open_it: Callable[[], Workspace], path: Path) -> Workspace:
    """Open the workspace, waiting (and saying so once) while another process holds it for a
    large write; Ctrl+C stops the wait."""
    told = False
    while True:
        try:
            return open_it()
        except WorkspaceBusy:
            if not told:
                print(
                    f"Waiting for another Listener process to finish writing to {path.name}…", file=sys.stderr
                )
                told = True
            time.sleep(BUSY_RETRY_SECONDS)


class ProgressBar:
    """A one-line progress bar on a terminal; silent when stderr is not a terminal."""

    def __init__(self, label: str, enabled: bool | None = None) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._last = -1.0

    def update(self, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if total:
            frac = min(1.0, done / total)
            if frac - self._last < 0.005 and done != total:
                return
            self._last = frac
            bar = "#" * int(frac * 30)
            sys.stderr.write(f"\r{self.label} [{bar:<30}] {frac:6.1%} {done:,}/{total:,}")
        else:
            sys.stderr.write(f"\r{self.label} {done:,}")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def remove_named(args: argparse.Namespace, what: str, remove: Callable[[Workspace, str], bool]) -> int:
    """`listener <what> remove NAME`: one line saying what happened; exit 1 if there was none."""
    with open_from_args(args) as ws:
        removed = remove(ws, args.name)
    print(f"Removed {what} {args.name!r}" if removed else f"No {what} named {args.name!r}")
    return 0 if removed else 1
