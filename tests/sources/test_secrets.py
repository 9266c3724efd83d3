"""Secrets go only where they were given for: the workspace, the service and the host; the
keyring that holds them is named, and an unencrypted one is refused unless allowed."""

from __future__ import annotations

import keyring
import pytest
from pytest_httpserver import HTTPServer

from listener_app.sources.credentials import (
    InsecureKeyring,
    adopt_old_secret,
    describe_secret,
    secret_storage,
    set_secret,
)
from listener_app.sources.http import AuthError, Http
from listener_app.sources.registry import source_scope
from listener_app.store import open_store
from listener_app.store import sources as source_store
from listener_app.workspace.fetching import fetch_all

PASSWORD = "abcd-efgh-ijkl-mnop"
SESSION = {
    "accessJwt": "jwt-for-me-0123456789",
    "refreshJwt": "r",
    "handle": "me.bsky.social",
    "did": "did:plc:me",
}


def no_wait() -> Http:
    return Http(sleep=lambda s: None, min_interval=0)


@pytest.fixture
def other_server():
    server = HTTPServer(host="localhost")
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def plaintext_keyring(tmp_path, monkeypatch):
    """keyrings.alt's PlaintextKeyring (a file anyone with the account can read), in tmp_path."""
    from keyrings.alt.file import PlaintextKeyring

    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    monkeypatch.delenv("LISTENER_NO_KEYRING")
    yield ring
    keyring.set_keyring(previous)


def sky(ws, server, name="Sky") -> dict:
    settings = {"handle": "me.bsky.social", "query": "acme", "base_url": server.url_for("/")}
    source_store.add_source(ws, "bluesky", name, settings)
    return source_store.get_source(ws, name)


def serve_bluesky(server) -> None:
    server.expect_request("/xrpc/com.atproto.server.createSession", method="POST").respond_with_json(SESSION)
    server.expect_request("/xrpc/app.bsky.feed.searchPosts").respond_with_json({"posts": []})


def received_password(server) -> bool:
    return any(PASSWORD in request.get_data(as_text=True) for request, _ in server.log)


def test_another_workspaces_source_of_the_same_name_never_gets_the_password(
    ws, tmp_path, httpserver, other_server
):
    set_secret(source_scope(sky(ws, httpserver), "app_password"), "app_password", PASSWORD)
    serve_bluesky(httpserver)
    serve_bluesky(other_server)
    [ours] = fetch_all(ws, http=no_wait())
    assert ours.error is None and received_password(httpserver)

    with open_store(tmp_path / "stranger.listener.db") as stranger:
        sky(stranger, other_server)  # same name, its own server
        [theirs] = fetch_all(stranger, http=no_wait())
    assert "has no app_password yet" in theirs.error
    assert not received_password(other_server)


def test_a_changed_address_does_not_take_the_password_along(ws, httpserver, other_server):
    source = sky(ws, httpserver)
    set_secret(source_scope(source, "app_password"), "app_password", PASSWORD)
    ws.execute(
        "UPDATE sources SET settings = json_set(settings, '$.base_url', ?)", (other_server.url_for("/"),)
    )
    serve_bluesky(other_server)
    [result] = fetch_all(ws, http=no_wait())
    assert "has no app_password yet" in result.error
    assert not received_password(other_server)


def test_the_http_layer_refuses_to_carry_a_secret_to_another_host(httpserver, other_server):
    http = no_wait()
    http.allow_secret(PASSWORD, httpserver.host + f":{httpserver.port}")
    other_server.expect_request("/login").respond_with_json({})
    with pytest.raises(AuthError, match="carried a secret"):
        http.post(other_server.url_for("/login"), json_body={"password": PASSWORD})
    with pytest.raises(AuthError, match="carried a secret"):  # Basic auth, base64-encoded
        http.post(other_server.url_for("/login"), auth=("me", PASSWORD))
    # A redirect from the right host to another one is refused before it is followed.
    httpserver.expect_request("/search").respond_with_data(
        "", status=302, headers={"Location": other_server.url_for("/search") + f"?key={PASSWORD}"}
    )
    with pytest.raises(AuthError, match="carried a secret"):
        http.get(httpserver.url_for("/search"), params={"key": PASSWORD})
    assert other_server.log == []


def test_a_bluesky_server_answering_nothing_is_a_clear_error_and_the_next_source_is_fetched(ws, httpserver):
    source = sky(ws, httpserver, name="A sky")
    set_secret(source_scope(source, "app_password"), "app_password", PASSWORD)
    httpserver.expect_request("/xrpc/com.atproto.server.createSession", method="POST").respond_with_json({})
    httpserver.expect_request("/2.3/search/advanced").respond_with_json(
        {"items": [{"question_id": 1, "title": "Acme phone?", "body": "Is it good?", "creation_date": 1763600000,
                    "link": "https://android.stackexchange.com/questions/1", "owner": {"display_name": "Kim"}}],
         "has_more": False}
    )  # fmt: skip
    source_store.add_source(
        ws,
        "stackexchange",
        "B answers",
        {"site": "android", "query": "acme", "base_url": httpserver.url_for("/")},
    )
    first, second = fetch_all(ws, http=no_wait())
    assert "did not sign in me.bsky.social" in first.error
    assert (second.new, second.error) == (1, None)


def test_memory_only_secrets_say_so():
    storage = secret_storage()
    assert not storage.persistent and "memory only" in storage.describe()


def test_an_unencrypted_keyring_is_refused_unless_allowed(ws, httpserver, plaintext_keyring):
    scope = source_scope(sky(ws, httpserver), "app_password")
    storage = secret_storage()
    assert not storage.secure and "keyrings.alt" in storage.name
    with pytest.raises(InsecureKeyring, match="unencrypted"):
        set_secret(scope, "app_password", PASSWORD)
    assert describe_secret(scope, "app_password") == "app_password: not saved"
    saved = set_secret(scope, "app_password", PASSWORD, allow_insecure=True)
    assert saved.persistent and "not encrypted" in saved.describe()
    assert "not encrypted" in describe_secret(scope, "app_password")
    assert "system keyring" not in describe_secret(scope, "app_password")


def test_a_secret_saved_by_an_older_version_is_used_only_once_adopted(
    ws, httpserver, plaintext_keyring, monkeypatch
):
    monkeypatch.setenv("LISTENER_ALLOW_INSECURE_KEYRING", "1")
    keyring.set_password("Listener", "Sky:app_password", PASSWORD)  # how 1282dcc kept it
    scope = source_scope(sky(ws, httpserver), "app_password")
    serve_bluesky(httpserver)
    [result] = fetch_all(ws, http=no_wait())
    assert "saved by an older Listener" in result.error and "--adopt" in result.error
    assert not received_password(httpserver)
    assert "older Listener" in describe_secret(scope, "app_password")

    assert adopt_old_secret(scope, "app_password")
    assert keyring.get_password("Listener", "Sky:app_password") is None  # no other workspace can take it
    [result] = fetch_all(ws, http=no_wait())
    assert result.error is None and received_password(httpserver)
