"""The store: the only package with SQL. Opening a workspace file (connection and PRAGMAs), migrations,
one module per table family with functions named by intent, chunked IN lists, backups and the
integrity check. No orchestration: the workspace facade decides what happens in which order.

May import: listener_app.domain (and listener_app.paths).

`Store` and `open_store` load the connection module when first asked for: an import's worker
processes use the store's row shapes and staging files (store.rows, store.staging) and none of the
connection's modules (file locks, the schema and its migrations).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from listener_app.store.connection import Store, open_store

__all__ = ["Store", "open_store"]

# sqlite3 binds None only after looking for an adapter three ways (two of them failing attribute
# lookups) for every value: with one registered, an empty column binds about three times faster.
# Here, so that every process that writes rows has it: the ingest rows the workspace stores (half
# their columns empty) bind a third faster, and an import's worker writes a staged row (three
# empty columns of twenty) in 0.6 us less. The adapter is a function written in C that returns
# None for None ({}.get): a Python lambda cost another 0.1 us for each empty value bound.
sqlite3.register_adapter(type(None), {}.get)


def __getattr__(name: str) -> Any:
    if name in __all__:
        from listener_app.store import connection

        return getattr(connection, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
