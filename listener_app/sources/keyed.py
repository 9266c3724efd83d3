"""Sources that need the user's own credentials (kept in the OS keyring, see credentials.py):
Bluesky (handle + app password), YouTube (API key), GitHub (optional token) and Reddit (the
user's own OAuth "script" app; without one, Reddit works through its search RSS feed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from listener_app.domain.models import AuthorRef, Item
from listener_app.sources.base import MAX_PAGES, Page, Setting, setting
from listener_app.sources.credentials import use_secret
from listener_app.sources.http import Http, RateLimited, SourceError, host_of

YOUTUBE_DAILY_UNITS = 10_000
YOUTUBE_SEARCH_UNITS = 100


class BlueskySource:
    kind = "bluesky"
    title = "Bluesky (post search; your handle and an app password)"
    settings = (
        Setting("handle", "your handle, e.g. you.bsky.social", True),
        Setting("query", "what to search for (a tracker's query is used when empty)"),
        Setting("base_url", "the service", default="https://bsky.social"),
        Setting(
            "app_password", "an app password (Settings > App passwords); kept in the keyring", secret=True
        ),
    )

    def fetch(
        self, settings: dict[str, str], state: dict[str, Any], http: Http, queries: list[str]
    ) -> Iterator[Page]:
        base = setting(settings, self.settings, "base_url").rstrip("/")
        handle = setting(settings, self.settings, "handle")
        password = use_secret(http, settings, self, "app_password")
        session = http.post(
            f"{base}/xrpc/com.atproto.server.createSession",
            json_body={"identifier": handle, "password": password},
        ).json()
        token = session.get("accessJwt") if isinstance(session, dict) else None
        if not isinstance(token, str) or not token:
            raise SourceError(
                f"{host_of(base)} did not sign in {handle}: its answer has no access token "
                "(is base_url a Bluesky server?)"
            )
        http.allow_secret(token, host_of(base))
        headers = {"Authorization": f"Bearer {token}"}
        marks: dict[str, str] = dict(state.get("since", {}))
        for query in queries or [setting(settings, self.settings, "query")]:
            cursor, newest = None, marks.get(query, "")
            for _ in range(MAX_PAGES):
                params = {"q": query, "sort": "latest", "limit": 100, **({"since": marks[query]} if query in marks else {}),
                          **({"cursor": cursor} if cursor else {})}  # fmt: skip
                data = http.get(
                    f"{base}/xrpc/app.bsky.feed.searchPosts", params=params, headers=headers
                ).json()
                posts = data.get("posts") if isinstance(data, dict) else None
                if not isinstance(posts, list):
                    raise SourceError("Bluesky answered in an unexpected shape")
                newest = max([newest, *(p.get("indexedAt", "") for p in posts)])
                cursor = data.get("cursor")
                if not cursor or not posts:
                    marks[query] = newest
                yield Page([self.to_item(p) for p in posts if p.get("uri")], {"since": dict(marks)})
                if not cursor or not posts:
                    break

    @staticmethod
    def to_item(post: dict[str, Any]) -> Item:
        record, author = post.get("record") or {}, post.get("author") or {}
        reply = record.get("reply") or {}
        rkey = post["uri"].rsplit("/", 1)[-1]
        return Item(
            source="bluesky",
            external_id=post["uri"],
            text=record.get("text") or "",
            published_at=record.get("createdAt") or post.get("indexedAt"),
            url=f"https://bsky.app/profile/{author.get('handle', 'unknown')}/post/{rkey}",
            author=AuthorRef(
                author.get("handle") or "unknown",
                author.get("displayName"),
                f"https://bsky.app/profile/{author.get('handle')}",
            ),
            lang=(record.get("langs") or [None])[0],
            metrics={
                "likes": post.get("likeCount") or 0,
                "shares": post.get("repostCount") or 0,
                "replies": post.get("replyCount") or 0,
            },
            parent_external_id=(reply.get("parent") or {}).get("uri"),
            thread_external_id=(reply.get("root") or {}).get("uri"),
        )


class GitHubSource:
    kind = "github"
    title = "GitHub issues (search; an optional token raises the rate limit)"
    settings = (
        Setting("query", "an issue search, e.g. acme in:title,body (a tracker's query is used when empty)"),
        Setting("base_url", "the API", default="https://api.github.com"),
        Setting("token", "a personal access token (optional); kept in the keyring", secret=True),
    )

    def fetch(
        self, settings: dict[str, str], state: dict[str, Any], http: Http, queries: list[str]
    ) -> Iterator[Page]:
        base = setting(settings, self.settings, "base_url").rstrip("/")
        token = use_secret(http, settings, self, "token", required=False)
        headers = {
            "Accept": "application/vnd.github+json",
            **({"Authorization": f"Bearer {token}"} if token else {}),
        }
        marks: dict[str, str] = dict(state.get("since", {}))
        for query in queries or [setting(settings, self.settings, "query")]:
            since = marks.get(query)
            q = f"{query} created:>{since}" if since else query
            newest = since or ""
            for page in range(1, MAX_PAGES + 1):
                response = http.get(
                    f"{base}/search/issues",
                    params={"q": q, "sort": "created", "order": "desc", "per_page": 100, "page": page},
                    headers=headers,
                )
                data = response.json()
                items = data.get("items") if isinstance(data, dict) else None
                if not isinstance(items, list):
                    raise SourceError(data.get("message", "GitHub answered in an unexpected shape"))
                newest = max([newest, *(i.get("created_at", "") for i in items)])
                last = len(items) < 100
                if last:
                    marks[query] = newest
                yield Page([self.to_item(i) for i in items if i.get("id")], {"since": dict(marks)})
                if response.headers.get("x-ratelimit-remaining") == "0":
                    raise RateLimited("GitHub's rate limit is reached; add a token or wait an hour")
                if last:
                    break

    @staticmethod
    def to_item(issue: dict[str, Any]) -> Item:
        user = issue.get("user") or {}
        return Item(
            source="github",
            external_id=str(issue["id"]),
            title=issue.get("title"),
            text=issue.get("body") or issue.get("title") or "",
            published_at=issue.get("created_at"),
            url=issue.get("html_url"),
            author=AuthorRef(user.get("login") or "unknown", profile_url=user.get("html_url")),
            metrics={
                "replies": issue.get("comments") or 0,
                "likes": (issue.get("reactions") or {}).get("total_count", 0),
            },
        )


class YouTubeSource:
    kind = "youtube"
    title = "YouTube (video search, then comment threads; your API key)"
    settings = (
        Setting("query", "what to search for (a tracker's query is used when empty)"),
        Setting("base_url", "the API", default="https://www.googleapis.com"),
        Setting(
            "daily_units", "the quota this source may use per day", default=str(YOUTUBE_DAILY_UNITS // 2)
        ),
        Setting("api_key", "a YouTube Data API key; kept in the keyring", secret=True),
    )

    def fetch(
        self, settings: dict[str, str], state: dict[str, Any], http: Http, queries: list[str]
    ) -> Iterator[Page]:
        base = setting(settings, self.settings, "base_url").rstrip("/")
        key = use_secret(http, settings, self, "api_key")
        budget = int(setting(settings, self.settings, "daily_units"))
        from datetime import UTC, datetime

        today = datetime.now(UTC).strftime("%Y-%m-%d")
        used = state.get("units", 0) if state.get("day") == today else 0
        for query in queries or [setting(settings, self.settings, "query")]:
            if used + YOUTUBE_SEARCH_UNITS > budget:
                raise RateLimited(
                    f"YouTube quota for today is used ({used} of {budget} units); fetching resumes tomorrow"
                )
            search = http.get(
                f"{base}/youtube/v3/search",
                params={
                    "part": "snippet",
                    "q": query,
                    "type": "video",
                    "order": "date",
                    "maxResults": 10,
                    "key": key,
                },
            ).json()
            used += YOUTUBE_SEARCH_UNITS
            for video in search.get("items", []):
                video_id = (video.get("id") or {}).get("videoId")
                if not video_id or used + 1 > budget:
                    continue
                threads = http.get(
                    f"{base}/youtube/v3/commentThreads",
                    params={
                        "part": "snippet",
                        "videoId": video_id,
                        "maxResults": 100,
                        "order": "time",
                        "key": key,
                    },
                ).json()
                used += 1
                yield Page(
                    [self.to_item(t, video_id) for t in threads.get("items", [])],
                    {"day": today, "units": used},
                )

    @staticmethod
    def to_item(thread: dict[str, Any], video_id: str) -> Item:
        top = (thread.get("snippet") or {}).get("topLevelComment") or {}
        snippet = top.get("snippet") or {}
        return Item(
            source="youtube",
            external_id=str(top.get("id") or thread.get("id")),
            text=snippet.get("textDisplay") or snippet.get("textOriginal") or "",
            published_at=snippet.get("publishedAt"),
            url=f"https://www.youtube.com/watch?v={video_id}&lc={top.get('id')}",
            author=AuthorRef(
                snippet.get("authorDisplayName") or "unknown", profile_url=snippet.get("authorChannelUrl")
            ),
            metrics={
                "likes": snippet.get("likeCount") or 0,
                "replies": (thread.get("snippet") or {}).get("totalReplyCount") or 0,
            },
            thread_external_id=video_id,
            is_html=True,
        )


class RedditSource:
    kind = "reddit"
    title = "Reddit (your own OAuth app; without one, add reddit.com/search.rss?q=... as an RSS source)"
    settings = (
        Setting("query", "what to search for (a tracker's query is used when empty)"),
        Setting("client_id", "your Reddit app's client id (script type)", True),
        Setting("username", "your Reddit username", True),
        Setting("base_url", "the API", default="https://oauth.reddit.com"),
        Setting("auth_url", "the token endpoint", default="https://www.reddit.com/api/v1/access_token"),
        Setting("client_secret", "the app's secret; kept in the keyring", secret=True, sent_to="auth_url"),
        Setting("password", "your Reddit password; kept in the keyring", secret=True, sent_to="auth_url"),
    )

    def fetch(
        self, settings: dict[str, str], state: dict[str, Any], http: Http, queries: list[str]
    ) -> Iterator[Page]:
        token = http.post(
            setting(settings, self.settings, "auth_url"),
            data={
                "grant_type": "password",
                "username": setting(settings, self.settings, "username"),
                "password": use_secret(http, settings, self, "password"),
            },
            auth=(
                setting(settings, self.settings, "client_id"),
                use_secret(http, settings, self, "client_secret"),
            ),
        ).json()
        if not isinstance(token, dict) or not isinstance(token.get("access_token"), str):
            error = token.get("error", "unknown error") if isinstance(token, dict) else "an unexpected answer"
            raise SourceError(f"Reddit refused the login: {error}")
        base = setting(settings, self.settings, "base_url").rstrip("/")
        http.allow_secret(token["access_token"], host_of(base))
        headers = {"Authorization": f"bearer {token['access_token']}"}
        for query in queries or [setting(settings, self.settings, "query")]:
            data = http.get(
                f"{base}/search",
                params={"q": query, "sort": "new", "limit": 100, "raw_json": 1},
                headers=headers,
            ).json()
            children = ((data.get("data") or {}).get("children")) if isinstance(data, dict) else None
            if not isinstance(children, list):
                raise SourceError("Reddit answered in an unexpected shape")
            yield Page(
                [self.to_item(c.get("data") or {}) for c in children if (c.get("data") or {}).get("name")],
                dict(state),
            )

    @staticmethod
    def to_item(post: dict[str, Any]) -> Item:
        return Item(
            source="reddit",
            external_id=post["name"],
            title=post.get("title"),
            text=post.get("selftext") or post.get("title") or "",
            published_at=post.get("created_utc"),
            url=f"https://www.reddit.com{post.get('permalink', '')}",
            author=AuthorRef(
                post.get("author") or "[deleted]",
                profile_url=f"https://www.reddit.com/user/{quote(post.get('author') or '')}",
            ),
            metrics={"score": post.get("score") or 0, "replies": post.get("num_comments") or 0},
        )
