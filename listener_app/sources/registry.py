"""Source kinds by name."""

from __future__ import annotations

from typing import Any

from listener_app.domain.errors import UserError
from listener_app.sources.appstore import AppStoreSource
from listener_app.sources.base import SourceKind
from listener_app.sources.credentials import SecretScope, secret_scope
from listener_app.sources.hackernews import HackerNewsSource
from listener_app.sources.http import AuthError
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


def source_scope(source: dict[str, Any], field: str) -> SecretScope:
    """The scope of a configured source's secret, from its row (store.sources.get_source):
    what the sources dialog and `listener source secret` save it under."""
    settings = source["settings"]
    workspace = settings.get("__workspace__")
    if not workspace:
        raise AuthError(f"Cannot keep a secret for {source['name']!r}: this workspace is read-only")
    return secret_scope(str(workspace), kind(source["kind"]), source["name"], settings, field)
