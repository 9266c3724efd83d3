"""Secrets (API keys, app passwords) in the operating system's keyring, never in the workspace,
logs or exports.

A secret belongs to one source of one workspace, for one service at one host: its keyring entry
(service "Listener") is named by the workspace's id (a random id kept in the workspace file),
the source's kind, the host the secret is sent to, and the source's name:
`3f2a…/bluesky@bsky.social/Sky:app_password`. Another workspace with a source of the same name,
or this one once the source's address names another host, finds nothing there, so a secret is
never sent where it was not given for; the HTTP layer refuses too (Http.allow_secret).

Only a keyring that encrypts what it keeps is used (the macOS Keychain, the Windows Credential
Locker, the Secret Service or KWallet on Linux). Another one (keyrings.alt's plain-text file, or
a backend Listener does not know) only when the user asks for it: `allow_insecure`, or
LISTENER_ALLOW_INSECURE_KEYRING=1. LISTENER_NO_KEYRING=1 (tests, CI) keeps secrets in this
process's memory, and `secret_storage()` says so rather than claiming to save them.

Listener before this kept one entry per source name (`Sky:app_password`), which any workspace
with a source of that name could read. Nothing proves which workspace such an entry was given
for, so it is never used on its own: `require` says it exists, and `adopt_old_secret` (the user
confirming it is this workspace's) moves it under the new name, deleting the old entry so no
other workspace can adopt it afterwards.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from listener_app import APP_NAME
from listener_app.sources.base import SourceKind, setting
from listener_app.sources.http import AuthError, Http, host_of

_memory: dict[str, str] = {}

# Backends that keep secrets encrypted by the operating system, by class.
SECURE_BACKENDS = {
    "keyring.backends.macOS.Keyring": "the macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "the Windows Credential Locker",
    "keyring.backends.SecretService.Keyring": "the system keyring (Secret Service)",
    "keyring.backends.libsecret.Keyring": "the system keyring (libsecret)",
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KWallet",
}
NO_BACKEND = ("keyring.backends.fail.Keyring", "keyring.backends.null.Keyring")


class InsecureKeyring(AuthError):
    """The keyring at hand would keep a secret unencrypted; nothing was saved."""


@dataclass(frozen=True)
class SecretScope:
    """What a secret was given for: a source of a workspace, a service, a host."""

    workspace: str  # the workspace's id (store.settings.workspace_id)
    kind: str  # the service: bluesky, github, ...
    source: str  # the source's name in that workspace
    host: str  # where the secret is sent (host, and port when not the scheme's own)

    def key(self, field: str) -> str:
        return f"{self.workspace}/{self.kind}@{self.host}/{self.source}:{field}"

    def old_key(self, field: str) -> str:
        """The entry Listener used before secrets were scoped."""
        return f"{self.source}:{field}"


def secret_scope(
    workspace: str, spec: SourceKind, name: str, settings: dict[str, str], field: str
) -> SecretScope:
    """The scope of secret `field` of source `name` (of kind `spec`, with `settings`) in the
    workspace with id `workspace`: its host is that of the setting it is sent to."""
    wanted = next((s for s in spec.settings if s.name == field and s.secret), None)
    if wanted is None:
        raise AuthError(f"A {spec.kind} source keeps no secret called {field!r}")
    return SecretScope(workspace, spec.kind, name, host_of(setting(settings, spec.settings, wanted.sent_to)))


def fetch_scope(settings: dict[str, Any], spec: SourceKind, field: str) -> SecretScope:
    """The scope of a secret while fetching: the fetch settings carry the source's name
    (`__name__`) and its workspace's id (`__workspace__`)."""
    workspace = settings.get("__workspace__")
    if not workspace:
        raise AuthError(f"Source {settings['__name__']!r} cannot use its {field}: its workspace has no id")
    return secret_scope(str(workspace), spec, str(settings["__name__"]), settings, field)


# ---------------------------------------------------------------- where secrets are kept


@dataclass(frozen=True)
class SecretStorage:
    """Where secrets are kept now, in words for the sources dialog and the command line."""

    name: str  # "the macOS Keychain", "a plain-text file (keyrings.alt PlaintextKeyring)", ...
    secure: bool  # encrypted by the operating system
    persistent: bool  # kept after Listener exits

    def describe(self) -> str:
        if not self.persistent:
            return f"kept in {self.name}"
        return f"saved in {self.name}" + ("" if self.secure else " (not encrypted)")


MEMORY = SecretStorage("memory only, until Listener exits (LISTENER_NO_KEYRING is set)", True, False)
NOWHERE = SecretStorage("no keyring: none is available on this computer", False, False)


def _keyring() -> Any:
    if os.environ.get("LISTENER_NO_KEYRING"):
        return None
    import keyring

    return keyring


