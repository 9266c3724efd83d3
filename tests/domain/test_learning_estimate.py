"""What applying at a threshold does, as the learning panel and `listener relearn` say it."""

from __future__ import annotations

from listener_app.domain.learning.estimate import ApplyPoint, Estimate, apply_meaning


def _estimate(points: list[tuple[float, float, float, float]], learned: float = 0.8) -> Estimate:
    return Estimate(400, "macro-F1", learned, 0.6, 0.85, 0.7, (), tuple(ApplyPoint(*p) for p in points))


def test_applying_takes_the_most_confident_labels_that_together_were_right_often_enough():
    estimate = _estimate([
        (0.5, 0.90, 0.75, 0.78),  # every learned label: right 75 % of the time together
        (0.6, 0.70, 0.82, 0.77),  # from 0.6 on: 82 %
        (0.9, 0.03, 0.70, 0.61),  # a handful at the top, 7 right of 10: not what decides
        (0.95, 0.01, 1.00, 0.60),
    ])  # fmt: skip
    assert estimate.applied(0.8).threshold == 0.6
    assert estimate.applied(0.7).threshold == 0.5
    assert estimate.applied(0.99).threshold == 0.95
    assert "a learned label on 70% of your labelled mentions (from 0.60 confident), right 82%" in (
        estimate.describe_applying(0.8)
    )


def test_nothing_is_applied_where_the_learned_labels_do_not_beat_the_automatic_ones():
    estimate = _estimate([(0.5, 0.9, 0.95, 0.7)], learned=0.55)
    assert estimate.applied(0.8) is None
    assert "do not beat the automatic ones" in estimate.describe_applying(0.8)
    unmeasured = Estimate(0, "F1", 0.0, 0.0, 0.0, 0.0)
    assert "nothing until the next relearn" in unmeasured.describe_applying(0.8)


def test_an_estimate_survives_its_json():
    estimate = _estimate([(0.5, 0.9, 0.95, 0.7)])
    assert Estimate.from_dict(estimate.to_dict()) == estimate


def test_the_threshold_is_said_in_the_words_the_lead_chose():
    assert apply_meaning(0.8) == (
        "applying at 0.8 applies learned labels, from the most confident down, for as long as together "
        "they were right at least 8 times in 10 in cross-validation on this workspace's labels, and only "
        "where the learned model beats the automatic scorer on those labels"
    )
    assert "at least 85% of the time" in apply_meaning(0.85)
