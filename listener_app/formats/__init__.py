"""File formats: readers that turn files into domain Items (CSV, XLSX, JSON, JSON Lines, platform
archives) and writers that turn records into files (CSV, XLSX, JSON, JSON Lines, Markdown).
No orchestration and no SQL: the workspace facade decides what is read and where it is stored.

May import: listener_app.domain (and listener_app.paths).
"""
