"""Writing a digest to a file in the format asked for."""

from __future__ import annotations

from pathlib import Path

from listener_app.reports.digest import Digest, to_html, to_markdown


def write_digest(digest: Digest, fmt: str, path: Path) -> Path:
    """Write a digest as md, html or pdf (the PDF through Qt)."""
    if fmt == "md":
        path.write_text(to_markdown(digest), encoding="utf-8")
    elif fmt == "html":
        path.write_text(to_html(digest), encoding="utf-8")
    else:
        from listener_app.reports.pdf import write_pdf

        write_pdf(digest, path)
    return path
