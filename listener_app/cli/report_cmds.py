"""`listener report`: the "what customers told us" digest as Markdown, HTML or PDF."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from listener_app.cli.common import open_from_args
from listener_app.domain.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="a digest of what customers said in a period")
    p.add_argument("--query", default="", help="which mentions (default: all)")
    p.add_argument(
        "--from",
        dest="start",
        help="first day, YYYY-MM-DD (default: 7 days ago; for older data, the span of the data, "
        "at most its last 90 days)",
    )
    p.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (default: today, or the data's last day)")
    p.add_argument("--format", choices=("md", "html", "pdf"), default="html")
    p.add_argument("--out", type=Path, required=True, help="the file (a folder with --packets)")
    p.add_argument(
        "--packets",
        action="store_true",
        help="one digest per tag group (Product, Support...) in the --out folder, each over the "
        "mentions carrying that group's tags",
    )
    p.set_defaults(func=cmd_report)


def _day(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"Dates are YYYY-MM-DD, not {value!r}") from None


def cmd_report(args: argparse.Namespace) -> int:
    from listener_app.reports.digest import build_digest, build_packets, slug
    from listener_app.reports.period import DEFAULT_DAYS, default_period
    from listener_app.reports.writing import write_digest  # PDF and HTML

    with open_from_args(args) as ws:
        first, after = default_period(ws, args.query, datetime.now(UTC).date())
        end = _day(args.end, after - timedelta(days=1)) + timedelta(days=1)
        start = _day(args.start, first if not args.end else end - timedelta(days=DEFAULT_DAYS))
        if start >= end:
            raise UserError("--from must be before --to")
        if args.packets:
            packets = build_packets(ws, args.query, start, end)
        else:
            digest = build_digest(ws, args.query, start, end)
    if not args.packets:
        write_digest(digest, args.format, args.out)
        print(f"Wrote {args.out} ({digest.period})")
        return 0
    if not packets:
        raise UserError("No tag has a group: give tags a group (Product, Support...) to make packets")
    args.out.mkdir(parents=True, exist_ok=True)
    for group, packet in packets.items():
        path = write_digest(packet, args.format, args.out / f"{slug(group)}.{args.format}")
        print(f"Wrote {path} ({group}, {packet.headline[0][1]:,} mentions)")
    return 0
