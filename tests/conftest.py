from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LISTENER_NO_KEYRING", "1")

import pytest

from listener_app.db import Workspace, open_workspace


@pytest.fixture
def ws(tmp_path) -> Workspace:
    """A fresh, migrated workspace file per test."""
    workspace = open_workspace(tmp_path / "test.listener.db")
    yield workspace
    workspace.close()
