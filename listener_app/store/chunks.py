"""Bounded IN (...) lists: SQLite limits the variables of one statement, so ids go in chunks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
CHUNK = 500  # values per IN (...) list


def chunked(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """`values` in lists of at most `size`."""
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def marks(count: int) -> str:
    """'?,?,?' for `count` values."""
    return ",".join("?" * count)


def in_list(values: Iterable[object] | int) -> str:
    """'IN (?,?,?)' for the values (or a count of them)."""
    return f"IN ({marks(values if isinstance(values, int) else len(list(values)))})"
