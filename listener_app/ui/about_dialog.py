"""Help → About Listener: the version, where this workspace and the app's data live, the Qt it
runs on, the licence; and a button to open the data folder."""

from __future__ import annotations

from importlib import metadata

from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from listener_app import APP_NAME, __version__
from listener_app.paths import data_dir
from listener_app.workspace import Workspace

LICENCE = (
    "Free software under the MIT licence. Nothing leaves this computer except the fetches from "
    "the sources you set up."
)


def _pyside_version() -> str:
    try:
        return metadata.version("PySide6")
    except metadata.PackageNotFoundError:  # a bundle without package metadata
        return "bundled"


class AboutDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.workspace_path = ws.path.resolve()
        self.data_folder = data_dir()
        self.fields = {
            "Version": __version__,
            "Workspace": str(self.workspace_path),
            "Data folder": str(self.data_folder),
            "Qt": f"{qVersion()} (PySide6 {_pyside_version()})",
        }
        heading = QLabel(f"<h2>{APP_NAME}</h2>A listening workstation for one strategist.")
        form = QFormLayout()
        for name, value in self.fields.items():
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(name, shown)
        licence = QLabel(LICENCE)
        licence.setObjectName("muted")
        licence.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = buttons.addButton("Open data folder", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self.open_data_folder)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addLayout(form)
        column.addWidget(licence)
        column.addWidget(buttons)
        self.setMinimumWidth(520)

    def open_data_folder(self) -> bool:
        self.data_folder.mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_folder)))
