"""Learning from the strategist's labels: per-workspace models that suggest (and, where the
workspace's own labels show it pays, apply) sentiment, intent and tags.

The modules, each imported on its own so that start-up never pays for scikit-learn (about
0.8 s to import): only what a window needs at once lives here.

- `documents`: a mention as a model reads it (`Doc`: its text and the automatic scorers'
  verdicts) and the hashed feature matrix (`featurize`).
- `model`: `Learner`, one model (sentiment, intent or one tag): `fit` with cross-validation,
  calibrated confidences, `decide` (what applying sets), `learn` (a new label, incrementally),
  `resume` (a stored model taking labels again), and bytes that load safely (`to_bytes` /
  `Learner.from_bytes`).
- `estimate`: the `Estimate` of how a model does against the automatic labels on the same
  labels, and what applying at a threshold means (plain data: no NumPy).
- `asking`: which unlabelled mentions would teach a model most ("ask me").
- `thresholds`: the default apply threshold and the labels a class needs.
"""

from __future__ import annotations

from listener_app.domain.learning.thresholds import APPLY_THRESHOLD, MIN_EXAMPLES

__all__ = ["APPLY_THRESHOLD", "MIN_EXAMPLES"]
