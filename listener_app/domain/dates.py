"""Calendar helpers on ISO days ('2026-03-01'), shared by analytics, people and reports."""

from __future__ import annotations

from datetime import date, timedelta


def next_day(day: str, days: int = 1) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def week_of(day: str) -> str:
    """The Monday starting the week that holds `day`."""
    moment = date.fromisoformat(day)
    return (moment - timedelta(days=moment.weekday())).isoformat()


def month_after(day: str) -> str:
    """The first day of the month after the one that holds `day`."""
    moment = date.fromisoformat(day[:7] + "-01")
    return (moment.replace(day=28) + timedelta(days=4)).replace(day=1).isoformat()
