"""The Qt layer: the window, item models and dialogs. Every read and write goes through the workspace
facade (the window keeps a read-only Workspace; writes, long tasks and slow reads run on threads of
ui.operations); nothing here knows SQL.

May import: listener_app.workspace, listener_app.domain (types), reports, formats and sources (for
their descriptions), and Qt.
"""
