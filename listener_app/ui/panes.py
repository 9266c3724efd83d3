"""The window's panes: sidebar | (list | detail), with widths that hold from 1280x720 to 4K.

A first window fits its screen; pane widths are remembered, but a remembered layout that would
leave a pane unusable (a squeezed list, a sidebar taking half the window) is replaced by the
defaults for the window's width. A narrower window narrows the list first, and once the list
gets cramped the detail pane gives up width too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtWidgets import QSplitter, QWidget

from listener_app.ui.detail_pane import MIN_WIDTH as DETAIL_MIN_WIDTH

SIDEBAR_MIN_WIDTH = 180
SIDEBAR_MAX_SHARE = 0.3
LIST_MIN_WIDTH = 480  # the Mention column stays readable (inbox_table.MENTION_MIN) beside When and Author
LIST_COMFORT_WIDTH = 640  # below this the detail pane gives up width before the list does
DETAIL_DEFAULT_MAX = 640  # the default detail width on a wide window (the user may widen it)


def default_size(screen: QSize) -> QSize:
    """A first window that fits the screen: most of a small one, 1600x1000 at most."""
    return QSize(
        min(1600, max(1100, screen.width() * 9 // 10)), min(1000, max(640, screen.height() * 9 // 10))
    )


class InboxSplitter(QSplitter):
    """The list and the detail pane side by side; the list takes what a wider window adds."""

    def __init__(self, listing: QWidget, detail: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        listing.setMinimumWidth(LIST_MIN_WIDTH)
        self.addWidget(listing)
        self.addWidget(detail)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 0)
        self.setCollapsible(0, False)
        self.setCollapsible(1, False)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.rebalance()

    def rebalance(self) -> None:
        listing, detail = self.sizes()
        short = LIST_COMFORT_WIDTH - listing
        if short > 0 and detail > DETAIL_MIN_WIDTH:
            give = min(short, detail - DETAIL_MIN_WIDTH)
            self.setSizes([listing + give, detail - give])


class Panes:
    """Saving, restoring and resetting the two splitters of a window."""

    def __init__(self, outer: QSplitter, inbox: InboxSplitter) -> None:
        self.outer, self.inbox = outer, inbox
        self.restored = False
        outer.setStretchFactor(0, 0)
        outer.setStretchFactor(1, 1)
        outer.setCollapsible(1, False)

    def restore(self, settings: QSettings) -> None:
        """The remembered widths; `check` (once the window is shown at its size) keeps them
        only if they are usable."""
        restored = [
            pane.restoreState(state)
            for pane, key in ((self.outer, "sidebar_splitter"), (self.inbox, "inbox_splitter"))
            if (state := settings.value(f"window/{key}"))
        ]
        self.restored = len(restored) == 2 and all(restored)

    def check(self) -> None:
        if not self.restored or not self.usable():
            self.reset()
        self.restored = True  # from now on the user's own

    def save(self, settings: QSettings) -> None:
        settings.setValue("window/sidebar_splitter", self.outer.saveState())
        settings.setValue("window/inbox_splitter", self.inbox.saveState())

    def reset(self) -> None:
        """A compact sidebar and detail pane for the window's width, the list the rest."""
        width = self.outer.window().width()
        sidebar = max(SIDEBAR_MIN_WIDTH, min(260, width * 15 // 100))
        detail = max(DETAIL_MIN_WIDTH, min(DETAIL_DEFAULT_MAX, width * 30 // 100))
        self.outer.setSizes([sidebar, width - sidebar])
        self.inbox.setSizes([width - sidebar - detail, detail])

    def usable(self) -> bool:
        sidebar, rest = self.outer.sizes()
        listing, detail = self.inbox.sizes()
        total = max(1, sidebar + rest)
        return (
            SIDEBAR_MIN_WIDTH <= sidebar <= total * SIDEBAR_MAX_SHARE
            and listing >= LIST_MIN_WIDTH
            and DETAIL_MIN_WIDTH <= detail <= max(DETAIL_DEFAULT_MAX, total * 0.45)
        )
