"""Platform archives read as downloaded (zip or unpacked folder), from fixtures written in the
documented shapes: dates, authors, thread links, decoded text, what the brand wrote (ours)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from listener_app.domain.models import Item
from listener_app.formats.archives import UnknownArchiveError, is_archive, open_archive, platform_file
from listener_app.formats.preview import stored_form

ARCHIVES = Path(__file__).parent.parent / "fixtures" / "archives"


def zipped(folder: Path, tmp_path: Path) -> Path:
    """The folder as the platform hands it over: a zip of its files."""
    target = tmp_path / f"{folder.name}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return target


def read(path: Path, ours: tuple[str, ...] = ()) -> tuple[list[str], list[Item], list[str]]:
    with open_archive(path, ours=ours) as archive:
        items = [stored_form(i) for i in archive.items()]
        return archive.kinds, items, archive.problems


def by_id(items: list[Item]) -> dict[str, Item]:
    return {i.external_id: i for i in items}


@pytest.fixture(params=["folder", "zip"])
def as_downloaded(request, tmp_path):
    """Each archive is read both as the zip and as its unpacked folder."""
    return lambda name: ARCHIVES / name if request.param == "folder" else zipped(ARCHIVES / name, tmp_path)


def test_x_archive_tweets_notes_and_both_sides_of_dms(as_downloaded):
    kinds, items, problems = read(as_downloaded("twitter"))
    assert (kinds, problems) == (["twitter"], [])
    tweets = by_id(items)
    first = tweets["1620000000000000001"]
    assert first.published_at == "2023-01-31T09:01:52Z"
    assert (
        first.text
        == "Our spring update is out: faster sync & a new dark mode <3 https://acme.example/blog/spring?utm_source=twitter"
    )
    assert (first.author.handle, first.ours, first.metrics) == ("AcmeCare", True, {"likes": 12, "shares": 3})
    assert first.url == "https://x.com/AcmeCare/status/1620000000000000001"
    assert tweets["1620000000000000002"].parent_external_id == "1619999999999999999"
    assert "1620000000000000003" not in tweets  # a retweet is someone else's words
    assert tweets["1620000000000000005"].text.endswith("Full write-up on our blog.")  # from note-tweet.js
    customer, reply = tweets["dm:1620000000000100001"], tweets["dm:1620000000000100002"]
    assert (customer.ours, customer.author.handle, customer.text) == (
        False, "2222222222", "Hi, order 4417 never arrived & tracking is stuck",
    )  # fmt: skip
    assert (reply.ours, reply.author.handle, reply.published_at) == (True, "AcmeCare", "2023-01-31T11:05:30Z")
    assert customer.thread_external_id == reply.thread_external_id == "dm:1111111111-2222222222"
    assert reply.parent_external_id == customer.external_id
    assert reply.text == "Thanks Dana, a new parcel left today: https://acme.example/track/4417"
    group = [i for i in items if i.thread_external_id == "dm:1620000000000200000"]
    assert [g.ours for g in group] == [False, True]


def test_pre_2019_x_archive_csv(as_downloaded):
    kinds, items, _ = read(as_downloaded("twitter_2018"))
    assert kinds == ["twitter"]
    assert [(i.external_id, i.published_at, i.author.handle, i.ours) for i in items] == [
        ("288317233493200000", "2013-01-07T15:12:04Z", "AcmeCare", True),
        ("288317233493200001", "2013-01-07T16:00:00Z", "AcmeCare", True),
    ]  # the retweet is left out
    assert items[0].text == "New store hours, see https://acme.example/hours"
    assert items[1].parent_external_id == "288317233493199999"


def test_facebook_messenger_text_is_decoded_and_threads_keep_both_sides(as_downloaded):
    kinds, items, problems = read(as_downloaded("facebook"))
    assert (kinds, problems) == (["facebook"], [])
    jeno = sorted(
        (i for i in items if i.thread_external_id == "thread:jenoszabo_10158"), key=lambda i: i.published_at
    )
    assert [(i.author.handle, i.ours, i.published_at) for i in jeno] == [
        ("Jenő Szabó", False, "2023-01-31T12:00:00Z"),
        ("Acme Care", True, "2023-01-31T13:05:00Z"),
    ]  # the photo-only message has no text to keep
    assert jeno[0].text == "A töltő nem működik, mit tegyek?"
    assert jeno[1].text == "Szia Jenő! Küldtünk egy új töltőt 🙂"
    request = next(i for i in items if i.thread_external_id == "thread:marieleclerc_20301")
    assert (request.text, request.ours) == ("Bonjour, où est ma commande ? Ça fait 3 semaines.", False)
    assert request.links == ["https://acme.example/order/881"]
    comment = next(i for i in items if i.extra["kind"] == "comment")
    assert (comment.text, comment.ours, comment.published_at) == (
        "Thanks for the kind words, Zoë!", True, "2023-02-02T12:00:00Z",
    )  # fmt: skip
    post = next(i for i in items if i.extra["kind"] == "post")
    assert (post.text, post.ours) == ("Our café in Győr opens on Monday ☕", True)


def test_instagram_threads_comments_in_any_language_and_posts(as_downloaded):
    kinds, items, _ = read(as_downloaded("instagram"))
    assert kinds == ["instagram"]
    lena = sorted(
        (i for i in items if i.thread_external_id == "thread:lenafischer_17845"), key=lambda i: i.published_at
    )
    assert [(i.author.handle, i.ours) for i in lena] == [("Lena Fischer", False), ("acme.care", True)]
    assert lena[0].text == "Wo bleibt meine Bestellung? Schon 2 Wochen 😕"
    comments = [i for i in items if i.extra["kind"] == "comment"]
    assert [(c.text, c.published_at, c.ours) for c in comments] == [
        ("Danke für das schöne Foto! 💚", "2023-02-04T12:00:00Z", True),
        ("Schreib uns gern eine Nachricht.", "2023-02-04T13:00:00Z", True),  # German keys: Kommentar, Zeit
    ]
    assert any(i.text == "Neue Farben für den Frühling 🌷" and i.ours for i in items)


def test_google_business_reviews_with_the_owners_reply_in_the_thread(as_downloaded):
    kinds, items, _ = read(as_downloaded("google_business"))
    assert kinds == ["google_reviews"]
    reviews = by_id(items)
    review, reply = reviews["AbFvOql1"], reviews["AbFvOql1:reply"]
    assert (review.author.handle, review.metrics, review.ours, review.published_at) == (
        "Priya N.", {"rating": 2}, False, "2026-01-10T19:22:04Z",
    )  # fmt: skip
    assert (reply.ours, reply.published_at, reply.thread_external_id, reply.parent_external_id) == (
        True, "2026-01-11T08:05:00Z", "AbFvOql1", "AbFvOql1",
    )  # fmt: skip
    translated = reviews["AbFvOql2"]
    assert translated.text == "Toller Kaffee, freundliches Personal"
    assert translated.extra["translation"] == "Great coffee, friendly staff"
    assert reviews["AbFvOql3"].metrics == {"rating": 4}  # a rating without a comment is still a review


def test_play_console_csv_in_utf16_with_developer_replies(tmp_path):
    path = ARCHIVES / "play_store" / "reviews_com.acme.app_202601.csv"
    assert platform_file(path) and not is_archive(path)
    kinds, items, _ = read(path)
    assert kinds == ["play_store"]
    reviews = by_id(items)
    crash = reviews["gp:AOqpTOH1"]
    assert (crash.published_at, crash.metrics, crash.lang) == ("2026-01-05T08:30:00Z", {"rating": 1}, "en")
    reply = reviews["gp:AOqpTOH1:reply"]
    assert (reply.ours, reply.published_at, reply.thread_external_id) == (
        True,
        "2026-01-05T14:00:00Z",
        "gp:AOqpTOH1",
    )
    assert reviews["gp:AOqpTOH2"].text == "Läuft endlich flüssig"
    assert "gp:AOqpTOH2:reply" not in reviews


def test_app_store_connect_reviews_and_responses():
    kinds, items, _ = read(ARCHIVES / "app_store" / "customer_reviews.json")
    assert kinds == ["appstore"]
    reviews = by_id(items)
    review = reviews["00000041-0b8a-7f2e-0000-000000000001"]
    assert (review.title, review.author.handle, review.published_at) == (
        "Sync lost my notes", "notetaker77", "2026-01-08T00:12:00Z",
    )  # fmt: skip
    reply = reviews["00000041-0b8a-7f2e-0000-000000000001:reply"]
    assert (reply.ours, reply.published_at) == (True, "2026-01-08T18:30:00Z")


def test_trustpilot_export_with_company_replies():
    kinds, items, _ = read(ARCHIVES / "trustpilot" / "trustpilot_reviews_2026-01.csv")
    assert kinds == ["trustpilot"]
    reviews = by_id(items)
    assert (reviews["63d0f1a2b3c4d5e6f7a8b9c0"].author.handle, reviews["63d0f1a2b3c4d5e6f7a8b9c0"].metrics) == (
        "Tom B.", {"rating": 2},
    )  # fmt: skip
    reply = reviews["63d0f1a2b3c4d5e6f7a8b9c0:reply"]
    assert (reply.ours, reply.published_at, reply.text) == (
        True, "2026-01-10T09:12:00Z", "Hi Tom, the refund went out this morning.",
    )  # fmt: skip


def test_youtube_takeout_comments_json_segments(as_downloaded):
    kinds, items, _ = read(as_downloaded("youtube"))
    assert kinds == ["youtube"]
    comments = by_id(items)
    pinned, reply = comments["UgzAcme1"], comments["UgzCust1.AcmeR1"]
    assert pinned.text == "Pinned: the setup guide is at https://acme.example/setup"
    assert reply.text == "@mira it works with the 2024 model too > just update first"  # the older wrapper
    assert (reply.parent_external_id, reply.thread_external_id, reply.ours) == (
        "UgzCust1",
        "vid00000001",
        True,
    )
    assert (pinned.author.handle, pinned.published_at) == ("Acme Care", "2026-01-14T18:00:05Z")


def test_linkedin_messages_comments_with_backslash_quotes_and_shares(as_downloaded):
    kinds, items, _ = read(as_downloaded("linkedin"))
    assert kinds == ["linkedin"]
    messages = sorted((i for i in items if i.extra["kind"] == "message"), key=lambda i: i.published_at)
    assert [(m.author.handle, m.ours, m.published_at) for m in messages] == [
        ("Sofia Rossi", False, "2026-01-16T09:00:00Z"),
        ("Acme Care", True, "2026-01-16T10:05:00Z"),
    ]
    assert messages[0].text == "Hello, is there a test environment for the API?"
    comment = next(i for i in items if i.extra["kind"] == "comment")
    assert comment.text == 'We called it "the quiet release", and, honestly, it was.'
    share = next(i for i in items if i.extra["kind"] == "post")
    assert (share.text, share.ours, share.links) == (
        "Hiring: a support lead in Berlin",
        True,
        ["https://acme.example/jobs/42"],
    )


def test_reddit_data_request_with_the_owner_given(as_downloaded):
    kinds, items, problems = read(as_downloaded("reddit"))
    assert kinds == ["reddit"] and "which side is the account owner" in problems[0]  # said, not guessed
    kinds, items, problems = read(as_downloaded("reddit"), ours=("acmeofficial",))
    assert problems == []
    things = by_id(items)
    comment = things["t1_kx1abcd"]
    assert (comment.thread_external_id, comment.parent_external_id, comment.ours) == (
        "t3_1a2b3c",
        "t1_kx0zzzz",
        True,
    )
    assert (things["t3_1a9xyz"].title, things["t3_1a9xyz"].author.handle) == (
        "AMA with the Acme team",
        "acmeofficial",
    )
    assert [(things[i].ours, things[i].published_at) for i in ("t4_2b3c4d", "t4_2b3c4e")] == [
        (False, "2026-01-21T08:00:00Z"),
        (True, "2026-01-21T09:12:00Z"),
    ]
    assert things["t4_2b3c4e"].thread_external_id == "t4_2b3c4d"


def test_mastodon_outbox(as_downloaded):
    kinds, items, _ = read(as_downloaded("mastodon"))
    assert kinds == ["mastodon"]
    assert [(i.text, i.author.handle, i.ours) for i in items] == [
        ("Release notes for 4.2 are up: acme.example/4.2", "acme", True),
        ("@ravi Yes, export works offline too.", "acme", True),
    ]  # the boost (Announce) is left out
    assert items[1].parent_external_id == "https://other.example/users/ravi/statuses/900"


def test_the_same_archive_twice_and_as_zip_or_folder_gives_the_same_ids(tmp_path):
    for name in ("twitter", "facebook", "instagram", "linkedin", "youtube"):
        folder = [i.external_id for i in read(ARCHIVES / name)[1]]
        assert folder == [i.external_id for i in read(ARCHIVES / name)[1]]
        assert sorted(folder) == sorted(i.external_id for i in read(zipped(ARCHIVES / name, tmp_path))[1])
        assert len(set(folder)) == len(folder)


def test_a_newer_overlapping_download_gives_the_same_ids_for_the_same_messages(tmp_path):
    """Next month's Facebook download: the request thread moved to the inbox and has a reply."""
    newer = tmp_path / "newer"
    shutil.copytree(ARCHIVES / "facebook", newer)
    messages = newer / "your_activity_across_facebook" / "messages"
    (messages / "message_requests" / "marieleclerc_20301").rename(messages / "inbox" / "marieleclerc_20301")
    thread = messages / "inbox" / "marieleclerc_20301" / "message_1.json"
    thread.write_text(
        thread.read_text().replace(
            '"messages": [',
            '"messages": [{"sender_name": "Acme Care", "timestamp_ms": 1675260000000, "content": "On its way!"},',
        )
    )
    old = {i.external_id for i in read(ARCHIVES / "facebook")[1]}
    new = {i.external_id for i in read(newer)[1]}
    assert old < new and len(new - old) == 1


