"""Draws the app icon (a speech bubble with sound waves: listening) into resources/icons."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    p.setBrush(QColor("#3e63dd"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(16 * s, 16 * s, 224 * s, 224 * s), 52 * s, 52 * s)
    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(56 * s, 64 * s, 112 * s, 88 * s), 30 * s, 30 * s)
    bubble.moveTo(84 * s, 146 * s)
    bubble.lineTo(70 * s, 186 * s)
    bubble.lineTo(112 * s, 150 * s)
    p.setBrush(QColor("#ffffff"))
    p.drawPath(bubble.simplified())
    pen = QPen(QColor("#ffffff"), 12 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    for r in (26, 50):
        p.drawArc(
            QRectF(QPointF(168 * s - r * s, 108 * s - r * s), QPointF(168 * s + r * s, 108 * s + r * s)),
            -45 * 16,
            90 * 16,
        )
    p.end()
    return image


if __name__ == "__main__":
    app = QGuiApplication([])
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(OUT / "app.png"))
    draw(256).save(str(OUT / "app.ico"))
    print(f"Icon in {OUT}")
