"""The only place with SQL: opening workspaces, migrations and intent-named queries."""

from listener_app.store.connection import (
    Store,
    WorkspaceCorrupt,
    WorkspaceError,
    WorkspaceNotFound,
    WorkspaceReadOnly,
    WorkspaceTooNew,
    open_store,
)

__all__ = [
    "Store",
    "WorkspaceCorrupt",
    "WorkspaceError",
    "WorkspaceNotFound",
    "WorkspaceReadOnly",
    "WorkspaceTooNew",
    "open_store",
]
