"""Learning from the strategist's labels: per-workspace models that suggest (and, where the
workspace's own labels show it pays, apply) sentiment, intent and tags.

The modules, each imported on its own so that start-up never pays for scikit-learn (about
0.8 s to import): only what a window needs at once lives here.

- `documents`: a mention as a model reads it (`Doc`: its text and the automatic scorers'
  verdicts) and the hashed feature matrix (`featurize`).
- `model`: `Learner`, one model (sentiment, intent or one tag): `fit` with cross-validation,
  calibrated confidences, the `Estimate` of how it does against the automatic labels on the same
  labels, `decide` (what applying sets), `learn` (a new label, incrementally), and bytes that
  load safely (`to_bytes` / `Learner.from_bytes`).
- `asking`: which unlabelled mentions would teach a model most ("ask me").
- `thresholds`: the default apply threshold and the labels a class needs.
- `naive_bayes`: the counting model the store still uses until it moves to `Learner`
  (issue 16, phase 2); its names are re-exported here for those callers.
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
