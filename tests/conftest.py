from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LISTENER_NO_KEYRING", "1")

import pytest

from listener_app.store import Store, open_store


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path, monkeypatch):
    """Each test keeps its backups, settings and workspaces in a folder of its own, never in
    the user's data folder (a schema upgrade in a test writes a backup there)."""
    monkeypatch.setenv("LISTENER_HOME", str(tmp_path / "listener-home"))


@pytest.fixture
def ws(tmp_path) -> Store:
    """A fresh, migrated workspace file per test."""
    workspace = open_store(tmp_path / "test.listener.db")
    yield workspace
    workspace.close()


@pytest.fixture
def small_disk(tmp_path):
    """A folder on an 8 MB filesystem of its own (a tmpfs, mounted as root), for what a full disk
    does; the test is skipped where mounting is not allowed."""
    import shutil
    import subprocess

    folder = tmp_path / "small-disk"
    folder.mkdir()
    if shutil.which("mount") is None or os.name != "posix":
        pytest.skip("no mount command here")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
