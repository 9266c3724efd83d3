"""Source kinds by name."""

from __future__ import annotations

from listener_app.domain.errors import UserError
from listener_app.sources.appstore import AppStoreSource
from listener_app.sources.base import SourceKind
from listener_app.sources.hackernews import HackerNewsSource
from listener_app.sources.keyed import BlueskySource, GitHubSource, RedditSource, YouTubeSource
from listener_app.sources.mastodon import MastodonSource
from listener_app.sources.rss import RssSource
from listener_app.sources.stackexchange import StackExchangeSource

KINDS: dict[str, SourceKind] = {
    k.kind: k
    for k in (
        RssSource(), HackerNewsSource(), MastodonSource(), StackExchangeSource(), AppStoreSource(),
        BlueskySource(), YouTubeSource(), GitHubSource(), RedditSource(),
    )
}  # fmt: skip


def kind(name: str) -> SourceKind:
    try:
        return KINDS[name]
    except KeyError:
        raise UserError(f"Unknown source kind {name!r}; kinds: {', '.join(KINDS)}") from None
