"""Bounded IN (...) lists: SQLite limits the variables of one statement, so ids go in chunks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from sqlite_utils.utils import chunks

T = TypeVar("T")
CHUNK = 500  # values per IN (...) list


def chunked(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """`values` in lists of at most `size`."""
    return (list(chunk) for chunk in chunks(values, size))


def marks(count: int) -> str:
    """'?,?,?' for `count` values."""
    return ",".join("?" * count)


def in_list(values: Iterable[object] | int) -> str:
    """'IN (?,?,?)' for the values (or a count of them)."""
    return f"IN ({marks(values if isinstance(values, int) else len(list(values)))})"
