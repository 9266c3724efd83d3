"""File → Import (and a file dropped on the window): what the import would store, before it
stores anything. A file of mentions shows each column with the field it feeds, editable (a
combo per column) and why it was chosen or left out; the platform its posts come from; five
sample rows as they would be stored; the warnings and the rows that would be skipped. A
platform archive shows what it holds. "This is us" names the handles the brand writes under.

The preview is read off the GUI thread (ws.imports.preview) and again after every change. The
columns the user mapped differently, and the platform they named, are remembered for the file's
header signature, so next month's export of the same shape opens with them filled in. Import
runs the import as a task of the window (progress, Cancel) and closes the dialog.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from listener_app.domain.changes import Changes
from listener_app.formats.archives import KINDS
from listener_app.formats.columns import SKIP
from listener_app.formats.mapping import ColumnChoice
from listener_app.formats.preview import Preview
from listener_app.formats.reading import FILE_KINDS
from listener_app.formats.records import PLATFORM_KINDS
from listener_app.ui.screen_fit import resize_within_screen
from listener_app.ui.widgets import record_table, warn_failure, while_open

if TYPE_CHECKING:
    from listener_app.domain.models import Item
    from listener_app.ui.main_window import MainWindow
    from listener_app.workspace.importing import ImportReport

# The fields a column may feed, as the combo names them (metric:NAME is offered per column).
FIELD_CHOICES = (
    ("text", "Text"), ("title", "Title"), ("date", "Date"), ("time", "Time of day"),
    ("author", "Author name"), ("handle", "Author handle"), ("display_name", "Display name"),
    ("author_url", "Author link"), ("url", "Link"), ("external_id", "Post id"),
    ("parent_external_id", "Replies to (id)"), ("thread_external_id", "Conversation (id)"),
    ("sentiment", "Sentiment label"), ("intent", "Intent label"), ("lang", "Language"),
    ("source", "Platform"), ("reach", "Reach (followers)"), ("likes", "Likes"), ("shares", "Shares"),
    ("replies", "Replies"), ("score", "Score"), ("tags", "Tags"), ("notes", "Notes"), ("status", "Status"),
    ("starred", "Starred"), ("ours", "Written by us"), (SKIP, "Ignore"),
)  # fmt: skip
IMPORT_CHANGES = Changes(all_mentions=True, tags=True, authors=True, sources=True)
SAMPLE_COLUMNS = ("Date (UTC)", "Platform", "Author", "Text", "Also kept")


def metric_field(column: str) -> str:
    """The field that keeps a column of counts under its own name ('Views' -> metric:views)."""
    return "metric:" + ("_".join(column.lower().split()) or "count")


class ImportDialog(QDialog):
    def __init__(self, window: MainWindow, path: str | Path) -> None:
        super().__init__(window)
        self.window, self.path = window, Path(path)
        self.setWindowTitle(f"Import {self.path.name}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        resize_within_screen(self, 1120, 740)
        self.preview: Preview | None = None
        self.overrides: dict[str, str] = {}  # column -> field, where the user chose
        self.source: str | None = None  # the platform the user named (None: detected)
        self._loaded = False
        self._read_kind = f"import-preview-{id(self)}"  # two files dropped at once: a preview each
        self.what = QLabel("Reading…")
        self.what.setTextFormat(Qt.TextFormat.RichText)
        self.us = QLineEdit(", ".join(window.ws.imports.us()))
        self.us.setAccessibleName("This is us")
        self.us.setPlaceholderText("the handles or names the brand writes under, e.g. AcmeCare, Acme Support")
        self.us.editingFinished.connect(self._us_edited)
        self.platform = QComboBox()
        self.platform_label = QLabel("Platform")
        self.platform.setAccessibleName("Platform")
        self.platform.activated.connect(self._platform_chosen)
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(["Column", "Imported as", "Why"])
        self.columns.setAccessibleName("Columns")
        self.columns.verticalHeader().hide()
        self.columns.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.columns.horizontalHeader().setStretchLastSection(True)
        self.columns.setColumnWidth(0, 200)
        self.columns.setColumnWidth(1, 190)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.samples = record_table(SAMPLE_COLUMNS, "Sample rows as they would be stored", stretch=3,
                                    widths=(170, 90, 140, 0, 230))  # fmt: skip
        self.skipped = QLabel()
        self.skipped.setWordWrap(True)
        self.skipped.setTextFormat(Qt.TextFormat.RichText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("This is us", self.us)
        form.addRow(self.platform_label, self.platform)
        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addLayout(form)
        self.columns_title = QLabel("<b>Columns</b> — choose what a column holds, or Ignore it")
        for widget, stretch in (
            (self.columns_title, 0), (self.columns, 3), (self.warnings, 0),
            (QLabel("<b>Sample</b> — the first rows as they would be stored"), 0), (self.samples, 2),
            (self.skipped, 0), (self.buttons, 0),
        ):  # fmt: skip
            layout.addWidget(widget, stretch)
        self.refresh()

    # ---------------------------------------------------------------- reading the preview

    def refresh(self) -> None:
        """Read the preview again (off the GUI thread) with the choices made so far; the first
        read takes the choices remembered for files of this shape."""
        path, overrides, source = self.path, dict(self.overrides), self.source
        if not self._loaded:

            def first(ws: Any) -> tuple[Preview, Any]:
                shown = ws.imports.preview(path)
                return shown, ws.imports.remembered(shown.signature if shown.format != "archive" else None)

            self.window.ops.read(self._read_kind, first, while_open(self, self._first_shown))
            return
        self.window.ops.read(
            self._read_kind,
            lambda ws: (ws.imports.preview(path, overrides, source=source), None),
            while_open(self, self._show),
        )

    def _first_shown(self, result: tuple[Preview, Any]) -> None:
        remembered = result[1]
        self._loaded = True
        if remembered is not None:
            self.overrides, self.source = dict(remembered.mapping), remembered.source
        self._show(result)
        self.import_button.setFocus()  # one click (or Enter) for a file of a known shape

    def _show(self, result: tuple[Preview, Any]) -> None:
        self.preview = preview = result[0]
        archive = preview.format == "archive"
        what = f"<b>{html.escape(self.path.name)}</b>"
        if archive:
            what += f" — a platform archive: {', '.join(preview.archive_kinds)}"
        elif preview.summary is not None:
            what += f" — {FILE_KINDS.get(preview.format, preview.format)}"
            what += f", the {preview.preset} export format" if preview.preset else ""
        self.what.setText(what)
        self._fill_platforms(preview)
        self._fill_columns(preview)
        for widget in (self.columns_title, self.columns, self.platform, self.platform_label):
            widget.setVisible(not archive and preview.summary is not None)
        warnings = preview.summary.warnings if preview.summary is not None else []
        self.warnings.setText(
            "<br>".join(f"<span style='color:#b42318'>⚠ {html.escape(w)}</span>" for w in warnings)
        )
        self.warnings.setVisible(bool(warnings))
        self._fill_samples(preview)
        skipped = preview.problems
        heading = "Will be skipped" if preview.importable else "Nothing can be imported"
        self.skipped.setText(
            f"<b>{heading} ({len(skipped)})</b><br>" + "<br>".join(html.escape(p) for p in skipped[:8])
            if skipped
            else "Nothing in the rows read would be skipped."
        )
        self.import_button.setEnabled(preview.importable)

    def _fill_platforms(self, preview: Preview) -> None:
        self.platform.clear()
        detected = preview.summary.source if preview.summary is not None and not self.source else None
        self.platform.addItem(
            f"as detected: {detected}" if detected else "as each row's link or platform column says", None
        )
        for kind in sorted({*PLATFORM_KINDS, *KINDS}):
            self.platform.addItem(kind, kind)
        if self.source:
            self.platform.setCurrentIndex(max(0, self.platform.findData(self.source)))

    def _fill_columns(self, preview: Preview) -> None:
        choices = preview.summary.choices if preview.summary is not None else []
        self.columns.setRowCount(len(choices))
        for row, choice in enumerate(choices):
            name = QTableWidgetItem(choice.column)
            why = QTableWidgetItem(choice.why)
            why.setToolTip(choice.why)
            if choice.field is None:
                for item in (name, why):
                    item.setForeground(Qt.GlobalColor.gray)
            self.columns.setItem(row, 0, name)
            self.columns.setItem(row, 2, why)
            self.columns.setCellWidget(row, 1, self._field_box(choice))

    def _field_box(self, choice: ColumnChoice) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(f"{choice.column}: imported as")
        metric = (
            choice.field
            if choice.field and choice.field.startswith("metric:")
            else metric_field(choice.column)
        )
        for field, label in FIELD_CHOICES:
            box.addItem(label, field)
            if field == "score":
                box.addItem(f"Other count ({metric[7:]})", metric)
        box.setCurrentIndex(max(0, box.findData(choice.field or SKIP)))
        box.activated.connect(lambda _index, c=choice.column, b=box: self._field_chosen(c, b.currentData()))
        return box

    def _fill_samples(self, preview: Preview) -> None:
        self.samples.setRowCount(len(preview.samples))
        for row, item in enumerate(preview.samples):
            who = item.author.handle if item.author else "—"
            cells = (
                str(item.published_at or "no date"),
                item.source,
                f"{who} (us)" if item.ours else who,
                " ".join(item.text.split())[:300],
                also_kept(item),
            )
            for column, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                self.samples.setItem(row, column, cell)

    # ---------------------------------------------------------------- choices

    def _field_chosen(self, column: str, field: str) -> None:
        """A field takes one column: choosing it for this one takes it from the column the user
        gave it before (which goes back to what the file's names and values say)."""
        if field != SKIP:
            for other in [c for c, f in self.overrides.items() if f == field and c != column]:
                del self.overrides[other]
        self.overrides[column] = field
        self.refresh()

    def _platform_chosen(self, _index: int) -> None:
        self.source = self.platform.currentData()
        self.refresh()

    def handles(self) -> list[str]:
        return [h.strip() for h in self.us.text().replace(";", ",").split(",") if h.strip()]

    def _us_edited(self) -> None:
        handles = self.handles()
        if handles != self.window.ws.imports.us():
            self.window.ops.write(
                lambda ws: ws.imports.set_us(handles),
                initiator=self,
                success=while_open(self, lambda _changes: self.refresh()),
                failure=warn_failure(self),
            )

    # ---------------------------------------------------------------- importing

    def start_import(self) -> None:
        """Remember the choices for files of this shape, and run the import as a task."""
        preview = self.preview
        if preview is None or not preview.importable:
            return
        path, handles = self.path, self.handles()
        mapping, source = dict(self.overrides), self.source
        if preview.format != "archive" and preview.signature:
            signature = preview.signature
            self.window.ops.write(
                lambda ws: ws.imports.remember(signature, mapping, source), failure=warn_failure(self)
            )
        if handles != self.window.ws.imports.us():
            self.window.ops.write(lambda ws: ws.imports.set_us(handles), failure=warn_failure(self))
        self.window.run_task(
            f"Importing {path.name}",
            lambda ws, state: ws.import_file(path, mapping=mapping, source=source, ours=handles, state=state),
            import_summary,
            IMPORT_CHANGES,
        )
        self.accept()


def also_kept(item: Item) -> str:
    """What else a sample row brings besides its text: labels, counts, tags, its conversation."""
    parts = []
    if item.sentiment:
        parts.append(f"{item.sentiment} (by hand)")
    if item.intent:
        parts.append(f"{item.intent} (by hand)")
    parts += [f"{name} {count:,}" for name, count in item.metrics.items()]
    parts += [f"#{tag}" for tag in item.tags]
    if item.parent_external_id or item.thread_external_id:
        parts.append("a reply" if item.parent_external_id else "in a conversation")
    return " · ".join(parts)


def import_summary(report: ImportReport) -> str:
    """The status bar's line when an import ends: counts, and what needs a look."""
    ingest = report.ingest
    line = (
        f"{report.path.name}: {ingest.inserted:,} new, {ingest.updated:,} updated, {ingest.skipped:,} skipped"
    )
    if report.ours:
        line += f"; {report.ours:,} by us (kept out of the inbox)"
    warnings = [report.undated_warning] if report.undated_warning else []
    warnings += (report.summary.warnings if report.summary is not None else []) + report.problems
    if warnings:
        line += f" — {len(warnings)} to look at: {warnings[0]}"
    return line
