"""The digest as PDF, written by Qt's own PDF writer (no browser, no network)."""

from __future__ import annotations

from pathlib import Path

from listener_app.reports.digest import Digest, to_html


def write_pdf(digest: Digest, path: Path) -> None:
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
    from PySide6.QtWidgets import QApplication

    # A QApplication (not only a QGuiApplication), so the window can share it in the same process.
    app = QApplication.instance() or QApplication([])  # noqa: F841 - Qt needs an application object
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
    writer.setTitle(digest.title)
    document = QTextDocument()
    document.setHtml(to_html(digest, charts=False))  # QTextDocument does not draw inline SVG
    document.print_(writer)
