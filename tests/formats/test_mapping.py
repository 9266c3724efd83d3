"""Columns understood by name and by value, the mapping summary, and the dry-run preview."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from listener_app.domain.errors import UserError
from listener_app.formats.columns import header_signature, parse_map
from listener_app.formats.preview import preview
from listener_app.store.mentions import mention_records
from listener_app.store.search import mention_ids
from listener_app.workspace.importing import import_file

FIXTURES = Path(__file__).parent.parent / "fixtures"
AIRLINE = FIXTURES / "imports" / "airline_tweets.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_airline_tweets_import_with_no_map(ws):
    """The Kaggle airline file's shape: dates from tweet_created, people's labels kept as
    manual, retweets as metrics, authors from `name`, and the platform is twitter."""
    report = import_file(ws, AIRLINE, score=True)
    rows = _rows(AIRLINE)
    assert (report.ingest.inserted, report.errors) == (len(rows), [])
    stored = {r["external_id"]: r for r in mention_records(ws, mention_ids(ws, ""))}
    for row in rows:
        mention = stored[row["tweet_id"]]
        assert mention["published_at"].startswith("2015-02-2"), row["tweet_created"]
        assert (mention["sentiment"], mention["sentiment_origin"]) == (row["airline_sentiment"], "manual")
        assert mention["metrics"].get("shares") == int(row["retweet_count"])
        assert (mention["author"], mention["source"]) == (row["name"], "twitter")
    first = stored[rows[0]["tweet_id"]]
    assert first["published_at"] == "2015-02-24T15:01:03Z"  # 07:01:03 -0800


def test_airline_dry_run_shows_the_mapping_samples_and_no_problems():
    result = preview(AIRLINE)
    summary = result.summary
    assert (result.format, result.preset, result.problems) == ("csv", None, [])
    assert {c.column: c.field for c in summary.mapped} == {
        "tweet_id": "external_id", "airline_sentiment": "sentiment", "name": "author",
        "retweet_count": "shares", "text": "text", "tweet_created": "date",
    }  # fmt: skip
    why = {c.column: c.why for c in summary.choices}
    assert why["tweet_created"].startswith("values are dates (50 of 50)")
    assert "kept as manual labels" in why["airline_sentiment"]
    assert why["airline_sentiment_gold"] == "another sentiment column (airline_sentiment is used)"
    assert why["airline_sentiment_confidence"] == "a confidence score, not a label"
    assert "--map airline=tags" in why["airline"]
    assert summary.source == "twitter" and summary.warnings == []
    assert [s.published_at[:10] for s in result.samples] == ["2015-02-24"] * 5
    assert all(s.source == "twitter" and s.sentiment for s in result.samples)
    printed = str(result)
    assert "tweet_created" in printed and "-> date" in printed and "Left out:" in printed
    assert "No problems found" in printed


def test_numbers_and_bare_years_in_a_date_column_are_problems_not_december_days(ws, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,text,date\n1,fine,2026-03-01 10:00\n2,minus one,-1\n3,a year,2026\n4,also fine,2026-03-02\n"
        "5,fine too,2026-03-03\n6,and this,2026-03-04\n",
        encoding="utf-8",
    )
    result = preview(path)
    assert result.summary.field_of("date") == "date"
    assert "2 of 6 values read are not dates (e.g. '-1')" in result.summary.warnings[0]
    assert result.problems == [
        "line 3: '-1' is a number, not a date",
        "line 4: '2026' is a bare year, not a date",
    ]
    report = import_file(ws, path, score=False)
    assert [n for n, _ in report.errors] == [3, 4] and report.ingest.inserted == 4
    assert not ws.scalar("SELECT count(*) FROM mentions WHERE published_at LIKE '2026-12%'")


def test_records_that_name_their_date_two_ways_take_it_from_the_key_most_of_them_have(ws, tmp_path):
    """JSON records merged from two tools: six say 'published_at', one 'created_at' (which the
    names alone would prefer). The six keep their dates rather than taking the import's time."""
    path = tmp_path / "merged.jsonl"
    records = [
        {"id": f"a{i}", "text": f"post {i}", "published_at": f"2026-10-0{i + 1}T10:00:00Z"} for i in range(6)
    ]
    records.append({"id": "b", "text": "other tool", "created_at": "2026-10-09T10:00:00Z"})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert preview(path).summary.field_of("published_at") == "date"
    import_file(ws, path, score=False)
    dates = dict(ws.conn.execute("SELECT external_id, published_at FROM mentions"))
    assert [dates[f"a{i}"] for i in range(6)] == [f"2026-10-0{i + 1}T10:00:00Z" for i in range(6)]


