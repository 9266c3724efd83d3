"""The shared HTTP layer for every source: one requests.Session, polite and defensive.

- a User-Agent naming the app and version; connect and read timeouts;
- retries with exponential backoff and jitter on connection errors, 429 and 5xx, honouring
  Retry-After (seconds or an HTTP date), up to MAX_RETRIES;
- a minimum interval between requests to the same host;
- a response size cap (the body is streamed and abandoned past MAX_BYTES);
- conditional GET (ETag / Last-Modified) for feeds;
- a secret (see allow_secret) only ever goes to the host it was saved for, redirects included;
- clear errors (SourceError and subclasses, all UserError) for 401/403/404, rate limits,
  HTML pages where JSON was expected, and truncated or invalid JSON.
"""

from __future__ import annotations

import base64
import contextlib
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus, urlsplit

from listener_app import APP_NAME, __version__
from listener_app.domain.errors import UserError

if TYPE_CHECKING:
    import requests

USER_AGENT = f"{APP_NAME}/{__version__} (+desktop social listening; one request at a time)"
TIMEOUT = (5.0, 20.0)
MAX_RETRIES = 3
MAX_BYTES = 25 * 1024 * 1024
MIN_INTERVAL = 1.0  # seconds between two requests to one host
MAX_RETRY_AFTER = 120.0
MIN_GUARDED_CHARS = 8  # shorter values would be found in too many innocent requests
DEFAULT_PORTS = {"http": 80, "https": 443}


class SourceError(UserError):
    """A source could not be fetched; the message says why in plain words."""


class AuthError(SourceError):
    pass


class NotFound(SourceError):
    pass


class RateLimited(SourceError):
    pass


