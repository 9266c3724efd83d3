"""`listener source add|list|remove` and `listener fetch` (for cron: exits non-zero if any
source failed)."""

from __future__ import annotations

import argparse

from listener_app.cli.common import open_from_args, remove_named
from listener_app.domain.errors import UserError
from listener_app.sources.credentials import adopt_old_secret, describe_secret, secret_storage, set_secret
from listener_app.sources.registry import KINDS, source_scope


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
    p = source.add_parser(
        "secret", help="store a source's key or password in the system keyring (read from the terminal)"
    )
    p.add_argument("name")
    p.add_argument("field", help="api_key, app_password, token, client_secret or password")
    p.add_argument(
        "--adopt",
        action="store_true",
        help="use the secret saved by an older version under this source's name (after checking it is yours)",
    )
    p.add_argument(
        "--allow-insecure-keyring",
        action="store_true",
        help="save it even where the only keyring keeps secrets in a plain file",
    )
    p.set_defaults(func=cmd_secret)
    p = sub.add_parser("fetch", help="fetch every source (or one) now")
    p.add_argument("--source", action="append", help="only this source (repeatable)")
    p.set_defaults(func=cmd_fetch)


def cmd_add(args: argparse.Namespace) -> int:
    spec = KINDS[args.kind]
    known = {s.name for s in spec.settings if not s.secret}
    secrets = {s.name for s in spec.settings if s.secret}
    settings: dict[str, str] = {}
    for pair in args.set:
        key, sep, value = pair.partition("=")
        if key in secrets:
            raise UserError(
                f"{key} is a secret: store it with `listener source secret {args.name} {key}`, not --set"
            )
        if not sep or key not in known:
            raise UserError(f"--set {pair!r}: {args.kind} settings are {', '.join(sorted(known))}")
        settings[key] = value
    missing = [s.name for s in spec.settings if s.required and not settings.get(s.name)]
    if missing:
        raise UserError(f"A {args.kind} source needs --set {missing[0]}=...")
    with open_from_args(args) as ws:
        ws.sources.add(args.kind, args.name, settings, interval_minutes=args.every)
    print(f"Added {args.kind} source {args.name!r}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        for s in ws.sources.list():
            health = (
                f"error: {s['last_error']}"
                if s["last_error"]
                else f"ok {s['last_success_at'] or 'never fetched'}"
            )
            print(f"{s['name']:<24} {s['kind']:<12} {s['items_fetched']:>8,} fetched  {health}")
            for field in (f.name for f in KINDS[s["kind"]].settings if f.secret):
                print(f"{'':<24} {field}: {describe_secret(source_scope(s, field), field)}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    return remove_named(args, "source", lambda ws, name: ws.sources.remove(name))


def cmd_secret(args: argparse.Namespace) -> int:
    import getpass
    import sys

    with open_from_args(args) as ws:
        source = ws.sources.get(args.name)
    fields = {s.name for s in KINDS[source["kind"]].settings if s.secret}
    if args.field not in fields:
        raise UserError(
            f"A {source['kind']} source keeps these secrets: {', '.join(sorted(fields)) or 'none'}"
        )
    scope = source_scope(source, args.field)
    if args.adopt:
        if not adopt_old_secret(scope, args.field, allow_insecure=args.allow_insecure_keyring):
            raise UserError(f"No {args.field} of {args.name!r} was saved by an older version")
        print(f"The {args.field} of {args.name!r} is now kept for {scope.host} only")
        return 0
    if not secret_storage().persistent:
        raise UserError("LISTENER_NO_KEYRING is set: a secret entered now would be forgotten at once")
    value = (
        getpass.getpass(f"{args.field} for {args.name}: ")
        if sys.stdin.isatty()
        else sys.stdin.readline().strip()
    )
    if not value:
        raise UserError("Nothing was entered")
    storage = set_secret(scope, args.field, value, allow_insecure=args.allow_insecure_keyring)
    print(f"The {args.field} of {args.name!r} is {storage.describe()}, for {scope.host}")
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        results = ws.sources.fetch(args.source)
    for r in results:
        outcome = f"failed: {r.error}" if r.error else "ok"
        print(f"{r.name:<24} {r.fetched:>6,} fetched, {r.new:>6,} new  {outcome}")
        if r.undated_warning:
            print(f"WARNING: {r.name}: {r.undated_warning}")
    return 1 if any(r.error for r in results) else 0
