"""`listener source add|list|remove` and `listener fetch` (for cron: exits non-zero if any
source failed)."""

from __future__ import annotations

import argparse

from listener_app.cli.common import open_from_args, remove_named
from listener_app.core.errors import UserError
from listener_app.core.fetching import fetch_all
from listener_app.db import sources as source_store
from listener_app.sources.registry import KINDS


def register(sub: argparse._SubParsersAction) -> None:
    source = sub.add_parser("source", help="where mentions come from").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    add = source.add_parser("add", help="add a source: listener source add KIND --name NAME --set key=value")
    kinds = add.add_subparsers(dest="kind", required=True, metavar="KIND")
    for name, spec in KINDS.items():
        settings_help = "; ".join(
            f"{s.name}{' (required)' if s.required else ''}: {s.help}" for s in spec.settings
        )
        p = kinds.add_parser(name, help=spec.title, description=f"{spec.title}. Settings — {settings_help}")
        p.add_argument("--name", required=True)
        p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=settings_help)
        p.add_argument(
            "--every", type=int, default=60, metavar="MINUTES", help="fetch interval while the app is open"
        )
        p.set_defaults(func=cmd_add)
    source.add_parser("list", help="sources and their health").set_defaults(func=cmd_list)
    p = source.add_parser("remove", help="delete a source (its mentions stay)")
    p.add_argument("name")
    p.set_defaults(func=cmd_remove)
    p = sub.add_parser("fetch", help="fetch every source (or one) now")
    p.add_argument("--source", action="append", help="only this source (repeatable)")
    p.set_defaults(func=cmd_fetch)


def cmd_add(args: argparse.Namespace) -> int:
    spec = KINDS[args.kind]
    known = {s.name for s in spec.settings}
    settings: dict[str, str] = {}
    for pair in args.set:
        key, sep, value = pair.partition("=")
        if not sep or key not in known:
            raise UserError(f"--set {pair!r}: {args.kind} settings are {', '.join(sorted(known))}")
        settings[key] = value
    missing = [s.name for s in spec.settings if s.required and not settings.get(s.name)]
    if missing:
        raise UserError(f"A {args.kind} source needs --set {missing[0]}=...")
    with open_from_args(args) as ws:
        source_store.add_source(ws, args.kind, args.name, settings, interval_minutes=args.every)
    print(f"Added {args.kind} source {args.name!r}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        for s in source_store.list_sources(ws):
            health = (
                f"error: {s['last_error']}"
                if s["last_error"]
                else f"ok {s['last_success_at'] or 'never fetched'}"
            )
            print(f"{s['name']:<24} {s['kind']:<12} {s['items_fetched']:>8,} fetched  {health}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    return remove_named(args, "source", source_store.remove_source)


def cmd_fetch(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        results = fetch_all(ws, args.source)
    for r in results:
        outcome = f"failed: {r.error}" if r.error else "ok"
        print(f"{r.name:<24} {r.fetched:>6,} fetched, {r.new:>6,} new  {outcome}")
    return 1 if any(r.error for r in results) else 0
