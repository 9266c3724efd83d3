"""Respond: the mention beside a reply drafted from the right template.

The dialog starts from what Listener already detected (intent, sentiment, a spam tag): "Looks
like an unhappy customer — right?" is one key to confirm (Enter or y). Saying no, or a mention
whose labels say too little, walks the response assessment's questions one at a time (after
the US Air Force's web posting response assessment), weighed by the author's influence and reach.

The draft is filled from the mention and the signature (brand and name, asked for here once
when the workspace has none); a placeholder with no value is left out with its commas, and a
[fill-in] must be written before the reply can be copied: no template text reaches a customer.
"Copy and open" puts the reply on the clipboard, opens the post and marks the mention
responded; Listener never posts anything itself.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from listener_app.domain.playbook import Assessment, assess, next_question, presumed
from listener_app.domain.templates import context_for, draft, fill_ins
from listener_app.ui.screen_fit import resize_within_screen
from listener_app.ui.theme import SENTIMENT_COLORS


class RespondDialog(QDialog):
    def __init__(
        self,
        mention: dict[str, Any],
        profile: dict[str, Any] | None,
        templates: list[dict[str, Any]],
        *,
        brand: str | None,
        agent: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Respond")
        self.mention = mention
        self.templates = templates
        self.brand, self.agent = brand, agent
        self.signature: dict[str, str] = {}  # settings typed here: the window saves them
        self.influence = int((profile or {}).get("influence") or 0)
        self.reach = int(mention.get("reach") or (profile or {}).get("reach") or 0)
        self.answers: dict[str, bool] = {}
        self.assessment: Assessment | None = None
        self.status: str | None = None  # what the window should set when the dialog closes
        self.guess = presumed(
            mention.get("intent"), mention.get("sentiment"), spam="spam" in (mention.get("tags") or [])
        )
        self.confirming = self.guess is not None
        self.question = QLabel()
        self.question.setObjectName("heading")
        self.question.setWordWrap(True)
        self.help = QLabel()
        self.help.setObjectName("muted")
        self.help.setWordWrap(True)
        self.yes, self.no = QPushButton(), QPushButton()
        self.yes.clicked.connect(lambda: self.answer(True))
        self.no.clicked.connect(lambda: self.answer(False))
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.template = QComboBox()
        self.template.setAccessibleName("Reply template")
        for template in templates:
            self.template.addItem(template["name"], template)
        self.template.currentIndexChanged.connect(self._draft)
        self.brand_edit = QLineEdit(brand or "")
        self.brand_edit.setPlaceholderText("your brand, as customers know it")
        self.agent_edit = QLineEdit(agent or "")
        self.agent_edit.setPlaceholderText("your first name, or leave empty")
        for edit in (self.brand_edit, self.agent_edit):
            edit.textEdited.connect(self._draft)
        self.signature_row = QWidget()
        signature = QFormLayout(self.signature_row)
        signature.setContentsMargins(0, 0, 0, 0)
        signature.addRow("Sign for (brand)", self.brand_edit)
        signature.addRow("Sign as (your name)", self.agent_edit)
        self.draft = QPlainTextEdit()
        self.draft.setAccessibleName("Draft reply")
        self.draft.setTabChangesFocus(True)
        self.draft.textChanged.connect(self._check_blanks)
        self.blanks = QLabel()
        self.blanks.setObjectName("muted")
        self.blanks.setWordWrap(True)
        self.copy = QPushButton("Copy, open the post and mark responded  ·Ctrl+Enter")
        self.copy.setShortcut(QKeySequence("Ctrl+Return"))
        self.copy.clicked.connect(self.copy_and_open)
        self.apply = QPushButton("Apply the recommendation")
        self.apply.clicked.connect(self._apply)
        self.responded = QPushButton("Mark responded")
        self.responded.clicked.connect(self._responded)
        self._layout(self._mention_panel())
        resize_within_screen(self, 980, 560)
        self._ask()

    # ---------------------------------------------------------------- building

    def _mention_panel(self) -> QWidget:
        """The mention the reply is for, in full, beside the draft."""
        m = self.mention
        who = html.escape(m.get("author") or m.get("display_name") or "Unknown author")
        handle = m.get("handle") or m.get("author_handle")
        sentiment = m.get("sentiment") or "unscored"
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        head = QLabel(f"<b>{who}</b>" + (f" @{html.escape(handle)}" if handle else ""))
        head.setTextFormat(Qt.TextFormat.RichText)
        meta = QLabel(
            f"{html.escape(m.get('source') or '')} · {html.escape((m.get('published_at') or '')[:10])} · "
            f"<span style='color:{SENTIMENT_COLORS.get(sentiment, '#8b8d98')}'>● {sentiment}</span> · "
            f"{html.escape(m.get('intent') or 'no intent')}"
            + (f" · reach {self.reach:,}" if self.reach else "")
        )
        meta.setObjectName("muted")
        meta.setTextFormat(Qt.TextFormat.RichText)
        meta.setWordWrap(True)
        self.mention_text = QTextBrowser()
        self.mention_text.setAccessibleName("The mention")
        self.mention_text.setPlainText(m.get("text") or "")
        for widget in (head, meta, self.mention_text):
            column.addWidget(widget)
        return panel

    def _layout(self, mention: QWidget) -> None:
        answers = QHBoxLayout()
        answers.addWidget(self.yes)
        answers.addWidget(self.no)
        answers.addStretch()
        actions = QHBoxLayout()
        for button in (self.copy, self.apply, self.responded):
            actions.addWidget(button)
        actions.addStretch()
        right = QVBoxLayout()
        for widget in (self.question, self.help):
            right.addWidget(widget)
        right.addLayout(answers)
        for widget in (self.outcome, self.template, self.signature_row, self.draft, self.blanks):
            right.addWidget(widget)
        right.addStretch()
        right.addLayout(actions)
        row = QHBoxLayout(self)
        row.addWidget(mention, 2)
        row.addSpacing(12)
        row.addLayout(right, 3)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        (self.yes if self.yes.isVisible() else self.draft).setFocus()  # the keys work at once

    # ---------------------------------------------------------------- the assessment

    def answer(self, yes: bool) -> None:
        if self.confirming and self.guess is not None:
            self.confirming = False
            if yes:
                self.answers = dict(self.guess[0])
            self._ask()
            return
        question = next_question(self.answers)
        if question is not None:
            self.answers[question.key] = yes
        self._ask()

    def _ask(self) -> None:
        question = None if self.confirming else next_question(self.answers)
        asking = self.confirming or question is not None
        for widget in (self.yes, self.no, self.question, self.help):
            widget.setVisible(asking)
        for widget in (self.outcome, self.template, self.draft, self.blanks, self.copy, self.apply):
            widget.setVisible(not asking)
        self.signature_row.setVisible(not asking and not (self.brand and self.agent))
        self.responded.setVisible(not asking)
        if self.confirming and self.guess is not None:
            detected = ", ".join(x for x in (self.mention.get("intent"), self.mention.get("sentiment")) if x)
            self.question.setText(f"Looks like {self.guess[1]}. Right?")
            self.help.setText(
                f"Detected: {detected or 'a spam tag'}. Enter or y confirms; n asks step by step."
            )
            self._label_answers("Yes  ·Enter", "No, ask me  ·n")
            self.yes.setDefault(True)
            self.yes.setFocus()
            return
        self._label_answers("Yes  ·y", "No  ·n")
        if question is not None:
            self.question.setText(question.text)
            self.help.setText(question.help)
            return
        self._show_outcome()

    def _label_answers(self, yes: str, no: str) -> None:
        """The answer buttons' words and keys (setText drops a button's shortcut: set it after)."""
        for button, text, key in ((self.yes, yes, "Y"), (self.no, no, "N")):
            button.setText(text)
            button.setShortcut(key)

    def _show_outcome(self) -> None:
        self.assessment = assess(self.answers, influence=self.influence, reach=self.reach)
        outcome = self.assessment.outcome
        why = self.assessment.reasons
        if self.guess is not None and self.answers == self.guess[0]:
            why = [f"Detected as {self.guess[1]}, and you agreed."] + [r for r in why if "nfluential" in r]
        priority = " — <b>high priority</b>" if self.assessment.priority == "high" else ""
        self.outcome.setText(
            f"<h3>{outcome.title}{priority}</h3><p>{outcome.action}</p>"
            f"<p style='color:#8b8d98'>{'<br>'.join(why)}</p>"
        )
        self.apply.setText(f"Set {outcome.status.replace('_', ' ')}")
        keys = [t.get("key") for t in self.templates]
        if outcome.template in keys:
            self.template.setCurrentIndex(keys.index(outcome.template))
        has_reply = outcome.template is not None
        for widget in (self.template, self.draft, self.blanks, self.copy):
            widget.setVisible(has_reply)
        self.signature_row.setVisible(has_reply and not (self.brand and self.agent))
        self.apply.setDefault(not has_reply)
        self._draft()
        if has_reply:
            self.draft.setFocus()

    # ---------------------------------------------------------------- the draft

    def _draft(self) -> None:
        template = self.template.currentData()
        if template is None:
            return
        brand = self.brand_edit.text().strip() or self.brand
        agent = self.agent_edit.text().strip() or self.agent
        for key, edit, known in (
            ("brand", self.brand_edit, self.brand),
            ("agent_name", self.agent_edit, self.agent),
        ):
            typed = edit.text().strip()
            if typed and typed != (known or ""):
                self.signature[key] = typed
        self.draft.setPlainText(draft(template["body"], context_for(self.mention, brand=brand, agent=agent)))
        self._select_first_blank()

    def _check_blanks(self) -> None:
        left = fill_ins(self.draft.toPlainText())
        self.blanks.setText(
            "Write in " + ", ".join(left) + " before copying (the first one is selected: type over it)."
            if left
            else ""
        )
        self.copy.setEnabled(not left and bool(self.draft.toPlainText().strip()))

    def _select_first_blank(self) -> None:
        text = self.draft.toPlainText()
        left = fill_ins(text)
        if left:
            start = text.index(left[0])
            cursor = self.draft.textCursor()
            cursor.setPosition(start)
            cursor.setPosition(start + len(left[0]), QTextCursor.MoveMode.KeepAnchor)
            self.draft.setTextCursor(cursor)

    # ---------------------------------------------------------------- closing

    def copy_and_open(self) -> None:
        text = self.draft.toPlainText().strip()
        if fill_ins(text) or not text:
            self._select_first_blank()
            return
        QGuiApplication.clipboard().setText(text)
        if self.mention.get("url"):
            QDesktopServices.openUrl(QUrl(self.mention["url"]))
        self._responded()

    def _apply(self) -> None:
        if self.assessment is not None:
            self.status = self.assessment.status
        self.accept()

    def _responded(self) -> None:
        self.status = "responded"
        self.accept()
