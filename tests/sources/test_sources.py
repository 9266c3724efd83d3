from __future__ import annotations

import json
import time

import pytest
from werkzeug import Response

from listener_app.cli import main
from listener_app.sources.http import AuthError, Http, NotFound, RateLimited, SourceError
from listener_app.store import search
from listener_app.store import sources as source_store
from listener_app.workspace.fetching import fetch_all

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Google Alert - acme</title>
  <entry>
    <id>tag:google.com,2013:googlealerts/feed:1001</id>
    <title type="html">Acme &lt;b&gt;phone&lt;/b&gt; review&lt;script&gt;alert(1)&lt;/script&gt;</title>
    <link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://blog.example/acme-review&amp;ct=ga"/>
    <published>2026-11-20T08:00:00Z</published>
    <content type="html">The &lt;b&gt;Acme&lt;/b&gt; battery is great.</content>
  </entry>
  <entry>
    <id>tag:google.com,2013:googlealerts/feed:1002</id>
    <title>No date here</title>
    <link href="/relative/post"/>
    <content type="html">Relative link, missing date</content>
  </entry>
</feed>"""


def hn_hit(n, created, **extra):
    hit = {
        "created_at": "2026-11-20T08:00:00.000Z", "title": None, "url": None, "author": f"user{n}", "points": None,
        "story_text": None, "comment_text": f"<p>Acme comment {n}</p>", "num_comments": None, "story_id": 41000000,
        "story_title": "Acme launches a phone", "story_url": "https://acme.example", "parent_id": 41000000,
        "created_at_i": created, "_tags": ["comment", f"author_user{n}", "story_41000000"], "objectID": str(41000000 + n),
    }  # fmt: skip
    hit.update(extra)
    return hit


def hn_page(hits, page=0, pages=1):
    return {"hits": hits, "nbHits": len(hits), "page": page, "nbPages": pages, "hitsPerPage": 100,
            "exhaustiveNbHits": True, "query": "acme", "params": "query=acme", "processingTimeMS": 1}  # fmt: skip


def status(n, reply_to=None):
    return {
        "id": str(110000000000000000 + n), "created_at": "2026-11-20T09:00:00.000Z", "in_reply_to_id": reply_to,
        "in_reply_to_account_id": None, "sensitive": False, "spoiler_text": "", "visibility": "public", "language": "en",
        "uri": f"https://social.example/users/dana/statuses/{110000000000000000 + n}",
        "url": f"https://social.example/@dana/{110000000000000000 + n}", "replies_count": 1, "reblogs_count": 2,
        "favourites_count": 3, "content": f"<p>Loving my <a href=\"https://social.example/tags/acme\">#acme</a> phone {n}</p>",
        "account": {"id": "1", "username": "dana", "acct": "dana@social.example", "display_name": "Dana",
                    "url": "https://social.example/@dana", "followers_count": 1200},
        "media_attachments": [], "mentions": [], "tags": [{"name": "acme"}],
    }  # fmt: skip


def no_wait() -> Http:
    return Http(sleep=lambda s: None, min_interval=0)


def add(ws, kind, name, **settings):
    return source_store.add_source(ws, kind, name, settings)


def test_google_alerts_feed(ws, httpserver):
    httpserver.expect_request("/alerts").respond_with_data(
        ATOM, content_type="application/atom+xml", headers={"ETag": '"v1"'}
    )
    add(ws, "rss", "Alerts", url=httpserver.url_for("/alerts"))
    [result] = fetch_all(ws, http=no_wait())
    assert (result.fetched, result.new, result.error) == (2, 2, None)
    assert result.undated == 1  # the entry without a date is dated by the fetch, and said so
    assert result.undated_warning.startswith("1 post had no date: dated by the time of the fetch")
    row = ws.execute("SELECT title, text, url FROM mentions WHERE external_id LIKE '%1001'").fetchone()
    assert tuple(row) == (
        "Acme phone review",
        "The Acme battery is great.",
        "https://blog.example/acme-review",
    )
    assert ws.scalar("SELECT url FROM mentions WHERE external_id LIKE '%1002'") == httpserver.url_for(
        "/relative/post"
    )
    httpserver.clear()
    httpserver.expect_request("/alerts", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    [again] = fetch_all(ws, http=no_wait())
    assert (again.fetched, again.error) == (0, None)


def test_hacker_news_is_incremental(ws, httpserver):
    httpserver.expect_ordered_request("/api/v1/search_by_date", query_string={"query": "acme", "tags": "(story,comment)",
        "numericFilters": "created_at_i>0", "hitsPerPage": "100", "page": "0"}).respond_with_json(hn_page([hn_hit(1, 1763600000), hn_hit(2, 1763600100)]))  # fmt: skip
    httpserver.expect_ordered_request("/api/v1/search_by_date", query_string={"query": "acme", "tags": "(story,comment)",
        "numericFilters": "created_at_i>1763600100", "hitsPerPage": "100", "page": "0"}).respond_with_json(hn_page([hn_hit(3, 1763600200), hn_hit(2, 1763600100)]))  # fmt: skip
    add(ws, "hackernews", "HN", query="acme", base_url=httpserver.url_for("/"))
    assert fetch_all(ws, http=no_wait())[0].new == 2
    second = fetch_all(ws, http=no_wait())[0]
    assert (second.fetched, second.new) == (2, 1)  # the repeated item is not a new mention
    assert ws.scalar("SELECT thread_external_id FROM mentions WHERE external_id = '41000003'") == "41000000"


def test_mastodon_hashtag_pages_with_link_header(ws, httpserver):
    nxt = httpserver.url_for("/api/v1/timelines/tag/acme") + "?max_id=110000000000000002"
    httpserver.expect_ordered_request("/api/v1/timelines/tag/acme").respond_with_json(
        [status(4), status(3, reply_to="110000000000000002")], headers={"Link": f'<{nxt}>; rel="next"'}
    )
    httpserver.expect_ordered_request("/api/v1/timelines/tag/acme").respond_with_json([status(2), status(1)])
    add(ws, "mastodon", "Masto", base_url=httpserver.url_for("/"), hashtags="#acme")
    result = fetch_all(ws, http=no_wait())[0]
    assert (result.fetched, result.new, result.error) == (4, 4, None)
    assert search.count(ws, "source:mastodon loving") == 4
    state = source_store.get_source(ws, "Masto")["state"]
    assert state["since"]["#acme"] == "110000000000000004"


@pytest.mark.parametrize(
    ("status_code", "body", "error", "message"),
    [
        (401, "nope", AuthError, "credentials were refused"),
        (403, "nope", AuthError, "access was refused"),
        (404, "nope", NotFound, "not found"),
    ],
)
def test_http_errors_are_clear(httpserver, status_code, body, error, message):
    httpserver.expect_request("/x").respond_with_data(body, status=status_code)
    with pytest.raises(error, match=message):
        no_wait().get(httpserver.url_for("/x"))


def test_429_honours_retry_after(httpserver):
    waits = []
    httpserver.expect_ordered_request("/x").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/x").respond_with_json({"ok": True})
    http = Http(sleep=waits.append, min_interval=0)
    assert http.get(httpserver.url_for("/x")).json() == {"ok": True}
    assert 7.0 in waits
    httpserver.clear()
    httpserver.expect_request("/y").respond_with_data("slow down", status=429, headers={"Retry-After": "1"})
    with pytest.raises(RateLimited):
        Http(sleep=lambda s: None, min_interval=0).get(httpserver.url_for("/y"))


def test_500_then_success_and_bad_bodies(httpserver):
    httpserver.expect_ordered_request("/flaky").respond_with_data("oops", status=500)
    httpserver.expect_ordered_request("/flaky").respond_with_json([1])
    assert no_wait().get(httpserver.url_for("/flaky")).json() == [1]
    httpserver.expect_request("/html").respond_with_data(
        "<!DOCTYPE html><html>Sign in</html>", content_type="text/html"
    )
    with pytest.raises(SourceError, match="web page"):
        no_wait().get(httpserver.url_for("/html")).json()
    httpserver.expect_request("/cut").respond_with_data(
        '{"hits": [{"objectID": "1"', content_type="application/json"
    )
    with pytest.raises(SourceError, match="incomplete or invalid"):
        no_wait().get(httpserver.url_for("/cut")).json()


def test_timeout_and_size_cap(httpserver):
    def slow(request):
        time.sleep(1.5)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    http = Http(sleep=lambda s: None, min_interval=0, timeout=(1, 0.3))
    with pytest.raises(SourceError, match="did not answer in time"):
        http.get(httpserver.url_for("/slow"))
    httpserver.expect_request("/big").respond_with_data(b"x" * 3_000_000)
    with pytest.raises(SourceError, match="more than 1 MB"):
        Http(sleep=lambda s: None, min_interval=0, max_bytes=1024 * 1024).get(httpserver.url_for("/big"))


def test_a_failing_source_does_not_stop_the_others(ws, httpserver, tmp_path, capsys):
    httpserver.expect_request("/alerts").respond_with_data(ATOM, content_type="application/atom+xml")
    httpserver.expect_request("/broken").respond_with_data("gone", status=404)
    db = str(ws.path)
    assert (
        main(
            [
                "source",
                "add",
                "rss",
                "--name",
                "Broken",
                "--set",
                f"url={httpserver.url_for('/broken')}",
                "--db",
                db,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "source",
                "add",
                "rss",
                "--name",
                "Alerts",
                "--set",
                f"url={httpserver.url_for('/alerts')}",
                "--db",
                db,
            ]
        )
        == 0
    )
    assert main(["fetch", "--db", db]) == 1
    out = capsys.readouterr().out
    assert "Alerts" in out and "2 new" in out and "failed: " in out
    assert "WARNING: Alerts: 1 post had no date: dated by the time of the fetch" in out
    assert ws.scalar("SELECT count(*) FROM mentions") == 2
    health = {s["name"]: s["last_error"] for s in source_store.list_sources(ws)}
    assert health["Alerts"] is None and "not found" in health["Broken"]


def test_a_20_mb_feed(ws, httpserver):
    entry = "<item><title>Acme {n}</title><link>https://blog.example/{n}</link><description>{body}</description></item>"
    body = "word " * 8_200
    items = "".join(entry.format(n=n, body=body) for n in range(500))
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'
    assert len(feed) > 20_000_000
    httpserver.expect_request("/big.xml").respond_with_data(feed, content_type="application/rss+xml")
    add(ws, "rss", "Big", url=httpserver.url_for("/big.xml"))
    result = fetch_all(ws, http=no_wait())[0]
    assert (result.error, result.new) == (None, 500)


def test_wrong_declared_encoding(ws, httpserver):
    feed = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title><item><title>Café Acme</title><link>https://b.example/1</link><description>très bon</description><pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate></item></channel></rss>'
    httpserver.expect_request("/latin.xml").respond_with_data(
        feed.encode("latin-1"), content_type="application/rss+xml; charset=utf-8"
    )
    add(ws, "rss", "Latin", url=httpserver.url_for("/latin.xml"))
    result = fetch_all(ws, http=no_wait())[0]
    assert result.new == 1, result.error
    assert json.dumps(ws.scalar("SELECT published_at FROM mentions")) == '"2026-11-20T08:00:00Z"'
