"""`listener init`, `demo`, `stats` and `search`."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from typing import Any

from listener_app.cli.common import open_from_args, workspace_path
from listener_app.domain.errors import UserError
from listener_app.paths import demo_workspace_path
from listener_app.workspace import Workspace


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create an empty workspace")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="create the demo workspace (a fictional brand and two competitors)")
    p.add_argument("--count", type=int, default=3000, help="number of mentions (default 3000)")
    p.add_argument("--force", action="store_true", help="replace an existing demo workspace")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("stats", help="counts by status, source, sentiment and intent")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("search", help="search with the search language, e.g. 'sentiment:negative battery'")
    p.add_argument("query", help="the search (quote it for the shell)")
    p.add_argument("--limit", type=int, default=20, help="rows to print (default 20)")
    p.add_argument("--format", choices=("table", "jsonl"), default="table")
    p.set_defaults(func=cmd_search)


def cmd_init(args: argparse.Namespace) -> int:
    path = workspace_path(args)
    existed = path.exists()
    Workspace.open(path).close()
    print(f"{'Workspace already exists' if existed else 'Created workspace'}: {path}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    path = workspace_path(args) if args.db else demo_workspace_path()
    if path.exists():
        if not args.force:
            print(f"Demo workspace already exists: {path} (use --force to rebuild it)")
            return 0
        for suffix in ("", "-wal", "-shm"):
            target = path.with_name(path.name + suffix)
            if target.exists():
                target.unlink()
    tmp = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        leftover = tmp.with_name(tmp.name + suffix)
        if leftover.exists():
            leftover.unlink()
    with Workspace.open(tmp) as ws:
        ws.build_demo(count=args.count)
        ws.checkpoint()
    shutil.move(tmp, path)
    print(f"Created the demo workspace: {path}")
    with Workspace.open(path) as ws:
        _print_stats(ws.stats())
    return 0


def show_demo_stats(args: argparse.Namespace) -> int:
    """What `listener` with no command prints when the window cannot be shown."""
    path = workspace_path(args) if args.db else demo_workspace_path()
    if not path.exists():
        args.count, args.force = 3000, False
        return cmd_demo(args)
    with Workspace.open(path) as ws:
        print(f"Workspace: {path}")
        _print_stats(ws.stats())
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        stats = ws.stats()
    if args.json:
        print(json.dumps(stats, indent=2))
    else:
        print(f"Workspace: {workspace_path(args)}")
        _print_stats(stats)
    return 0


def _print_stats(stats: dict[str, Any]) -> None:
    print(
        f"  {stats['mentions']:,} mentions from {stats['authors']:,} authors ({stats['first']} to {stats['last']})"
    )
    for title, key in (
        ("status", "by_status"),
        ("source", "by_source"),
        ("sentiment", "by_sentiment"),
        ("intent", "by_intent"),
    ):
        parts = ", ".join(f"{name} {count:,}" for name, count in stats[key].items())
        print(f"  by {title}: {parts or '-'}")


def cmd_search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UserError("--limit must be at least 1")
    with open_from_args(args) as ws:
        total = ws.count(args.query)
        records = ws.records(ws.search(args.query, limit=args.limit))
    if args.format == "jsonl":
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    for record in records:
        snippet = " ".join((record["title"] or record["text"]).split())
        tags = f" [{', '.join(record['tags'])}]" if record["tags"] else ""
        print(
            f"{record['id']:>7}  {record['published_at'][:16].replace('T', ' ')}  {record['source']:<12.12} "
            f"{(record['author'] or '-'):<18.18} {record['sentiment'] or '-':<8} {record['status']:<14} "
            f"{snippet[:70]}{tags}"
        )
    print(f"{len(records):,} of {total:,} mentions")
    return 0
