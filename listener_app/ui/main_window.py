"""The main window: sidebar, mention list and detail pane, driven mostly from the keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from listener_app import APP_NAME
from listener_app.domain.changes import Changes
from listener_app.domain.query import QueryError
from listener_app.domain.tasks import TaskState
from listener_app.paths import WORKSPACE_SUFFIX, demo_workspace_path, workspaces_folder
from listener_app.ui.delegates import MentionDelegate
from listener_app.ui.detail_pane import DetailPane
from listener_app.ui.dialogs import ShortcutSheet, TagPicker
from listener_app.ui.fetcher import Fetcher
from listener_app.ui.inbox_model import InboxModel
from listener_app.ui.inbox_table import InboxTable
from listener_app.ui.operations import Operations
from listener_app.ui.panes import InboxSplitter, Panes, default_size
from listener_app.ui.recent import recent_workspaces
from listener_app.ui.relearning import Relearning
from listener_app.ui.search_bar import SearchBar
from listener_app.ui.sidebar import Sidebar
from listener_app.ui.toast import Toast, phrase
from listener_app.ui.welcome import Banner, empty_workspace_html, no_results_html
from listener_app.workspace import Workspace
from listener_app.workspace.fetching import fetch_undated_warning

PROGRESS_DELAY_MS = 600
STATUS_KEYS = {"E": "done", "R": "needs_response", "M": "monitoring", "I": "ignored"}

if TYPE_CHECKING:
    from listener_app.ui.dashboard import DashboardTab

DASHBOARD_TAB = 1
WORKSPACE_FILTER = "Listener workspaces (*.listener.db *.db)"
TASK_CHANGES = Changes(
    all_mentions=True, tags=True, authors=True, learning=True
)  # what a long job may change


def with_workspace_suffix(path: Path) -> Path:
    """`airline` and `airline.db` become `airline.listener.db`."""
    if path.name.endswith(WORKSPACE_SUFFIX):
        return path
    return path.with_name(path.name.removesuffix(".db") + WORKSPACE_SUFFIX)


class MainWindow(QMainWindow):
    """One workspace's window. `ws` is a read-only Workspace for quick reads on this thread;
    every write goes through `ops` (see ui.operations)."""

    workspace_requested = Signal(str, bool)  # (path, create): open another workspace in its place
    restore_requested = Signal(object)  # a backup's Path to put in place of this workspace

    def __init__(self, ws: Workspace, *, writable: bool = True) -> None:
        super().__init__()
        self.ws = ws
        self.writable = writable
        self.ops = Operations(ws.path, self, readonly=not writable)
        self.ops.changes_applied.connect(self._on_changed)
        self.ops.progress.connect(self._on_progress)
        self.fetcher = Fetcher(ws, self.ops, self)
        self.fetcher.all_done.connect(self._fetched)
        self.tags: list[dict[str, Any]] = []
        self._closing = False  # from closeEvent on, late results of writes are dropped
        self._tasks: dict[int, QProgressDialog] = {}
        read_only = "" if writable else " (read-only: changes cannot be saved)"
        self.setWindowTitle(f"{ws.name}{read_only} — {APP_NAME}")
        self.setAcceptDrops(True)
        self.model = InboxModel(ws, self)
        self.delegate = MentionDelegate(self)
        self.sidebar = Sidebar(ws, self.ops)
        self.sidebar.query_chosen.connect(self._view_chosen)
        self.sidebar.tags_requested.connect(self.show_tags)
        self.sidebar.view_deleted.connect(self._view_deleted)
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
        self.detail.empty_link.connect(self.start_action)
        self.relearning = Relearning(ws, self.ops, self, writable=writable)
        self.relearning.models_loaded.connect(self.detail.set_models)
        self.relearning.relearned.connect(lambda text: self.statusBar().showMessage(text, 6000))
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.banner = Banner()
        self.banner.chosen.connect(self.start_action)
        column.addWidget(self.banner)
        column.addWidget(self.search_bar)
        column.addWidget(self.table, 1)
        self.inbox_splitter = inbox = InboxSplitter(centre, self.detail)
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
        self.panes = Panes(self.splitter, inbox)
        self.setCentralWidget(self.splitter)
        self.toast = Toast(self)
        self._make_menus()
        self._make_shortcuts()
        self._restore_geometry()
        self._reload_tags()
        self._empty = not self.ws.search("", limit=1)
        self.run_search("status:new", title="New")
        self.banner.show_for(demo=self.is_demo, empty=self._empty)
        QTimer.singleShot(0, self.relearning.start)  # after the first paint

    # ---------------------------------------------------------------- building

    def _make_table(self) -> InboxTable:
        table = InboxTable(self.model, self.delegate)
        table.horizontalHeader().sectionClicked.connect(self._sort_clicked)
        table.empty_link.connect(self.start_action)
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
        edit.addSeparator()
        edit.addAction(self._action("&Tags…", None, self.show_tags))
        edit.aboutToShow.connect(self._label_undo)
        view = bar.addMenu("&Help")
        # One action for "?" (and F1), so Qt never sees two shortcuts for the same key; text
        # fields take "?" as a character before any shortcut sees it.
        self.shortcuts_action = self._action(
            "&Keyboard shortcuts", [QKeySequence("?"), QKeySequence("F1")], self.show_shortcuts
        )
        view.addAction(self.shortcuts_action)
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
        # Esc from the note, the search or any button: back to the list, where the keys work.
        self._action("Back to the list", [QKeySequence("Escape")], self.back_to_list)
        self._action("Search", [QKeySequence("/")], self.focus_search, table_only=True)
        for digit in range(1, 10):
            self._action(
                f"Tag {digit}",
                [QKeySequence(str(digit))],
                lambda _=False, d=digit: self.toggle_tag_key(str(d)),
                table_only=True,
            )

    def _restore_geometry(self) -> None:
        """The window and panes as the user left them (see ui.panes for when they are not)."""
        settings = QSettings()
        if geometry := settings.value("window/geometry"):
            self.restoreGeometry(geometry)
        else:
            self.resize(default_size(self.screen().availableGeometry().size()))
        self.panes.restore(settings)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not getattr(self, "_shown", False):
            self._shown = True
            self.panes.check()  # at the size it opened with

    def closeEvent(self, event: Any) -> None:
        self._closing = True
        self.detail.flush_note()
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        self.panes.save(settings)
        self.fetcher.stop()
        self.relearning.stop()
        if self.dashboard is not None:
            self.dashboard.stop()
        self.ops.changes_applied.disconnect(self._on_changed)  # what arrives now has no list to refresh
        self.ws.close()  # readers first: the writer, closing last, folds the log back into the file
        self.ops.stop()
        super().closeEvent(event)

    # ---------------------------------------------------------------- searching

    def run_search(self, query: str, *, title: str | None = None) -> bool:
        try:
            self.model.set_query(query)
        except QueryError as error:
            self.search_bar.show_error(error)
            return False
        self.search_bar.set_text(query)
        self.delegate.set_terms(Workspace.highlight_terms(query))
        self.table.set_empty_message(empty_workspace_html() if self._empty else no_results_html(query))
        self.detail.set_empty_text(empty_workspace_html() if self._empty else None)
        self.sidebar.select_query(query)
        self._title = title
        self._show_total()
        if self.model.total is None:
            self._count(query)
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

    def _count(self, query: str) -> None:
        """The number of results, counted off this thread (a broad search takes a moment)."""

        def counted(total: int) -> None:
            if query == self.model.query:
                self.model.total = total
                self._show_total()

        self.ops.read("count", lambda ws: ws.count(query), counted)

    def check_workspace(self) -> None:
        """After the first paint: a daily backup, and an integrity check with the offer to restore."""
        if self.writable and not self.ws.backups.backed_up_today():
            self.ops.write(lambda ws: ws.backups.create("daily") and None)
        self.ops.read(
            "integrity",
            lambda ws: ws.integrity_problems(),
            lambda found: found and self.show_backups(problem=found[0]),
        )

    def _sort_clicked(self, column: int) -> None:
        """The When column sorts newest or oldest first (the search's sort: filter)."""
        header = self.table.horizontalHeader()
        if column != 0:
            header.setSortIndicator(0, header.sortIndicatorOrder())
            self.toast.show_message("The list sorts by time (click When), or by reach with sort:reach")
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
            Workspace.check_query(query)
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

            def saved(changes: Changes) -> None:
                """The new view is chosen in the sidebar, as the list already shows it."""
                self._title = name.strip()
                self._show_total()
                self.sidebar.select_view(changes.created_id)
                self.toast.show_message(f"Saved the view “{name.strip()}”")

            self.ops.write(
                lambda ws: ws.views.save(name.strip(), query, notify=notify),
                initiator=self,
                success=saved,
                failure=self._failed,
            )

    def _view_deleted(self, view: dict[str, Any]) -> None:
        def restore() -> None:
            self.ops.write(
                lambda ws: ws.views.save(view["name"], view["query"], notify=bool(view["notify"])),
                initiator=self,
                success=lambda _c: self.toast.show_message(f"The view “{view['name']}” is back"),
                failure=self._failed,
            )

        self.toast.show_message(f"Deleted the view “{view['name']}”", "Undo", restore)

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
            if record and not record["read"] and self.writable:
                record["read"] = 1  # shown as read at once; stored in the background
                self.model.row_changed(current.row())
                self.ops.write(lambda ws: ws.set_read([mention_id]) and None)

    # ---------------------------------------------------------------- triage

    def _submit(self, operation: Any, success: Any = None) -> None:
        """A triage action on the selection, `operation(ws, ids) -> Changes`; a toast names it
        (and offers Undo) when it is done, then `success(changes)` runs."""
        ids = self.selected_ids()
        if not ids:
            return

        def done(changes: Changes) -> None:
            if self._closing:
                return  # it arrived as the window closed: its workspace is closed by now
            self.confirm(changes)
            if success is not None:
                success(changes)

        self._anchor = self.table.currentIndex().row()
        self.ops.write(lambda ws: operation(ws, ids), initiator=self, success=done, failure=self._failed)

    def set_status(self, status: str) -> None:
        """A triage decision; with one mention selected the next one is selected after it, in
        every view (in New the mention leaves; in a saved view it may stay)."""
        ids = self.selected_ids()

        def decided(_changes: Changes) -> None:
            if len(ids) == 1 and self.selected_ids() == ids:  # still here: on to the next
                self.move(1)

        self._submit(lambda ws, ids: ws.set_status(ids, status), success=decided)

    def toggle_star(self) -> None:
        rows = [self.model.row_data(self.model.row_of(i) or 0) for i in self.selected_ids()]
        star = not all(r and r["starred"] for r in rows)
        self._submit(lambda ws, ids: ws.set_starred(ids, star))

    def toggle_tag(self, tag: int | str) -> None:
        """Add or remove a tag (by id, or by name: a new name creates the tag)."""
        self._submit(lambda ws, ids: ws.toggle_tag(ids, tag))

    def toggle_tag_key(self, key: str) -> None:
        tag = next((t for t in self.tags if t["shortcut"] == key), None)
        if tag is None:
            self.toast.show_message(f"No tag has the key {key} yet", "Give it a tag…", self.show_tags)
            return
        self.toggle_tag(tag["id"])

    def pick_tag(self) -> None:
        picker = TagPicker(self.tags, self)
        if picker.exec() and picker.choice:
            self.toggle_tag(picker.choice)

    def _save_note(self, mention_id: int, note_id: int | None, body: str) -> None:
        def saved(changes: Changes) -> None:
            if changes.created_id is not None and self.detail.mention_id == mention_id:
                self.detail.note_id = changes.created_id
            self.confirm(changes)

        self.ops.write(lambda ws: ws.save_note(mention_id, body, note_id), initiator=self, success=saved)

    def _accept_suggestion(self, model: str, label: str) -> None:
        self._accept_suggestions({model: label})

    def accept_suggestions(self) -> None:
        """The y key: every suggestion shown for this mention becomes the strategist's own label."""
        guesses = {model: label for model, (label, _confidence) in self.detail.guesses.items()}
        if not guesses:
            self.toast.show_message("No suggestion for this mention yet: label a few more like it")
            return
        self._accept_suggestions(guesses)

    def _accept_suggestions(self, guesses: dict[str, str]) -> None:
        """Suggestions belong to the mention on show: they are applied to it alone."""
        mention_id = self.detail.mention_id
        if mention_id is None:
            return

        self._anchor = self.table.currentIndex().row()
        self.ops.write(
            lambda ws: ws.accept_suggestions(mention_id, guesses),
            initiator=self,
            success=self.confirm,
            failure=self._failed,
        )

    def set_label(self, kind: str, value: str | None) -> None:
        """A manual sentiment or intent on the selection (None: back to automatic)."""
        if kind == "sentiment":
            self._submit(lambda ws, ids: ws.set_sentiment(ids, value))
        else:
            self._submit(lambda ws, ids: ws.set_intent(ids, value))

    def respond(self) -> None:
        """The guided response assessment and a drafted reply for the current mention."""
        from listener_app.domain.playbook import Assessment
        from listener_app.ui.respond_dialog import RespondDialog

        current = self.table.currentIndex()
        mention_id = self.model.id_at(current.row()) if current.isValid() else None
        if mention_id is None:
            return
        mention = self.ws.mention(mention_id)
        author_id = mention.get("author_id") if mention else None
        profile = self.ws.authors.profile(author_id) if author_id else None
        brand, agent = self.ws.templates.signature()
        dialog = RespondDialog(
            mention, profile, self.ws.templates.list(), brand=brand, agent=agent, parent=self
        )
        accepted = dialog.exec()
        for key, value in dialog.signature.items():  # asked for once, kept for every reply
            self.ops.write(lambda ws, k=key, v=value: ws.set_setting(k, v), failure=self._failed)
        if not accepted or dialog.status is None:
            return
        status = dialog.status
        assessment = dialog.assessment if isinstance(dialog.assessment, Assessment) else None
        self._anchor = current.row()
        self.ops.write(
            lambda ws: ws.respond(mention_id, status, assessment),
            initiator=self,
            success=self.confirm,
            failure=self._failed,
        )

    def mark_unread(self) -> None:
        count = len(self.selected_ids())
        self._submit(
            lambda ws, ids: ws.set_read(ids, False),
            success=lambda _c: self.toast.show_message(
                f"Marked unread ({count} mention{'s' if count != 1 else ''})"
            ),
        )

    def confirm(self, changes: Changes | None) -> None:
        """A toast naming the undo step a write of the window recorded, with Undo."""
        if self._closing:
            return  # a note saved on the way out: its workspace is closed by now
        label = self.ws.undo_label() if changes is not None and changes.event_id is not None else None
        if label:
            self.toast.show_message(phrase(label), "Undo  ·u", self.undo)

    def undo(self) -> None:
        self._travel(back=True)

    def redo(self) -> None:
        self._travel(back=False)

    def _travel(self, *, back: bool) -> None:
        """Undo (back) or redo, then a toast naming the step, with the way to take it again."""

        def done(changes: Changes | None) -> None:
            label = self.ws.redo_label() if back else self.ws.undo_label()
            if changes is None or not label:
                self.toast.show_message(f"Nothing to {'undo' if back else 'redo'}")
            elif back:
                self.toast.show_message(f"Undone: {phrase(label)}", "Redo", self.redo)
            else:
                self.toast.show_message(f"Redone: {phrase(label)}", "Undo  ·u", self.undo)

        self.ops.write(
            lambda ws: ws.undo() if back else ws.redo(), initiator=self, success=done, failure=self._failed
        )

    def _label_undo(self) -> None:
        last, following = self.ws.undo_label(), self.ws.redo_label()
        self.undo_action.setText(f"&Undo {last}" if last else "&Undo")
        self.undo_action.setEnabled(bool(last))
        self.redo_action.setText(f"&Redo {following}" if following else "&Redo")
        self.redo_action.setEnabled(bool(following))

    # ---------------------------------------------------------------- results

    @property
    def is_demo(self) -> bool:
        return self.ws.path.resolve() == demo_workspace_path().resolve()

    def start_action(self, key: str) -> None:
        """A button or link of the welcome note or an empty list."""
        actions = {
            "new": self.new_workspace,
            "open": self.open_workspace_dialog,
            "import": self.import_dialog,
            "sources": self.show_sources,
            "all": lambda: self.run_search("", title="All mentions"),
            "needs": lambda: self.run_search("status:needs_response", title="Needs response"),
        }
        actions[key]()

    def _on_changed(self, changes: Changes, _initiator: object = None) -> None:
        """Every write's Changes: refresh what they touch."""
        if self._empty and (changes.all_mentions or changes.mentions) and self.ws.search("", limit=1):
            self._empty = False  # the first mentions arrived: the welcome note has done its job
            self.banner.show_for(demo=self.is_demo, empty=False)
            self.table.set_empty_message(no_results_html(self.model.query))
            self.detail.set_empty_text(None)
        if changes.tags:
            self._reload_tags()
        self.relearning.changed(changes)
        if changes.touches_mentions():
            self._refresh_list(changes)
        elif changes.views or changes.trackers or changes.sources or changes.learning:
            self.sidebar.reload()

    def _refresh_list(self, changes: Changes) -> None:
        anchor = getattr(self, "_anchor", None)
        current = self.table.currentIndex()
        current_id = self.model.id_at(current.row()) if current.isValid() else None
        self.model.refresh(None if changes.all_mentions else changes.mentions)
        self.sidebar.reload()
        self.sidebar.select_query(self.model.query)
        row = self.model.row_of(current_id) if current_id is not None else None
        if row is None and anchor is not None:
            row = anchor  # the mention left this view: the next one takes its place
        if row is not None:
            self.select_row(row)
            if self.model.id_at(row) != current_id or current_id in changes.mentions or changes.all_mentions:
                self.detail.show_mention(self.model.id_at(row), self.tags)
        self._anchor = None
        if self.model.total is None:
            self._count(self.model.query)
        self._show_total()

    def _failed(self, message: str) -> None:
        QMessageBox.warning(self, APP_NAME, message)

    def _reload_tags(self) -> None:
        self.tags = self.ws.tags.list()
        self.delegate.tags = {t["id"]: t for t in self.tags}

    # ---------------------------------------------------------------- background tasks

    def run_task(
        self,
        title: str,
        work: Any,
        summary: Any,
        changes: Changes = TASK_CHANGES,
    ) -> TaskState:
        """Run `work(ws, state)` on the task thread with a progress dialog (after a short delay);
        `summary(result)` goes to the status bar, `changes` to every view when it ends."""
        state = TaskState()
        dialog = QProgressDialog(title, "Cancel", 0, 0, self)
        dialog.setWindowTitle(APP_NAME)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.canceled.connect(state.cancel)
        key = id(state)
        self._tasks[key] = dialog

        def finished(result: Any) -> None:
            self._tasks.pop(key, dialog).close()
            self.toast.show_message(str(summary(result)))

        def failed(message: str) -> None:
            self._tasks.pop(key, dialog).close()
            if message != "Cancelled":
                self._failed(message)

        self.ops.task(work, state, changes=changes, success=finished, failure=failed)
        QTimer.singleShot(PROGRESS_DELAY_MS, lambda: key in self._tasks and dialog.show())
        return state

    def _on_progress(self, state: TaskState, done: int, total: int, message: str) -> None:
        dialog = self._tasks.get(id(state))
        if dialog is not None:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total) if total else 0)
            if message:
                dialog.setLabelText(f"{message} — {done:,}" + (f" of {total:,}" if total else ""))

    def import_file(self, path: str) -> None:
        """The import preview (ui/import_dialog.py): its Import runs the import as a task."""
        from listener_app.ui.import_dialog import ImportDialog

        ImportDialog(self, path).open()

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import mentions or a platform's archive",
            "",
            "Mentions and archives (*.csv *.xlsx *.json *.jsonl *.ndjson *.tsv *.zip *.js);;All files (*)",
        )
        if path:
            self.import_file(path)

    def export_dialog(self) -> None:
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
            lambda ws, state: ws.export(query, fmt, path, state=state),
            lambda n: f"Exported {n:,} mentions to {path}",
            Changes(),
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
        """A new workspace in the workspaces folder (by default), always with the extension that
        File → Open looks for."""
        folder = workspaces_folder()
        path, _ = QFileDialog.getSaveFileName(
            self, "New workspace", str(folder / f"client{WORKSPACE_SUFFIX}"), WORKSPACE_FILTER
        )
        if path:
            self.workspace_requested.emit(str(with_workspace_suffix(Path(path))), True)

    def open_workspace_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", str(workspaces_folder()), f"{WORKSPACE_FILTER};;All files (*)"
        )
        if path:
            self.workspace_requested.emit(path, False)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent_workspaces():
            action = self.recent_menu.addAction(Path(path).name.removesuffix(".listener.db"))
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.workspace_requested.emit(p, False))

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
        from listener_app.ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self.ws, self.ops, self, problem=problem)
        if dialog.exec() and dialog.chosen is not None:
            self.restore_requested.emit(dialog.chosen)

    def show_tags(self) -> None:
        from listener_app.ui.tags_dialog import TagsDialog

        TagsDialog(self.ws, self.ops, self).exec()

    def show_sources(self) -> None:
        from listener_app.ui.sources_dialog import SourcesDialog

        SourcesDialog(self.ws, self.ops, self.fetcher, self).exec()

    def show_templates(self) -> None:
        from listener_app.ui.templates_dialog import TemplatesDialog

        TemplatesDialog(self.ws, self.ops, self.detail.mention_id, self).exec()

    def show_rules(self) -> None:
        from listener_app.ui.rules_dialog import RulesDialog

        RulesDialog(self.ws, self.ops, self).exec()

    def show_learning(self) -> None:
        from listener_app.ui.learning_dialog import JOBS, LearningDialog

        dialog = LearningDialog(self.ws, self.ops, self)
        dialog.ask_requested.connect(lambda: self.run_search("is:asked sort:asked", title="Ask me"))
        if not dialog.exec() or dialog.job is None:
            return
        threshold = dialog.chosen
        work, summary = {
            "apply": (
                lambda ws, state: ws.learning.apply(threshold, state),
                lambda n: f"{n:,} learned labels stand after applying at {threshold:.2f}",
            ),
            "clear": (
                lambda ws, state: ws.learning.clear(state),
                lambda n: f"Took back the learned labels of {n:,} mentions",
            ),
            "relearn": (
                lambda ws, state: ws.learning.relearn(state),
                lambda r: f"Relearned from the labels of {r.labelled:,} mentions in {r.seconds:.1f} s",
            ),
        }[dialog.job]
        self.run_task(JOBS[dialog.job], work, summary)

    def show_people(self) -> None:
        from listener_app.ui.people_dialog import PeopleDialog

        people = PeopleDialog(self.ws, self.ops, self.model.query, self)
        people.author_chosen.connect(lambda query: (people.accept(), self.open_in_inbox(query)))
        people.exec()

    def _fetched(self, results: list[Any]) -> None:
        new = sum(r.new for r in results)
        failed = [r.name for r in results if r.error]
        undated = fetch_undated_warning(sum(r.undated for r in results))
        message = (
            f"Fetched {len(results)} source(s): {new:,} new mentions"
            + (f"; failed: {', '.join(failed)}" if failed else "")
            + (f" — {undated}" if undated else "")
        )
        self.toast.show_message(message)
        alerts = [n for r in results for n in r.notifications]
        new_ids = [i for r in results for i in r.new_ids]
        for view in self.ws.views.list() if new_ids else []:
            if view["notify"]:
                try:
                    matched = self.ws.matching(view["query"], new_ids)
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
        self.toast.show_message(f"Alert: {text}")

    def show_shortcuts(self) -> None:
        """The shortcut sheet, beside the window (not modal: keys can be tried while it shows)."""
        if getattr(self, "sheet", None) is None:
            self.sheet = ShortcutSheet(self)
        self.sheet.show()
        self.sheet.raise_()
        self.sheet.activateWindow()

    def back_to_list(self) -> None:
        """Esc: a note being typed is saved, and the keys go to the list again."""
        self.detail.flush_note()
        if self.tabs.currentIndex() != 0:
            self.tabs.setCurrentIndex(0)
        self.table.setFocus()
