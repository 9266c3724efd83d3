"""Loading the human-rated development sets (VADER ground truth, MIT) from ../shared/data."""

from __future__ import annotations

import os
from pathlib import Path

FILES = {"tweets": "tweets_GroundTruth.txt", "amazon": "amazonReviewSnippets_GroundTruth.txt"}


def data_dir() -> Path:
    override = os.environ.get("LISTENER_EVAL_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "vader_ground_truth"


def load(path: Path) -> list[tuple[float, str]]:
    """(mean valence -4..4, text) rows of one tab-separated file (BOM and CRLF tolerated)."""
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line in handle:
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) >= 3:
                try:
                    rows.append((float(parts[1]), "\t".join(parts[2:])))
                except ValueError:
                    continue
    return rows


def available() -> dict[str, list[tuple[float, str]]]:
    folder = data_dir()
    return {name: load(folder / file) for name, file in FILES.items() if (folder / file).exists()}