def test_two_columns_mapped_to_one_field_are_refused_with_a_message():
    with pytest.raises(UserError, match="'a' and 'b' both map to text"):
        parse_map(["a=text", "b=text"])
    assert parse_map(["a=skip", "b=skip", "c=text"]) == {"a": "skip", "b": "skip", "c": "text"}


def test_map_names_a_key_that_a_later_record_of_the_sample_has(ws, tmp_path):
    """--map is checked against the keys of all the records read to decide the columns, not
    only the first one's (records merged from two tools differ in theirs)."""
    path = tmp_path / "merged.jsonl"
    records = [{"id": "a", "text": "first tool", "published_at": "2026-10-01T10:00:00Z"}]
    records.append({"id": "b", "text": "second tool", "published_at": "2026-10-02T10:00:00Z", "stars": 4})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    import_file(ws, path, mapping=["stars=metric:rating"], score=False)
    metrics = dict(ws.conn.execute("SELECT external_id, metrics FROM mentions"))
    assert (metrics["a"], json.loads(metrics["b"])) == (None, {"rating": 4})


def test_records_merged_from_two_tools_each_keep_their_text_and_date(ws, tmp_path):
    """Most records say 'text' and 'published_at', a few 'content' or 'body' and 'created_at':
    each record's own keys feed the fields the common keys leave empty for it, and the summary
    says so (before, those rows were skipped as having no text)."""
    path = tmp_path / "merged.jsonl"
    records = [
        {"id": f"a{i}", "text": f"post {i}", "published_at": f"2026-10-0{i + 1}T10:00:00Z"} for i in range(6)
    ]
    records.append({"id": "b", "content": "from the other tool", "created_at": "2026-10-09T10:00:00Z"})
    records.append({"id": "c", "body": "and a third", "published_at": "2026-10-08T10:00:00Z"})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    summary = preview(path).summary
    assert not [w for w in summary.warnings if "date" in w]
    choices = {c.column: (c.field, c.why) for c in summary.choices}
    assert choices["content"] == ("text", "where a record has no 'text': 1 of 8 rows read")
    assert choices["created_at"] == ("date", "where a record has no 'published_at': 1 of 8 rows read")
    report = import_file(ws, path, score=False)
    assert (report.ingest.inserted, report.errors) == (8, [])
    stored = {r[0]: r[1:] for r in ws.conn.execute("SELECT external_id, text, published_at FROM mentions")}
    assert stored["b"] == ("from the other tool", "2026-10-09T10:00:00Z")
    assert stored["c"] == ("and a third", "2026-10-08T10:00:00Z")
    assert stored["a5"] == ("post 5", "2026-10-06T10:00:00Z")


def test_the_date_matched_by_name_stays_beside_a_fuller_date_column(tmp_path):
    path = tmp_path / "export.csv"
    lines = ["id,text,created_at,updated_at"]
    lines += [f"{i},post {i},2026-03-0{i}," + "2026-04-01" for i in range(1, 10)]
    lines.append("10,post 10,,2026-04-01")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert preview(path).summary.field_of("created_at") == "date"


def test_a_missing_date_column_is_a_loud_warning(tmp_path):
    path = tmp_path / "no_dates.csv"
    path.write_text("id,comment,channel\n1,Love it,web\n2,Hate it,web\n", encoding="utf-8")
    result = preview(path)
    assert result.summary.warnings[0].startswith("No date column")
    assert "WARNING: No date column" in str(result)
    assert result.summary.field_of("comment") == "text"