def test_an_unknown_zip_names_what_was_looked_for(tmp_path):
    path = tmp_path / "holiday.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photos/beach.jpg", b"\xff\xd8\xff")
        archive.writestr("notes.txt", "hello")
    with pytest.raises(UnknownArchiveError) as caught:
        open_archive(path)
    message = str(caught.value)
    assert "\n" not in message and "holiday.zip" in message and "2 files" in message
    assert "data/tweets.js" in message and "message_1.json" in message and "outbox.json" in message


def _with_tweets(archive: zipfile.ZipFile) -> None:
    archive.write(ARCHIVES / "twitter" / "data" / "account.js", "data/account.js")
    archive.write(ARCHIVES / "twitter" / "data" / "tweets.js", "data/tweets.js")


def test_hostile_members_are_refused_and_the_rest_is_read(tmp_path):
    path = tmp_path / "hostile.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _with_tweets(archive)
        archive.writestr("../../etc/tweets-part1.js", "window.YTD.tweets.part1 = []")
        archive.writestr("/abs/direct-messages.js", "window.YTD.direct_messages.part0 = []")
        archive.writestr(
            "data/tweets-part2.js", b"window.YTD.tweets.part2 = [" + b" " * (30 * 1024 * 1024) + b"]"
        )
    kinds, items, problems = read(path)
    assert kinds == ["twitter"] and len(items) == 2  # the two tweets of tweets.js (and not the retweet)
    assert any(p.startswith("../../etc/tweets-part1.js: its path leads outside") for p in problems)
    assert any(p.startswith("/abs/direct-messages.js: its path leads outside") for p in problems)
    assert any("data/tweets-part2.js: it would inflate" in p and "zip bomb" in p for p in problems)


