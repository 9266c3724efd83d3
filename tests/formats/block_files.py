"""Files in the shapes exports take, with invented content, and blocks of them read in order as
an import's writer takes them: for the tests of cutting CSV files and JSON arrays into blocks."""

from __future__ import annotations

import json
import random
from pathlib import Path
from types import SimpleNamespace

from listener_app.workspace.parallel_ingest import _read_once


def csv_export(seed: int, newline: str = "\n", rows: int = 400, sep: str = ",") -> str:
    """An export with a title block, rows whose text spans lines (quoted, with doubled quotes),
    a stray quote inside an unquoted field, an opening quote that is never closed, a row of
    the wrong width and a long quoted article: invented content, in the shapes real ones take."""
    rng = random.Random(seed)
    lines = [
        "Report: Acme mentions",
        f"Period{sep}2026-01-01{sep}{sep}",
        "",
        sep.join(["id", "text", "published_at", "author"]),
    ]
    for i in range(rows):
        pick = rng.random()
        if pick < 0.2:
            text = '"First line\nsecond line, with a comma\n""quoted"" at the end"'
        elif pick < 0.25:
            text = 'a 27" screen, sadly'
        elif pick < 0.26:
            text = '"opened and never closed'
        elif pick < 0.3:
            text = '"' + "A paragraph of the article.\n" * rng.randint(20, 200) + '"'
        elif pick < 0.32:
            text = f"too{sep}many{sep}fields"
        else:
            text = f"Plain post {i} about the café"
        lines.append(sep.join([str(i), text, f"2026-03-{1 + i % 28:02d}", f"user{i % 40}"]))
    return newline.join(lines) + newline


def blind_cut(handle, at, *rest):
    """Cuts made where the line at a block's size ends, inside a quoted field or not."""
    return at


def post(rng: random.Random, number: int) -> dict:
    """An invented post in the shape social-listening exports give, nested parts included."""
    post = {
        "id": f"p-{number}",
        "text": f"Post {number} about the Acme X2,\nwith a second line",
        "date": "2026-03-01",
    }
    if rng.random() < 0.3:
        post["author"] = {"handle": f"user{number % 9}", "followers": number}
    if rng.random() < 0.2:
        post["entities"] = [{"type": "brand", "name": "Acme"}, {"type": "product", "name": "X2"}]
    if rng.random() < 0.05:
        post["text"] = 'Quotes " and braces } { and brackets ] [ in a string, ' * 3
    return post


def json_array(
    seed: int, indent: int | str | None, broken: bool = True, rows: int = 150, inline: str = ""
) -> str:
    """One element a line (indent None) or indented; or, with `inline` (the separator between
    elements, keys and values), the whole array on one line; with broken elements among them."""
    rng = random.Random(seed)
    parts = []
    separators = (inline, inline.replace(",", ":")) if inline else None
    for number in range(rows):
        text = json.dumps(post(rng, number), indent=indent, ensure_ascii=False, separators=separators)
        if broken and number % 37 == 5:
            text = text.replace('"date"', '"date" "missing colon"', 1)
        parts.append(text)
    if inline:
        return "[" + inline.join(parts) + "]"
    if indent is None:
        return "[\n" + ",\n".join(parts) + "\n]\n"
    pad = " " * indent if isinstance(indent, int) else indent
    body = ",\n".join(pad + part.replace("\n", "\n" + pad) for part in parts)
    return "[\n" + body + "\n]\n"


def read_in_order(path: Path, blocks) -> tuple[list[tuple[int, object]], int]:
    """Every block read in order, as the writer takes them (parallel_ingest._read_once), with
    its records numbered in the file; and how many blocks were read again from another place."""
    again = []

    def read(chunk):
        rows = chunk[0].read()
        found = list(rows)
        return SimpleNamespace(chunk=chunk, path=path.with_suffix(".none"), overrun=rows.overrun, rows=found,
                               line_breaks=rows.line_breaks)  # fmt: skip

    def read_again(chunk):
        again.append(chunk[0].offset)
        return read(chunk)

    assert blocks is not None
    batches = [read((block, {})) for block in blocks]
    found, before = [], 0
    for batch in _read_once(batches, read_again):
        found += [(before + number, row) for number, row in batch.rows]
        before += batch.line_breaks
    return found, len(again)
