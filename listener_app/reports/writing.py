"""Writing a digest to a file in the format asked for, atomically: a full disk or a folder that
cannot be written is one clear line, and never leaves half a report under the name asked for."""

from __future__ import annotations

from pathlib import Path

from listener_app.domain.errors import UserError
from listener_app.formats.writing import atomic
from listener_app.reports.digest import Digest, to_html, to_markdown


def write_digest(digest: Digest, fmt: str, path: Path) -> Path:
    """Write a digest as md, html or pdf (the PDF through Qt)."""

    def write(tmp: Path) -> int:
        if fmt == "md":
            return tmp.write_text(to_markdown(digest), encoding="utf-8")
        if fmt == "html":
            return tmp.write_text(to_html(digest), encoding="utf-8")
        from listener_app.reports.pdf import write_pdf

        write_pdf(digest, tmp)
        if tmp.stat().st_size == 0:  # Qt's PDF writer says nothing when it cannot write
            raise UserError(f"{path.name} could not be written (is the disk full?)")
        return tmp.stat().st_size

    atomic(path, write)
    return path