def test_a_member_declaring_2_gb_is_refused_without_inflating_it(tmp_path):
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        _with_tweets(archive)
        archive.writestr("data/direct-messages.js", "window.YTD.direct_messages.part0 = []")
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the central directory's records
    while data[entry + 46 : entry + 46 + 23] != b"data/direct-messages.js":
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 24 : entry + 28] = (2 * 1024**3).to_bytes(4, "little")  # its uncompressed size: 2 GB
    path.write_bytes(bytes(data))
    _, items, problems = read(path)
    assert len(items) == 2
    assert problems == [
        "data/direct-messages.js: 2.1 GB is more than the 512 MB a member may hold; skipped, the rest of the archive is read"
    ]


def test_a_corrupt_member_is_refused_and_the_rest_is_read(tmp_path):
    path = tmp_path / "corrupt.zip"
    dms = (ARCHIVES / "twitter" / "data" / "direct-messages.js").read_bytes()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        _with_tweets(archive)
        archive.writestr("data/direct-messages.js", dms)
    data = path.read_bytes()
    at = data.index(b"order 4417")
    path.write_bytes(data[:at] + b"ORDER 4417" + data[at + 10 :])  # the CRC no longer matches
    _, items, problems = read(path)
    assert len(items) == 2 and not any(i.external_id.startswith("dm:") for i in items)
    assert len(problems) == 1 and problems[0].startswith("data/direct-messages.js: it is corrupt")


def test_a_link_out_of_an_unpacked_folder_is_refused(tmp_path):
    folder = tmp_path / "archive"
    shutil.copytree(ARCHIVES / "twitter", folder)
    secret = tmp_path / "secret.js"
    secret.write_text(
        'window.YTD.direct_messages.part0 = [{"dmConversation": {"conversationId": "x", "messages": []}}]'
    )
    (folder / "data" / "direct-messages-part1.js").symlink_to(secret)
    _, items, problems = read(folder)
    assert problems == [
        "data/direct-messages-part1.js: it links to a file outside the folder; skipped, the rest of the archive is read"
    ]
    assert len(items) == 7
