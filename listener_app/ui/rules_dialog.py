"""Rules: the list (on/off, condition, actions, last run), the editor (ui.rule_editor) whose condition is checked
as you type like the search bar, Run on existing mentions in the background with progress and
a report per action, and Import… / Export… of rule files.

Every write goes through the window's operations; a run is a long task beside them. What a run
changed is broadcast like any triage action, and each action it took is one undo step named
after the rule.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from listener_app.domain import rules as rule_model
from listener_app.domain.changes import Changes
from listener_app.domain.errors import UserError
from listener_app.domain.rules import Rule, RuleError, RuleRun, describe_action
from listener_app.domain.tasks import TaskState
from listener_app.ui.operations import Operations
from listener_app.ui.rule_editor import RuleEditor
from listener_app.ui.screen_fit import resize_within_screen
from listener_app.ui.widgets import confirm, dialog_button, key_on, record_table, warn_failure, while_open
from listener_app.workspace import Workspace

COLUMNS = ("On", "Name", "When", "Then", "Last run")
MAX_RULE_FILE = 5_000_000
FILE_FILTER = "Listener rules (*.json);;All files (*)"
RUN_CHANGES = Changes(all_mentions=True, tags=True)  # a run may also create the tags it adds


class RulesDialog(QDialog):
    """New… (Ctrl+N), Edit… (Enter or double-click), Delete (Delete key), the on/off box,
    Run on existing mentions, Import… and Export…."""

    def __init__(self, ws: Workspace, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops
        self.rules: list[Rule] = []
        self.state: TaskState | None = None
        ops.progress.connect(self._progress)
        self.setWindowTitle("Rules")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # not kept by the window once closed
        self.table = record_table(COLUMNS, "Rules", stretch=2, widths=(40, 170, 0, 300, 200))
        self.table.itemChanged.connect(self._toggled)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit())
        self.empty = QLabel(
            "<p style='font-size:12pt'>No rules yet.</p>"
            "<p>A rule is a search plus actions: <i>when</i> <code>refund OR charged</code> "
            "<i>then</i> add tag <b>billing</b> and set status <b>needs response</b>.<br>"
            "Rules run on every new mention. Add one with <b>New…</b> or <b>Import…</b> a rules file.</p>"
        )
        self.empty.setObjectName("muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.report.setTextFormat(Qt.TextFormat.RichText)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report.setText(
            "<span style='color:#8b8d98'>Rules that are on run on every new mention. Enter or double-click "
            "edits a rule, Delete removes it, the box turns it on or off.</span>"
        )
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Rule run progress")
        self.cancel = dialog_button("Cancel", self._cancel)
        self.progress_row = QWidget()
        progress = QHBoxLayout(self.progress_row)
        progress.setContentsMargins(0, 0, 0, 0)
        progress.addWidget(self.bar, 1)
        progress.addWidget(self.cancel)
        self.progress_row.hide()
        self.new_button = dialog_button("New…", self.add)
        self.edit_button = dialog_button("Edit…", self.edit)
        self.delete_button = dialog_button("Delete", self.delete)
        self.run_button = dialog_button("Run on existing mentions", self.run_all)
        self.run_button.setToolTip(
            "Run the rules that are on over every stored mention. Statuses change only on mentions "
            "still New, and intents you set by hand are kept."
        )
        import_button = dialog_button("Import…", self.import_file)
        self.export_button = dialog_button("Export…", self.export_file)
        close = dialog_button("Close", self.reject)
        QShortcut(QKeySequence.StandardKey.New, self, self.add)
        key_on(self.table, Qt.Key.Key_Delete, self.delete)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            key_on(self.table, key, self.edit)
        buttons = QHBoxLayout()
        for widget in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(widget)
        buttons.addSpacing(16)
        buttons.addWidget(self.run_button)
        buttons.addSpacing(16)
        buttons.addWidget(import_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.progress_row)
        layout.addWidget(self.report)
        layout.addLayout(buttons)
        resize_within_screen(self, 1080, 460)
        self.reload()
        self.table.setFocus()

    # ---------------------------------------------------------------- the list

    def reload(self, select: str | None = None) -> None:
        current = select or (self.selected().name if self.selected() else None)
        self.rules = self.ws.rules.list()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rules))
        for row, rule in enumerate(self.rules):
            enabled = QTableWidgetItem()
            enabled.setFlags(
                Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            )
            enabled.setCheckState(Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked)
            enabled.setToolTip("On: runs on every new mention")
            self.table.setItem(row, 0, enabled)
            then = ", ".join(describe_action(a) for a in rule.actions)
            last = (
                f"{rule.last_matched or 0:,} matched · {_when(rule.last_run_at)}"
                if rule.last_run_at
                else "not run on existing yet"
            )
            for column, value in enumerate((rule.name, rule.query, then, last), start=1):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if not rule.enabled:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        names = [r.name for r in self.rules]
        if names:
            self.table.selectRow(names.index(current) if current in names else 0)
        self.stack.setCurrentIndex(1 if self.rules else 0)
        for button in (self.edit_button, self.delete_button, self.run_button, self.export_button):
            button.setEnabled(bool(self.rules) and self.state is None)

    def selected(self) -> Rule | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        row = rows[0].row() if rows else -1
        return self.rules[row] if 0 <= row < len(self.rules) else None

    def _toggled(self, item: QTableWidgetItem) -> None:
        if item.column() != 0 or not 0 <= item.row() < len(self.rules):
            return
        rule = self.rules[item.row()]
        enabled = item.checkState() == Qt.CheckState.Checked
        rule_id = rule.id or 0
        self._write(lambda ws: ws.rules.set_enabled(rule_id, enabled), select=rule.name)

    # ---------------------------------------------------------------- editing

    def add(self) -> None:
        self._open_editor(None)

    def edit(self) -> None:
        if (rule := self.selected()) is not None:
            self._open_editor(rule)

    def _open_editor(self, rule: Rule | None) -> None:
        taken = {r.name.casefold() for r in self.rules if rule is None or r.id != rule.id}
        editor = RuleEditor(self.ws, rule, taken, self)
        if not editor.exec():
            return
        edited = editor.rule()
        self._write(lambda ws: ws.rules.save(edited), select=edited.name)

    def delete(self) -> None:
        rule = self.selected()
        if rule is None:
            return
        if confirm(
            self,
            "Delete rule",
            f"Delete the rule “{rule.name}”? What it already did to mentions stays (and can be undone).",
        ):
            name = rule.name
            self._write(lambda ws: ws.rules.delete(name))

    # ---------------------------------------------------------------- running

    def run_all(self) -> None:
        if self.state is not None:
            return  # already running
        if not any(r.enabled for r in self.rules):
            self.report.setText("Turn a rule on first: only rules that are on run.")
            return
        state = self.state = TaskState()
        self.bar.setRange(0, 0)
        self.progress_row.show()
        self.report.setText("Running the rules over every stored mention…")
        self.reload()
        warn, finished = warn_failure(self), while_open(self, self._finished_run)
        self.ops.task(
            lambda ws, state: ws.rules.run(state=state),
            state,
            changes=RUN_CHANGES,  # the inbox refreshes, undo knows
            success=finished,
            failure=lambda message: (warn(message), finished(None)),
        )

    def _cancel(self) -> None:
        if self.state is not None:
            self.state.cancel()
            self.report.setText("Stopping after the current rule…")

    def _progress(self, state: TaskState, done: int, total: int, message: str) -> None:
        if state is self.state:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.bar.setFormat(f"{message} — rule {min(done + 1, total)} of {total}" if message else "")

    def _finished_run(self, run: RuleRun | None) -> None:
        self.state = None
        self.progress_row.hide()
        self.report.setText(run_report(run) if run is not None else "")
        self.reload()

    # ---------------------------------------------------------------- files

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import rules", "", FILE_FILTER)
        if not path:
            return
        try:
            if Path(path).stat().st_size > MAX_RULE_FILE:
                raise RuleError("That file is too big to be a rules file")
            text = Path(path).read_text(encoding="utf-8")
            rule_model.loads(text)  # a malformed file is said here, before anything is written
        except (OSError, UnicodeDecodeError, UserError) as error:
            message = error if isinstance(error, UserError) else f"Cannot read {Path(path).name}: {error}"
            QMessageBox.warning(self, "Import rules", f"{message}\n\nNo rules were changed.")
            return
        name = Path(path).name
        self.ops.write(
            lambda ws: ws.rules.import_text(text),
            initiator=self,
            success=while_open(self, lambda counts: self._imported(name, *counts)),
            failure=warn_failure(self),
        )

    def export_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export rules", "rules.json", FILE_FILTER)
        if not path:
            return
        try:
            Path(path).write_text(self.ws.rules.export_text(), encoding="utf-8")
        except OSError as error:
            QMessageBox.warning(self, "Export rules", f"Cannot write {path}: {error}")
            return
        self.report.setText(
            f"Exported {len(self.rules)} rule{'s' if len(self.rules) != 1 else ''} to {html.escape(path)}"
        )

    def _imported(self, name: str, added: int, replaced: int) -> None:
        self.report.setText(
            f"Imported {added + replaced} rule{'s' if added + replaced != 1 else ''} from {html.escape(name)}"
            + (f" ({replaced} replaced one with the same name)" if replaced else "")
        )
        self.reload()

    # ---------------------------------------------------------------- writing

    def _write(self, op: Callable[[Workspace], Any], *, select: str | None = None) -> None:
        """Save, switch or delete a rule; the list shows it done (`select`: the rule to highlight)."""
        self.ops.write(
            op,
            initiator=self,
            success=while_open(self, lambda _result: self.reload(select=select)),
            failure=warn_failure(self),
        )


def run_report(run: RuleRun) -> str:
    """What a run did, per rule and action, as rich text."""
    lines = []
    by_rule: dict[str, list[str]] = {}
    for rule, action, count in run.touched:
        by_rule.setdefault(rule, []).append(f"{html.escape(action)}: <b>{count:,}</b>")
    for rule, ids in run.matched.items():
        lines.append(
            f"• <b>{html.escape(rule)}</b> matched {len(ids):,} — " + " · ".join(by_rule.get(rule, []))
        )
    for rule, message in run.errors.items():
        lines.append(
            f"• <b>{html.escape(rule)}</b> skipped: <span style='color:#e5484d'>{html.escape(message)}</span>"
        )
    if not lines:
        lines.append("No rule matched any mention.")
    head = (
        "Stopped before every rule had run:" if run.cancelled else "Ran the rules over every stored mention:"
    )
    tail = (
        "<br><span style='color:#8b8d98'>Each action is one undo step (Ctrl+Z in the inbox), "
        "named after its rule.</span>"
        if run.changes.mentions
        else "<br><span style='color:#8b8d98'>Nothing needed changing.</span>"
    )
    return f"{head}<br>" + "<br>".join(lines) + tail


def _when(stamp: str) -> str:
    """'22 Nov 14:02' in local time, from a stored UTC stamp."""
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return moment.astimezone().strftime("%d %b %H:%M")
