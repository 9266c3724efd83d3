"""A JSONL export of N mentions for the import benchmark, written as a stream (bounded memory),
and the same rows as a CSV file; and a CSV file of long posts (articles, as a media-monitoring
export carries them).

One record per line in the shape of another tool's export: external id, source, url, author
(display name), author_handle, followers, title, text (HTML for feed items, as feeds deliver
it), published_at, lang, likes, replies, parent and thread ids. The posts come from the demo's
generator, so the vocabulary, threads and repeat authors are the demo's.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TextIO

from listener_app.domain.demo_posts import posts
from listener_app.domain.normalize import format_utc

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _saved(path: Path, save: Callable[[Path], None]) -> Path:
    """`path` written by `save` as a file beside it, then renamed (so a killed run leaves no
    partial file under the name); kept as it is if already complete. Returns the path."""
    if path.exists() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    save(tmp)
    tmp.rename(path)
    return path


def _written(path: Path, fill: Callable[[TextIO], None]) -> Path:
    """`path` as the text `fill` writes (see _saved)."""

    def save(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as out:
            fill(out)

    return _saved(path, save)


def write_jsonl(path: Path, n: int, seed: int = 1) -> Path:
    """Write N records to `path` (kept if already complete); returns the path."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode

    def fill(out: TextIO) -> None:
        for post in islice(posts(random.Random(seed), NOW, authors=max(100, n // 10)), n):
            person = post.author
            record = {
                "external_id": post.external_id, "source": post.kind, "url": post.url, "author": person.name,
                "author_handle": person.handle, "followers": person.reach, "title": post.title,
                "text": post.html or post.text, "published_at": format_utc(post.published), "lang": post.lang,
                "likes": post.metrics.get("likes") or post.metrics.get("favourites"),
                "replies": post.metrics.get("replies") or post.metrics.get("comments"),
                "parent_external_id": post.parent, "thread_external_id": post.thread,
            }  # fmt: skip
            out.write(dumps(record) + "\n")

    return _written(path, fill)


def write_csv(path: Path, jsonl: Path) -> Path:
    """The JSONL file's records as CSV (a spreadsheet's export: empty cells for nulls)."""

    def fill(out: TextIO) -> None:
        with jsonl.open(encoding="utf-8") as lines:
            writer = None
            for line in lines:
                record = json.loads(line)
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(record))
                    writer.writeheader()
                writer.writerow({key: "" if value is None else value for key, value in record.items()})

    return _written(path, fill)


def write_json_array(path: Path, jsonl: Path, *, minified: bool = False) -> Path:
    """The JSONL file's records as one JSON array, indented as exports and json.dump(indent=2)
    write it (each element's lines indented under the array's), or `minified` on one line as
    JSON.stringify writes it."""
    if minified:
        dumps, before, between, after = (
            json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode,
            "",
            ",",
            "",
        )
    else:
        dumps, before, between, after = (
            json.JSONEncoder(ensure_ascii=False, indent=2).encode,
            "\n  ",
            ",\n  ",
            "\n",
        )

    def fill(out: TextIO) -> None:
        out.write("[")
        with jsonl.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines):
                element = dumps(json.loads(line)).replace("\n", "\n  ")
                out.write((before if number == 0 else between) + element)
        out.write(after + "]\n")

    return _written(path, fill)


def write_xlsx(path: Path, jsonl: Path) -> Path:
    """The JSONL file's records as an XLSX workbook as a spreadsheet saves one (a <dimension>,
    numbers as numbers, the date as a date cell, empty cells for nulls)."""
    from openpyxl import Workbook

    def save(tmp: Path) -> None:
        book = Workbook()
        sheet = book.active
        with jsonl.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines):
                record = json.loads(line)
                if number == 0:
                    sheet.append(list(record))
                when = datetime.fromisoformat(record["published_at"]).replace(tzinfo=None)
                sheet.append([when if key == "published_at" else value for key, value in record.items()])
        book.save(tmp)

    return _saved(path, save)


def write_edited(path: Path, jsonl: Path) -> Path:
    """The JSONL file's records, each post's text edited (a later export of the same posts)."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode

    def fill(out: TextIO) -> None:
        with jsonl.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                record["text"] += " (edited)"
                out.write(dumps(record) + "\n")

    return _written(path, fill)


def write_long_csv(path: Path, n: int, seed: int = 1, posts_per_article: int = 60) -> Path:
    """N articles of about 6 KB each (the texts of POSTS_PER_ARTICLE posts as paragraphs)."""

    def fill(out: TextIO) -> None:
        generated = posts(random.Random(seed), NOW, authors=max(100, n // 10))
        writer = csv.writer(out)
        writer.writerow(["id", "published", "author", "url", "title", "content"])
        for number in range(n):
            paragraphs = list(islice(generated, posts_per_article))
            first = paragraphs[0]
            writer.writerow([
                f"article-{number}", format_utc(first.published), first.author.name,
                f"https://news.example.com/{number}", first.title or first.text[:60],
                "\n\n".join(post.text for post in paragraphs),
            ])  # fmt: skip

    return _written(path, fill)


if __name__ == "__main__":
    write_jsonl(Path(sys.argv[1]), int(sys.argv[2]))