def _backend_class(backend: Any) -> str:
    chained = getattr(backend, "backends", None)  # a chainer writes to its first backend
    if chained:
        backend = chained[0]
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def secret_storage() -> SecretStorage:
    """Where a secret saved now would be kept."""
    ring = _keyring()
    if ring is None:
        return MEMORY
    name = _backend_class(ring.get_keyring())
    if name in NO_BACKEND:
        return NOWHERE
    if name in SECURE_BACKENDS:
        return SecretStorage(SECURE_BACKENDS[name], True, True)
    if name.startswith("keyrings.alt."):
        return SecretStorage(f"a file readable by anyone with this account ({name})", False, True)
    return SecretStorage(f"a keyring Listener does not know to be encrypted ({name})", False, True)


def _insecure_allowed(allow_insecure: bool) -> bool:
    return allow_insecure or os.environ.get("LISTENER_ALLOW_INSECURE_KEYRING") == "1"


# ---------------------------------------------------------------- saving and reading


def set_secret(scope: SecretScope, field: str, value: str, *, allow_insecure: bool = False) -> SecretStorage:
    """Save a secret for `scope`; returns where it went (say so: it may be memory only).
    Raises InsecureKeyring for an unencrypted keyring unless the user allowed it, AuthError
    when there is no keyring at all or it fails."""
    storage = secret_storage()
    ring = _keyring()
    if ring is None:
        _memory[scope.key(field)] = value
        return storage
    if storage is NOWHERE:
        raise AuthError(
            f"Cannot save the {field}: no system keyring is available on this computer "
            "(on Linux, install and unlock GNOME Keyring or KWallet)"
        )
    if not storage.secure and not _insecure_allowed(allow_insecure):
        raise InsecureKeyring(
            f"Not saved: the keyring here is {storage.name}, which keeps the {field} unencrypted. "
            "Use an encrypted keyring, or allow this one explicitly (LISTENER_ALLOW_INSECURE_KEYRING=1)"
        )
    try:
        ring.set_password(APP_NAME, scope.key(field), value)
    except Exception as exc:  # keyring backends raise their own types
        raise AuthError(f"Cannot save the {field} in {storage.name}: {exc}") from exc
    return storage


def _read(key: str, field: str) -> str | None:
    ring = _keyring()
    if ring is None:
        return _memory.get(key)
    try:
        return ring.get_password(APP_NAME, key)
    except Exception as exc:
        raise AuthError(f"Cannot read the {field} from the keyring: {exc}") from exc


def get_secret(scope: SecretScope, field: str) -> str | None:
    return _read(scope.key(field), field)


def old_secret_exists(scope: SecretScope, field: str) -> bool:
    """Whether an older Listener saved this field for a source of this name (any workspace)."""
    return bool(_read(scope.old_key(field), field))


def adopt_old_secret(scope: SecretScope, field: str, *, allow_insecure: bool = False) -> bool:
    """Move the entry an older Listener saved for a source of this name to `scope`, once the
    user has confirmed it is this workspace's (for this host). Returns whether there was one."""
    value = _read(scope.old_key(field), field)
    if not value:
        return False
    set_secret(scope, field, value, allow_insecure=allow_insecure)
    ring = _keyring()
    if ring is None:
        _memory.pop(scope.old_key(field), None)
    else:
        try:
            ring.delete_password(APP_NAME, scope.old_key(field))
        except Exception as exc:
            raise AuthError(f"Saved the {field} for this workspace, but the old entry stays: {exc}") from exc
    return True


def describe_secret(scope: SecretScope, field: str) -> str:
    """Where this secret is, in one line for the sources dialog and `listener source list`."""
    if get_secret(scope, field):
        return f"{field}: {secret_storage().describe()}, for {scope.host}"
    if old_secret_exists(scope, field):
        return (
            f"{field}: saved by an older Listener for any source named {scope.source!r}; "
            f"not used until you confirm it is this workspace's (for {scope.host})"
        )
    return f"{field}: not saved"


def require(scope: SecretScope, field: str) -> str:
    value = get_secret(scope, field)
    if value:
        return value
    if old_secret_exists(scope, field):
        raise AuthError(
            f"Source {scope.source!r} has an {field} saved by an older Listener, which is not sent until "
            f"you confirm it belongs to this workspace and to {scope.host}: "
            f"`listener source secret {scope.source} {field} --adopt`, or enter it again"
        )
    raise AuthError(
        f"Source {scope.source!r} has no {field} yet (for {scope.host}): "
        f"set it with `listener source secret {scope.source} {field}`"
    )


def use_secret(
    http: Http, settings: dict[str, Any], spec: SourceKind, field: str, *, required: bool = True
) -> str | None:
    """A fetching source's secret (None when optional and not saved), allowed by `http` for
    its host only."""
    scope = fetch_scope(settings, spec, field)
    value = require(scope, field) if required else get_secret(scope, field)
    if value:
        http.allow_secret(value, scope.host)
    return value
