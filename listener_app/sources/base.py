"""What every source kind provides: its settings, and a generator of pages of items.

A page carries the source's state *after* that page (its high-water mark); the caller stores
the page's items and only then adopts the state, so an interrupted fetch resumes without gaps
and re-fetching a page only refreshes what is already stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from listener_app.domain.models import Item
from listener_app.sources.http import Http

MAX_PAGES = 10  # per fetch and query: the rest comes next time


@dataclass(frozen=True)
class Setting:
    name: str
    help: str
    required: bool = False
    default: str | None = None
    secret: bool = False
    sent_to: str = "base_url"  # for a secret: the setting naming where it is sent (its host scopes it)


@dataclass
class Page:
    items: list[Item]
    state: dict[str, Any] = field(default_factory=dict)


class SourceKind(Protocol):
    kind: str
    title: str
    settings: tuple[Setting, ...]

    def fetch(
        self, settings: dict[str, str], state: dict[str, Any], http: Http, queries: list[str]
    ) -> Iterator[Page]: ...


def setting(settings: dict[str, str], spec: tuple[Setting, ...], name: str) -> str:
    from listener_app.sources.http import SourceError

    value = (settings.get(name) or "").strip()
    if value:
        return value
    default = next((s.default for s in spec if s.name == name), None)
    if default:
        return default
    raise SourceError(f"This source needs the setting '{name}'")
