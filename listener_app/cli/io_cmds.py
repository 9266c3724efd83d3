"""`listener import`, `ours`, `export` and `rescore`.

A rejected file (not what its name says, no text column) is one line on stderr and exit code 1
(a UserError, printed by cli.main); rows that could not be read are listed with their line.
Every import ends with what it did with each column (or, for a platform archive, what it read
of each kind and what it refused); `--dry-run` shows that and five samples, storing nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from listener_app.cli.common import ProgressBar, open_from_args, workspace_path
from listener_app.domain.errors import UserError
from listener_app.domain.tasks import TaskState
from listener_app.formats.columns import PRESETS
from listener_app.formats.writing import FORMATS
from listener_app.workspace import Workspace

if TYPE_CHECKING:
    from listener_app.workspace.importing import ImportReport

MAX_ERRORS_SHOWN = 20


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import a file of mentions (CSV, XLSX, JSON, JSONL) or a platform's archive (zip or folder)",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--map", action="append", metavar="COLUMN=FIELD", help="map a column to a field (or skip)")
    p.add_argument("--preset", choices=sorted(PRESETS), help="the export format of a listening tool")
    p.add_argument(
        "--source", metavar="PLATFORM", help="the platform the file's posts come from (twitter...)"
    )
    p.add_argument(
        "--ours",
        action="append",
        default=[],
        metavar="HANDLE",
        help="a handle or name the brand writes under, besides `listener ours` (repeatable)",
    )
    p.add_argument("--dry-run", action="store_true", help="show the mapping and 5 samples; store nothing")
    p.add_argument("--no-score", action="store_true", help="skip sentiment now; `listener rescore` later")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "ours", help='"this is us": the handles and names the brand writes under (what they wrote is its own)'
    )
    p.add_argument("handles", nargs="*", metavar="HANDLE", help="set these (replacing the list)")
    p.add_argument("--clear", action="store_true", help="forget every handle")
    p.set_defaults(func=cmd_ours)

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
    if args.dry_run:
        return _dry_run(args)
    with open_from_args(args, create=True) as ws:
        state, bar = _progress(f"Importing {args.file.name}")
        try:
            report = ws.import_file(
                args.file,
                mapping=args.map,
                preset=args.preset,
                source=args.source,
                ours=args.ours,
                score=not args.no_score,
                state=state,
            )
        finally:
            bar.finish()
    for line in report_lines(report):
        print(line)
    if args.no_score and report.ingest.inserted:
        print("Sentiment not scored yet: run `listener rescore`.")
    return 0


def report_lines(report: ImportReport) -> list[str]:
    """What an import did: its counts, the rows it skipped, and what it did with each column
    (a file) or read of each kind (an archive) and refused."""
    ingest = report.ingest
    preset = f" ({report.preset} export)" if report.preset else ""
    lines = [
        f"{report.path.name}{preset}: {ingest.inserted:,} inserted, {ingest.updated:,} updated, "
        f"{ingest.unchanged:,} unchanged, {ingest.skipped:,} skipped"
    ]
    lines += [f"  {report.unit} {number}: {reason}" for number, reason in report.errors[:MAX_ERRORS_SHOWN]]
    if ingest.skipped > MAX_ERRORS_SHOWN:
        lines.append(f"  ... and {ingest.skipped - MAX_ERRORS_SHOWN:,} more")
    if report.undated_warning:
        lines.append(f"WARNING: {report.undated_warning}")
    if report.summary is not None:
        lines += report.summary.lines()
    if report.kinds:
        from listener_app.workspace.archive_import import describe_kinds

        lines.append(
            f"Read: {describe_kinds(report.kinds)}; {report.ours:,} written by the brand "
            "(kept as its own, never inbox work)"
        )
    if report.problems:
        lines.append(f"Left out of the archive ({len(report.problems)}):")
        lines += [f"  {problem}" for problem in report.problems]
    return lines


def _dry_run(args: argparse.Namespace) -> int:
    """The preview as the import would read the file: with this workspace's "this is us" handles
    and remembered mapping when there is a workspace (opened read-only: nothing is stored)."""
    path = workspace_path(args)
    if path.exists():
        with Workspace.open(path, create=False, readonly=True) as ws:
            result = ws.imports.preview(
                args.file, args.map, preset=args.preset, source=args.source, ours=args.ours
            )
    else:
        from listener_app.formats.preview import preview

        result = preview(args.file, args.map, preset=args.preset, ours=args.ours, source=args.source)
    print(result)
    print("Dry run: nothing was stored.")
    return 0 if result.importable else 1


def cmd_ours(args: argparse.Namespace) -> int:
    with open_from_args(args, create=bool(args.handles or args.clear)) as ws:
        if args.handles or args.clear:
            ws.imports.set_us([] if args.clear else args.handles)
        handles = ws.imports.us()
    if handles:
        print("This is us: " + ", ".join(handles))
    else:
        print("No handles yet: `listener ours HANDLE ...` (what they wrote is then kept as the brand's own)")
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
