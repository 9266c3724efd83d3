from __future__ import annotations

from datetime import UTC, date, datetime

from listener_app.cli import main
from listener_app.reports.digest import build_digest, build_packets, tag_groups, to_html, to_markdown
from listener_app.workspace import Workspace


def test_digest_in_three_formats(tmp_path, capsys):
    db = tmp_path / "d.listener.db"
    with Workspace.open(db) as ws:
        ws.build_demo(count=400, now=datetime(2026, 11, 1, tzinfo=UTC))
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


def test_feedback_packets_one_per_tag_group(tmp_path):
    db = tmp_path / "p.listener.db"
    with Workspace.open(db) as ws:
        ws.build_demo(count=400, now=datetime(2026, 11, 1, tzinfo=UTC))
        groups = tag_groups(ws)
        packets = build_packets(ws, "", date(2026, 10, 1), date(2026, 11, 2))
        assert set(packets) == set(groups) == {"Billing", "Marketing", "Product", "Support"}
        product = packets["Product"]
        assert product.title.endswith("for Product")
        # only mentions carrying a Product tag (battery, bug, feature-request), and all of them
        in_period = "after:2026-10-01 before:2026-11-02"
        product_tags = "(tag:battery OR tag:bug OR tag:feature-request)"
        assert product.headline[0][1] == ws.count(f"{in_period} {product_tags}") > 0
        quoted = {r["id"] for r in product.open_items + product.praise + product.complaints}
        tagged = set(ws.matching(product_tags))
        assert quoted and quoted <= tagged
        assert packets["Billing"].headline[0][1] == ws.count(f"{in_period} tag:billing")
    out = tmp_path / "packets"
    assert main(["report", "--db", str(db), "--from", "2026-10-01", "--to", "2026-11-01", "--packets",
                 "--format", "md", "--out", str(out)]) == 0  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == ["billing.md", "marketing.md", "product.md", "support.md"]
    assert "for Support" in (out / "support.md").read_text(encoding="utf-8")


def test_packets_need_tag_groups(tmp_path):
    db = tmp_path / "empty.listener.db"
    Workspace.open(db).close()
    assert main(["report", "--db", str(db), "--packets", "--out", str(tmp_path / "none")]) == 1


def test_quotes_are_about_the_brand_whole_and_never_repeated(tmp_path):
    from listener_app.reports.digest import shorten
    from listener_app.reports.quotes import QUOTE_MIN_WORDS

    with Workspace.open(tmp_path / "q.listener.db") as ws:
        ws.build_demo(count=600, now=datetime(2026, 11, 1, tzinfo=UTC))
        digest = build_digest(ws, "", date(2026, 10, 4), date(2026, 11, 1))
        brand = set(ws.matching("tracker:Acme"))
        competitor = build_digest(ws, "tracker:Zenith", date(2026, 10, 4), date(2026, 11, 1))
    quoted = digest.open_items + digest.praise + digest.complaints
    assert quoted and all(r["id"] in brand for r in quoted)  # a competitor's complaint is not ours to answer
    assert all(len(r["text"].split()) >= QUOTE_MIN_WORDS for r in quoted)
    ids = [r["id"] for r in quoted]
    assert len(ids) == len(set(ids))  # the complaints section does not repeat what is still open
    assert all("Zenith" in r["trackers"] for r in competitor.open_items + competitor.complaints)
    assert (
        shorten("Since 12.2.1 my Acme Buds reboots randomly at night", 40)
        == "Since 12.2.1 my Acme Buds reboots…"
    )
    assert all(len(what) <= 61 for what, _note in digest.notes)
