"""`listener tracker`, `rule`, `relearn` and `authors`."""

from __future__ import annotations

import argparse
from pathlib import Path

from listener_app.cli.common import open_from_args, remove_named
from listener_app.domain import rules as rule_model
from listener_app.domain.errors import UserError
from listener_app.domain.learning import APPLY_THRESHOLD, MIN_EXAMPLES
from listener_app.domain.learning.estimate import apply_meaning
from listener_app.domain.models import TRACKER_ROLES


def register(sub: argparse._SubParsersAction) -> None:
    tracker = sub.add_parser(
        "tracker", help="named boolean queries: brand, competitor, topic"
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    p = tracker.add_parser(
        "add", help="e.g. listener tracker add Acme '\"acme phone\" OR acmephone -job' --role brand"
    )
    p.add_argument("name")
    p.add_argument("query")
    p.add_argument("--role", choices=TRACKER_ROLES, default="brand")
    p.add_argument("--lang", action="append", default=[], help="only mentions in this language (repeatable)")
    p.set_defaults(func=cmd_tracker_add)
    tracker.add_parser("list", help="trackers and their mention counts").set_defaults(func=cmd_tracker_list)
    p = tracker.add_parser("remove", help="delete a tracker")
    p.add_argument("name")
    p.set_defaults(func=cmd_tracker_remove)
    tracker.add_parser("rerun", help="match every stored mention again").set_defaults(func=cmd_tracker_rerun)

    rule = sub.add_parser("rule", help="automations: a search plus actions").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = rule.add_parser(
        "add", help="e.g. listener rule add Billing --when 'refund OR charged' --do tag:billing"
    )
    p.add_argument("name")
    p.add_argument("--when", required=True, help="a search-language condition")
    p.add_argument(
        "--do", action="append", required=True, help="tag:NAME, status:NAME, star, intent:NAME, notify:TEXT"
    )
    p.set_defaults(func=cmd_rule_add)
    rule.add_parser("list", help="the rules").set_defaults(func=cmd_rule_list)
    p = rule.add_parser("remove", help="delete a rule")
    p.add_argument("name")
    p.set_defaults(func=cmd_rule_remove)
    p = rule.add_parser("export", help="write the rules to a file")
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_rule_export)
    p = rule.add_parser("import", help="add or replace rules from a file")
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_rule_import)
    p = rule.add_parser("run", help="run the rules over every stored mention")
    p.set_defaults(func=cmd_rule_run)

    p = sub.add_parser(
        "relearn",
        help="learn again from your manual labels: how far each model can be trusted, what to ask you next",
    )
    p.add_argument(
        "--apply",
        type=float,
        metavar="THRESHOLD",
        help=f"then apply learned labels at this threshold (e.g. {APPLY_THRESHOLD}: {apply_meaning(APPLY_THRESHOLD)})",
    )
    p.set_defaults(func=cmd_relearn)

    p = sub.add_parser("authors", help="the most influential authors")
    p.add_argument("--role", choices=("advocate", "detractor", "vip"))
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=cmd_authors)


def cmd_tracker_add(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        created = ws.trackers.create(args.name, args.query, args.role, args.lang or None).created_id
        ws.trackers.rerun([created] if created is not None else None)
        count = next(t["count"] for t in ws.trackers.list() if t["id"] == created)
    print(f"Tracker {args.name!r} ({args.role}) matches {count:,} stored mentions")
    return 0


def cmd_tracker_list(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        for t in ws.trackers.list():
            print(f"{t['name']:<20} {t['role']:<11} {t['count']:>8,}  {t['query']}")
    return 0


def cmd_tracker_remove(args: argparse.Namespace) -> int:
    return remove_named(args, "tracker", lambda ws, name: ws.trackers.delete(name))


def cmd_tracker_rerun(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        links = ws.trackers.rerun()
    print(f"{links:,} mention-tracker links")
    return 0


def cmd_rule_add(args: argparse.Namespace) -> int:
    rule = rule_model.validate_rule(args.name, args.when, [rule_model.parse_action(a) for a in args.do])
    with open_from_args(args) as ws:
        ws.count(rule.query)  # a malformed condition (or an unknown name) is an error now, not at ingest time
        ws.rules.save(rule)
    print(f"Rule {rule.name!r} saved: when {rule.query!r} then {', '.join(a['type'] for a in rule.actions)}")
    return 0


def cmd_rule_list(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        for rule in ws.rules.list():
            actions = ", ".join(":".join(str(v) for v in a.values()) for a in rule.actions)
            print(f"{rule.name:<20} {'on ' if rule.enabled else 'off'} when {rule.query}  ->  {actions}")
    return 0


def cmd_rule_remove(args: argparse.Namespace) -> int:
    return remove_named(args, "rule", lambda ws, name: ws.rules.delete(name))


def cmd_rule_export(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        text, count = ws.rules.export_text(), len(ws.rules.list())
    args.file.write_text(text, encoding="utf-8")
    print(f"Wrote {count} rules to {args.file}")
    return 0


def cmd_rule_import(args: argparse.Namespace) -> int:
    text = args.file.read_text(encoding="utf-8")
    with open_from_args(args) as ws:
        added, replaced = ws.rules.import_text(text)
    print(f"Imported {added + replaced} rules from {args.file} ({added} new, {replaced} replaced)")
    return 0


def cmd_rule_run(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        run = ws.rules.run()
    for name, ids in run.matched.items():
        print(f"{name}: {len(ids):,} mentions")
    return 0


def cmd_relearn(args: argparse.Namespace) -> int:
    threshold = APPLY_THRESHOLD if args.apply is None else args.apply
    if not 0.5 <= threshold < 1.0:
        raise UserError("The threshold must be at least 0.5 and below 1 (say 0.8)")
    with open_from_args(args) as ws:
        relearned = ws.learning.relearn()
        print(f"Learned from the labels of {relearned.labelled:,} mentions in {relearned.seconds:.1f} s")
        for model in ws.learning.summary():
            if model.estimate is None:
                wanted = f"needs {model.needs:,} more labels" if model.needs else "needs a relearn"
                print(f"  {model.name}: {wanted} ({MIN_EXAMPLES} of each of two kinds)")
                continue
            print(f"  {model.estimate.describe(model.name)}")
            print(f"    {model.estimate.describe_applying(threshold)}")
            print(f"    {model.estimate.describe_calibration()}")
        print(ws.learning.asked())
        if args.apply is not None:
            standing = ws.learning.apply(args.apply)
            print(f"{standing:,} learned labels stand: {apply_meaning(args.apply)}")
    return 0


def cmd_authors(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        for a in ws.authors.top(role=args.role, limit=args.limit):
            print(
                f"@{a['handle']:<22.22} {a['platform']:<12} influence {a['influence']:>3}  reach {a['reach'] or 0:>9,}  "
                f"{a['mention_count']:>4} mentions (+{a['positive_count']} / -{a['negative_count']})"
            )
    return 0
