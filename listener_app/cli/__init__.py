"""The `listener` command: thin argument parsing over the core.

Each module in COMMAND_MODULES registers its sub-commands with `register(subparsers)`; a handler
takes the parsed arguments and returns an exit code. Errors meant for the user are printed as one
line; no traceback reaches the terminal.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from listener_app import APP_ID, __version__
from listener_app.domain.errors import UserError

COMMAND_MODULES = (
    "listener_app.cli.workspace_cmds",
    "listener_app.cli.io_cmds",
    "listener_app.cli.understand_cmds",
    "listener_app.cli.source_cmds",
    "listener_app.cli.backup_cmds",
    "listener_app.cli.report_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_ID,
        description="Listener: collect what customers say about a brand and triage it. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", metavar="PATH", help="workspace file (default: the last or the default one)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for command in sub.choices.values():  # `--db` is accepted after the command too
        _add_db_option(command)
    return parser


def _add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="workspace file")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _add_db_option(child)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return _open_window(args)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"{APP_ID}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{APP_ID}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _open_window(args: argparse.Namespace) -> int:
    try:
        from listener_app.ui.app import run_app
    except ImportError:
        from listener_app.cli.workspace_cmds import show_demo_stats

        return show_demo_stats(args)
    return run_app(args.db)
