"""`make bench`: import N mentions (default 1,000,000), then measure search and triage on them."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench import fetch_bench, import_bench, search_bench, triage_bench, ui_bench

DATA = Path(__file__).resolve().parent / "data"


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 mentions: a fast sanity run")
    parser.add_argument("--only", choices=("import", "search", "triage", "ui", "fetch"))
    args = parser.parse_args()
    n = 100_000 if args.quick else args.n
    started = time.perf_counter()
    db = DATA / f"import-{n}.listener.db"
    benches = {
        "import": lambda: import_bench.run(DATA, n),
        "search": lambda: search_bench.run(db),
        "triage": lambda: triage_bench.run(db),
        "ui": lambda: ui_bench.run(db),
        "fetch": lambda: fetch_bench.run(db),
    }
    failed = 0
    for name, bench in benches.items():
        if args.only and name != args.only:
            continue
        if name != "import" and not db.exists():
            print(json.dumps({"bench": name, "error": f"run the import bench first ({db} missing)"}))
            continue
        for figure in bench():
            failed += not figure.get("ok", True)
            sys.stdout.write(json.dumps(figure) + "\n")
            sys.stdout.flush()
    print(
        json.dumps(
            {
                "bench": "all",
                "figure": "wall_time",
                "value": round(time.perf_counter() - started),
                "unit": "s",
                "n": n,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
