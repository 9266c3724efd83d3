from __future__ import annotations

import json
import subprocess
import sys

from listener_app.cli import main
from listener_app.domain.models import Item
from listener_app.store import open_store
from listener_app.workspace.ingest import ingest_items


def test_init_then_stats(tmp_path, capsys):
    db = str(tmp_path / "w.db")
    assert main(["init", "--db", db]) == 0
    assert "Created workspace" in capsys.readouterr().out
    with open_store(db) as ws:
        ingest_items(
            ws, [Item(source="rss", external_id="1", text="hello", published_at="2026-01-01")], score=False
        )
    assert main(["--db", db, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["mentions"] == 1 and stats["by_source"] == {"rss": 1}


def test_missing_workspace_is_one_readable_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "listener_app", "stats", "--db", str(tmp_path / "none.db")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("listener: error: No workspace at")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_version():
    result = subprocess.run(
        [sys.executable, "-m", "listener_app", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("listener ")


def test_trackers_rules_relearn_from_the_command_line(tmp_path, capsys):
    db = str(tmp_path / "w.db")
    with open_store(db) as ws:
        ingest_items(
            ws,
            [
                Item(source="rss", external_id=str(n), text=t, published_at="2026-01-01")
                for n, t in enumerate(["acme refund please", "zenith is fine", "acme phone love"])
            ],
            score=False,
        )
    assert main(["tracker", "add", "Acme", '"acme phone" OR acme', "--db", db]) == 0
    assert "matches 2 stored mentions" in capsys.readouterr().out
    assert main(["rule", "add", "Refunds", "--when", "refund", "--do", "tag:billing", "--db", db]) == 0
    assert main(["rule", "run", "--db", db]) == 0
    assert "Refunds: 1 mentions" in capsys.readouterr().out
    assert main(["rule", "export", str(tmp_path / "rules.json"), "--db", db]) == 0
    assert main(["relearn", "--db", db]) == 0
    assert main(["search", "tracker:Acme tag:billing", "--db", db]) == 0
    assert "1 of 1 mentions" in capsys.readouterr().out
    assert main(["search", "stauts:new", "--db", db]) == 1


def test_relearn_says_how_far_to_trust_each_model_and_what_applying_means(tmp_path, capsys):
    db = str(tmp_path / "w.db")
    broken = ("needs an RMA", "boot loops", "is a paperweight now", "went to the repair depot")
    fine = ("arrived today", "ships on Friday", "was on sale", "comes in grey")
    with open_store(db) as ws:
        ingest_items(
            ws,
            [
                Item(
                    source="rss",
                    external_id=f"{kind}{n}",
                    text=f"My phone {words[n % 4]} #{n}",
                    published_at="2026-01-01",
                    sentiment=kind,
                )
                for kind, words in (("negative", broken), ("neutral", fine))
                for n in range(20)
            ]
            + [Item(source="rss", external_id="new", text="My watch boot loops", published_at="2026-01-02")],
        )
    assert main(["relearn", "--apply", "0.8", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Learned from the labels of 40 mentions" in out
    assert "learned sentiment: 1.00 macro-F1 on your 40 labels, automatic 0." in out
    assert "calibration, confidence said -> were right: " in out
    assert "intent: needs 16 more labels" in out
    assert "Ask me: the 1 mentions" in out
    assert (
        "1 learned labels stand: applying at 0.8 applies learned labels, from the most confident down" in out
    )
    assert main(["search", "sentiment:negative boot", "--db", db]) == 0
    assert "My watch boot loops" in capsys.readouterr().out
    assert main(["relearn", "--apply", "1.5", "--db", db]) == 1
    assert "at least 0.5 and below 1" in capsys.readouterr().err
