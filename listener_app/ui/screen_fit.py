"""A dialog's first size, capped to the screen it opens on.

Dialogs ask for the size that shows their content best (an import preview 1120 wide, the people
list 1420). On a 1280x720 laptop that would put their buttons below the screen's edge, so the
size asked for is cut to nine tenths of the screen's free area; the layout scrolls or squeezes.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

SHARE = 0.9


def capped(wanted: QSize, available: QSize) -> QSize:
    """`wanted`, no wider or taller than SHARE of `available`."""
    return QSize(
        min(wanted.width(), int(available.width() * SHARE)),
        min(wanted.height(), int(available.height() * SHARE)),
    )


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize `widget` to width x height, or less where its screen is smaller."""
    widget.resize(capped(QSize(width, height), widget.screen().availableGeometry().size()))
