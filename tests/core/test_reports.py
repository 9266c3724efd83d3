from __future__ import annotations

from datetime import UTC, date, datetime

from listener_app.cli import main
from listener_app.core.demo import build_demo
from listener_app.db import open_workspace
from listener_app.reports.digest import build_digest, to_html, to_markdown


def test_digest_in_three_formats(tmp_path, capsys):
    db = tmp_path / "d.listener.db"
    with open_workspace(db) as ws:
        build_demo(ws, count=400, now=datetime(2026, 11, 1, tzinfo=UTC))
        digest = build_digest(ws, "", date(2026, 10, 18), date(2026, 11, 1))
    assert digest.headline[0][0] == "Mentions" and digest.headline[0][1] > 0
    assert "## Still open" in to_markdown(digest) and "<svg" in to_html(digest)
    assert all("GIVEAWAY" not in r["text"] for r in digest.praise)
    for fmt in ("md", "html", "pdf"):
        out = tmp_path / f"digest.{fmt}"
        assert (
            main(
                [
                    "report",
                    "--db",
                    str(db),
                    "--from",
                    "2026-10-18",
                    "--to",
                    "2026-10-31",
                    "--format",
                    fmt,
                    "--out",
                    str(out),
                ]
            )
            == 0
        )
        assert out.stat().st_size > 500
    assert (tmp_path / "digest.pdf").read_bytes().startswith(b"%PDF")
    assert (
        main(
            [
                "report",
                "--db",
                str(db),
                "--from",
                "2026-11-02",
                "--to",
                "2026-11-01",
                "--out",
                str(tmp_path / "x"),
            ]
        )
        == 1
    )
