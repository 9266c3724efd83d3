"""What the window says before there is anything to triage: on the demo workspace, what it is
and how to start on one's own data; in an empty workspace, how to bring mentions in. The same
words serve the banner above the list, the empty list and the empty detail pane."""

from __future__ import annotations

import html

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

HIDE_DEMO_KEY = "welcome/demo_hidden"

DEMO = (
    "<b>This is the demo workspace</b>: 3,000 made-up mentions of Acme, a fictional phone maker, "
    "and two competitors, to try Listener on (j / k move, e done, r needs response, ? every key). "
    "Your own data goes in a workspace of its own, one per client or brand."
)
EMPTY = (
    "<b>This workspace has no mentions yet.</b> Import a file (a CSV or Excel export of another "
    "tool, JSON, or a platform's “download your data” archive), drop one on this window, or add "
    "a source (feeds, Mastodon, Hacker News, Reddit, app reviews…) to fetch from."
)
EMPTY_LINKS = (
    "<a href='import'>Import a file…</a> (Ctrl+I) &nbsp;·&nbsp; <a href='sources'>Add a source…</a> "
    "(Ctrl+Shift+S) &nbsp;·&nbsp; or drop an export on this window"
)


def empty_workspace_html() -> str:
    return f"<p>{EMPTY}</p><p>{EMPTY_LINKS}</p>"


def no_results_html(query: str) -> str:
    """The empty list of a search: what was searched and where to go from there."""
    if query.strip() == "status:new":
        return (
            "<p><b>Nothing new.</b> Every mention has been triaged.</p>"
            "<p>New ones arrive with the next fetch (F5) or import. "
            "<a href='all'>All mentions</a> · <a href='needs'>Needs response</a></p>"
        )
    return (
        f"<p><b>No mentions match</b> <code>{html.escape(query)}</code>.</p>"
        "<p>Check the spelling, take a filter away, or <a href='all'>search all mentions</a>.</p>"
    )


class Banner(QFrame):
    """A note above the list with buttons; `chosen` says which ("new", "open", "import", "sources")."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.kind = ""
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(8)
        close = QPushButton("✕")
        close.setFlat(True)
        close.setAccessibleName("Hide this note")
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(self.dismiss)
        self.close_button = close
        top = QHBoxLayout()
        top.addWidget(self.text, 1)
        top.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 10, 8, 10)
        column.addLayout(top)
        column.addLayout(self.buttons)
        self.hide()

    def show_for(self, *, demo: bool, empty: bool) -> None:
        """The demo's note (unless hidden before), the empty workspace's note, or nothing."""
        if demo and not QSettings().value(HIDE_DEMO_KEY, False, type=bool):
            self._fill("demo", DEMO, (("New workspace…", "new"), ("Open a workspace…", "open")))
        elif empty and not demo:
            self._fill("empty", EMPTY, (("Import a file…", "import"), ("Add a source…", "sources")))
        else:
            self.kind = ""
            self.hide()

    def _fill(self, kind: str, text: str, buttons: tuple[tuple[str, str], ...]) -> None:
        if self.kind == kind and self.isVisible():
            return
        self.kind = kind
        self.text.setText(text)
        while self.buttons.count():
            item = self.buttons.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for label, key in buttons:
            button = QPushButton(label)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the list
            button.clicked.connect(lambda _=False, k=key: self.chosen.emit(k))
            self.buttons.addWidget(button)
        self.buttons.addStretch()
        self.close_button.setVisible(kind == "demo")
        self.show()

    def dismiss(self) -> None:
        if self.kind == "demo":
            QSettings().setValue(HIDE_DEMO_KEY, True)
        self.kind = ""
        self.hide()
