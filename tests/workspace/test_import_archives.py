"""A client's real data in, through the facade and the command line: a CSV with its own column
names, and every platform archive as downloaded (both sides of each conversation, the brand's
own side kept out of the inbox, the same archive twice adding nothing)."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest

from listener_app.cli import main
from listener_app.domain.errors import UserError
from listener_app.domain.tasks import Cancelled, TaskState
from listener_app.formats.sniff import ImportFormatError
from listener_app.workspace import Workspace

FIXTURES = Path(__file__).parent.parent / "fixtures"
ARCHIVES = FIXTURES / "archives"
AIRLINE = FIXTURES / "imports" / "airline_tweets.csv"


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "client.listener.db") as ws:
        yield ws


def zipped(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return target


def stored(ws: Workspace, query: str = "") -> list[dict]:
    return ws.records(ws.search(query))


def test_the_airline_csv_with_no_map_dated_labelled_and_counted_from_its_own_columns(workspace):
    report = workspace.import_file(AIRLINE)
    with AIRLINE.open(newline="", encoding="utf-8") as handle:
        rows = {r["tweet_id"]: r for r in csv.DictReader(handle)}
    assert (report.ingest.inserted, report.errors) == (len(rows), [])
    assert report.summary.field_of("tweet_created") == "date" and report.summary.warnings == []
    for mention in stored(workspace):
        row = rows[mention["external_id"]]
        assert mention["published_at"].startswith("2015-02-2")  # its own date, not the import's
        assert (mention["sentiment"], mention["sentiment_origin"]) == (row["airline_sentiment"], "manual")
        assert mention["metrics"].get("shares") == int(row["retweet_count"])
        assert (mention["source"], mention["status"], mention["ours"]) == ("twitter", "new", False)
    assert workspace.count("before:2015-03-01") == len(rows)


def test_the_command_line_dry_run_shows_the_mapping_and_stores_nothing(tmp_path, capsys):
    db = tmp_path / "w.listener.db"
    assert main(["--db", str(db), "import", str(AIRLINE), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "tweet_created" in printed and "-> date" in printed
    assert "airline_sentiment" in printed and "kept as manual labels" in printed
    assert "retweet_count" in printed and "metrics[shares]" in printed
    assert printed.count("2015-02-24T") == 5 and "Dry run: nothing was stored." in printed
    assert not db.exists()
    assert main(["--db", str(db), "import", str(AIRLINE)]) == 0
    printed = capsys.readouterr().out
    assert "50 inserted" in printed and "tweet_created" in printed  # every import ends with the mapping
    assert main(["--db", str(db), "import", str(AIRLINE), "--dry-run"]) == 0  # a workspace, read only
    with Workspace.open(db) as ws:
        assert ws.count("") == 50


def kinds_of(ws: Workspace) -> set[str]:
    return {m["source"] for m in stored(ws)}


@pytest.mark.parametrize(
    ("folder", "source", "customer_and_ours"),
    [
        (
            "twitter",
            "twitter",
            ("Hi, order 4417 never arrived & tracking is stuck", "Thanks Dana, a new parcel"),
        ),
        ("twitter_2018", "twitter", (None, "New store hours")),
        (
            "facebook",
            "facebook",
            ("A töltő nem működik, mit tegyek?", "Szia Jenő! Küldtünk egy új töltőt 🙂"),
        ),
        (
            "instagram",
            "instagram",
            ("Wo bleibt meine Bestellung? Schon 2 Wochen 😕", "Danke für das schöne Foto!"),
        ),
        ("google_business", "google_reviews", (None, None)),
        ("play_store", "play_store", (None, None)),
        ("app_store", "appstore", (None, None)),
        ("trustpilot", "trustpilot", (None, None)),
        ("youtube", "youtube", (None, None)),
        ("linkedin", "linkedin", (None, None)),
        ("reddit", "reddit", (None, None)),
        ("mastodon", "mastodon", (None, None)),
    ],
)
def test_each_archive_kind_imports_as_downloaded(workspace, tmp_path, folder, source, customer_and_ours):
    path = ARCHIVES / folder
    files = list(path.rglob("*"))
    if sum(f.is_file() for f in files) > 1:
        path = zipped(path, tmp_path / f"{folder}.zip")  # as the platform hands it over
    else:
        path = next(f for f in files if f.is_file())  # one exported file (a Play Console CSV)
    report = workspace.import_file(path)
    mentions = stored(workspace)
    assert report.format == "archive"
    assert all('"this is us"' in p for p in report.problems)  # a Reddit archive does not name its owner
    assert report.ingest.inserted == len(mentions) == sum(report.kinds.values()) > 0
    assert kinds_of(workspace) == {source}
    for mention in mentions:
        assert "2013" <= mention["published_at"][:4] <= "2026"  # the platform's date, not today's
        assert mention["status"] == ("done" if mention["ours"] else "new")
    ours = [m for m in mentions if m["ours"]]
    assert len(ours) == report.ours > 0
    assert workspace.count("is:ours") == len(ours) and workspace.count("status:new") == len(mentions) - len(
        ours
    )
    customer, brand = customer_and_ours
    if customer:
        first = next(m for m in mentions if m["text"] == customer)
        assert not first["ours"] and first["author"] and first["thread_external_id"]
        conversation = workspace.thread(first["id"])
        assert [p["ours"] for p in conversation] == [False, True]
    if brand:
        assert any(m["text"].startswith(brand) and m["ours"] for m in mentions)
    again = workspace.import_file(path)
    assert (again.ingest.inserted, again.ingest.updated) == (0, 0)  # the same archive twice adds nothing


def test_a_newer_overlapping_archive_adds_only_what_is_new_and_keeps_triage_work(workspace, tmp_path):
    older = tmp_path / "older"
    (older / "your_activity_across_facebook" / "messages" / "inbox").mkdir(parents=True)
    thread = (
        ARCHIVES / "facebook" / "your_activity_across_facebook" / "messages" / "inbox" / "jenoszabo_10158"
    )
    (older / "your_activity_across_facebook" / "messages" / "inbox" / thread.name).mkdir()
    data = json.loads((thread / "message_1.json").read_text(encoding="utf-8"))
    data["messages"] = data["messages"][1:]  # the older download lacks the newest message
    (
        older / "your_activity_across_facebook" / "messages" / "inbox" / thread.name / "message_1.json"
    ).write_text(json.dumps(data), encoding="utf-8")
    first = workspace.import_file(older)
    customer = next(m for m in stored(workspace, "-is:ours"))
    workspace.set_status([customer["id"]], "needs_response")
    workspace.add_tags([customer["id"]], ["refund"])
    newer = workspace.import_file(zipped(ARCHIVES / "facebook", tmp_path / "facebook.zip"))
    assert newer.ingest.inserted == len(stored(workspace)) - first.ingest.inserted > 0
    kept = workspace.records([customer["id"]])[0]
    assert (kept["status"], kept["tags"]) == ("needs_response", ["refund"])


def test_time_to_first_response_read_from_an_archive(workspace):
    workspace.import_file(ARCHIVES / "twitter")
    workspace.import_file(ARCHIVES / "google_business")
    figures = workspace.templates.response_times()
    # the DM answered in 45.5 minutes, the group DM in 29 minutes, the review in 12.7 hours
    assert (figures["responded"], figures["from_replies"]) == (3, 3)
    assert (figures["median_hours"], figures["p90_hours"]) == (0.8, 12.7)
    assert workspace.templates.response_times("source:google_reviews")["median_hours"] == 12.7


def test_this_is_us_marks_the_brands_side_in_archives_and_files(workspace, tmp_path):
    workspace.imports.set_us(["@AcmeOfficial", " ", "AcmeOfficial"])
    assert workspace.imports.us() == ["AcmeOfficial"]
    workspace.import_file(ARCHIVES / "reddit")
    ours = stored(workspace, "is:ours author:@AcmeOfficial")
    assert sorted(m["external_id"] for m in ours) == ["t1_kx1abcd", "t3_1a9xyz", "t4_2b3c4e"]
    assert {m["status"] for m in ours} == {"done"}  # the comment, the post and the reply to a message
    path = tmp_path / "export.csv"
    path.write_text(
        "id,author,text,date,url\n"
        "1,ann,Where is my order?,2026-01-02 10:00,https://x.com/ann/status/1\n"
        "2,acmeofficial,It left today!,2026-01-02 11:00,https://x.com/acmeofficial/status/2\n"
        "3,bob,Love the app,2026-01-02 12:00,https://x.com/bob/status/3\n",
        encoding="utf-8",
    )
    workspace.import_file(path, ours=["someone-else"])
    assert {m["text"] for m in stored(workspace, "source:twitter is:ours")} == {"It left today!"}


def test_a_mapping_the_user_chose_is_remembered_for_the_next_file_of_the_same_shape(workspace, tmp_path):
    january, february = tmp_path / "january.csv", tmp_path / "february.csv"
    january.write_text("Body Copy,When,Who\nthe battery dies by noon,2026-01-05,ann\n", encoding="utf-8")
    february.write_text("body copy,when,who\ncharger broke again,2026-02-03,bob\n", encoding="utf-8")
    first = workspace.imports.preview(january)
    assert first.summary.field_of("Who") is None and first.summary.source is None
    workspace.imports.remember(first.signature, {"Who": "handle"}, "instagram")
    again = workspace.imports.preview(february)  # next month's export: the same shape
    assert again.summary.field_of("who") == "handle" and again.samples[0].source == "instagram"
    workspace.import_file(february)
    (mention,) = stored(workspace)
    assert (mention["author_handle"], mention["source"]) == ("bob", "instagram")
    workspace.import_file(january, mapping=[], source="facebook")  # given choices win
    assert {m["source"] for m in stored(workspace)} == {"instagram", "facebook"}


def test_an_archive_import_reports_progress_and_can_be_cancelled_then_run_again(workspace, tmp_path):
    posts = [
        {"type": "Create", "published": f"2026-01-{1 + n % 28:02d}T10:00:00Z",
         "object": {"id": f"https://social.example/users/acme/statuses/{n}", "type": "Note",
                    "published": f"2026-01-{1 + n % 28:02d}T10:00:00Z", "content": f"<p>post number {n}</p>",
                    "url": f"https://social.example/@acme/{n}", "inReplyTo": None}}
        for n in range(5000)
    ]  # fmt: skip
    folder = tmp_path / "mastodon"
    folder.mkdir()
    (folder / "actor.json").write_bytes((ARCHIVES / "mastodon" / "actor.json").read_bytes())
    (folder / "outbox.json").write_text(
        json.dumps({"type": "OrderedCollection", "totalItems": len(posts), "orderedItems": posts}),
        encoding="utf-8",
    )
    seen: list[int] = []

    def cancel_after_first_batch(state: TaskState) -> None:
        seen.append(state.done)
        if state.done >= 2000:
            state.cancel()

    with pytest.raises(Cancelled):
        workspace.import_file(folder, state=TaskState(on_progress=cancel_after_first_batch))
    assert 0 < workspace.count("") < len(posts) and seen[0] == 0
    rest = workspace.import_file(folder)
    assert workspace.count("") == len(posts) == rest.ingest.inserted + rest.ingest.unchanged


def test_unknown_and_hostile_archives(workspace, tmp_path):
    unknown = tmp_path / "holiday.zip"
    with zipfile.ZipFile(unknown, "w") as archive:
        archive.writestr("photos/beach.jpg", b"\xff\xd8")
    with pytest.raises(ImportFormatError, match="looked for"):
        workspace.import_file(unknown)
    hostile = zipped(ARCHIVES / "twitter", tmp_path / "twitter.zip")
    with zipfile.ZipFile(hostile, "a") as archive:
        archive.writestr("../../etc/evil.js", b"window.YTD.tweets.part9 = []")
    report = workspace.import_file(hostile)
    assert report.ingest.inserted > 0
    assert any("../../etc/evil.js" in p and "outside" in p for p in report.problems)
    with pytest.raises(UserError, match="--map"):
        workspace.import_file(hostile, mapping=["text=text"])
