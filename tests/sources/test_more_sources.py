from __future__ import annotations

import pytest

from listener_app.sources.credentials import set_secret
from listener_app.sources.http import Http
from listener_app.sources.registry import source_scope
from listener_app.store import sources as source_store
from listener_app.workspace.fetching import fetch_all


def no_wait() -> Http:
    return Http(sleep=lambda s: None, min_interval=0)


def save_secret(ws, name: str, field: str, value: str) -> None:
    set_secret(source_scope(source_store.get_source(ws, name), field), field, value)


def fetch_one(ws):
    [result] = fetch_all(ws, http=no_wait())
    return result


def test_stack_exchange(ws, httpserver):
    httpserver.expect_request("/2.3/search/advanced").respond_with_json({
        "items": [{"tags": ["android"], "owner": {"reputation": 1520, "user_id": 77, "display_name": "Kim",
                   "link": "https://android.stackexchange.com/users/77/kim"}, "is_answered": False, "view_count": 12,
                   "answer_count": 0, "score": 2, "creation_date": 1763600000, "question_id": 290001,
                   "link": "https://android.stackexchange.com/questions/290001/acme-phone-wont-charge",
                   "title": "Acme Phone won&#39;t charge", "body": "<p>Since the update my Acme phone won't charge.</p>"}],
        "has_more": False, "quota_max": 300, "quota_remaining": 299, "backoff": 0,
    })  # fmt: skip
    source_store.add_source(
        ws, "stackexchange", "SE", {"site": "android", "query": "acme", "base_url": httpserver.url_for("/")}
    )
    result = fetch_one(ws)
    assert (result.new, result.error) == (1, None)
    assert ws.scalar("SELECT title FROM mentions") == "Acme Phone won't charge"


def test_app_store_reviews(ws, httpserver):
    review = {"author": {"name": {"label": "Sam"}, "uri": {"label": "https://itunes.apple.com/us/reviews/id1"}},
              "updated": {"label": "2026-11-20T07:00:00-07:00"}, "im:rating": {"label": "1"}, "im:version": {"label": "4.2"},
              "id": {"label": "11000000001"}, "title": {"label": "Crashes"}, "content": {"label": "Crashes on launch", "attributes": {"type": "text"}},
              "im:voteSum": {"label": "3"}}  # fmt: skip
    httpserver.expect_request(
        "/us/rss/customerreviews/page=1/id=1474420000/sortby=mostrecent/json"
    ).respond_with_json({"feed": {"entry": [review]}})
    httpserver.expect_request(
        "/us/rss/customerreviews/page=2/id=1474420000/sortby=mostrecent/json"
    ).respond_with_json({"feed": {}})
    source_store.add_source(
        ws, "appstore", "App", {"app_id": "1474420000", "base_url": httpserver.url_for("/")}
    )
    result = fetch_one(ws)
    assert (result.new, result.error) == (1, None)
    assert ws.scalar("SELECT published_at FROM mentions") == "2026-11-20T14:00:00Z"


def test_bluesky_needs_its_app_password(ws, httpserver):
    source_store.add_source(
        ws,
        "bluesky",
        "Sky",
        {"handle": "me.bsky.social", "query": "acme", "base_url": httpserver.url_for("/")},
    )
    result = fetch_one(ws)
    assert "has no app_password yet" in result.error
    save_secret(ws, "Sky", "app_password", "abcd-efgh")
    httpserver.expect_request("/xrpc/com.atproto.server.createSession", method="POST").respond_with_json(
        {"accessJwt": "jwt", "refreshJwt": "r", "handle": "me.bsky.social", "did": "did:plc:me"}
    )
    post = {"uri": "at://did:plc:abc/app.bsky.feed.post/3kabc", "cid": "bafy", "author": {"did": "did:plc:abc", "handle": "dana.bsky.social", "displayName": "Dana"},
            "record": {"$type": "app.bsky.feed.post", "text": "my acme phone is great", "createdAt": "2026-11-20T08:00:00.000Z", "langs": ["en"]},
            "replyCount": 0, "repostCount": 1, "likeCount": 4, "indexedAt": "2026-11-20T08:00:01.000Z"}  # fmt: skip
    httpserver.expect_request(
        "/xrpc/app.bsky.feed.searchPosts", headers={"Authorization": "Bearer jwt"}
    ).respond_with_json({"posts": [post]})
    result = fetch_one(ws)
    assert (result.new, result.error) == (1, None)


def test_github_and_a_wrong_token(ws, httpserver):
    issue = {"id": 9001, "number": 12, "title": "Acme SDK crashes", "body": "Crash on start", "html_url": "https://github.com/acme/sdk/issues/12",
             "user": {"login": "dev1", "html_url": "https://github.com/dev1"}, "comments": 3, "created_at": "2026-11-20T08:00:00Z",
             "reactions": {"total_count": 2}}  # fmt: skip
    httpserver.expect_request("/search/issues").respond_with_json(
        {"total_count": 1, "incomplete_results": False, "items": [issue]}
    )
    source_store.add_source(ws, "github", "GH", {"query": "acme", "base_url": httpserver.url_for("/")})
    assert fetch_one(ws).new == 1
    httpserver.clear()
    httpserver.expect_request("/search/issues").respond_with_json({"message": "Bad credentials"}, status=401)
    save_secret(ws, "GH", "token", "wrong")
    assert "credentials were refused" in fetch_one(ws).error


def test_youtube_minds_its_quota(ws, httpserver):
    httpserver.expect_request("/youtube/v3/search").respond_with_json(
        {"items": [{"id": {"kind": "youtube#video", "videoId": "abc123"}}]}
    )
    httpserver.expect_request("/youtube/v3/commentThreads").respond_with_json({"items": [{"id": "t1", "snippet": {"totalReplyCount": 2, "topLevelComment": {"id": "Ugx1", "snippet": {
        "textDisplay": "Acme phone review was helpful", "authorDisplayName": "Viewer", "authorChannelUrl": "https://youtube.com/@viewer", "likeCount": 5, "publishedAt": "2026-11-20T08:00:00Z"}}}}]})  # fmt: skip
    source_store.add_source(
        ws, "youtube", "YT", {"query": "acme", "daily_units": "150", "base_url": httpserver.url_for("/")}
    )
    save_secret(ws, "YT", "api_key", "k")
    assert fetch_one(ws).new == 1
    assert "quota" in fetch_one(ws).error  # 101 of 150 units used today


@pytest.mark.parametrize("refused", [False, True])
def test_reddit_oauth(ws, httpserver, refused):
    token = (
        {"error": "invalid_grant"}
        if refused
        else {"access_token": "t", "token_type": "bearer", "expires_in": 3600}
    )
    httpserver.expect_request("/token", method="POST").respond_with_json(token)
    httpserver.expect_request("/search").respond_with_json({"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {
        "name": "t3_abc", "title": "Acme phone?", "selftext": "Is it good?", "permalink": "/r/Android/comments/abc/acme_phone/", "author": "u1",
        "created_utc": 1763600000.0, "score": 10, "num_comments": 4}}]}})  # fmt: skip
    source_store.add_source(ws, "reddit", "R", {"query": "acme", "client_id": "id", "username": "me",
                                               "base_url": httpserver.url_for("/"), "auth_url": httpserver.url_for("/token")})  # fmt: skip
    save_secret(ws, "R", "client_secret", "s")
    save_secret(ws, "R", "password", "p")
    result = fetch_one(ws)
    assert ("refused the login" in (result.error or "")) if refused else result.new == 1
