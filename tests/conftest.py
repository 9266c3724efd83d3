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
