"""Starting the window: which workspace to open, and clear messages when one cannot be opened."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from listener_app import APP_NAME, __version__
from listener_app.domain.errors import UserError, WorkspaceBusy
from listener_app.domain.processes import shutdown_pool, warm_pool
from listener_app.paths import data_dir, demo_workspace_path, resource_path
from listener_app.sources.rss import shutdown_parser
from listener_app.ui.platform_check import check_platform
from listener_app.ui.recent import last_workspace, remember
from listener_app.ui.theme import apply_theme
from listener_app.workspace import Workspace
from listener_app.workspace.backups import restore

T = TypeVar("T")
STARTED = time.perf_counter()
BUSY_RETRY_SECONDS = 1.0


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    if os.environ.get("LISTENER_HOME"):  # a portable install keeps its window settings with its data
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(data_dir() / "settings"))
    app.setApplicationVersion(__version__)
    apply_theme(app)  # type: ignore[arg-type]
    icon = resource_path("icons/app.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))  # type: ignore[union-attr]
    app.aboutToQuit.connect(shutdown_pool)
    app.aboutToQuit.connect(shutdown_parser)
    return app  # type: ignore[return-value]


def open_for_window(
    path: str | Path, *, create: bool = False, parent: QWidget | None = None
) -> Workspace | None:
    """Open a workspace for a window: created and upgraded as needed, then handed over read-only
    (the window's writes go through its own writer). Off the GUI thread, with a busy indicator
    when it takes a while (an upgrade backs up and re-indexes a large workspace first: about
    11 s at a million mentions). A message box says why when it cannot be opened."""

    def open_it() -> Workspace:
        Workspace.open(path, create=create).close()
        return Workspace.open(path, create=False, readonly=True)

    try:
        try:
            return run_busy(f"Opening {Path(path).name}…", open_it, parent)
        except WorkspaceBusy as busy:
            return _open_when_free(open_it, str(busy), parent)
    except UserError as error:
        QMessageBox.critical(parent, APP_NAME, f"Cannot open this workspace.\n\n{error}")
        return None


def _open_when_free(open_it: Callable[[], Workspace], why: str, parent: QWidget | None) -> Workspace | None:
    """Try `open_it` again every BUSY_RETRY_SECONDS while a dialog says why the workspace is
    not open yet; None when the user cancels the wait."""
    cancelled = threading.Event()

    def keep_trying() -> Workspace | None:
        while not cancelled.is_set():
            try:
                return open_it()
            except WorkspaceBusy:
                cancelled.wait(BUSY_RETRY_SECONDS)
        return None

    return run_busy(f"{why}.\n\nWaiting for it…", keep_trying, parent, cancelled=cancelled)


def run_busy(
    text: str,
    work: Callable[[], T],
    parent: QWidget | None = None,
    *,
    cancelled: threading.Event | None = None,
) -> T:
    """Run `work` on a thread while a busy indicator shows and the windows keep painting; return
    its result or raise its error here. For the few jobs that need no workspace open. With
    `cancelled`, the indicator has a Cancel button that sets it (`work` watches it and returns)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:
            box["error"] = exc

    dialog = QProgressDialog(text, "Cancel", 0, 0, parent)
    if cancelled is None:
        dialog.setCancelButton(None)
    else:
        dialog.canceled.connect(cancelled.set)
    dialog.setWindowTitle(APP_NAME)
    dialog.setMinimumDuration(10**9)  # shown by the timer below: a busy indicator has no value to show it
    thread = threading.Thread(target=run, name="listener-busy", daemon=True)
    thread.start()
    QTimer.singleShot(300, lambda: thread.is_alive() and dialog.show())
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: thread.is_alive() or loop.quit())
    poll.start(30)
    loop.exec()
    poll.stop()
    dialog.close()
    if "error" in box:
        raise box["error"]
    return box["result"]  # type: ignore[no-any-return]


