"""`listener import`, `export` and `rescore`.

A rejected file (not what its name says, no text column) is one line on stderr and exit code 1
(a UserError, printed by cli.main); rows that could not be read are listed with their line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from listener_app.cli.common import ProgressBar, open_from_args
from listener_app.domain.errors import UserError
from listener_app.domain.tasks import TaskState
from listener_app.formats.columns import PRESETS
from listener_app.formats.writing import FORMATS

MAX_ERRORS_SHOWN = 20


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import a CSV, XLSX, JSON or JSONL file of mentions")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--map", action="append", default=[], metavar="COLUMN=FIELD", help="map a column to a field"
    )
    p.add_argument("--preset", choices=sorted(PRESETS), help="the export format of a listening tool")
    p.add_argument("--no-score", action="store_true", help="skip sentiment now; `listener rescore` later")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export the mentions of a search")
    p.add_argument("--query", default="", help="a search (default: everything)")
    p.add_argument("--format", choices=FORMATS, help="default: from the --out file's extension")
    p.add_argument(
        "--out", required=True, help="file to write, or - for standard output (csv, json, jsonl, md)"
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("rescore", help="score sentiment and intent of mentions that have none")
    p.set_defaults(func=cmd_rescore)


def _progress(label: str) -> tuple[TaskState, ProgressBar]:
    bar = ProgressBar(label)
    state = TaskState(on_progress=lambda s: bar.update(s.done, s.total))
    return state, bar


def cmd_import(args: argparse.Namespace) -> int:
    with open_from_args(args, create=True) as ws:
        state, bar = _progress(f"Importing {args.file.name}")
        try:
            report = ws.import_file(
                args.file, mapping=args.map, preset=args.preset, score=not args.no_score, state=state
            )
        finally:
            bar.finish()
    ingest = report.ingest
    preset = f" ({report.preset} export)" if report.preset else ""
    print(
        f"{args.file.name}{preset}: {ingest.inserted:,} inserted, {ingest.updated:,} updated, "
        f"{ingest.unchanged:,} unchanged, {ingest.skipped:,} skipped"
    )
    for number, reason in report.errors[:MAX_ERRORS_SHOWN]:
        print(f"  {report.unit} {number}: {reason}")
    if ingest.skipped > MAX_ERRORS_SHOWN:
        print(f"  ... and {ingest.skipped - MAX_ERRORS_SHOWN:,} more")
    if args.no_score and ingest.inserted:
        print("Sentiment not scored yet: run `listener rescore`.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.format is None:
        args.format = Path(args.out).suffix.lstrip(".").lower()
        if args.format not in FORMATS:
            raise UserError(f"--format is needed: one of {', '.join(FORMATS)}")
    with open_from_args(args) as ws:
        if args.out == "-":
            ws.export(args.query, args.format, sys.stdout)
            sys.stdout.flush()
            return 0
        state, bar = _progress(f"Exporting to {args.out}")
        try:
            written = ws.export(args.query, args.format, args.out, state=state)
        finally:
            bar.finish()
    print(f"Exported {written:,} mentions to {args.out}")
    return 0


def cmd_rescore(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        state, bar = _progress("Scoring")
        try:
            scored = ws.rescore(state)
        finally:
            bar.finish()
    print(f"Scored {scored:,} mentions")
    return 0
