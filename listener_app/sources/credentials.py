"""Secrets (API keys, app passwords) in the operating system's keyring, never in the workspace,
logs or exports. LISTENER_NO_KEYRING=1 (tests, CI) keeps them in memory instead."""

from __future__ import annotations

import os

from listener_app import APP_NAME
from listener_app.sources.http import AuthError

_memory: dict[tuple[str, str], str] = {}


def _keyring():
    if os.environ.get("LISTENER_NO_KEYRING"):
        return None
    import keyring

    return keyring


def set_secret(source: str, field: str, value: str) -> None:
    ring = _keyring()
    if ring is None:
        _memory[(source, field)] = value
        return
    try:
        ring.set_password(APP_NAME, f"{source}:{field}", value)
    except Exception as exc:  # keyring backends raise their own types
        raise AuthError(f"Cannot save the {field} in the system keyring: {exc}") from exc


def get_secret(source: str, field: str) -> str | None:
    ring = _keyring()
    if ring is None:
        return _memory.get((source, field))
    try:
        return ring.get_password(APP_NAME, f"{source}:{field}")
    except Exception as exc:
        raise AuthError(f"Cannot read the {field} from the system keyring: {exc}") from exc


def require(source: str, field: str) -> str:
    value = get_secret(source, field)
    if not value:
        raise AuthError(
            f"Source {source!r} has no {field} yet: set it with `listener source secret {source} {field}`"
        )
    return value
