"""A job run apart (workspace.apart): its result comes back, and a process that dies says so."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from listener_app.domain.errors import WorkspaceError
from listener_app.domain.tasks import TaskState
from listener_app.workspace.apart import run_apart


def _name(path: Path, state: TaskState) -> str:
    state.progress(1, total=1, message="named")
    return path.name


def _die(path: Path, state: TaskState) -> None:
    os._exit(3)


def test_a_job_apart_returns_its_result_and_its_progress(tmp_path):
    seen = []
    assert (
        run_apart(_name, tmp_path / "a.db", TaskState(on_progress=lambda s: seen.append(s.message))) == "a.db"
    )
    assert seen == ["named"]


def test_a_job_whose_process_dies_says_so(tmp_path):
    with pytest.raises(WorkspaceError, match="stopped unexpectedly \\(exit code 3\\)"):
        run_apart(_die, tmp_path / "a.db")
