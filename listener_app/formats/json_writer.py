"""JSON (one array, written element by element) and JSON Lines export of full records."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any


def write_jsonl(out: IO[str], records: Iterable[dict[str, Any]]) -> int:
    written = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written


def write_json(out: IO[str], records: Iterable[dict[str, Any]]) -> int:
    """An array with one record per line: streamed, and still readable with `grep`."""
    out.write("[")
    written = 0
    for record in records:
        out.write(("," if written else "") + "\n  " + json.dumps(record, ensure_ascii=False))
        written += 1
    out.write("\n]\n")
    return written
