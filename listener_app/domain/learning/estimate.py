"""How far a learned model can be trusted on the workspace's own labels: the `Estimate` a fit
measures by cross-validation, and what applying at a threshold does according to it.

Plain dataclasses and JSON (no NumPy, no scikit-learn): the learning panel and `listener
relearn` read estimates stored beside the models without loading the models themselves.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


def apply_meaning(threshold: float) -> str:
    """What applying at `threshold` means, in the words the panel and the command line use."""
    right = round(threshold * 10)
    often = f"{right} times in 10" if abs(threshold * 10 - right) < 1e-9 else f"{threshold:.0%} of the time"
    return (
        f"applying at {threshold:.2g} applies learned labels, from the most confident down, for as long "
        f"as together they were right at least {often} in cross-validation on this workspace's labels, "
        "and only where the learned model beats the automatic scorer on those labels"
    )


@dataclass(frozen=True)
class CalibrationBin:
    """Held-out predictions whose confidence fell in [low, high): how many, the mean confidence,
    and how often they were right."""

    low: float
    high: float
    count: int
    predicted: float
    observed: float


@dataclass(frozen=True)
class ApplyPoint:
    """Applying at `threshold` on the labels: the share that gets a learned label, how often
    those are right, and the score (macro-F1; F1 of "yes" for a tag) of learned-where-applied,
    automatic elsewhere."""

    threshold: float
    coverage: float
    accuracy: float
    score: float


@dataclass(frozen=True)
class Estimate:
    """How the model does on the workspace's own labels, each predicted without having seen it."""

    labels: int  # labels the estimate was measured on
    metric: str  # "macro-F1", or "F1" (of "yes", for a tag)
    learned: float
    automatic: float
    learned_accuracy: float
    automatic_accuracy: float
    calibration: tuple[CalibrationBin, ...] = ()
    applying: tuple[ApplyPoint, ...] = ()

    def applied(self, accuracy: float) -> ApplyPoint | None:
        """How applying at `accuracy` (say 0.8) did on these labels: learned labels from the most
        confident down to the lowest confidence at which, taken together, they were still right
        at least that often; only where the learned labels beat the automatic ones and that mix
        did no worse than the automatic labels alone. None: nothing is applied."""
        if self.learned <= self.automatic:
            return None
        # the lowest such confidence, not the first dip walking down from the top: there a
        # handful of labels decide (3 right of the 4 above 0.94 stopped a tag right 88 % of the
        # time on a quarter of its labels)
        return next(
            (
                p
                for p in self.applying
                if p.coverage > 0 and p.accuracy >= accuracy and p.score >= self.automatic
            ),
            None,
        )

    def describe(self, name: str) -> str:
        """One line for the learning panel and `listener relearn`."""
        return (
            f"learned {name}: {self.learned:.2f} {self.metric} on your {self.labels:,} labels, "
            f"automatic {self.automatic:.2f}"
        )

    def describe_applying(self, threshold: float) -> str:
        """What applying at `threshold` does, measured on the labels."""
        at = f"applying at {threshold:.2f}:"
        if self.labels == 0:
            return f"{at} nothing until the next relearn measures the model"
        if self.learned <= self.automatic:
            return f"{at} nothing (the learned labels do not beat the automatic ones on your labels)"
        point = self.applied(threshold)
        if point is None:
            return f"{at} nothing (no learned labels were right {threshold:.0%} of the time together)"
        return (
            f"{at} a learned label on {point.coverage:.0%} of your labelled mentions (from "
            f"{point.threshold:.2f} confident), right {point.accuracy:.0%} of the time; {self.metric} "
            f"{point.score:.2f} with the automatic labels elsewhere"
        )

    def describe_calibration(self) -> str:
        """Predicted against observed accuracy per confidence bin, in one line."""
        bins = ", ".join(
            f"{b.low:.1f}-{b.high:.1f} {b.predicted:.0%} -> {b.observed:.0%} ({b.count:,})"
            for b in self.calibration
        )
        return f"calibration, confidence said -> were right: {bins}" if bins else "not calibrated yet"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Estimate:
        return cls(
            **{k: v for k, v in data.items() if k not in ("calibration", "applying")},
            calibration=tuple(CalibrationBin(**b) for b in data.get("calibration", ())),
            applying=tuple(ApplyPoint(**p) for p in data.get("applying", ())),
        )