def test_columns_found_by_their_values_alone(tmp_path):
    path = tmp_path / "odd.csv"
    rows = [
        ["stamp", "feeling", "stars", "words", "views_total"],
        ["03/15/2026 10:00", "pos", "4", "The new battery lasts two full days now, impressive", "1,204"],
        ["03/16/2026 11:30", "neg", "1", "Charger stopped working after a week, very disappointed", "88"],
        ["03/17/2026 09:15", "neutral", "3", "Does the case fit the older model or only the new one?", "5"],
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    result = preview(path)
    fields = {c.column: c.field for c in result.summary.mapped}
    assert fields == {
        "stamp": "date", "feeling": "sentiment", "stars": "metric:rating", "words": "text", "views_total": "metric:views",
    }  # fmt: skip
    sample = result.samples[0]
    assert (sample.published_at, sample.sentiment, sample.metrics) == (
        "2026-03-15T10:00:00Z", "positive", {"rating": 4, "views": 1204},
    )  # fmt: skip


def test_json_records_are_understood_the_same_way(ws, tmp_path):
    path = tmp_path / "tweets.json"
    path.write_text(
        json.dumps(
            [
                {
                    "tweet_id": "9",
                    "full_text": "Delayed again",
                    "tweet_created": "2015-02-24 11:35:52 -0800",
                    "favorite_count": 2,
                },
                {
                    "tweet_id": "10",
                    "full_text": "Thanks crew!",
                    "tweet_created": "2015-02-24 12:00:00 -0800",
                    "favorite_count": 0,
                },
            ]
        ),
        encoding="utf-8",
    )
    report = import_file(ws, path, score=False)
    assert report.ingest.inserted == 2
    first = next(r for r in mention_records(ws, mention_ids(ws, "")) if r["external_id"] == "9")
    assert (first["published_at"], first["source"], first["metrics"]) == (
        "2015-02-24T19:35:52Z",
        "twitter",
        {"likes": 2},
    )


def test_the_users_map_wins_and_is_said_so(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("when,body,note\n2026-01-01,hello there,x\n", encoding="utf-8")
    result = preview(path, ["note=text", "body=skip"])
    why = {c.column: (c.field, c.why) for c in result.summary.choices}
    assert why["note"] == ("text", "your map") and why["body"] == (None, "left out by your map")
    assert result.samples[0].text == "x"


def test_header_signature_ignores_case_and_spacing_but_not_columns():
    assert header_signature(["Tweet ID", "text "]) == header_signature(["tweet_id", "TEXT"])
    assert header_signature(["tweet_id", "text"]) != header_signature(["text", "tweet_id"])
    assert preview(AIRLINE).signature == header_signature(next(csv.reader(AIRLINE.open(encoding="utf-8"))))


def test_preview_of_an_archive_shows_each_kind_of_post(tmp_path):
    result = preview(FIXTURES / "archives" / "twitter")
    assert (result.format, result.archive_kinds, result.problems) == ("archive", ["twitter"], [])
    kinds = {(s.extra["kind"], s.ours) for s in result.samples}
    assert ("message", False) in kinds and ("message", True) in kinds and ("post", True) in kinds
    assert "twitter" in str(result) and "[ours]" in str(result)


def test_preview_of_an_unreadable_file_explains_and_stores_nothing(tmp_path):
    path = tmp_path / "photos.zip"
    path.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip
    result = preview(path)
    assert not result.importable and "no platform export recognised" in result.problems[0]
    assert preview(tmp_path / "missing.csv").problems == [f"No file at {tmp_path / 'missing.csv'}"]


def test_another_tools_comments_json_is_a_file_of_mentions_not_a_facebook_archive(tmp_path):
    path = tmp_path / "comments.json"
    path.write_text(
        json.dumps([{"id": 1, "comment": "Great service", "created": "2026-01-05T10:00:00Z"}]),
        encoding="utf-8",
    )
    result = preview(path)
    assert (result.format, result.archive_kinds) == ("json", [])
    assert result.samples[0].published_at == "2026-01-05T10:00:00Z"


def test_rows_without_a_date_are_named_in_the_problems(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text(
        "id,text,date\n1,one,2026-01-01\n2,two,\n3,three,2026-01-03\n4,four,2026-01-04\n", encoding="utf-8"
    )
    result = preview(path)
    assert result.problems == ["line 3: no date: would be dated by the time of the import"]
    assert "1 of 4 rows read have no date" in result.summary.warnings[0]


def test_the_platform_of_a_file_from_its_name_or_the_users_choice_and_a_warning_when_nothing_says(tmp_path):
    rows = "text,date,author\nthe charger broke after a week,2026-01-05,ann\nlove the new colours,2026-01-06,acme\n"
    unnamed = tmp_path / "survey.csv"
    unnamed.write_text(rows, encoding="utf-8")
    result = preview(unnamed)
    assert result.summary.source is None and {s.source for s in result.samples} == {"import"}
    assert any(
        w.startswith("Nothing says which platform") and "--source" in w for w in result.summary.warnings
    )
    chosen = preview(unnamed, source="Instagram", ours=["@Acme"])
    assert {s.source for s in chosen.samples} == {"instagram"} and chosen.summary.warnings == []
    assert [(s.author.handle, s.ours) for s in chosen.samples] == [("ann", False), ("acme", True)]
    named = tmp_path / "facebook_comments_2026-01.csv"
    named.write_text(rows, encoding="utf-8")
    result = preview(named)
    assert result.summary.source == "facebook" and "the file's name says so" in result.summary.source_why
    assert {s.source for s in result.samples} == {"facebook"} and result.summary.warnings == []
