"""File → Report…: the digest (or one feedback packet per tag group) of a search over a period,
written on a background reader with progress, then offered to open."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSettings, QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from listener_app import APP_NAME
from listener_app.domain.query import QueryError
from listener_app.reports.digest import build_digest, build_packets, slug
from listener_app.reports.period import default_period
from listener_app.reports.writing import write_digest
from listener_app.ui.operations import Reader
from listener_app.ui.screen_fit import resize_within_screen
from listener_app.workspace import Workspace

FORMATS = {"PDF": "pdf", "HTML (self-contained)": "html", "Markdown": "md"}
FOLDER_KEY = "report/folder"
TRIAGE_ONLY = re.compile(r"\s*(-?(status|is):\S+\s*)+", re.IGNORECASE)


def report_query(query: str) -> str:
    """The window's search as a report's: a triage view (New, Starred...) is where the
    strategist happened to be, not what the client asked about: all mentions instead."""
    return "" if TRIAGE_ONLY.fullmatch(query) else query


def report_folder() -> Path:
    """Where the last report went, else the Documents folder (else home)."""
    remembered = QSettings().value(FOLDER_KEY)
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def write_report(
    ws: Workspace, query: str, start: date, end: date, fmt: str, out: Path, packets: bool, progress: Any
) -> list[Path]:
    """The report's files (`end` exclusive); `progress(done, total, text)` along the way."""
    if not packets:
        progress(0, 2, "Counting and choosing quotes…")
        digest = build_digest(ws, query, start, end)
        progress(1, 2, f"Writing {out.name}…")
        return [write_digest(digest, fmt, out)]
    built = build_packets(
        ws, query, start, end, lambda i, n, group: progress(i, n + 1, f"Packet for {group}…")
    )
    if not built:
        raise ValueError("No tag has a group: give tags a group (Product, Support...) to make packets")
    out.mkdir(parents=True, exist_ok=True)
    progress(len(built), len(built) + 1, "Writing the packets…")
    return [write_digest(d, fmt, out / f"{slug(group)}.{fmt}") for group, d in built.items()]


class ReportDialog(QDialog):
    progressed = Signal(int, int, str)

    def __init__(self, ws: Workspace, query: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("Report")
        self.written: list[Path] = []
        self.error = ""
        self.query = QLineEdit(report_query(query))
        self.query.setPlaceholderText("all mentions")
        try:
            start, end = default_period(ws, self.query.text(), date.today())
        except QueryError:  # a search naming a tag deleted since: the calendar's last week
            start, end = date.today() - timedelta(days=6), date.today() + timedelta(days=1)
        self.start = QDateEdit(QDate(start.year, start.month, start.day))
        last = end - timedelta(days=1)
        self.end = QDateEdit(QDate(last.year, last.month, last.day))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.format = QComboBox()
        self.format.addItems(list(FORMATS))
        self.format.currentIndexChanged.connect(self._suggest_path)
        self.packets = QCheckBox("One feedback packet per tag group (Product, Support…), into a folder")
        self.packets.toggled.connect(self._suggest_path)
        self.path = QLineEdit()
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Mentions", self.query)
        form.addRow("From", self.start)
        form.addRow("To", self.end)
        form.addRow("Format", self.format)
        form.addRow("", self.packets)
        form.addRow("Save to", where)
        self.bar = QProgressBar()
        self.bar.hide()
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.write_button = self.buttons.addButton("Write report", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start_writing)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.bar)
        column.addWidget(self.status)
        column.addWidget(self.buttons)
        self.progressed.connect(self._progress)
        self.reader: Reader | None = None
        self._suggest_path()
        resize_within_screen(self, 620, 0)

    def _fmt(self) -> str:
        return FORMATS[self.format.currentText()]

    def _suggest_path(self) -> None:
        folder = Path(self.path.text()).parent if self.path.text() else report_folder()
        name = self.ws.name
        self.path.setText(
            str(folder / (f"{name}-packets" if self.packets.isChecked() else f"{name}-digest.{self._fmt()}"))
        )

    def _browse(self) -> None:
        if self.packets.isChecked():
            chosen = QFileDialog.getExistingDirectory(self, "Folder for the packets", self.path.text())
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "Save the report", self.path.text())
        if chosen:
            self.path.setText(chosen)

    def start_writing(self) -> None:
        query = self.query.text().strip()
        try:
            self.ws.validate(query)  # a malformed search is said here, at once
        except QueryError as error:
            self.status.setText(error.message)
            return
        start = date.fromisoformat(self.start.date().toString("yyyy-MM-dd"))
        end = date.fromisoformat(self.end.date().toString("yyyy-MM-dd")) + timedelta(days=1)
        if start >= end:
            self.status.setText("“From” must be on or before “To”.")
            return
        out, fmt, packets = Path(self.path.text()).expanduser(), self._fmt(), self.packets.isChecked()
        QSettings().setValue(FOLDER_KEY, str(out if packets else out.parent))
        self.write_button.setEnabled(False)
        self.bar.setRange(0, 0)
        self.bar.show()
        self.reader = Reader(self.ws.path, self)
        report = self.progressed.emit

        def work(ws: Workspace) -> tuple[list[Path], str]:
            try:
                return write_report(ws, query, start, end, fmt, out, packets, report), ""
            except Exception as exc:  # whatever it was, the dialog says so rather than waits
                return [], str(exc)

        self.reader.request("report", work, self._done)

    def _progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.status.setText(text)

    def _done(self, result: tuple[list[Path], str]) -> None:
        self.written, self.error = result
        self.reader_stop()
        self.write_button.setEnabled(True)
        self.bar.hide()
        if self.error:
            self.status.setText(f"Not written: {self.error}")
            return
        self.status.setText(f"Wrote {len(self.written)} file(s)")
        self.accept()
        target = self.written[0] if len(self.written) == 1 else self.written[0].parent
        answer = QMessageBox.question(
            self.parentWidget() or self, APP_NAME, f"The report is in {target}.\n\nOpen it now?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def reader_stop(self) -> None:
        if self.reader is not None:
            self.reader.stop()
            self.reader = None

    def reject(self) -> None:
        self.reader_stop()
        super().reject()
