from __future__ import annotations

import json

from listener_app.eval import __main__ as eval_main
from listener_app.eval.datasets import load
from listener_app.eval.sentiment_eval import accuracy_and_macro_f1, pearson

TWEETS = [
    ("1", "3.1", "I love this phone so much 😍"),
    ("2", "-2.9", "worst service ever, never again"),
    ("3", "0.1", "@acme the store opens at 9 http://x.co"),
    ("4", "2.2", "great camera :)"),
    ("5", "-1.8", "my order is late and nobody answers"),
    ("6", "0.0", "just ordered a pizza"),
]
AMAZON = [
    ("1_1", "2.5", "the picture quality is excellent."),
    ("1_2", "-2.6", "don't buy this player."),
    ("1_3", "0.2", "i bought it in january."),
    ("1_4", "-1.7", "it stopped working after a week."),
]


def _write(path, rows, bom=False):
    text = "\r\n".join("\t".join(r) for r in rows)  # CRLF, no header, no final newline
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))


def test_loader_reads_the_ground_truth_format(tmp_path):
    _write(tmp_path / "amazonReviewSnippets_GroundTruth.txt", AMAZON, bom=True)
    rows = load(tmp_path / "amazonReviewSnippets_GroundTruth.txt")
    assert rows[0] == (2.5, "the picture quality is excellent.")
    assert len(rows) == 4 and rows[-1][1] == "it stopped working after a week."


def test_eval_prints_table_and_json(tmp_path, monkeypatch, capsys):
    _write(tmp_path / "tweets_GroundTruth.txt", TWEETS)
    _write(tmp_path / "amazonReviewSnippets_GroundTruth.txt", AMAZON, bom=True)
    monkeypatch.setenv("LISTENER_EVAL_DATA", str(tmp_path))
    assert eval_main.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "pearson r" in out and "macro-F1" in out and "texts/s" in out
    figures = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    sentiment = [f for f in figures if f["eval"] == "sentiment"]
    assert {(f["dataset"], f["scorer"]) for f in sentiment} >= {
        (d, s) for d in ("tweets", "amazon") for s in ("textblob", "vader", "listener")
    }
    assert all(-1 <= f["pearson_r"] <= 1 and 0 <= f["accuracy"] <= 1 for f in sentiment)
    assert any(f["eval"] == "intent" and f.get("split") == "heldout" for f in figures)


def test_eval_without_data_skips_sentiment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LISTENER_EVAL_DATA", str(tmp_path / "missing"))
    assert eval_main.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "sentiment skipped" in out and "Intent on the hand-labelled set" in out


def test_metrics():
    assert accuracy_and_macro_f1(["positive", "negative"], ["positive", "negative"])[0] == 1.0
    assert round(pearson([1, 2, 3], [2, 4, 6]), 6) == 1.0
