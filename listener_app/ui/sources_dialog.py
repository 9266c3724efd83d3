"""Sources: the health panel (last success, last error in plain words, items fetched, next
run), adding and removing sources, and Fetch now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from listener_app import APP_NAME
from listener_app.domain.changes import Changes
from listener_app.domain.errors import UserError
from listener_app.sources.credentials import InsecureKeyring, set_secret
from listener_app.sources.registry import KINDS, source_scope
from listener_app.ui.fetcher import Fetcher
from listener_app.ui.operations import Operations
from listener_app.ui.screen_fit import resize_within_screen
from listener_app.ui.widgets import confirm, record_table, warn_failure
from listener_app.workspace import Workspace
from listener_app.workspace.fetching import FetchResult

COLUMNS = ("Source", "Kind", "Fetched", "Last success", "Next run", "Status")


def next_run(source: dict[str, Any]) -> str:
    if not source["last_run_at"]:
        return "now"
    last = datetime.strptime(source["last_run_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    when = last + timedelta(minutes=int(source["interval_minutes"]))
    return "now" if when <= datetime.now(UTC) else when.astimezone().strftime("%d %b %H:%M")


class AddSourceDialog(QDialog):
    """Choose a kind; its settings appear as fields with their help."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a source")
        self.kind = QComboBox()
        for name, spec in KINDS.items():
            self.kind.addItem(spec.title, name)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Acme on Mastodon")
        self.every = QSpinBox()
        self.every.setRange(5, 24 * 60)
        self.every.setValue(60)
        self.every.setSuffix(" minutes")
        self.form = QFormLayout()
        self.form.addRow("Kind", self.kind)
        self.form.addRow("Name", self.name)
        self.form.addRow("Fetch every", self.every)
        self.fields: dict[str, QLineEdit] = {}
        self.settings_form = QFormLayout()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(self.settings_form)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._show_settings)
        self._show_settings()
        resize_within_screen(self, 520, 300)

    def _show_settings(self) -> None:
        while self.settings_form.rowCount():
            self.settings_form.removeRow(0)
        self.fields = {}
        for setting in KINDS[self.kind.currentData()].settings:
            edit = QLineEdit()
            if setting.secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText(setting.default or ("required" if setting.required else "optional"))
            edit.setToolTip(setting.help)
            edit.setAccessibleName(setting.name)
            self.fields[setting.name] = edit
            self.settings_form.addRow(setting.name, edit)

    def values(self) -> tuple[str, str, dict[str, str], int, dict[str, str]]:
        """Kind, name, settings, interval, and the secrets (which go to the keyring, not the workspace)."""
        secret = {s.name for s in KINDS[self.kind.currentData()].settings if s.secret}
        given = {k: e.text().strip() for k, e in self.fields.items() if e.text().strip()}
        settings = {k: v for k, v in given.items() if k not in secret}
        secrets = {k: v for k, v in given.items() if k in secret}
        return self.kind.currentData(), self.name.text().strip(), settings, self.every.value(), secrets


class SourcesDialog(QDialog):
    def __init__(
        self, ws: Workspace, ops: Operations, fetcher: Fetcher, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops
        self.fetcher = fetcher
        self.setWindowTitle("Sources")
        self.table = record_table(COLUMNS, "Sources and their health", stretch=5)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # fetch several
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        add = QPushButton("Add…")
        add.clicked.connect(self.add)
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove)
        fetch_one = QPushButton("Fetch selected")
        fetch_one.clicked.connect(lambda: self.fetch(self.selected()))
        fetch_all = QPushButton("Fetch all now")
        fetch_all.clicked.connect(lambda: self.fetch(None))
        cancel = QPushButton("Cancel fetching")
        cancel.clicked.connect(fetcher.cancel)
        row = QHBoxLayout()
        for button in (add, remove, fetch_one, fetch_all, cancel):
            row.addWidget(button)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        fetcher.progress.connect(lambda name, n: self.summary.setText(f"Fetching {name}: {n:,} items…"))
        fetcher.source_done.connect(self._done)
        resize_within_screen(self, 860, 380)
        self.reload()

    def reload(self) -> None:
        sources = self.ws.sources.list()
        self.table.setRowCount(len(sources))
        for row, source in enumerate(sources):
            status = (
                f"Error: {source['last_error']}"
                if source["last_error"]
                else ("OK" if source["last_success_at"] else "Not fetched yet")
            )
            values = (
                source["name"], source["kind"], f"{source['items_fetched']:,}",
                (source["last_success_at"] or "—").replace("T", " ").removesuffix("Z"), next_run(source), status,
            )  # fmt: skip
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 5 and source["last_error"]:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()

    def selected(self) -> list[str]:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return [self.table.item(r, 0).text() for r in sorted(rows)]

    def fetch(self, names: list[str] | None) -> None:
        try:
            started = self.fetcher.fetch(names)
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self.summary.setText(
            f"Fetching {started} source{'s' if started != 1 else ''}…" if started else "Already fetching"
        )

    def add(self) -> None:
        dialog = AddSourceDialog(self)
        if not dialog.exec():
            return
        kind, name, settings, every, secrets = dialog.values()
        missing = [s.name for s in KINDS[kind].settings if s.required and not settings.get(s.name)]
        if missing:
            QMessageBox.warning(self, APP_NAME, f"A {kind} source needs '{missing[0]}'")
            return
        name = name or f"{KINDS[kind].title} {self.table.rowCount() + 1}"

        def added(_changes: Changes) -> None:
            self.reload()
            self._save_secrets(name, secrets)

        self.ops.write(
            lambda ws: ws.sources.add(kind, name, settings, interval_minutes=every),
            initiator=self,
            success=added,
            failure=warn_failure(self),
        )

    def _save_secrets(self, name: str, secrets: dict[str, str]) -> None:
        """A new source's keys and passwords, kept for this workspace and the host they are for;
        where the only keyring stores them in a plain file, only if the user says so."""
        source = self.ws.sources.get(name)
        saved = []
        for field, value in secrets.items():
            scope = source_scope(source, field)
            try:
                storage = set_secret(scope, field, value)
            except InsecureKeyring as exc:
                question = f"{exc}\n\nKeep the {field} of {name!r} there anyway?"
                if not confirm(self, APP_NAME, question):
                    continue
                storage = set_secret(scope, field, value, allow_insecure=True)
            except UserError as exc:
                QMessageBox.warning(self, APP_NAME, str(exc))
                return
            saved.append(f"the {field} is {storage.describe()}, for {scope.host}")
        if saved:
            self.summary.setText(f"{name}: " + "; ".join(saved))

    def remove(self) -> None:
        names = self.selected()

        def remove_all(ws: Workspace) -> Changes:
            removed = [name for name in names if ws.sources.remove(name)]
            return Changes(sources=bool(removed))

        self._write(remove_all)

    def _write(self, op: Callable[[Workspace], Changes]) -> None:
        self.ops.write(op, initiator=self, success=lambda _changes: self.reload(), failure=warn_failure(self))

    def _done(self, result: FetchResult) -> None:
        outcome = (
            f"failed: {result.error}" if result.error else f"{result.fetched:,} fetched, {result.new:,} new"
        )
        if result.undated_warning:
            outcome += f" — {result.undated_warning}"
        self.summary.setText(f"{result.name}: {outcome}")
        self.reload()
