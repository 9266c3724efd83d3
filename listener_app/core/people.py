"""People: who is an advocate or a detractor, and how influential an author is.

(db.authors computes both in SQL from the constants below.)

Influence (0-100) blends three things, each on a log scale so that one viral account does not
flatten everyone else:

- reach (60 %): followers or the platform's equivalent; 1,000,000 or more scores full marks;
- engagement (25 %): average likes + replies + shares + score per mention; 1,000 is full marks;
- activity (15 %): how many of this workspace's mentions they wrote; 100 is full marks.

An advocate has at least ADVOCATE_MIN positive mentions making up at least ROLE_SHARE of their
scored mentions; a detractor is the same with negative mentions. Manual sentiment counts as the
strategist set it.
"""

from __future__ import annotations

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
