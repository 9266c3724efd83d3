"""First run, an empty workspace, a new workspace, a missing system library, and emoji."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from listener_app.domain.changes import Changes
from listener_app.paths import data_dir
from listener_app.ui import platform_check
from listener_app.workspace import Workspace

IMPORTED = Changes(all_mentions=True, tags=True, authors=True, sources=True)


def _window_on(qtbot, path):
    from listener_app.ui.app import application, make_window, open_for_window

    application()
    win = make_window(open_for_window(path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_demo_says_what_it_is_and_how_to_start_on_your_own(qtbot, demo_ws, monkeypatch):
    monkeypatch.setattr("listener_app.ui.main_window.demo_workspace_path", lambda: demo_ws.path)
    win = _window_on(qtbot, demo_ws.path)
    assert win.banner.isVisible() and "demo workspace" in win.banner.text.text()
    opened = []
    monkeypatch.setattr(win, "new_workspace", lambda: opened.append("new"))
    win.start_action("new")  # what its first button does
    assert opened == ["new"]
    win.banner.dismiss()
    win.close()
    again = _window_on(qtbot, demo_ws.path)
    assert not again.banner.isVisible()  # dismissed for good
    again.close()


def test_an_empty_workspace_says_how_to_bring_mentions_in(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "airline.listener.db"
    Workspace.open(path).close()
    win = _window_on(qtbot, path)
    assert win.banner.isVisible() and "no mentions yet" in win.banner.text.text()
    assert win.table.empty.isVisible() and "Import a file" in win.table.empty.text()
    assert "Import a file" in win.detail.empty.text()  # not "Select a mention to read it here"
    assert "Select a mention" not in win.detail.empty.text()
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (asked.append(a), ("", ""))[1])
    win.table.empty.linkActivated.emit("import")
    assert asked and "Import" in asked[0][1]
    win.close()


def test_the_banner_leaves_when_the_first_mentions_arrive(qtbot, tmp_path):
    import csv

    path = tmp_path / "airline.listener.db"
    Workspace.open(path).close()
    export = tmp_path / "tweets.csv"
    with export.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "date", "author"])
        writer.writerow(["My bag is lost and nobody answers the phone", "2015-02-24 11:35", "andy"])
    win = _window_on(qtbot, path)
    with qtbot.waitSignal(win.ops.changes_applied, timeout=20_000):  # an import as the window runs one
        win.run_task("Importing", lambda ws, state: ws.import_file(export, state=state), str, IMPORTED)
    qtbot.waitUntil(lambda: not win.banner.isVisible(), timeout=5000)
    assert win.model.query == "status:new" and win.model.rowCount() == 1
    assert "Select a mention" in win.detail.empty.text()
    win.close()


def test_new_workspace_defaults_to_the_workspaces_folder_and_adds_the_extension(window, monkeypatch):
    seen = {}

    def save_as(parent, caption, where, filters):
        seen.update(where=where, filters=filters)
        return str(Path(where).parent / "airline"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    requested = []
    window.workspace_requested.disconnect()
    window.workspace_requested.connect(lambda path, create: requested.append((path, create)))
    window.new_workspace()
    folder = data_dir() / "workspaces"
    assert Path(seen["where"]).parent == folder and folder.is_dir()
    assert requested == [(str(folder / "airline.listener.db"), True)]


def test_open_starts_in_the_workspaces_folder_and_can_list_every_file(window, monkeypatch):
    seen = {}

    def open_file(parent, caption, where, filters):
        seen.update(where=where, filters=filters)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_file)
    window.open_workspace_dialog()
    assert Path(seen["where"]) == data_dir() / "workspaces"
    assert "*.listener.db" in seen["filters"] and "All files (*)" in seen["filters"]


def _fake_ldd(tmp_path: Path, missing: str) -> Path:
    ldd = tmp_path / "bin" / "ldd"
    ldd.parent.mkdir()
    ldd.write_text(
        "#!/bin/sh\n"
        "echo '\tlibQt6XcbQpa.so.6 => /opt/qt/libQt6XcbQpa.so.6 (0x0001)'\n"
        f"echo '\t{missing} => not found'\n"
    )
    ldd.chmod(0o755)
    return ldd


def test_a_missing_xcb_library_is_one_line_with_the_install_commands(tmp_path):
    ldd = _fake_ldd(tmp_path, "libxcb-cursor.so.0")
    missing = platform_check.missing_libraries(Path("/opt/qt/libqxcb.so"), ldd=str(ldd))
    assert missing == ["libxcb-cursor.so.0"]
    message = platform_check.install_message(missing)
    assert "\n" not in message
    assert "sudo apt install libxcb-cursor0" in message and "sudo dnf install xcb-util-cursor" in message


def test_the_app_says_what_is_missing_instead_of_aborting(tmp_path):
    """The real start-up path, with a loader that cannot find libxcb-cursor (a fake ldd first on
    PATH): one line on stderr and exit code 1, before Qt would abort."""
    ldd = _fake_ldd(tmp_path, "libxcb-cursor.so.0")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(
        PATH=f"{ldd.parent}{os.pathsep}{env['PATH']}", DISPLAY=":99", LISTENER_HOME=str(tmp_path / "home")
    )
    done = subprocess.run(
        [sys.executable, "-m", "listener_app"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "sudo apt install libxcb-cursor0" in lines[0]


def test_only_an_x11_start_is_checked():
    assert platform_check.uses_xcb({"DISPLAY": ":0"}, "linux")
    assert not platform_check.uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not platform_check.uses_xcb({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not platform_check.uses_xcb({"DISPLAY": ":0"}, "darwin")


def test_emoji_are_drawn_in_colour_not_as_boxes(qtbot):
    """The bundled Noto Color Emoji is the emoji font: a rendered 😀 has yellow in it."""
    from PySide6.QtGui import QColor, QFontDatabase
    from PySide6.QtWidgets import QLabel

    from listener_app.ui.app import application

    application()
    assert "Noto Color Emoji" in QFontDatabase.applicationEmojiFontFamilies()
    label = QLabel("😀")
    label.setStyleSheet("font-size: 40pt")
    qtbot.addWidget(label)
    label.adjustSize()
    image = label.grab().toImage()
    colours = {
        QColor(image.pixel(x, y)).hue()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if QColor(image.pixel(x, y)).saturation() > 120
    }
    assert any(30 <= hue <= 60 for hue in colours)  # yellow: a face, not a box outline
