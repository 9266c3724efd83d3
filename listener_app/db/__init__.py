"""The only place with SQL: opening workspaces, migrations and intent-named queries."""

from listener_app.db.workspace import (
    Workspace,
    WorkspaceCorrupt,
    WorkspaceError,
    WorkspaceNotFound,
    WorkspaceReadOnly,
    WorkspaceTooNew,
    open_workspace,
)

__all__ = [
    "Workspace",
    "WorkspaceCorrupt",
    "WorkspaceError",
    "WorkspaceNotFound",
    "WorkspaceReadOnly",
    "WorkspaceTooNew",
    "open_workspace",
]