def ensure_demo(parent: QWidget | None = None) -> Path:
    """The demo workspace, built on first run (a few seconds, with a progress indicator)."""
    path = demo_workspace_path()
    if path.exists():
        return path

    def build() -> None:
        tmp = path.with_name(path.name + ".building")
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        with Workspace.open(tmp) as ws:
            ws.build_demo(learn=False)  # the window learns from its labels once it shows (2 s less here)
            ws.checkpoint()
        shutdown_pool()
        tmp.rename(path)

    run_busy("Building the demo workspace…", build, parent)
    return path


def make_window(ws: Workspace, *, writable: bool | None = None) -> Any:
    """The main window of an open workspace (see open_for_window), remembered as the last one.
    Its changes are saved unless the file cannot be written (or `writable` is False)."""
    from listener_app.ui.main_window import MainWindow

    remember(ws.path)
    window = MainWindow(ws, writable=ws.file_writable if writable is None else writable)
    window.workspace_requested.connect(lambda path, create: switch_workspace(window, path, create=create))
    window.restore_requested.connect(lambda backup: restore_workspace(window, backup))
    QApplication.instance().aboutToQuit.connect(window.ops.stop)  # type: ignore[union-attr]
    return window


def retire(window: Any) -> None:
    """Close a main window for good: its threads stop, what they sent before stopping reaches it
    while its workspace is still open, then the workspace is closed and the window deleted."""
    window.close()
    QApplication.processEvents()
    window.ws.close()
    window.deleteLater()


def switch_workspace(current: Any, path: str | Path, *, create: bool) -> None:
    ws = open_for_window(path, create=create, parent=current)
    if ws is None:
        return
    window = make_window(ws)
    window.show()
    retire(current)


def restore_workspace(current: Any, backup: Path) -> None:
    """Put `backup` in place of the window's workspace: close the window and every connection,
    restore (the replaced file is backed up first), then open the restored file in a new window.
    If the restore fails, the workspace is reopened as it was and the reason shown."""
    app = QApplication.instance()
    path = current.ws.path
    app.setQuitOnLastWindowClosed(False)  # type: ignore[union-attr]
    try:
        retire(current)
        try:
            saved = run_busy(f"Restoring {path.name}…", lambda: restore(backup, path))
            message = f"Restored the backup {backup.name}" + (
                f"; the replaced file is kept as the backup {saved.name}" if saved else ""
            )
        except UserError as error:
            message = f"Nothing was restored: {error}"
            QMessageBox.warning(None, APP_NAME, message)
        ws = open_for_window(path)
        if ws is None:
            return
        window = make_window(ws)
        window.show()
        window.toast.show_message(message)
    finally:
        app.setQuitOnLastWindowClosed(True)  # type: ignore[union-attr]


def run_app(db_path: str | None = None) -> int:
    problem = check_platform()  # before Qt would abort on a missing system library
    if problem:
        print(problem, file=sys.stderr)
        return 1
    app = application()
    target = Path(db_path) if db_path else last_workspace() or ensure_demo()
    ws = open_for_window(target, create=bool(db_path))
    if ws is None:
        ws = open_for_window(ensure_demo())
        if ws is None:
            return 1
    window = make_window(ws)
    window.show()
    QTimer.singleShot(2000, window.check_workspace)
    QTimer.singleShot(
        1000, lambda: threading.Thread(target=warm_pool, name="listener-warm", daemon=True).start()
    )
    window.fetcher.start_schedule()
    if os.environ.get("LISTENER_EXIT_AFTER_PAINT"):  # start-up benchmark and packaged smoke test

        def report() -> None:
            print(f"first_paint_ms {1000 * (time.perf_counter() - STARTED):.0f}", flush=True)
            window.close()

        QTimer.singleShot(0, report)
    code = app.exec()
    from listener_app.ui.main_window import MainWindow

    for open_window in QApplication.topLevelWidgets():  # the first window may have given way to others
        if isinstance(open_window, MainWindow):
            open_window.ws.close()  # a clean close folds the write-ahead log back into the file
            open_window.deleteLater()  # before the interpreter tears Qt down (PySide6 may abort otherwise)
    app.processEvents()
    return code
