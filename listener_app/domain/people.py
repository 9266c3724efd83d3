"""People: who is an advocate or a detractor, and how influential an author is.

(db.authors computes both in SQL from the constants below.)

Influence (0-100) blends three things, each on a log scale so that one viral account does not
flatten everyone else:

- reach (60 %): followers or the platform's equivalent; 1,000,000 or more scores full marks;
- engagement (25 %): average likes + replies + shares + score per mention; 1,000 is full marks;
- activity (15 %): how many of this workspace's mentions they wrote; 100 is full marks.

An author's sentiment over time (SentimentSeries) is counted per week, or per month for a history
longer than about six months; its trend compares the recent half with the earlier one.

An advocate has at least ADVOCATE_MIN positive mentions making up at least ROLE_SHARE of their
scored mentions; a detractor is the same with negative mentions. Manual sentiment counts as the
strategist set it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

ADVOCATE_MIN = 3
ROLE_SHARE = 0.6
WEIGHTS = {"reach": 0.60, "engagement": 0.25, "activity": 0.15}
FULL_MARKS = {"reach": 1_000_000, "engagement": 1_000, "activity": 100}


def role(positive: int, negative: int, scored: int) -> str | None:
    """'advocate', 'detractor' or None, from an author's sentiment counts."""
    if positive >= ADVOCATE_MIN and positive >= ROLE_SHARE * scored:
        return "advocate"
    if negative >= ADVOCATE_MIN and negative >= ROLE_SHARE * scored:
        return "detractor"
    return None


# Sentiment over time (db.authors.sentiment_over_time fills it in)

SENTIMENTS = ("negative", "neutral", "positive", "unscored")  # bottom to top in a stacked bar
MONTHLY_AFTER_DAYS = 183  # a history longer than about six months is counted by month, not week
TREND_MIN_SCORED = 3  # scored mentions each half needs before a trend is named
TREND_SHIFT = 0.4  # how far the net sentiment (-1 to 1) must move between the halves


@dataclass
class Period:
    """One week (from its Monday) or calendar month of an author's mentions, by sentiment."""

    start: str  # the first day, as `after:` takes it
    end: str  # the day after the last, as `before:` takes it
    counts: Counter[str] = field(default_factory=lambda: Counter(dict.fromkeys(SENTIMENTS, 0)))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class SentimentSeries:
    """An author's mentions per period from first to last seen, empty periods included."""

    unit: str  # "week" or "month"
    periods: list[Period]
    first_seen: str | None = None

    @property
    def total(self) -> int:
        return sum(p.total for p in self.periods)

    @property
    def scored(self) -> int:
        return sum(p.total - p.counts["unscored"] for p in self.periods)

    def trend(self) -> str | None:
        """Where the author is going: 'more negative', 'more positive', or None when not clearly.

        The rule: split the periods in time into an earlier and a recent half (with an odd number
        the middle one belongs to neither). A half's net sentiment is (positive - negative) /
        scored mentions, from -1 to 1. A trend is named only when each half has at least
        TREND_MIN_SCORED scored mentions and the recent net is at least TREND_SHIFT below (more
        negative) or above (more positive) the earlier one.
        """
        half = len(self.periods) // 2
        if not half:
            return None
        nets = []
        for periods in (self.periods[:half], self.periods[-half:]):
            counts = sum((p.counts for p in periods), Counter())
            scored = counts["negative"] + counts["neutral"] + counts["positive"]
            if scored < TREND_MIN_SCORED:
                return None
            nets.append((counts["positive"] - counts["negative"]) / scored)
        shift = nets[1] - nets[0]
        if shift <= -TREND_SHIFT:
            return "more negative"
        return "more positive" if shift >= TREND_SHIFT else None
