from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LISTENER_NO_KEYRING", "1")

import pytest  # noqa: E402

from listener_app.db import Workspace, open_workspace  # noqa: E402


@pytest.fixture
def ws(tmp_path) -> Workspace:
    """A fresh, migrated workspace file per test."""
    workspace = open_workspace(tmp_path / "test.listener.db")
    yield workspace
    workspace.close()
