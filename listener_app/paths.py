"""Where Listener keeps its files: the platform's user-data folder (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from listener_app import APP_NAME

WORKSPACE_SUFFIX = ".listener.db"


def data_dir() -> Path:
    """The user-data folder; LISTENER_HOME overrides it (tests, portable installs)."""
    override = os.environ.get("LISTENER_HOME")
    base = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return base


def workspaces_folder() -> Path:
    """Where workspaces are kept unless the user puts them elsewhere (created when asked for)."""
    folder = data_dir() / "workspaces"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_workspace_path() -> Path:
    return data_dir() / "workspaces" / f"default{WORKSPACE_SUFFIX}"


def demo_workspace_path() -> Path:
    return data_dir() / "workspaces" / f"demo{WORKSPACE_SUFFIX}"


def backups_dir() -> Path:
    return data_dir() / "backups"


def resource_path(name: str) -> Path:
    """A file under resources/ (beside the package in a checkout, inside the bundle when frozen)."""
    import sys

    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources" / name
