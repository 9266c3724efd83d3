"""`make bench`: build (or reuse) the shared N-mention workspace, then run every bench module.

`python -m bench import` (any module names) runs only those; `--sizes 20000,200000` sets the
import bench's file sizes. A bench module is a `bench/*_bench.py` file with
`run(db_path) -> list[dict]` (it may also take `n`, and `sizes`); one whose NEEDS_WORKSPACE is
False does without the shared workspace. Each figure is printed as one JSON object per line:
bench, figure, value, unit, raw_sqlite (the raw-SQLite figure for the same work in the same
run), target, ok.
"""

from __future__ import annotations

import argparse
import compileall
import importlib
import inspect
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import ModuleType

import listener_app
from bench.generate import make_workspace, workspace_path

HERE = Path(__file__).resolve().parent


def compile_bytecode() -> None:
    """Compile the app's modules to bytecode first, as an installed copy has them: pip compiles
    a wheel's at install, and an editable install writes them on first import, unless
    PYTHONDONTWRITEBYTECODE is set (as on this machine). Without them each process a bench
    starts (an import and its workers) compiles some 110 modules from source again: 0.1 s that
    a user pays once, not on every run."""
    compileall.compile_dir(Path(listener_app.__file__).parent, quiet=1)


def discover() -> dict[str, ModuleType]:
    """Bench modules by short name ("import" for import_bench.py), in a stable order."""
    modules = {}
    for file in sorted(HERE.glob("*_bench.py")):
        module = importlib.import_module(f"bench.{file.stem}")
        if callable(getattr(module, "run", None)):
            modules[file.stem.removesuffix("_bench")] = module
    return dict(sorted(modules.items(), key=lambda item: item[0] != "import"))  # import first


def emit(figure: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(figure) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    # The bench's workspaces are scratch: the before-upgrade backup of a cached one (a gigabyte
    # at 1M mentions), and any settings, go to a folder of the run's own, not the user's.
    with tempfile.TemporaryDirectory(prefix="listener-bench-home-") as home:
        os.environ["LISTENER_HOME"] = home
        return _run(argv)


def _run(argv: list[str] | None) -> int:
    modules = discover()
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--n", type=int, default=1_000_000, help="mentions in the shared workspace")
    parser.add_argument("--quick", action="store_true", help="100,000 mentions: a fast sanity run")
    parser.add_argument("names", nargs="*", metavar="module", help=f"run only these: {', '.join(modules)}")
    parser.add_argument("--only", choices=sorted(modules), help="run one bench module")
    parser.add_argument("--sizes", help="the import bench's file sizes, e.g. 20000,200000")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    chosen = [*args.names, *([args.only] if args.only else [])] or list(modules)
    unknown = sorted(set(chosen) - set(modules))
    if unknown:
        parser.error(f"no bench module {', '.join(unknown)} (there are {', '.join(modules)})")
    n = 100_000 if args.quick else args.n
    started = time.perf_counter()
    compile_bytecode()
    db = workspace_path(n, args.seed)
    if any(getattr(modules[name], "NEEDS_WORKSPACE", True) for name in chosen):
        existed = db.exists()
        db = make_workspace(n=n, seed=args.seed)
        if not existed:
            seconds = round(time.perf_counter() - started, 1)
            emit({"bench": "generate", "figure": "workspace_build", "value": seconds, "unit": "s", "raw_sqlite": None,
                  "target": "< 120 s for 1M", "ok": n > 1_000_000 or seconds < 120 * n / 1_000_000, "n": n})  # fmt: skip
    crashed = not_ok = 0
    for name, module in modules.items():
        if name not in chosen:
            continue
        options: dict[str, object] = {}
        parameters = inspect.signature(module.run).parameters
        if "n" in parameters:
            options["n"] = n
        if "sizes" in parameters and args.sizes:
            options["sizes"] = tuple(int(size) for size in args.sizes.split(","))
        try:
            figures = module.run(db, **options)
        except Exception as exc:  # one broken bench must not hide the others' figures
            crashed += 1
            emit(
                {
                    "bench": name,
                    "error": f"{type(exc).__name__}: {exc}",
                    "trace": traceback.format_exc(limit=3),
                }
            )
            continue
        for figure in figures:
            not_ok += figure.get("ok") is False
            emit(figure)
    emit({"bench": "all", "figure": "wall_time", "value": round(time.perf_counter() - started), "unit": "s",
          "n": n, "not_ok": not_ok, "crashed": crashed})  # fmt: skip
    return 1 if crashed else 0


if __name__ == "__main__":
    raise SystemExit(main())
