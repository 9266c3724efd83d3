"""`listener backup`, `restore` and `check`."""

from __future__ import annotations

import argparse
from pathlib import Path

from listener_app.cli.common import workspace_path
from listener_app.domain.errors import UserError
from listener_app.workspace.backups import back_up, backups_of, check, restore


def register(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("backup", help="save a backup of the workspace now").set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="list backups, or put one back (the current file is backed up first)")
    p.add_argument("backup", nargs="?", type=Path, help="a backup file (or its number in the list)")
    p.set_defaults(func=cmd_restore)
    sub.add_parser("check", help="check the workspace file for damage").set_defaults(func=cmd_check)


def cmd_backup(args: argparse.Namespace) -> int:
    print(f"Backed up to {back_up(workspace_path(args)).path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = workspace_path(args)
    backups = backups_of(path)
    if args.backup is None:
        for number, backup in enumerate(backups, start=1):
            taken = backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
            print(
                f"{number:>3}  {taken}  {backup.reason:<15} {backup.size / 1e6:>8.1f} MB  {backup.path.name}"
            )
        if not backups:
            print(f"No backups of {path} yet")
        return 0
    chosen = args.backup
    if str(chosen).isdigit():
        index = int(str(chosen)) - 1
        if not 0 <= index < len(backups):
            raise UserError(f"There is no backup number {chosen}; run `listener restore` to list them")
        chosen = backups[index].path
    saved = restore(chosen, path)
    print(
        f"Restored {chosen.name} to {path}"
        + (f" (the replaced file was saved as {saved.name})" if saved else "")
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    path = workspace_path(args)
    if not path.exists():
        raise UserError(f"No workspace at {path}")
    problems = check(path)
    if not problems:
        print(f"{path}: no damage found")
        return 0
    print(f"{path} is damaged:")
    for problem in problems[:20]:
        print(f"  {problem}")
    print("Run `listener restore` to see the backups you can restore.")
    return 1
