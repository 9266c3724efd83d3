"""Respond → Learning from your labels…: what Listener has learned in this workspace (each model
and the labels it learned from), the setting that applies confident suggestions to new mentions
as they arrive, and the bulk jobs: apply to every mention now, take learned labels back, relearn."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from listener_app.domain.learning import APPLY_THRESHOLD, MIN_EXAMPLES
from listener_app.ui.operations import Operations
from listener_app.ui.widgets import dialog_button, record_table, warn_failure
from listener_app.workspace import Workspace

JOBS = {
    "apply": "Apply confident suggestions to every mention",
    "clear": "Take back learned labels",
    "relearn": "Relearn from scratch",
}


def _labels_text(labels: dict[str, int]) -> str:
    return " · ".join(f"{label} {n:,}" for label, n in labels.items()) or "none yet"


class LearningDialog(QDialog):
    """Accepted with `job` set ("apply", "clear" or "relearn") when the user starts a bulk job;
    the window runs it with progress and Cancel. The setting is saved as it changes."""

    def __init__(self, ws: Workspace, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops
        self.job: str | None = None
        self.setWindowTitle("Learning from your labels")
        intro = QLabel(
            "Listener learns from the labels you set by hand in this workspace: sentiment, intent and "
            f"each tag, once it has {MIN_EXAMPLES} examples each way. It suggests them on the mentions "
            "you read (press <b>y</b> to accept). Applied suggestions are marked <i>learned</i>, never "
            "as yours, and a label you set always wins."
        )
        intro.setWordWrap(True)
        self.table = record_table(
            ("Learns", "Your labels", "State"), "Models", stretch=1, widths=(150, 0, 210)
        )
        self.auto = QCheckBox("Apply confident suggestions to new mentions as they arrive")
        self.threshold = QSpinBox()
        self.threshold.setRange(50, 99)
        self.threshold.setSuffix(" % confident or more")
        self.threshold.setAccessibleName("Confidence needed")
        current = ws.learning.auto_apply()
        self.auto.setChecked(current is not None)
        self.threshold.setValue(round(100 * (current if current is not None else APPLY_THRESHOLD)))
        self.threshold.setEnabled(self.auto.isChecked())
        self.auto.toggled.connect(self._setting_changed)
        self.threshold.valueChanged.connect(self._setting_changed)
        setting = QHBoxLayout()
        setting.addWidget(self.auto)
        setting.addWidget(self.threshold)
        setting.addStretch(1)
        jobs = QHBoxLayout()
        self.job_buttons = {}
        for job, text in JOBS.items():
            button = dialog_button(text + "…", lambda _=False, j=job: self._start(j))
            self.job_buttons[job] = button
            jobs.addWidget(button)
        jobs.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addWidget(self.table, 1)
        column.addLayout(setting)
        column.addLayout(jobs)
        column.addWidget(buttons)
        self.resize(720, 420)
        self.reload()

    def reload(self) -> None:
        models = self.ws.learning.summary()
        self.table.setRowCount(len(models))
        for row, model in enumerate(models):
            state = "suggesting" if model["ready"] else f"needs {model['needs']:,} more example(s)"
            for column, text in enumerate((model["name"].capitalize(), _labels_text(model["labels"]), state)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.job_buttons["apply"].setEnabled(any(m["ready"] for m in models))

    @property
    def chosen_threshold(self) -> float | None:
        return self.threshold.value() / 100 if self.auto.isChecked() else None

    def _setting_changed(self, *_args: Any) -> None:
        self.threshold.setEnabled(self.auto.isChecked())
        threshold = self.chosen_threshold
        self.ops.write(
            lambda ws: ws.learning.set_auto_apply(threshold), initiator=self, failure=warn_failure(self)
        )

    def _start(self, job: str) -> None:
        self.job = job
        self.accept()
