"""The main window: sidebar, mention list and detail pane, driven mostly from the keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from listener_app import APP_NAME
from listener_app.domain.changes import Changes
from listener_app.domain.query import QueryError
from listener_app.domain.tasks import TaskState
from listener_app.store import Store, events, learning, notes, search, triage
from listener_app.store.tags import ensure_tags, list_tags
from listener_app.store.views import list_views, save_view
from listener_app.ui.delegates import MentionDelegate
from listener_app.ui.detail_pane import DetailPane
from listener_app.ui.dialogs import ShortcutSheet, TagPicker
from listener_app.ui.fetcher import Fetcher
from listener_app.ui.inbox_model import InboxModel
from listener_app.ui.search_bar import SearchBar
from listener_app.ui.sidebar import Sidebar
from listener_app.ui.writer import Reader, Writer

PROGRESS_DELAY_MS = 600
STATUS_KEYS = {"E": "done", "R": "needs_response", "M": "monitoring", "I": "ignored"}

if TYPE_CHECKING:
    from listener_app.ui.dashboard import DashboardTab

DASHBOARD_TAB = 1
DETAIL_WIDTH = 430  # the mention pane's first width (then the user's)


class MainWindow(QMainWindow):
    def __init__(self, ws: Store) -> None:
        super().__init__()
        self.ws = ws
        self.writer = Writer(ws.path, self, readonly=ws.readonly)
        self.writer.changed.connect(self._on_changed)
        self.writer.finished.connect(self._on_finished)
        self.writer.failed.connect(self._on_failed)
        self.writer.progress.connect(self._on_progress)
        self.reader = Reader(ws.path, self)
        self.fetcher = Fetcher(ws, self.writer, self)
        self.fetcher.all_done.connect(self._fetched)
        self.reader.done.connect(self._on_read)
        self.tags: list[dict[str, Any]] = []
        self._tasks: dict[object, tuple[QProgressDialog, TaskState]] = {}
        read_only = " (read-only: changes cannot be saved)" if ws.readonly else ""
        self.setWindowTitle(f"{ws.path.name.removesuffix('.listener.db')}{read_only} — {APP_NAME}")
        self.setAcceptDrops(True)
        self.model = InboxModel(ws, self)
        self.delegate = MentionDelegate(self)
        self.sidebar = Sidebar(ws, self.reader)
        self.sidebar.query_chosen.connect(self._view_chosen)
        self.search_bar = SearchBar(ws)
        self.search_bar.submitted.connect(self.run_search)
        self.search_bar.save_requested.connect(self.save_view)
        self.table = self._make_table()
        self.detail = DetailPane(ws)
        self.detail.status_requested.connect(self.set_status)
        self.detail.tag_toggled.connect(self.toggle_tag)
        self.detail.note_saved.connect(self._save_note)
        self.detail.suggestion_accepted.connect(self._accept_suggestion)
        self.detail.label_chosen.connect(self.set_label)
        self.detail.respond_requested.connect(self.respond)
        self.detail.search_requested.connect(lambda query: self.run_search(query))
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.search_bar)
        column.addWidget(self.table, 1)
        self.inbox_splitter = inbox = QSplitter()
        inbox.addWidget(centre)
        inbox.addWidget(self.detail)
        inbox.setStretchFactor(0, 3)
        inbox.setStretchFactor(1, 2)
        inbox.setCollapsible(1, False)
        self.dashboard: DashboardTab | None = None  # built when first shown (QtCharts, readers)
        self.model.modelReset.connect(lambda: self.dashboard and self.dashboard.set_query(self.model.query))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(inbox, "Inbox")
        self.dashboard_page = QWidget()  # holds the dashboard once built
        QVBoxLayout(self.dashboard_page).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.dashboard_page, "Dashboard")
        self.tabs.currentChanged.connect(lambda index: index == DASHBOARD_TAB and self._build_dashboard())
        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(1, 5)
        self.setCentralWidget(self.splitter)
        self._make_menus()
        self._make_shortcuts()
        self._restore_geometry()
        self._reload_tags()
        self.run_search("status:new", title="New")

    # ---------------------------------------------------------------- building

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("inbox")
        table.setAccessibleName("Mentions")
        table.setModel(self.model)
        table.setItemDelegate(self.delegate)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(32)
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate((72, 34, 124, 0, 88, 86, 100)):
            if width:
                table.setColumnWidth(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        header.sectionClicked.connect(self._sort_clicked)
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        table.doubleClicked.connect(lambda _index: self.detail.open_original())
        return table

    def _action(
        self, text: str, keys: str | QKeySequence | list[Any] | None, slot: Any, *, table_only: bool = False
    ) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcuts(keys if isinstance(keys, list) else [QKeySequence(keys)])
        action.triggered.connect(slot)
        if table_only:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(action)
        else:
            self.addAction(action)
        return action

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self._action("&New workspace…", QKeySequence.StandardKey.New, self.new_workspace))
        file.addAction(
            self._action("&Open workspace…", QKeySequence.StandardKey.Open, self.open_workspace_dialog)
        )
        self.recent_menu = file.addMenu("Recent workspaces")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addSeparator()
        file.addAction(self._action("&Import file…", "Ctrl+I", self.import_dialog))
        file.addAction(self._action("&Export results…", "Ctrl+E", self.export_dialog))
        file.addAction(self._action("&Report…", "Ctrl+Shift+R", self.report_dialog))
        file.addSeparator()
        file.addAction(self._action("&Backups and restore…", None, lambda: self.show_backups()))
        file.addSeparator()
        file.addAction(self._action("&Quit", QKeySequence.StandardKey.Quit, self.close))
        listen = bar.addMenu("&Listen")
        listen.addAction(self._action("&Sources…", "Ctrl+Shift+S", self.show_sources))
        listen.addAction(self._action("&Fetch all now", "F5", lambda: self.fetcher.fetch()))
        listen.addSeparator()
        listen.addAction(self._action("&Dashboard of this search", "Ctrl+D", self.show_dashboard))
        respond = bar.addMenu("&Respond")
        respond.addAction(self._action("Reply &templates…", None, self.show_templates))
        respond.addAction(self._action("&Rules…", None, self.show_rules))
        respond.addAction(self._action("&People…", "Ctrl+Shift+P", self.show_people))
        respond.addAction(self._action("&Learning from your labels…", None, self.show_learning))
        edit = bar.addMenu("&Edit")
        self.undo_action = self._action("&Undo", [QKeySequence("Ctrl+Z")], self.undo)
        self.redo_action = self._action("&Redo", [QKeySequence("Ctrl+Shift+Z")], self.redo)
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.aboutToShow.connect(self._label_undo)
        view = bar.addMenu("&Help")
        view.addAction(self._action("&Keyboard shortcuts", None, self.show_shortcuts))
        view.addAction(self._action("&About Listener", None, self.show_about))

    def _make_shortcuts(self) -> None:
        self._action("Next", [QKeySequence("J")], lambda: self.move(1), table_only=True)
        self._action("Previous", [QKeySequence("K")], lambda: self.move(-1), table_only=True)
        self._action(
            "Open original",
            [QKeySequence("O"), QKeySequence("Return")],
            self.detail.open_original,
            table_only=True,
        )
        for key, status in STATUS_KEYS.items():
            self._action(
                status, [QKeySequence(key)], lambda _=False, s=status: self.set_status(s), table_only=True
            )
        self._action("Star", [QKeySequence("S")], self.toggle_star, table_only=True)
        self._action("Accept suggestions", [QKeySequence("Y")], self.accept_suggestions, table_only=True)
        self._action("Respond…", [QKeySequence("A")], self.respond, table_only=True)
        self._action("Tag…", [QKeySequence("T")], self.pick_tag, table_only=True)
        self._action("Note", [QKeySequence("N")], self.detail.focus_note, table_only=True)
        self._action("Undo", [QKeySequence("U")], self.undo, table_only=True)
        self._action("Mark unread", [QKeySequence("Shift+U")], self.mark_unread, table_only=True)
        self._action(
            "Shortcuts", [QKeySequence("?"), QKeySequence("Shift+/")], self.show_shortcuts, table_only=True
        )
        self._action("Search", [QKeySequence("/")], self.focus_search, table_only=True)
        for digit in range(1, 10):
            self._action(
                f"Tag {digit}",
                [QKeySequence(str(digit))],
                lambda _=False, d=digit: self.toggle_tag_key(str(d)),
                table_only=True,
            )

    def _restore_geometry(self) -> None:
        settings = QSettings()
        if geometry := settings.value("window/geometry"):
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 860)
        if sizes := settings.value("window/sidebar_splitter"):
            self.splitter.restoreState(sizes)
        else:
            self.splitter.setSizes([235, self.width() - 235])
        if sizes := settings.value("window/inbox_splitter"):
            self.inbox_splitter.restoreState(sizes)
        else:
            self.inbox_splitter.setSizes([self.width() - 235 - DETAIL_WIDTH, DETAIL_WIDTH])

    def closeEvent(self, event: Any) -> None:
        self.detail._flush_note()
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/sidebar_splitter", self.splitter.saveState())
        settings.setValue("window/inbox_splitter", self.inbox_splitter.saveState())
        self.fetcher.stop()
        self.writer.stop()
        self.reader.stop()
        if self.dashboard is not None:
            self.dashboard.stop()
        super().closeEvent(event)

    # ---------------------------------------------------------------- searching

    def run_search(self, query: str, *, title: str | None = None) -> bool:
        try:
            self.model.set_query(query)
        except QueryError as error:
            self.search_bar.show_error(error)
            return False
        self.search_bar.set_text(query)
        self.delegate.set_terms(search.highlight_terms(query))
        self.sidebar.select_query(query)
        self._title = title
        self._show_total()
        if self.model.total is None:
            self.reader.request("count", lambda ws, q=query: (q, search.count(ws, q)))
        if self.model.rowCount():
            self.select_row(0)
        else:
            self.detail.show_mention(None)
        self.table.setFocus()
        return True

    def _show_total(self) -> None:
        total = self.model.total
        shown = (
            f"{total:,} mentions" if total is not None else f"{len(self.model.ids):,}+ mentions (counting…)"
        )
        title = getattr(self, "_title", None)
        self.statusBar().showMessage(f"{title + ' · ' if title else ''}{shown}")

    def check_workspace(self) -> None:
        """After the first paint: a daily backup, and an integrity check with the offer to restore."""
        from listener_app.store.backup import backed_up_today, backup_workspace, integrity_problems

        if not self.ws.readonly and not backed_up_today(self.ws.path):
            self.writer.submit(lambda ws: backup_workspace(ws.path, reason="daily") and None)
        self.reader.request("integrity", lambda ws: integrity_problems(ws.path))
        if not self.ws.readonly and learning.needs_relearn(self.ws):  # learned by an older version
            self.run_task(
                "Bringing what was learned from your labels up to date",
                lambda ws, state: learning.relearn(ws, state),
                lambda n: (
                    f"Learned again from the labels of {n:,} mentions (this version learns differently)"
                ),
            )

    def _on_read(self, kind: str, result: Any) -> None:
        if kind == "count" and result[0] == self.model.query:
            self.model.total = result[1]
            self._show_total()
        elif kind == "integrity" and result:
            self.show_backups(problem=result[0])

    def _sort_clicked(self, column: int) -> None:
        """The When column sorts newest or oldest first (the search's sort: filter)."""
        header = self.table.horizontalHeader()
        if column != 0:
            header.setSortIndicator(0, header.sortIndicatorOrder())
            self.statusBar().showMessage(
                "The list sorts by time (click When), or by reach with sort:reach", 4000
            )
            return
        words = [w for w in self.model.query.split() if not w.lower().startswith("sort:")]
        oldest = "sort:oldest" not in self.model.query.lower()
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder if oldest else Qt.SortOrder.DescendingOrder)
        self.run_search(
            " ".join([*words, "sort:oldest"] if oldest else words), title=getattr(self, "_title", None)
        )

    def _view_chosen(self, query: str, title: str) -> None:
        self.run_search(query, title=title)

    def focus_search(self) -> None:
        self.search_bar.edit.setFocus()
        self.search_bar.edit.selectAll()

    def save_view(self, query: str) -> None:
        try:
            search.count(self.ws, query)
        except QueryError as error:
            self.search_bar.show_error(error)
            return
        name, ok = QInputDialog.getText(self, "Save view", "Name of the view:")
        if ok and name.strip():
            answer = QMessageBox.question(
                self,
                "Save view",
                "Show a desktop notification when a fetch brings new mentions that match this view?",
            )
            notify = answer == QMessageBox.StandardButton.Yes
            self.writer.submit(lambda ws: (save_view(ws, name, query, notify=notify), Changes(views=True))[1])

    # ---------------------------------------------------------------- selection

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return [i for i in (self.model.id_at(r) for r in rows) if i is not None]

    def select_row(self, row: int) -> None:
        if self.model.rowCount() == 0:
            self.detail.show_mention(None)
            return
        row = max(0, min(row, self.model.rowCount() - 1))
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def move(self, step: int) -> None:
        current = self.table.currentIndex().row() if self.table.currentIndex().isValid() else -1
        self.select_row(current + step)

    def _current_changed(self, current: Any, _previous: Any) -> None:
        mention_id = self.model.id_at(current.row()) if current.isValid() else None
        self.detail.show_mention(mention_id, self.tags)
        if mention_id is not None:
            record = self.model.row_data(current.row())
            if record and not record["read"] and not self.ws.readonly:
                record["read"] = 1  # shown as read at once; stored in the background
                self.model.row_changed(current.row())
                self.writer.submit(lambda ws: triage.set_read(ws, [mention_id], True) and None)

    # ---------------------------------------------------------------- triage

    def _submit(self, operation: Any, label: str) -> None:
        ids = self.selected_ids()
        if ids:
            self._anchor = self.table.currentIndex().row()
            self.writer.submit(lambda ws: operation(ws, ids), token=("triage", label))

    def set_status(self, status: str) -> None:
        self._submit(lambda ws, ids: triage.set_status(ws, ids, status), status)

    def toggle_star(self) -> None:
        rows = [self.model.row_data(self.model.row_of(i) or 0) for i in self.selected_ids()]
        star = not all(r and r["starred"] for r in rows)
        self._submit(lambda ws, ids: triage.set_starred(ws, ids, star), "star")

    def toggle_tag(self, tag_id: int) -> None:
        self._submit(lambda ws, ids: triage.toggle_tag(ws, ids, tag_id), "tag")

    def toggle_tag_key(self, key: str) -> None:
        tag = next((t for t in self.tags if t["shortcut"] == key), None)
        if tag is None:
            self.statusBar().showMessage(f"No tag is bound to {key} (set one in the tag's settings)", 4000)
            return
        self.toggle_tag(tag["id"])

    def pick_tag(self) -> None:
        picker = TagPicker(self.tags, self)
        if picker.exec() and picker.choice:
            name = picker.choice

            def tag(ws: Store, ids: list[int]) -> Changes:
                with ws.transaction():
                    tag_id = ensure_tags(ws, [name])[" ".join(name.split()).casefold()]
                changes = triage.toggle_tag(ws, ids, tag_id)
                changes.tags = True
                return changes

            self._submit(tag, "tag")

    def _save_note(self, mention_id: int, note_id: int | None, body: str) -> None:
        if note_id is None:
            self.writer.submit(lambda ws: notes.add_note(ws, mention_id, body), token=("note", mention_id))
        else:
            self.writer.submit(lambda ws: notes.update_note(ws, note_id, body), token=("note", mention_id))

    def _accept_suggestion(self, model: str, label: str) -> None:
        self._accept_suggestions({model: label})

    def accept_suggestions(self) -> None:
        """The y key: every suggestion shown for this mention becomes the strategist's own label."""
        guesses = {model: label for model, (label, _confidence) in self.detail.guesses.items()}
        if not guesses:
            self.statusBar().showMessage("No suggestion for this mention yet", 3000)
            return
        self._accept_suggestions(guesses)

    def _accept_suggestions(self, guesses: dict[str, str]) -> None:
        """Suggestions belong to the mention on show: they are applied to it alone."""
        mention_id = self.detail.mention_id
        if mention_id is None:
            return

        def accept(ws: Store) -> Changes:
            ids = [mention_id]
            changes = Changes()
            for model, label in guesses.items():
                if model == "sentiment":
                    changes.merge(triage.set_sentiment(ws, ids, label))
                elif model == "intent":
                    changes.merge(triage.set_intent(ws, ids, label))
                elif model.startswith("tag:"):
                    changes.merge(triage.add_tags(ws, ids, [int(model.split(":", 1)[1])]))
            return changes

        self._anchor = self.table.currentIndex().row()
        self.writer.submit(accept, token=("triage", "accept suggestion"))

    def set_label(self, kind: str, value: str | None) -> None:
        """A manual sentiment or intent on the selection (None: back to automatic)."""
        setter = triage.set_sentiment if kind == "sentiment" else triage.set_intent
        self._submit(lambda ws, ids: setter(ws, ids, value), kind)

    def respond(self) -> None:
        """The guided response assessment and a drafted reply for the current mention."""
        from listener_app.domain.playbook import Assessment
        from listener_app.store.authors import author_profile
        from listener_app.store.mentions import mention_detail
        from listener_app.store.playbook import list_templates, record_assessment, reply_signature
        from listener_app.ui.respond_dialog import RespondDialog

        current = self.table.currentIndex()
        mention_id = self.model.id_at(current.row()) if current.isValid() else None
        if mention_id is None:
            return
        mention = mention_detail(self.ws, mention_id)
        profile = (
            author_profile(self.ws, mention["author_id"]) if mention and mention.get("author_id") else None
        )
        brand, agent = reply_signature(self.ws)
        dialog = RespondDialog(
            mention, profile, list_templates(self.ws), brand=brand, agent=agent, parent=self
        )
        if not dialog.exec() or dialog.status is None:
            return
        status, assessment = dialog.status, dialog.assessment

        def apply(ws: Store) -> Changes:
            if isinstance(assessment, Assessment):
                record_assessment(ws, mention_id, assessment)
            return triage.set_status(ws, [mention_id], status)

        self._anchor = current.row()
        self.writer.submit(apply, token=("triage", status))

    def mark_unread(self) -> None:
        self._submit(lambda ws, ids: triage.set_read(ws, ids, False), "unread")

    def undo(self) -> None:
        self.writer.submit(events.undo, token=("undo", None))

    def redo(self) -> None:
        self.writer.submit(events.redo, token=("undo", None))

    def _label_undo(self) -> None:
        last, following = events.last_event_label(self.ws), events.next_redo_label(self.ws)
        self.undo_action.setText(f"&Undo {last}" if last else "&Undo")
        self.undo_action.setEnabled(bool(last))
        self.redo_action.setText(f"&Redo {following}" if following else "&Redo")
        self.redo_action.setEnabled(bool(following))

    # ---------------------------------------------------------------- results

    def _on_changed(self, changes: Changes) -> None:
        anchor = getattr(self, "_anchor", None)
        current_id = (
            self.model.id_at(self.table.currentIndex().row()) if self.table.currentIndex().isValid() else None
        )
        if changes.tags:
            self._reload_tags()
        self.detail.invalidate_models()
        self.model.refresh(changes.mentions)
        self.sidebar.reload()
        self.sidebar.select_query(self.model.query)
        row = self.model.row_of(current_id) if current_id is not None else None
        if row is None and anchor is not None:
            row = anchor  # the mention left this view: the next one takes its place
        if row is not None:
            self.select_row(row)
            if self.model.id_at(row) != current_id or current_id in changes.mentions:
                self.detail.show_mention(self.model.id_at(row), self.tags)
        self._anchor = None
        if self.model.total is None:
            self.reader.request("count", lambda ws, q=self.model.query: (q, search.count(ws, q)))
        self._show_total()

    def _on_finished(self, token: object, result: object) -> None:
        if isinstance(token, tuple) and token[0] == "note" and isinstance(result, tuple):
            if self.detail.mention_id == token[1]:
                self.detail.note_id = result[0]
            self._on_changed(result[1])
        elif isinstance(token, tuple) and token[0] == "undo" and result is None:
            self.statusBar().showMessage("Nothing to undo", 3000)
        elif isinstance(token, tuple) and token[0] == "task":
            dialog, _state = self._tasks.pop(token, (None, None))
            if dialog is not None:
                dialog.close()
            self.statusBar().showMessage(str(token[1](result)), 8000)
            self.detail.invalidate_models()  # an import or a learning job may have changed labels
            self._reload_tags()
            self.model.refresh()
            self.sidebar.reload()

    def _on_failed(self, token: object, message: str) -> None:
        if token in self._tasks:
            self._tasks.pop(token)[0].close()
        QMessageBox.warning(self, APP_NAME, message)

    def _reload_tags(self) -> None:
        self.tags = list_tags(self.ws)
        self.delegate.tags = {t["id"]: t for t in self.tags}

    # ---------------------------------------------------------------- background tasks

    def run_task(self, title: str, work: Any, summary: Any) -> None:
        """Run `work(ws, state)` on the writer with a progress dialog (after a short delay)."""
        state = TaskState()
        dialog = QProgressDialog(title, "Cancel", 0, 0, self)
        dialog.setWindowTitle(APP_NAME)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.canceled.connect(state.cancel)
        token = ("task", summary, title)
        self._tasks[token] = (dialog, state)
        self.writer.submit(lambda ws: work(ws, state), token=token, state=state)
        QTimer.singleShot(PROGRESS_DELAY_MS, lambda: token in self._tasks and dialog.show())

    def _on_progress(self, token: object, done: int, total: int, message: str) -> None:
        if token in self._tasks:
            dialog = self._tasks[token][0]
            dialog.setMaximum(total)
            dialog.setValue(min(done, total) if total else 0)
            if message:
                dialog.setLabelText(f"{message} — {done:,}" + (f" of {total:,}" if total else ""))

    def import_file(self, path: str) -> None:
        from listener_app.workspace.importing import import_file

        self.run_task(
            f"Importing {Path(path).name}",
            lambda ws, state: import_file(ws, path, state=state),
            lambda r: (
                f"{Path(path).name}: {r.ingest.inserted:,} new, {r.ingest.updated:,} updated, {r.ingest.skipped:,} skipped"
            ),
        )

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import mentions", "", "Mentions (*.csv *.xlsx *.json *.jsonl *.ndjson *.tsv)"
        )
        if path:
            self.import_file(path)

    def export_dialog(self) -> None:
        from listener_app.workspace.exporting import export_query

        path, _chosen = QFileDialog.getSaveFileName(
            self,
            "Export results",
            "mentions.csv",
            "CSV (*.csv);;Excel (*.xlsx);;JSON Lines (*.jsonl);;JSON (*.json);;Markdown (*.md)",
        )
        if not path:
            return
        fmt = Path(path).suffix.lstrip(".").lower() or "csv"
        query = self.model.query
        self.run_task(
            "Exporting",
            lambda ws, state: export_query(ws, query, fmt, path, state=state),
            lambda n: f"Exported {n:,} mentions to {path}",
        )

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.import_file(url.toLocalFile())

    # ---------------------------------------------------------------- workspaces

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New workspace", "client.listener.db", "Listener workspace (*.listener.db)"
        )
        if path:
            from listener_app.ui.app import switch_workspace

            switch_workspace(self, path, create=True)

    def open_workspace_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", "", "Listener workspace (*.listener.db *.db)"
        )
        if path:
            from listener_app.ui.app import switch_workspace

            switch_workspace(self, path, create=False)

    def _fill_recent(self) -> None:
        from listener_app.ui.app import recent_workspaces, switch_workspace

        self.recent_menu.clear()
        for path in recent_workspaces():
            action = self.recent_menu.addAction(Path(path).name.removesuffix(".listener.db"))
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: switch_workspace(self, p, create=False))

    def show_dashboard(self) -> None:
        """The Dashboard tab for the current search (again: back to the inbox)."""
        if self.tabs.currentIndex() == DASHBOARD_TAB:
            self.tabs.setCurrentIndex(0)
            self.table.setFocus()
            return
        self.tabs.setCurrentIndex(DASHBOARD_TAB)  # it follows the search (model resets)
        if self.dashboard is not None:
            self.dashboard.period.setFocus()  # keys stay with the window, the period is one Tab away

    def _build_dashboard(self) -> None:
        if self.dashboard is not None:
            return
        from listener_app.ui import dashboard  # QtCharts: imported when first needed

        self.dashboard = dashboard.DashboardTab(self.ws, self.dashboard_page)
        self.dashboard.search_requested.connect(self.open_in_inbox)
        self.dashboard.set_query(self.model.query)
        self.dashboard_page.layout().addWidget(self.dashboard)

    def open_in_inbox(self, query: str) -> None:
        """Mentions a dashboard click chose, in the inbox."""
        self.tabs.setCurrentIndex(0)
        self.run_search(query)
        self.table.setFocus()  # j/k move through what was clicked

    def report_dialog(self) -> None:
        from listener_app.ui.report_dialog import ReportDialog

        ReportDialog(self.ws, self.model.query, self).exec()

    def show_about(self) -> None:
        from listener_app.ui.about_dialog import AboutDialog

        AboutDialog(self.ws, self).exec()

    def show_backups(self, *, problem: str | None = None) -> None:
        """The backups, with Restore; after a failed integrity check, with what is damaged."""
        from listener_app.ui.app import restore_workspace
        from listener_app.ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self.ws.path, self.writer, self, problem=problem)
        if dialog.exec() and dialog.chosen is not None:
            restore_workspace(self, dialog.chosen)

    def show_sources(self) -> None:
        from listener_app.ui.sources_dialog import SourcesDialog

        SourcesDialog(self.ws, self.fetcher, self).exec()

    def show_templates(self) -> None:
        from listener_app.ui.templates_dialog import TemplatesDialog

        TemplatesDialog(self.ws, self.writer, self.detail.mention_id, self).exec()

    def show_rules(self) -> None:
        from listener_app.ui.rules_dialog import RulesDialog

        RulesDialog(self.ws, self.writer, self).exec()

    def show_learning(self) -> None:
        from listener_app.ui.learning_dialog import JOBS, LearningDialog

        dialog = LearningDialog(self.ws, self.writer, self)
        if not dialog.exec() or dialog.job is None:
            return
        threshold = dialog.threshold.value() / 100
        work, summary = {
            "apply": (
                lambda ws, state: learning.apply_learned(ws, threshold, state),
                lambda n: f"Applied {n:,} learned labels (at least {threshold:.0%} confident)",
            ),
            "clear": (
                lambda ws, state: learning.clear_learned(ws, state),
                lambda n: f"Took back the learned labels of {n:,} mentions",
            ),
            "relearn": (
                lambda ws, state: learning.relearn(ws, state),
                lambda n: f"Relearned from the labels of {n:,} mentions",
            ),
        }[dialog.job]
        self.run_task(JOBS[dialog.job], work, summary)

    def show_people(self) -> None:
        from listener_app.ui.people_dialog import PeopleDialog

        people = PeopleDialog(self.ws, self.writer, self.model.query, self)
        people.author_chosen.connect(lambda query: (people.accept(), self.open_in_inbox(query)))
        people.exec()

    def _fetched(self, results: list[Any]) -> None:
        new = sum(r.new for r in results)
        failed = [r.name for r in results if r.error]
        message = f"Fetched {len(results)} source(s): {new:,} new mentions" + (
            f"; failed: {', '.join(failed)}" if failed else ""
        )
        self.statusBar().showMessage(message, 10_000)
        alerts = [n for r in results for n in r.notifications]
        new_ids = [i for r in results for i in r.new_ids]
        for view in list_views(self.ws) if new_ids else []:
            if view["notify"]:
                try:
                    matched = search.matching_ids(self.ws, view["query"], new_ids)
                except QueryError:
                    continue
                if matched:
                    alerts.append((view["name"], f"{view['name']}: new mentions", len(matched)))
        if alerts:
            self.notify(alerts)

    def notify(self, alerts: list[tuple[str, str, int]]) -> None:
        """A desktop notification for rules that asked for one."""
        from PySide6.QtWidgets import QSystemTrayIcon

        text = "; ".join(f"{message} ({count})" for _rule, message, count in alerts[:5])
        if QSystemTrayIcon.isSystemTrayAvailable():
            if not hasattr(self, "_tray"):
                self._tray = QSystemTrayIcon(self.windowIcon(), self)
                self._tray.show()
            self._tray.showMessage(APP_NAME, text)
        self.statusBar().showMessage(f"Alert: {text}", 15_000)

    def show_shortcuts(self) -> None:
        ShortcutSheet(self).exec()