@dataclass
class Response:
    status: int
    url: str
    headers: dict[str, str]
    body: bytes
    not_modified: bool = False

    def json(self) -> Any:
        content_type = self.headers.get("content-type", "")
        head = self.body[:200].lstrip().lower()
        if "html" in content_type or head.startswith((b"<!doctype", b"<html")):
            raise SourceError(
                f"{_host(self.url)} sent a web page where data was expected (a login or error page?)"
            )
        try:
            return json.loads(self.body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SourceError(f"{_host(self.url)} sent incomplete or invalid data ({exc})") from exc


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def host_of(url: str) -> str:
    """The host a URL sends to, lowercase, with its port when it is not the scheme's own
    (`https://BSKY.social:443/x` -> `bsky.social`, `http://localhost:8080/` -> `localhost:8080`)."""
    parts = urlsplit(url if "//" in url else f"https://{url}")
    try:
        port = parts.port
    except ValueError:
        port = None
    host = (parts.hostname or "").lower()
    return host if port in (None, DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{port}"


class SecretGuard:
    """Secrets and the one host each may go to; `check` refuses a request that carries one
    elsewhere, wherever it is (the address, a header, Basic auth, the body, encoded or not)."""

    def __init__(self) -> None:
        self.hosts: dict[str, set[str]] = {}

    def allow(self, value: str, host: str) -> None:
        if len(value) >= MIN_GUARDED_CHARS:
            self.hosts.setdefault(value, set()).add(host)

    def check(self, request: requests.PreparedRequest) -> None:
        if not self.hosts:
            return
        host = host_of(request.url or "")
        carried = _carried_text(request)
        for value, allowed in self.hosts.items():
            if host not in allowed and value in carried:
                raise AuthError(
                    f"Not sent: a request to {host} carried a secret saved for {', '.join(sorted(allowed))}"
                )


def _carried_text(request: requests.PreparedRequest) -> str:
    """Everything a request sends, as text, also URL-decoded and with Basic auth decoded."""
    parts = [request.url or ""]
    for name, value in request.headers.items():
        parts.append(f"{name}: {value}")
        if value.lower().startswith("basic "):
            with contextlib.suppress(ValueError):
                parts.append(base64.b64decode(value[6:]).decode("utf-8", "replace"))
    body = request.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str):
        parts.append(body)
    text = "\n".join(parts)
    # URL-encoded (a query, a form) and JSON-escaped (a body sent as json=) forms decoded too.
    return f"{text}\n{unquote_plus(text)}\n{text.encode().decode('unicode_escape', 'replace')}"


def _guarded_session(guard: SecretGuard) -> requests.Session:
    """A session that shows every request it sends, redirects included, to `guard`. (requests
    loads here, with the first session: a command that fetches nothing, such as an import,
    starts 50 ms sooner without it.)"""
    import requests

    class GuardedSession(requests.Session):
        def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
            guard.check(request)
            return super().send(request, **kwargs)

    return GuardedSession()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


class Http:
    def __init__(
        self,
        *,
        sleep: Callable[[float], None] = time.sleep,
        timeout: tuple[float, float] = TIMEOUT,
        min_interval: float = MIN_INTERVAL,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.guard = SecretGuard()
        self.session = _guarded_session(self.guard)
        self.session.headers["User-Agent"] = USER_AGENT
        self.sleep = sleep
        self.timeout = timeout
        self.min_interval = min_interval
        self.max_bytes = max_bytes
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def allow_secret(self, value: str, host: str) -> None:
        """`value` (a key, a password, a token) may be sent to `host` (see host_of) and to no
        other: a request that would carry it anywhere else raises AuthError instead."""
        self.guard.allow(value, host)

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            wait = self._last.get(host, 0.0) + self.min_interval - time.monotonic()
            self._last[host] = time.monotonic() + max(0.0, wait)
        if wait > 0:
            self.sleep(wait)

    def get(
        self,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        etag: str | None = None,
        modified: str | None = None,
    ) -> Response:
        request_headers = dict(headers or {})
        if etag:
            request_headers["If-None-Match"] = etag
        if modified:
            request_headers["If-Modified-Since"] = modified
        return self.request("GET", url, params=params, headers=request_headers)

    def post(
        self,
        url: str,
        *,
        json_body: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        auth: Any = None,
    ) -> Response:
        return self.request("POST", url, json_body=json_body, data=data, headers=headers, auth=auth)

    def request(self, method: str, url: str, **kwargs: Any) -> Response:
        import requests  # loaded with the session already

        host = _host(url)
        for attempt in range(MAX_RETRIES + 1):
            self._wait_turn(host)
            try:
                response = self._send(method, url, **kwargs)
            except requests.Timeout as exc:
                if attempt == MAX_RETRIES:
                    raise SourceError(f"{host} did not answer in time") from exc
                self.sleep(self._backoff(attempt))
                continue
            except requests.ConnectionError as exc:
                if attempt == MAX_RETRIES:
                    raise SourceError(f"Cannot reach {host}: check the address and your connection") from exc
                self.sleep(self._backoff(attempt))
                continue
            if response.status in (429, 502, 503, 504) or response.status >= 500:
                if attempt == MAX_RETRIES:
                    if response.status == 429:
                        raise RateLimited(f"{host} is limiting requests (429); try again later")
                    raise SourceError(f"{host} had a server error ({response.status}); try again later")
                delay = _retry_after(response.headers.get("retry-after"))
                self.sleep(min(MAX_RETRY_AFTER, delay) if delay is not None else self._backoff(attempt))
                continue
            return self._check(response)
        raise SourceError(
            f"{host} could not be fetched"
        )  # pragma: no cover - the loop always returns or raises

    def _backoff(self, attempt: int) -> float:
        return min(30.0, (2**attempt) * 0.5 + random.uniform(0, 0.5))

    def _send(self, method: str, url: str, **kwargs: Any) -> Response:
        json_body = kwargs.pop("json_body", None)
        with self.session.request(
            method, url, json=json_body, timeout=self.timeout, stream=True, allow_redirects=True, **kwargs
        ) as raw:
            chunks = []
            size = 0
            for chunk in raw.iter_content(65536):
                size += len(chunk)
                if size > self.max_bytes:
                    raise SourceError(
                        f"{_host(url)} sent more than {self.max_bytes // (1024 * 1024)} MB; skipped"
                    )
                chunks.append(chunk)
            headers = {k.lower(): v for k, v in raw.headers.items()}
            return Response(raw.status_code, raw.url, headers, b"".join(chunks), raw.status_code == 304)

    def _check(self, response: Response) -> Response:
        host = _host(response.url)
        if response.status in (401, 403):
            detail = "the credentials were refused" if response.status == 401 else "access was refused"
            raise AuthError(f"{host}: {detail} ({response.status}); check this source's settings or key")
        if response.status == 404:
            raise NotFound(f"{host}: not found (404); check the address or name in this source's settings")
        if response.status >= 400:
            raise SourceError(f"{host} answered {response.status}")
        return response
