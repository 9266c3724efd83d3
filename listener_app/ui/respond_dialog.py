"""Respond: the guided response assessment, then a reply drafted from a template.

The dialog asks the playbook's questions one at a time (Yes / No), shows the recommendation
weighed by the author's influence and reach, and drafts a reply from the recommended template.
"Copy and open original" puts the draft on the clipboard and opens the post; Listener never
posts anything itself. The window then applies the outcome's status (or marks it responded).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from listener_app.domain.playbook import Assessment, assess, next_question
from listener_app.domain.templates import context_for, render


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
        self.influence = int((profile or {}).get("influence") or 0)
        self.reach = int(mention.get("reach") or (profile or {}).get("reach") or 0)
        self.answers: dict[str, bool] = {}
        self.assessment: Assessment | None = None
        self.status: str | None = None  # what the window should set when the dialog closes
        self.question = QLabel()
        self.question.setObjectName("heading")
        self.question.setWordWrap(True)
        self.help = QLabel()
        self.help.setObjectName("muted")
        self.yes = QPushButton("Yes  ·y")
        self.no = QPushButton("No  ·n")
        self.yes.setShortcut("Y")
        self.no.setShortcut("N")
        self.yes.clicked.connect(lambda: self.answer(True))
        self.no.clicked.connect(lambda: self.answer(False))
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.template = QComboBox()
        self.template.setAccessibleName("Reply template")
        for template in templates:
            self.template.addItem(template["name"], template)
        self.template.currentIndexChanged.connect(self._draft)
        self.draft = QPlainTextEdit()
        self.draft.setAccessibleName("Draft reply")
        self.copy = QPushButton("Copy and open original")
        self.copy.clicked.connect(self.copy_and_open)
        self.apply = QPushButton("Apply the recommendation")
        self.apply.clicked.connect(self._apply)
        self.responded = QPushButton("Mark responded")
        self.responded.clicked.connect(self._responded)
        answers = QHBoxLayout()
        answers.addWidget(self.yes)
        answers.addWidget(self.no)
        answers.addStretch()
        actions = QHBoxLayout()
        for button in (self.copy, self.apply, self.responded):
            actions.addWidget(button)
        actions.addStretch()
        layout = QVBoxLayout(self)
        for widget in (self.question, self.help):
            layout.addWidget(widget)
        layout.addLayout(answers)
        layout.addWidget(self.outcome)
        layout.addWidget(self.template)
        layout.addWidget(self.draft)
        layout.addLayout(actions)
        self.resize(620, 460)
        self._ask()

    def answer(self, yes: bool) -> None:
        question = next_question(self.answers)
        if question is not None:
            self.answers[question.key] = yes
        self._ask()

    def _ask(self) -> None:
        question = next_question(self.answers)
        asking = question is not None
        for widget in (self.yes, self.no, self.question, self.help):
            widget.setVisible(asking)
        for widget in (self.outcome, self.template, self.draft, self.copy, self.apply, self.responded):
            widget.setVisible(not asking)
        if question is not None:
            self.question.setText(question.text)
            self.help.setText(question.help)
            return
        self.assessment = assess(self.answers, influence=self.influence, reach=self.reach)
        outcome = self.assessment.outcome
        reasons = "<br>".join(self.assessment.reasons)
        priority = " — <b>high priority</b>" if self.assessment.priority == "high" else ""
        self.outcome.setText(
            f"<h3>{outcome.title}{priority}</h3><p>{outcome.action}</p>"
            f"<p style='color:#8b8d98'>{reasons}</p><p>Status: {outcome.status.replace('_', ' ')}</p>"
        )
        keys = [t.get("key") for t in self.templates]
        if outcome.template in keys:
            self.template.setCurrentIndex(keys.index(outcome.template))
        has_reply = outcome.template is not None
        for widget in (self.template, self.draft, self.copy):
            widget.setVisible(has_reply)
        self._draft()

    def _draft(self) -> None:
        template = self.template.currentData()
        if template is None:
            return
        text, _missing = render(
            template["body"], context_for(self.mention, brand=self.brand, agent=self.agent)
        )
        self.draft.setPlainText(text)

    def copy_and_open(self) -> None:
        QGuiApplication.clipboard().setText(self.draft.toPlainText())
        if self.mention.get("url"):
            QDesktopServices.openUrl(QUrl(self.mention["url"]))

    def _apply(self) -> None:
        if self.assessment is not None:
            self.status = self.assessment.status
        self.accept()

    def _responded(self) -> None:
        self.status = "responded"
        self.accept()
