"""The Workspace's analytics: what the dashboard and the digest chart, over any search. They chart
what customers said: the brand's own posts (is:ours) are left out unless the search names them."""

from __future__ import annotations

from typing import Any

from listener_app.domain.query import customers_only
from listener_app.store import analytics
from listener_app.store.analytics import Hourly
from listener_app.store.connection import Store

__all__ = ["Analytics", "Hourly"]


class Analytics:
    def __init__(self, store: Store) -> None:
        self._store = store

    def map_file(self) -> None:
        """Read through the operating system's page cache (a dashboard reader's connection)."""
        self._store.map_file()

    def hourly(self, query: str = "") -> Hourly:
        """Mentions per hour, sentiment, source and intent: the pass most charts are cut from."""
        return analytics.hourly(self._store, customers_only(query))

    def volume_by_day(self, query: str = "", counts: Hourly | None = None) -> list[dict[str, Any]]:
        return analytics.volume_by_day(self._store, customers_only(query), counts)

    def intent_mix(self, query: str = "", counts: Hourly | None = None) -> dict[str, int]:
        return analytics.intent_mix(self._store, customers_only(query), counts)

    def tracker_days(self, query: str = "") -> list[dict[str, Any]]:
        return analytics.tracker_days(self._store, customers_only(query))

    def share_of_voice(
        self, query: str = "", days: list[dict[str, Any]] | None = None
    ) -> list[dict[str, Any]]:
        return analytics.share_of_voice(self._store, customers_only(query), days)

    def scoped_authors(self, query: str = "", *, limit: int = 10) -> dict[str, list[dict[str, Any]]]:
        return analytics.scoped_authors(self._store, customers_only(query), limit=limit)

    def top_terms(self, query: str = "", *, limit: int = 20) -> list[dict[str, Any]]:
        return analytics.top_terms(self._store, customers_only(query), limit=limit)

    def top_phrases(self, query: str = "", *, limit: int = 10) -> list[dict[str, Any]]:
        return analytics.top_phrases(self._store, customers_only(query), limit=limit)

    @staticmethod
    def spikes(days: list[dict[str, Any]]) -> list[str]:
        """The days whose volume stands out from the weeks before them."""
        return analytics.spikes(days)
