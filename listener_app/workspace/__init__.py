"""The workspace facade: the one object the window, the command line and reports call.

Orchestration lives here and only here: ingest, scoring, rules, learning, fetching, imports and
exports, undo, backups. It drives the store (the only SQL), sources and file formats.

May import: listener_app.domain, listener_app.store, listener_app.sources, listener_app.formats.
"""

from listener_app.workspace.workspace import Workspace

__all__ = ["Workspace"]
