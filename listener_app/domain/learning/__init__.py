"""Learning from the strategist's labels.

- `thresholds`: the default apply threshold and the labels a class needs.
- `naive_bayes`: the counting model the store uses; its names are re-exported here for callers.
"""

from __future__ import annotations

from listener_app.domain.learning.naive_bayes import (
    AUTO,
    CALIBRATION_DOCS,
    Model,
    features,
    strength,
)
from listener_app.domain.learning.thresholds import APPLY_THRESHOLD, MIN_EXAMPLES

__all__ = ["APPLY_THRESHOLD", "AUTO", "CALIBRATION_DOCS", "MIN_EXAMPLES", "Model", "features", "strength"]
