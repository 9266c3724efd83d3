"""The digest as PDF, written by Qt's own PDF writer (no browser, no network), with the chart of
mentions per day drawn by QPainter (Qt's rich text does not draw inline SVG)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from listener_app.reports.digest import Digest, to_html

SENTIMENT_COLOURS = (("negative", "#e5484d"), ("neutral", "#b9bbc6"), ("positive", "#30a46c"))
CHART = "chart:days"


def _chart(days: list[dict[str, Any]], spikes: list[str]) -> Any:
    """Mentions per day stacked by sentiment, as an image 2× the size it is shown at."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    width, height, left, bottom, top_pad = 1320, 360, 70, 44, 24
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(24)
    painter.setFont(font)
    peak = max((d["mentions"] for d in days), default=0) or 1
    plot_h, plot_w = height - bottom - top_pad, width - left - 10
    painter.setPen(QColor("#e0e1e6"))
    for step in range(5):
        y = top_pad + plot_h * step / 4
        painter.drawLine(left, int(y), width - 10, int(y))
        painter.setPen(QColor("#60646c"))
        painter.drawText(
            QRectF(0, y - 12, left - 10, 24), Qt.AlignmentFlag.AlignRight, f"{round(peak * (4 - step) / 4):,}"
        )
        painter.setPen(QColor("#e0e1e6"))
    slot = plot_w / max(1, len(days))
    label_every = max(1, len(days) // 10)
    for i, day in enumerate(days):
        y = float(top_pad + plot_h)
        for key, colour in SENTIMENT_COLOURS:
            h = plot_h * (day[key] or 0) / peak
            y -= h
            painter.fillRect(QRectF(left + i * slot + slot * 0.12, y, slot * 0.76, h), QColor(colour))
        painter.setPen(QColor("#1c2024") if day["day"] in spikes else QColor("#60646c"))
        if day["day"] in spikes:
            painter.drawText(
                QRectF(left + i * slot - 20, y - 26, slot + 40, 24), Qt.AlignmentFlag.AlignCenter, "▲"
            )
        if i % label_every == 0:
            painter.drawText(QRectF(left + i * slot - 30, height - bottom + 8, slot + 60, 24),
                             Qt.AlignmentFlag.AlignCenter, day["day"][5:])  # fmt: skip
    x = left
    for key, colour in reversed(SENTIMENT_COLOURS):
        painter.fillRect(QRectF(x, 2, 14, 14), QColor(colour))
        painter.setPen(QColor("#60646c"))
        painter.drawText(QRectF(x + 20, -2, 120, 24), Qt.AlignmentFlag.AlignLeft, key)
        x += 120
    painter.end()
    return image


def write_pdf(digest: Digest, path: Path) -> None:
    from PySide6.QtCore import QMarginsF, QUrl
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the command line needs no screen
    # A QApplication (not only a QGuiApplication), so the window can share it in the same process.
    app = QApplication.instance() or QApplication([])  # noqa: F841 - Qt needs an application object
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(16, 16, 16, 16), QPageLayout.Unit.Millimeter)
    writer.setTitle(digest.title)
    writer.setCreator("Listener")
    document = QTextDocument()
    document.setDocumentMargin(0)
    if digest.days:
        document.addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(CHART), _chart(digest.days, digest.spikes)
        )
    document.setHtml(to_html(digest, chart=CHART if digest.days else None))
    document.print_(writer)
