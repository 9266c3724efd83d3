"""The digest as PDF, written by Qt's own PDF writer (no browser, no network), with the chart of
mentions per day drawn by QPainter (Qt's rich text does not draw inline SVG)."""

from __future__ import annotations

import math
import os
from datetime import date
from pathlib import Path
from typing import Any

from listener_app.reports.digest import Digest, to_html

SENTIMENT_COLOURS = (("negative", "#e5484d"), ("neutral", "#b9bbc6"), ("positive", "#30a46c"))
CHART = "chart:days"


def nice_ticks(peak: int, count: int = 4) -> list[int]:
    """Whole-number gridline values from 0 to at least `peak`, in steps of 1, 2 or 5 × 10ⁿ."""
    rough = max(1.0, peak / count)
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    top = max(step, math.ceil(peak / step) * step)
    return list(range(0, int(top) + 1, int(step)))


def _chart(days: list[dict[str, Any]], spikes: list[str]) -> Any:
    """Mentions per day stacked by sentiment, as an image 2× the size it is shown at. The
    legend has a band of its own above the plot, the axis is as wide as its longest label,
    bars are never wider than 80 px (one day is a bar, not a wall), and day labels are thinned
    so they never overlap."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

    width, height, bottom, legend_band = 1320, 400, 44, 48
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(24)
    painter.setFont(font)
    metrics = QFontMetrics(font)
    ticks = nice_ticks(max((d["mentions"] for d in days), default=0))
    left = max(metrics.horizontalAdvance(f"{t:,}") for t in ticks) + 20
    top_pad = legend_band + 12
    plot_h, plot_w = height - bottom - top_pad, width - left - 10
    for value in ticks:
        y = top_pad + plot_h * (1 - value / ticks[-1])
        painter.setPen(QColor("#e0e1e6"))
        painter.drawLine(left, int(y), width - 10, int(y))
        painter.setPen(QColor("#60646c"))
        painter.drawText(
            QRectF(0, y - 14, left - 10, 28),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            f"{value:,}",
        )
    slot = plot_w / max(1, len(days))
    bar = min(slot * 0.76, 80.0)
    label_width = metrics.horizontalAdvance("28 Feb") + 24
    label_every = max(1, math.ceil(label_width / slot))
    for i, day in enumerate(days):
        x = left + i * slot + (slot - bar) / 2
        y = float(top_pad + plot_h)
        for key, colour in SENTIMENT_COLOURS:
            h = plot_h * (day[key] or 0) / ticks[-1]
            y -= h
            painter.fillRect(QRectF(x, y, bar, h), QColor(colour))
        centre = left + i * slot + slot / 2
        if day["day"] in spikes:
            painter.setPen(QColor("#1c2024"))
            painter.drawText(QRectF(centre - 20, y - 28, 40, 26), Qt.AlignmentFlag.AlignCenter, "▲")
        if i % label_every == 0:
            painter.setPen(QColor("#60646c"))
            label = date.fromisoformat(day["day"]).strftime("%d %b").lstrip("0")
            at = min(max(centre - label_width / 2, 0), width - label_width)  # never cut at an edge
            painter.drawText(QRectF(at, height - bottom + 8, label_width, 28),
                             Qt.AlignmentFlag.AlignCenter, label)  # fmt: skip
    x = left
    for key, colour in reversed(SENTIMENT_COLOURS):
        painter.fillRect(QRectF(x, 14, 18, 18), QColor(colour))
        painter.setPen(QColor("#60646c"))
        painter.drawText(
            QRectF(x + 26, 4, 160, 36), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, key
        )
        x += 40 + metrics.horizontalAdvance(key)
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
