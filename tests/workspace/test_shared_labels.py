"""The labels an import's workers share (workspace.shared_labels): what one process puts, another
reads; a slot caught half-written reads as empty; and an import's workers read the table."""

from __future__ import annotations

import json
import mmap
import subprocess
import sys

from listener_app.domain import auto_labels as auto
from listener_app.domain.auto_labels import text_key as _key
from listener_app.domain.intent import classify_intent
from listener_app.domain.sentiment import score_text
from listener_app.store import open_store
from listener_app.workspace import shared_labels
from listener_app.workspace.importing import ImportPlan, import_file
from listener_app.workspace.shared_labels import SLOT, SharedLabels


def test_labels_one_process_puts_another_reads(tmp_path):
    path = shared_labels.create(tmp_path, slots=64)
    writer, reader = SharedLabels(path), SharedLabels(path)  # as two workers map it
    assert reader.get(_key("never scored")) is None  # an empty slot fails its check
    for n, labels in enumerate([("positive", 0.6249, "praise"), ("negative", -0.05, "complaint")]):
        writer.put(_key(f"text {n}"), labels)
        assert reader.get(_key(f"text {n}")) == labels


def test_a_slot_caught_half_written_or_taken_by_another_text_reads_as_empty(tmp_path):
    path = shared_labels.create(tmp_path, slots=1)  # every text falls on one slot
    labels = SharedLabels(path)
    labels.put(_key("first"), ("neutral", 0.0, "other"))
    labels.put(_key("second"), ("negative", -0.5, "question"))
    assert labels.get(_key("first")) is None
    assert labels.get(_key("second")) == ("negative", -0.5, "question")
    with path.open("r+b") as file, mmap.mmap(file.fileno(), 0) as table:
        table[20] ^= 0xFF  # a byte of the score another process is writing
    assert labels.get(_key("second")) is None
    assert path.stat().st_size == SLOT


def test_an_import_s_workers_read_the_labels_they_share(tmp_path, monkeypatch):
    """Labels put in the table beforehand are the ones the rows get (made wrong on purpose here,
    to see them used); the table gets every other text's labels, those the scorer gives."""
    import listener_app.workspace.importing as importers
    import listener_app.workspace.workers as workers

    texts = [f"Post {n}: the Acme X2 battery {'died again' if n % 2 else 'is great'}" for n in range(30)]
    path = tmp_path / "mentions.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": f"m-{n}", "source": "reddit", "text": texts[n % 30], "date": "2026-03-01"})
            + "\n"
            for n in range(90)
        ),
        encoding="utf-8",
    )
    table = shared_labels.create(tmp_path)
    SharedLabels(table).put(_key(texts[0]), ("negative", -0.9, "suggestion"))
    monkeypatch.setattr(workers, "create_shared_labels", lambda _folder: table)
    monkeypatch.setattr(importers, "plan_import", lambda rows, stored, score: ImportPlan(rows, 2, False, 600))
    ws = open_store(tmp_path / "ws.db")

    import_file(ws, path)

    stored = dict(
        ws.execute("SELECT text, json_array(sentiment, sentiment_score, intent) FROM mentions").fetchall()
    )
    assert json.loads(stored[texts[0]]) == ["negative", -0.9, "suggestion"]
    shared = SharedLabels(table)
    for text in texts[1:]:
        sentiment = score_text(text)
        expected = [sentiment.label, sentiment.score, classify_intent(text, sentiment)]
        assert json.loads(stored[text]) == expected
        assert list(shared.get(_key(text)) or ()) == expected
    assert auto._shared is None  # this process shares nothing


def test_an_import_without_sentiment_loads_no_scorer_in_its_own_process(tmp_path):
    """The table is made by the import's process and read by its workers: only they load the
    scorers (VADER's and TextBlob's modules, the intent patterns)."""
    path = tmp_path / "mentions.jsonl"
    path.write_text('{"id": "1", "source": "reddit", "text": "The battery died", "date": "2026-03-01"}\n')
    script = (
        "import sys; from listener_app.cli import main; "
        "main(['import', sys.argv[1], '--db', sys.argv[2], '--no-score']); "
        "print(sorted(m for m in ('listener_app.domain.sentiment', 'listener_app.domain.intent', "
        "'vaderSentiment.vaderSentiment') if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(path), str(tmp_path / "ws.db")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip().splitlines()[-1] == "[]"
