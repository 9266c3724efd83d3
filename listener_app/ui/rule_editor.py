"""The rule editor: a name, a condition checked as you type like the search bar, and a list of
actions (add tag, set status, star, set intent, notify)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from listener_app.domain import rules as rule_model
from listener_app.domain.models import INTENTS, STATUSES
from listener_app.domain.query import QueryError
from listener_app.domain.rules import Rule, RuleError
from listener_app.ui.screen_fit import resize_within_screen
from listener_app.ui.search_bar import SearchBar
from listener_app.workspace import Workspace

ACTION_TITLES = {
    "add_tag": "Add tag",
    "set_status": "Set status",
    "star": "Star",
    "set_intent": "Set intent",
    "notify": "Notify",
}


class ActionRow(QWidget):
    """One action: its kind and, for most kinds, a value."""

    def __init__(self, tags: list[str], action: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Action")
        for kind, title in ACTION_TITLES.items():
            self.kind.addItem(title, kind)
        self.tag = QComboBox()
        self.tag.setEditable(True)
        self.tag.addItems(tags)
        self.tag.setCurrentText("")
        self.tag.lineEdit().setPlaceholderText("tag name (a new one is created)")
        self.status = QComboBox()
        for status in STATUSES:
            self.status.addItem(status.replace("_", " "), status)
        self.status.setCurrentIndex(STATUSES.index("needs_response"))
        self.intent = QComboBox()
        self.intent.addItems(INTENTS)
        self.message = QLineEdit()
        self.message.setPlaceholderText("notification text, e.g. Billing complaint")
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip("Remove this action")
        self.remove.setAccessibleName("Remove action")
        self.values = {"add_tag": self.tag, "set_status": self.status, "set_intent": self.intent}
        self.values["notify"] = self.message
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind)
        for widget in (self.tag, self.status, self.intent, self.message):
            layout.addWidget(widget, 1)
        self.spacer = QLabel()
        layout.addWidget(self.spacer, 1)
        layout.addWidget(self.remove)
        self.kind.currentIndexChanged.connect(self._show_value)
        if action:
            self.kind.setCurrentIndex(list(ACTION_TITLES).index(action["type"]))
            self.tag.setCurrentText(action.get("tag", ""))
            if "status" in action:
                self.status.setCurrentIndex(STATUSES.index(action["status"]))
            if "intent" in action:
                self.intent.setCurrentText(action["intent"])
            self.message.setText(action.get("message", ""))
        self._show_value()

    def _show_value(self) -> None:
        kind = self.kind.currentData()
        for name, widget in self.values.items():
            widget.setVisible(name == kind)
        self.spacer.setVisible(kind == "star")

    def action(self) -> dict[str, Any]:
        kind = self.kind.currentData()
        if kind == "add_tag":
            return {"type": kind, "tag": " ".join(self.tag.currentText().split())}
        if kind == "set_status":
            return {"type": kind, "status": self.status.currentData()}
        if kind == "set_intent":
            return {"type": kind, "intent": self.intent.currentText()}
        if kind == "notify":
            return {"type": kind, "message": self.message.text().strip() or "New matching mentions"}
        return {"type": kind}


class RuleEditor(QDialog):
    """Name, a condition in the search language (checked as you type, the problem pointed at
    like in the search bar), and one or more actions."""

    def __init__(
        self, ws: Workspace, rule: Rule | None, taken: set[str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.taken = taken or set()
        self.rule_id = rule.id if rule else None
        self.enabled = rule.enabled if rule else True
        self.setWindowTitle("Edit rule" if rule else "New rule")
        self.tags = [t["name"] for t in ws.tags.list()]
        self.name = QLineEdit(rule.name if rule else "")
        self.name.setPlaceholderText("e.g. Billing complaints")
        self.name.setAccessibleName("Rule name")
        self.condition = SearchBar(ws)
        self.condition.save.hide()
        self.condition.layout().setContentsMargins(0, 0, 0, 0)
        self.condition.edit.setAccessibleName("Condition")
        self.condition.edit.setPlaceholderText('e.g.  refund OR "charged twice" -tag:billing')
        self.condition.edit.setText(rule.query if rule else "")
        self.rows: list[ActionRow] = []
        self.actions_box = QVBoxLayout()
        self.actions_box.setSpacing(6)
        add = QPushButton("+ Add action")
        add.setAutoDefault(False)
        add.clicked.connect(lambda: self.add_action(None))
        self.problem = QLabel()
        self.problem.setObjectName("searchError")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel(
            "Rules run on every new mention; <b>Run on existing mentions</b> in the Rules window applies "
            "them to the ones already stored. A status is only set on mentions still New, and an intent "
            "you set by hand is kept."
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("When", self.condition)
        actions = QVBoxLayout()
        actions.addLayout(self.actions_box)
        add_row = QHBoxLayout()
        add_row.addWidget(add)
        add_row.addStretch()
        actions.addLayout(add_row)
        form.addRow("Then", actions)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addStretch()
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for action in rule.actions if rule else [{"type": "add_tag", "tag": ""}]:
            self.add_action(action)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.check)
        self.condition.edit.textChanged.connect(lambda _text: self._timer.start())
        self.name.textChanged.connect(lambda _text: self.check())
        resize_within_screen(self, 680, 360)
        self.check()
        self.name.setFocus()

    def add_action(self, action: dict[str, Any] | None) -> None:
        row = ActionRow(self.tags, action)
        row.remove.clicked.connect(lambda: self._remove(row))
        for signal in (
            row.kind.currentIndexChanged, row.tag.currentTextChanged, row.message.textChanged,
        ):  # fmt: skip
            signal.connect(lambda *_: self.check())
        self.rows.append(row)
        self.actions_box.addWidget(row)
        self.check()

    def _remove(self, row: ActionRow) -> None:
        self.rows.remove(row)
        row.deleteLater()
        self.check()

    def rule(self) -> Rule:
        """The rule as typed (raises RuleError when it is not complete)."""
        rule = rule_model.validate_rule(
            self.name.text(), self.condition.edit.text(), [r.action() for r in self.rows]
        )
        rule.id, rule.enabled = self.rule_id, self.enabled
        return rule

    def check(self) -> bool:
        """Show what is wrong, if anything, and allow OK only when nothing is."""
        condition_ok = self._check_condition()
        problem = self._problem() if condition_ok else ""
        self.problem.setText(f"⚠ {problem}")
        self.problem.setVisible(bool(problem))
        for row in self.rows:
            row.remove.setEnabled(len(self.rows) > 1)
        complete = bool(self.name.text().strip() and self.condition.edit.text().strip())
        ok = condition_ok and complete and not problem
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok

    def _check_condition(self) -> bool:
        """Like the search bar: the message, and the condition with the problem marked."""
        text = self.condition.edit.text()
        try:
            if text.strip():
                self.ws.validate(text)
        except QueryError as error:
            cursor = self.condition.edit.cursorPosition()
            self.condition.show_error(error)
            self.condition.edit.setCursorPosition(cursor)  # typing goes on where it was
            return False
        self.condition.clear_error()
        return True

    def _problem(self) -> str:
        """What keeps the rule from being saved ('' for nothing, or for a rule not typed yet)."""
        name = " ".join(self.name.text().split())
        if name.casefold() in self.taken:
            return f"There is already a rule named “{name}”"
        if not name or not self.condition.edit.text().strip():
            return ""
        try:
            self.rule()
        except RuleError as error:
            return str(error)
        return ""

    def accept(self) -> None:
        self._timer.stop()
        if self.check():
            super().accept()
