"""Fault injection: run a real `listener` command in its own process group, kill -9 it at a chosen
moment, and check what is left: the file sound, everything committed before still there, the
strategist's triage untouched, nothing left behind (files, processes), and the command able to
simply run again."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from listener_app.workspace.backups import check

LEFTOVER_PATTERNS = ("listener-import-*", "*.partial", "*.restoring", "*.building")


@dataclass
class Setting:
    """Where a trial runs: its workspace, data folder (backups) and temporary folder."""

    root: Path
    workspace: Path = field(init=False)
    home: Path = field(init=False)
    tmp: Path = field(init=False)

    def __post_init__(self) -> None:
        self.workspace = self.root / "client.listener.db"
        self.home = self.root / "home"
        self.tmp = self.root / "tmp"
        self.home.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "LISTENER_HOME": str(self.home),
            "TMPDIR": str(self.tmp),
            "LISTENER_NO_KEYRING": "1",
        }

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "listener_app", "--db", str(self.workspace), *args]

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args), env=self.env, capture_output=True, text=True, timeout=timeout
        )

    def leftovers(self) -> list[Path]:
        found: list[Path] = []
        for folder in (self.tmp, self.root, self.home):
            for pattern in LEFTOVER_PATTERNS:
                found.extend(folder.rglob(pattern))
        found.extend(self.root.glob("*-journal"))
        return sorted(found)


def copy_workspace(source: Path, setting: Setting) -> None:
    """The prepared workspace (checkpointed: one file) copied in as the trial's own."""
    shutil.copyfile(source, setting.workspace)


def kill_after(setting: Setting, args: Sequence[str], delay: float) -> int | None:
    """Start the command, SIGKILL its whole process group after `delay` seconds (unless it ended
    first: then its exit code is returned), and wait until every process of the group is gone
    (worker processes must not outlive it); raises AssertionError if some stay."""
    process = subprocess.Popen(
        setting.command(*args), env=setting.env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        return process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        pass
    os.kill(process.pid, signal.SIGKILL)  # the leader only, as an OOM killer or a crash would
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return None
        time.sleep(0.1)
    survivors = subprocess.run(
        ["ps", "-o", "pid,cmd", "-g", str(process.pid)], capture_output=True, text=True
    )
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError(f"processes outlived the killed command:\n{survivors.stdout}")


@dataclass(frozen=True)
class Snapshot:
    """What must never be lost: the mentions stored, and the strategist's work on them."""

    ids: frozenset[int]
    triage: dict[int, tuple[object, ...]]
    events: int
    last_event: int  # the newest undo step when the snapshot was taken

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            ids = frozenset(r[0] for r in conn.execute("SELECT id FROM mentions"))
            triage = {
                r[0]: tuple(r[1:])
                for r in conn.execute(
                    """
                    SELECT m.id, m.ours, m.status, m.starred,
                           CASE m.sentiment_origin WHEN 'manual' THEN m.sentiment END,
                           CASE m.intent_origin WHEN 'manual' THEN m.intent END,
                           (SELECT group_concat(tag_id) FROM (SELECT tag_id FROM mention_tags t
                             WHERE t.mention_id = m.id AND t.origin = 'manual' ORDER BY tag_id)),
                           (SELECT group_concat(body, '|') FROM notes n WHERE n.mention_id = m.id)
                    FROM mentions m
                    WHERE m.status <> 'new' OR m.starred OR m.sentiment_origin = 'manual'
                       OR m.intent_origin = 'manual' OR EXISTS (SELECT 1 FROM notes n WHERE n.mention_id = m.id)
                       OR EXISTS (SELECT 1 FROM mention_tags t WHERE t.mention_id = m.id AND t.origin = 'manual')
                    """
                )
            }
            events = int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
            last = int(conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])
        finally:
            conn.close()
        return cls(ids, triage, events, last)

    def touched_after(self, earlier: Snapshot, path: Path) -> frozenset[int]:
        """The mentions that undo steps recorded after `earlier` was taken touched."""
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            query = "SELECT DISTINCT mention_id FROM event_items WHERE event_id > ?"
            return frozenset(r[0] for r in conn.execute(query, (earlier.last_event,)))
        finally:
            conn.close()


def assert_sound(setting: Setting, before: Snapshot, *, triage_may_grow: bool = False) -> Snapshot:
    """The workspace after a kill: no damage, every mention of `before` present, its triage as
    it was. With `triage_may_grow` (a rule run, an import whose rules act on new mentions) the
    command may add actions of its own, each an undo step; and an import that learns a post is the
    brand's own takes it out of New (ours, status done) without one."""
    problems = check(setting.workspace)
    assert problems == [], problems
    after = Snapshot.of(setting.workspace)
    assert before.ids <= after.ids, f"{len(before.ids - after.ids)} stored mentions lost"
    touched = after.touched_after(before, setting.workspace) if triage_may_grow else frozenset()
    if not triage_may_grow:
        assert after.events == before.events
    changed = {
        i
        for i, state in before.triage.items()
        if i not in touched and after.triage.get(i) not in (state, _made_ours(state))
    }
    examples = [(i, before.triage[i], after.triage.get(i)) for i in sorted(changed)[:3]]
    assert not changed, (
        f"triage changed on {len(changed)} mentions, none of it recorded as an action: {examples}"
    )
    return after


def report(records: list[dict[str, object]], path: Path) -> None:
    """One JSON line per trial, for the closing note's tally."""
    with path.open("a", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")


def _made_ours(state: tuple[object, ...]) -> tuple[object, ...] | None:
    """A mention an import found the brand wrote: ours, and out of New (a status the
    strategist set stays)."""
    ours, status, *rest = state
    return None if ours else (1, "done" if status == "new" else status, *rest)
