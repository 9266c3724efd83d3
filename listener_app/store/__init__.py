"""The store: the only package with SQL. Opening a workspace file (connection and PRAGMAs), migrations,
one module per table family with functions named by intent, chunked IN lists, backups and the
integrity check. No orchestration: the workspace facade decides what happens in which order.

May import: listener_app.domain (and listener_app.paths).
"""

from listener_app.store.connection import Store, open_store

__all__ = ["Store", "open_store"]
