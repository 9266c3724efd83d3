"""The `listener` command: thin argument parsing over the workspace facade (no orchestration here).

Each module in COMMAND_MODULES registers its sub-commands with `register(subparsers)`; a handler
takes the parsed arguments and returns an exit code. Errors meant for the user are printed as one
line; no traceback reaches the terminal.

May import: listener_app.workspace, listener_app.domain, formats and sources (their names and
settings), reports, and ui (only to open the window).
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


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    """Every option any (sub)command knows, and the options that take a search as their value."""
    found: set[str] = set()
    for action in parser._actions:
        found.update(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found |= _option_strings(child)
    return found


QUERY_OPTIONS = ("--query", "--when")


def searches_as_values(argv: Sequence[str], options: set[str]) -> list[str]:
    """A search that starts with a minus (`-tag:spam`, `-refund`) given where argparse would take
    it for an option: after --query/--when it becomes `--query=-tag:spam`, and as a positional it
    gets a leading space (argparse reads an argument with a space as a value; a search ignores it)."""
    out: list[str] = []
    for index, arg in enumerate(argv):
        looks_negated = arg[:1] == "-" and arg[1:2] not in ("-", "") and arg.split("=", 1)[0] not in options
        if looks_negated and not arg[1:].replace(".", "", 1).isdigit():
            if out and out[-1] in QUERY_OPTIONS:
                out[-1] = f"{out[-1]}={arg}"
                continue
            if "--" not in argv[:index]:
                arg = f" {arg}"
        out.append(arg)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(searches_as_values(argv, _option_strings(parser)))
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
