"""Before the window opens on Linux: does Qt's xcb platform plugin find the system libraries it
needs? Without one of them (most often libxcb-cursor0, which Qt 6.5+ needs and many desktops
lack) Qt prints a paragraph about plugins and aborts the process. This check says in one line
what is missing and the command that installs it.

Qt-free on purpose: it runs before any QApplication exists.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# The shared libraries of the xcb plugin that a desktop may lack: (Debian/Ubuntu, Fedora) packages.
PACKAGES = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def uses_xcb(environ: dict[str, str] | os._Environ[str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will try the xcb plugin: on Linux, unless another platform is asked for or the
    session is Wayland-only (no X display)."""
    if not platform.startswith("linux"):
        return False
    asked = environ.get("QT_QPA_PLATFORM", "")
    if asked:
        return asked.split(";")[0].split(":")[0] == "xcb"
    return bool(environ.get("DISPLAY")) or not environ.get("WAYLAND_DISPLAY")


def xcb_plugin() -> Path | None:
    """The xcb plugin of the Qt that PySide6 brings (inside the bundle when packaged)."""
    try:
        import PySide6
    except ImportError:
        return None
    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.exists() else None


def missing_libraries(plugin: Path, ldd: str | None = None) -> list[str]:
    """The libraries `plugin` needs that the dynamic loader cannot find (by `ldd`, which lists
    every library it needs, directly or not). Empty when ldd is not there to ask."""
    ldd = ldd or shutil.which("ldd")
    if ldd is None:
        return []
    try:
        done = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return list(dict.fromkeys(_NOT_FOUND.findall(done.stdout)))


def install_message(missing: list[str]) -> str:
    """One line: what is missing, and the commands that install it on Debian/Ubuntu and Fedora."""
    known = [PACKAGES[name] for name in missing if name in PACKAGES]
    debian = " ".join(dict.fromkeys(d for d, _f in known))
    fedora = " ".join(dict.fromkeys(f for _d, f in known))
    what = ", ".join(missing)
    if not known:
        return (
            f"Listener cannot open its window: Qt's xcb platform plugin needs {what}, which is not installed."
        )
    return (
        f"Listener cannot open its window: Qt's xcb platform plugin needs {what}. Install it with "
        f"`sudo apt install {debian}` (Debian/Ubuntu) or `sudo dnf install {fedora}` (Fedora)."
    )


def check_platform() -> str | None:
    """The one-line message when the window cannot open here, else None."""
    if not uses_xcb():
        return None
    plugin = xcb_plugin()
    if plugin is None:
        return None
    missing = missing_libraries(plugin)
    return install_message(missing) if missing else None
