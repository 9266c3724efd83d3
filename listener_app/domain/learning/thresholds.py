"""The two numbers every learned model and its callers share (no heavy imports here)."""

from __future__ import annotations

APPLY_THRESHOLD = 0.8  # default confidence from which a learned label replaces the automatic one
MIN_EXAMPLES = 8  # labels per class before a model learns that class (and suggests anything)
