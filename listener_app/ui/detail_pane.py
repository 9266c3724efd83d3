"""The right-hand pane: one mention in full, with its author, thread, tags, note and actions.

The text is shown as plain text (escaped; no remote images, no scripts); links open in the
system browser. The note autosaves a moment after typing stops.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from listener_app.ui.flow_layout import FlowLayout
from listener_app.ui.inbox_model import short_time
from listener_app.ui.theme import SENTIMENT_COLORS, STATUS_COLORS
from listener_app.workspace import Workspace

STATUS_BUTTONS = (
    ("Needs response", "needs_response", "r"),
    ("Monitoring", "monitoring", "m"),
    ("Done", "done", "e"),
    ("Ignore", "ignored", "i"),
)
NOTE_SAVE_MS = 800
# Suggestions worth a look: a yes/no tag model at 55 % is a coin toss, not a suggestion.
SHOW_FROM = 0.6
SHOW_TAG_FROM = 0.7
MIN_WIDTH = 320  # its content wraps to fit: the pane never squeezes the list
EMPTY = "Select a mention to read it here.<br><br>j / k move · e done · r needs response · ? all keys"


class DetailPane(QScrollArea):
    status_requested = Signal(str)
    tag_toggled = Signal(int)
    note_saved = Signal(int, object, str)  # (mention id, note id or None, body)
    star_requested = Signal()
    suggestion_accepted = Signal(str, str)  # (model, label)
    label_chosen = Signal(str, object)  # ("sentiment" | "intent", value or None for automatic)
    search_requested = Signal(str)
    respond_requested = Signal()
    empty_link = Signal(str)  # a link in the message shown when no mention is selected

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.mention_id: int | None = None
        self.note_id: int | None = None
        self.url: str | None = None
        self.guesses: dict[str, tuple[str, float]] = {}  # the suggestions shown: model -> (label, confidence)
        self.models: dict[str, Any] = {}  # the learned models suggesting (set_models)
        self._suggesting: tuple[dict[str, Any], list[dict[str, Any]]] | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        self.setMinimumWidth(MIN_WIDTH)
        self.empty = QLabel(EMPTY)
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.RichText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.linkActivated.connect(self.empty_link.emit)
        layout.addWidget(self.empty)
        self.header = QLabel()
        self.header.setObjectName("heading")
        self.header.setWordWrap(True)
        self.meta = QLabel()
        self.meta.setObjectName("muted")
        self.meta.setWordWrap(True)
        self.meta.setTextFormat(Qt.TextFormat.RichText)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(lambda url: QDesktopServices.openUrl(url))
        self.text.setMinimumHeight(150)
        self.text.setMaximumHeight(300)
        self.text.setAccessibleName("Mention text")
        buttons = FlowLayout()
        self.status_buttons: dict[str, QPushButton] = {}
        for label, status, key in STATUS_BUTTONS:
            button = QPushButton(f"{label}  ·{key}")
            button.setCheckable(True)
            button.setAccessibleName(label)
            button.clicked.connect(lambda _=False, s=status: self.status_requested.emit(s))
            self.status_buttons[status] = button
            buttons.addWidget(button)
        self.open_button = QPushButton("Open original  ·o")
        self.open_button.setAccessibleName("Open the original post in the browser")
        self.open_button.clicked.connect(self.open_original)
        buttons.addWidget(self.open_button)
        self.respond_button = QPushButton("Respond…  ·a")
        self.respond_button.setAccessibleName("Assess and draft a reply")
        self.respond_button.clicked.connect(self.respond_requested.emit)
        buttons.addWidget(self.respond_button)
        labels = FlowLayout()
        self.sentiment_box = self._label_box("Sentiment", "sentiment", ("negative", "neutral", "positive"))
        self.intent_box = self._label_box(
            "Intent", "intent", ("question", "complaint", "praise", "suggestion", "other")
        )
        labels.addWidget(self.sentiment_box)
        labels.addWidget(self.intent_box)

        self.labels_row = QWidget()
        self.labels_row.setLayout(labels)
        self.tags_row = FlowLayout()
        self.suggest = QLabel()
        self.suggest.setObjectName("muted")
        self.suggest.setWordWrap(True)  # never widens the pane (it sets its minimum from its content)
        self.suggest.setTextFormat(Qt.TextFormat.RichText)
        self.suggest.linkActivated.connect(self._accept_suggestion)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Add a note (saved as you type)… n")
        self.note.setAccessibleName("Note")
        self.note.setMaximumHeight(110)
        self.note.setTabChangesFocus(True)  # Tab moves on, as in every other field; Esc goes back to the list
        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_SAVE_MS)
        self._note_timer.timeout.connect(self._save_note)
        self.note.textChanged.connect(self._note_timer.start)
        self.author = QLabel()
        self.author.setWordWrap(True)
        self.author.setTextFormat(Qt.TextFormat.RichText)
        self.author.linkActivated.connect(self.search_requested.emit)
        self.thread = QLabel()
        self.thread.setWordWrap(True)
        self.thread.setTextFormat(Qt.TextFormat.RichText)
        self.history = QLabel()
        self.history.setObjectName("muted")
        self.history.setWordWrap(True)
        self.content = [self.header, self.meta, self.text]
        for widget in self.content:
            layout.addWidget(widget)
        self.button_row = QWidget()
        self.button_row.setLayout(buttons)
        self.tags_widget = QWidget()
        self.tags_widget.setLayout(self.tags_row)
        for title, widget in (
            (None, self.button_row),
            (None, self.labels_row),
            ("Tags", self.tags_widget),
            (None, self.suggest),
            ("Note", self.note),
            ("Author", self.author),
            ("Conversation", self.thread),
            ("History", self.history),
        ):
            if title:
                caption = QLabel(title.upper())
                caption.setObjectName("muted")
                layout.addWidget(caption)
                self.content.append(caption)
            layout.addWidget(widget)
            self.content.append(widget)
        layout.addStretch()
        self.show_mention(None)

    # ---------------------------------------------------------------- showing

    def show_mention(self, mention_id: int | None, tags: list[dict[str, Any]] | None = None) -> None:
        self.flush_note()
        self.mention_id = mention_id
        record = self.ws.mention(mention_id) if mention_id is not None else None
        self.empty.setVisible(record is None)
        for widget in self.content:
            widget.setVisible(record is not None)
        if record is None:
            self.guesses = {}
            return
        self.url = record["url"]
        self.open_button.setEnabled(bool(self.url))
        self.header.setText(record["title"] or (record["author"] or "Unknown author"))
        sentiment = record["sentiment"] or "unscored"
        origin = {"manual": " (set by you)", "learned": " (learned)"}.get(
            record["sentiment_origin"] or "", ""
        )
        metrics = " · ".join(f"{k} {v:,}" for k, v in record["metrics"].items())
        self.meta.setText(
            f"{html.escape(record['source'])} · {short_time(record['published_at'])} · "
            f"<span style='color:{SENTIMENT_COLORS.get(sentiment, '#8b8d98')}'>● {sentiment}{origin}</span> · "
            f"{html.escape(record['intent'] or 'no intent')} · "
            f"<span style='color:{STATUS_COLORS.get(record['status'], '#8b8d98')}'>{record['status'].replace('_', ' ')}</span>"
            + (f" · {metrics}" if metrics else "")
            + (" · ★" if record["starred"] else "")
        )
        body = html.escape(record["text"]).replace("\n", "<br>")
        links = "".join(
            f"<li><a href='{html.escape(u, quote=True)}'>{html.escape(u)}</a></li>" for u in record["links"]
        )
        cut = (
            f"<p><i>Cut at {len(record['text']):,} of {record['original_length']:,} characters.</i></p>"
            if record.get("original_length")
            else ""
        )
        self.text.setHtml(
            f"<div style='font-size:11pt; line-height:140%'>{body}</div>{cut}"
            + (f"<ul>{links}</ul>" if links else "")
        )
        for status, button in self.status_buttons.items():
            button.setChecked(record["status"] == status)
        for box, kind in ((self.sentiment_box, "sentiment"), (self.intent_box, "intent")):
            box.blockSignals(True)
            origin = record[f"{kind}_origin"]
            box.setCurrentIndex(box.findData(record[kind]) if origin == "manual" else 0)
            how = "learned" if origin == "learned" and record[kind] else "auto"
            box.setItemText(0, f"{kind.title()}: {record[kind] or 'none'} ({how})")
            box.blockSignals(False)
        self._show_tags(record, tags or [])
        self._show_suggestions(record, tags or [])
        existing = self.ws.notes(mention_id)
        self.note_id = existing[-1]["id"] if existing else None
        self.note.blockSignals(True)
        self.note.setPlainText(existing[-1]["body"] if existing else "")
        self.note.blockSignals(False)
        self._show_author(record)
        self._show_thread(mention_id)
        past = self.ws.history(mention_id, limit=5)
        self.history.setText(
            "<br>".join(
                f"{short_time(h['at'])} — {html.escape(h['what'])} by {html.escape(h['origin'])}"
                for h in past
            )
            or "Nothing done yet."
        )

    def _show_tags(self, record: dict[str, Any], tags: list[dict[str, Any]]) -> None:
        while self.tags_row.count():
            item = self.tags_row.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        on = set(record["tags"])
        for tag in tags:
            button = QPushButton(tag["name"] + (f"  {tag['shortcut']}" if tag["shortcut"] else ""))
            button.setCheckable(True)
            button.setChecked(tag["name"] in on)
            button.setStyleSheet(
                f"QPushButton:checked {{ background: {tag['color']}; border-color: {tag['color']}; color: white; }}"
            )
            button.clicked.connect(lambda _=False, t=tag["id"]: self.tag_toggled.emit(t))
            self.tags_row.addWidget(button)

    def set_empty_text(self, html: str | None) -> None:
        """What the pane says when no mention is selected (None: how to read one)."""
        self.empty.setText(html or EMPTY)

    def set_models(self, models: dict[str, Any]) -> None:
        """The learned models to suggest from (the window loads them off this thread, again after
        every change of labels); the mention on show gets their suggestions at once."""
        self.models = models
        if self._suggesting is not None and self._suggesting[0]["id"] == self.mention_id:
            self._show_suggestions(*self._suggesting)

    def _show_suggestions(self, record: dict[str, Any], tags: list[dict[str, Any]]) -> None:
        """What the models learned from the strategist's labels suggest here (y accepts them all):
        confident ones that would change something (not the label the mention has already)."""
        self._suggesting = (record, tags)
        names = {f"tag:{t['id']}": t["name"] for t in tags}
        self.guesses = {
            name: guess
            for name, guess in self.ws.learning.suggestions(record["id"], self.models).items()
            if guess[1] >= (SHOW_TAG_FROM if name.startswith("tag:") else SHOW_FROM)
            and (name in names if name.startswith("tag:") else record.get(name) != guess[0])
        }
        parts = [
            f"<a href='{name}|{label}'>{html.escape('tag ' + names[name] if name in names else label)}</a>"
            f" ({confidence:.0%})"
            for name, (label, confidence) in self.guesses.items()
        ]
        self.suggest.setText(
            "Suggested from your labels: " + ", ".join(parts) + " — click one, or press y for all"
            if parts
            else ""
        )
        self.suggest.setVisible(bool(parts))

    def _show_author(self, record: dict[str, Any]) -> None:
        profile = self.ws.authors.profile(record["author_id"]) if record.get("author_id") else None
        if profile is None:
            self.author.setText("Unknown author")
            return
        role = {"advocate": " · advocate", "detractor": " · detractor"}.get(profile["role"] or "", "")
        self.author.setText(
            f"<b>{html.escape(profile['display_name'] or profile['handle'])}</b> @{html.escape(profile['handle'])}"
            f"{' · VIP' if profile['vip'] else ''}{role}<br>"
            f"Reach {profile['reach'] or 0:,} · influence {profile['influence']}/100 · "
            f"<a href='author:@{html.escape(profile['handle'], quote=True)}'>{profile['mention_count']} mentions</a> "
            f"({profile['positive_count']} positive, {profile['negative_count']} negative)"
        )

    def _show_thread(self, mention_id: int) -> None:
        thread = self.ws.thread(mention_id)
        if len(thread) <= 1:
            self.thread.setText("Not part of a conversation.")
            return
        lines = []
        for post in thread[:12]:
            marker = "▶ " if post["id"] == mention_id else ("↳ " if post["parent_external_id"] else "")
            text = html.escape(" ".join(post["text"].split())[:90])
            who = html.escape(post["author_name"] or ("us" if post["ours"] else "?"))
            us = " <span style='color:#2563eb'>(us)</span>" if post["ours"] else ""  # the brand's own side
            lines.append(f"{marker}<b>{who}</b>{us}: {text}")
        self.thread.setText("<br>".join(lines))

    def _label_box(self, title: str, kind: str, values: tuple[str, ...]) -> QComboBox:
        box = QComboBox()
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        box.setAccessibleName(f"{title} (set by hand)")
        box.addItem(f"{title}: automatic", None)
        for value in values:
            box.addItem(f"{title}: {value} (by hand)", value)
        box.activated.connect(lambda _i, b=box, k=kind: self.label_chosen.emit(k, b.currentData()))
        return box

    # ---------------------------------------------------------------- actions

    def open_original(self) -> None:
        if self.url:
            QDesktopServices.openUrl(QUrl(self.url))

    def focus_note(self) -> None:
        self.note.setFocus()

    def flush_note(self) -> None:
        if self._note_timer.isActive():
            self._note_timer.stop()
            self._save_note()

    def _save_note(self) -> None:
        body = self.note.toPlainText().strip()
        if self.mention_id is not None and body:
            self.note_saved.emit(self.mention_id, self.note_id, body)

    def _accept_suggestion(self, link: str) -> None:
        model, _, label = link.partition("|")
        self.suggestion_accepted.emit(model, label)
