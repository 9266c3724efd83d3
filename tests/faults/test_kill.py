"""kill -9 at many moments of every long command; after each: `listener check` clean, every row
committed before and every triage action still there, no leftover files or processes, and the
command runs again to the end. `make faults` runs TRIALS moments per command (the figures go to
faults.jsonl in the repository's build folder); `make test` runs one moment of each."""

from __future__ import annotations

import os
import random
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.gen_jsonl import write_csv, write_json_array, write_jsonl
from listener_app.workspace import Workspace
from tests.faults.harness import Setting, Snapshot, assert_sound, copy_workspace, kill_after, report

TRIALS = int(os.environ.get("LISTENER_FAULT_TRIALS", "10"))
IMPORT_ROWS = 30_000
REPORT = Path(__file__).resolve().parents[2] / "build" / "faults.jsonl"

# command -> (arguments, how it is prepared, whether it may add triage of its own)
COMMANDS = {
    "import": (["import", "{jsonl}", "--no-score"], None, True),  # rules act on new mentions
    "import-scored": (["import", "{small}"], None, True),
    "import-csv": (["import", "{csv}", "--no-score"], None, True),  # blocks its workers parse
    "import-json": (["import", "{json}", "--no-score"], None, True),
    "import-json-one-line": (["import", "{json_one_line}", "--no-score"], None, True),  # cut at commas
    "rescore": (["rescore"], "unscored", False),
    "relearn": (["relearn", "--apply", "0.8"], None, False),
    "rule-run": (["rule", "run"], None, True),
    "backup": (["backup"], None, False),
    "restore": (["restore", "1"], "backed-up", False),
}


@pytest.fixture(scope="session")
def prepared(tmp_path_factory) -> dict[str, Path]:
    """The demo workspace (3,000 mentions, triaged, with rules and labels) and the files to import,
    made once; each trial works on its own copy."""
    root = tmp_path_factory.mktemp("faults")
    base = root / "base.listener.db"
    with Workspace.open(base) as ws:
        ws.build_demo(now=datetime(2026, 11, 1, tzinfo=UTC))
        ws.checkpoint()
    jsonl = write_jsonl(root / "mentions.jsonl", IMPORT_ROWS)
    return {
        "base": base,
        "jsonl": jsonl,
        "small": write_jsonl(root / "small.jsonl", 4000, seed=2),
        "csv": write_csv(root / "mentions.csv", jsonl),
        "json": write_json_array(root / "mentions.json", jsonl),
        "json_one_line": write_json_array(root / "mentions.min.json", jsonl, minified=True),
    }


def _setting(tmp_path: Path, prepared: dict[str, Path], command: str) -> tuple[Setting, list[str], bool]:
    args, preparation, triage_grows = COMMANDS[command]
    setting = Setting(tmp_path)
    copy_workspace(prepared["base"], setting)
    if preparation == "unscored":
        done = setting.run("import", str(prepared["small"]), "--no-score")
        assert done.returncode == 0, done.stderr
    elif preparation == "backed-up":
        done = setting.run("backup")
        assert done.returncode == 0, done.stderr
    args = [a.format(**prepared) for a in args]  # the files named in COMMANDS
    return setting, args, triage_grows


_DURATIONS: dict[str, float] = {}


def _duration(tmp_path: Path, prepared: dict[str, Path], command: str) -> float:
    """How long the command takes to the end here (measured once per command and session)."""
    if command not in _DURATIONS:
        setting, args, _ = _setting(tmp_path / "full", prepared, command)
        began = time.monotonic()
        finished = setting.run(*args)
        assert finished.returncode == 0, finished.stderr
        _DURATIONS[command] = time.monotonic() - began
    return _DURATIONS[command]


def _trial(tmp_path: Path, prepared: dict[str, Path], command: str, fraction: float) -> dict[str, object]:
    duration = _duration(tmp_path, prepared, command)
    setting, args, triage_grows = _setting(tmp_path / "killed", prepared, command)
    before = Snapshot.of(setting.workspace)
    code = kill_after(setting, args, delay=max(0.05, fraction * duration))
    assert_sound(setting, before, triage_may_grow=triage_grows)
    again = setting.run(*args)
    assert again.returncode == 0, again.stderr
    assert_sound(setting, before, triage_may_grow=triage_grows)
    assert setting.leftovers() == []
    shutil.rmtree(tmp_path, ignore_errors=True)
    return {"command": command, "at_s": round(fraction * duration, 2), "of_s": round(duration, 2),
            "ended_before_kill": code is not None, "ok": True}  # fmt: skip


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_command_killed_half_way_loses_nothing(tmp_path, prepared, command):
    _trial(tmp_path, prepared, command, 0.5)


@pytest.mark.faults
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_command_killed_at_any_moment_loses_nothing(tmp_path, prepared, command):
    moments = random.Random(command).sample(range(5, 96), TRIALS)
    records = []
    for number, percent in enumerate(moments):
        try:
            records.append(_trial(tmp_path / str(number), prepared, command, percent / 100))
        except AssertionError as failure:
            records.append(
                {"command": command, "at_percent": percent, "ok": False, "failure": str(failure)[:300]}
            )
    REPORT.parent.mkdir(exist_ok=True)
    report(records, REPORT)
    failed = [r for r in records if not r["ok"]]
    assert not failed, failed
