"""Respond → Learning from your labels…: what Listener learned in this workspace and how far to
trust it (each model measured on your own labels against the automatic scorer, its calibration,
what applying at the chosen threshold does), the setting that applies learned labels to new
mentions as they arrive, "ask me", and the bulk jobs: apply now, take learned labels back,
relearn."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
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
from listener_app.domain.learning.estimate import apply_meaning
from listener_app.ui.operations import Operations
from listener_app.ui.screen_fit import resize_within_screen
from listener_app.ui.widgets import dialog_button, record_table, warn_failure
from listener_app.workspace import Workspace
from listener_app.workspace.learning import ModelSummary

JOBS = {
    "apply": "Apply learned labels to every mention",
    "clear": "Take back learned labels",
    "relearn": "Relearn now",
}


def _labels_text(labels: dict[str, int]) -> str:
    return " · ".join(f"{label} {n:,}" for label, n in labels.items()) or "none yet"


def _trust_text(model: ModelSummary) -> str:
    if model.estimate is not None:
        e = model.estimate
        return f"{e.learned:.2f} {e.metric} on {e.labels:,} labels; automatic {e.automatic:.2f}"
    if model.needs:
        return f"needs {model.needs:,} more labels"
    return "learned at the next relearn"


def _applying_text(model: ModelSummary, threshold: float) -> str:
    """What applying does, in a few words (the whole sentence is the cell's tooltip)."""
    if model.estimate is None:
        return ""
    point = model.estimate.applied(threshold)
    if point is None:
        return "nothing"
    return f"on {point.coverage:.0%} of your labelled mentions, right {point.accuracy:.0%}"


def _item(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tip or text)
    return item


class LearningDialog(QDialog):
    """Accepted with `job` set ("apply", "clear" or "relearn") when the user starts a bulk job;
    the window runs it with progress and Cancel. The setting is saved as it changes."""

    ask_requested = Signal()  # show the "ask me" view

    def __init__(self, ws: Workspace, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops
        self.job: str | None = None
        self.models: list[ModelSummary] = []
        self.setWindowTitle("Learning from your labels")
        intro = QLabel(
            "Listener learns from the labels you set by hand in this workspace: sentiment, intent and "
            f"each tag, once it has {MIN_EXAMPLES} examples of two kinds. Each model is measured on your "
            "own labels, every one predicted by a model that did not see it, beside the automatic scorer. "
            "It suggests labels on the mention you read (press <b>y</b> to accept them); applied labels are "
            "marked <i>learned</i>, never as yours, and a label you set always wins."
        )
        intro.setWordWrap(True)
        self.table = record_table(
            ("Learns", "Your labels", "Learned against automatic", "Applying"),
            "Models",
            stretch=3,
            widths=(150, 250, 330),
        )
        self.table.currentCellChanged.connect(lambda row, *_: self._show_calibration(row))
        self.calibration = QLabel()
        self.calibration.setWordWrap(True)
        self.calibration.setObjectName("muted")
        self.threshold = QSpinBox()
        self.threshold.setRange(50, 99)
        self.threshold.setPrefix("Apply at ")
        self.threshold.setSuffix(" %")
        self.threshold.setAccessibleName("Apply threshold")
        self.meaning = QLabel()
        self.meaning.setWordWrap(True)
        self.auto = QCheckBox("Apply learned labels to new mentions as they arrive, at this threshold")
        current = ws.learning.auto_apply()
        self.auto.setChecked(current is not None)
        self.threshold.setValue(round(100 * (current if current is not None else APPLY_THRESHOLD)))
        self.auto.toggled.connect(self._setting_changed)
        self.threshold.valueChanged.connect(self._threshold_changed)
        setting = QHBoxLayout()
        setting.addWidget(self.threshold)
        setting.addWidget(self.auto, 1)
        self.asked = QLabel()
        self.asked.setWordWrap(True)
        asking = QHBoxLayout()
        asking.addWidget(self.asked, 1)
        asking.addWidget(dialog_button("Show them", self._show_asked))
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
        column.addWidget(self.calibration)
        column.addLayout(setting)
        column.addWidget(self.meaning)
        column.addLayout(asking)
        column.addLayout(jobs)
        column.addWidget(buttons)
        resize_within_screen(self, 1100, 560)
        self.reload()

    @property
    def chosen(self) -> float:
        """The threshold chosen, 0.5 to 0.99."""
        return self.threshold.value() / 100

    def reload(self) -> None:
        self.models = self.ws.learning.summary()
        self.table.setRowCount(len(self.models))
        for row, model in enumerate(self.models):
            trust = model.estimate.describe(model.name) if model.estimate is not None else ""
            self.table.setItem(row, 0, _item(model.name.capitalize()))
            self.table.setItem(row, 1, _item(_labels_text(model.labels)))
            self.table.setItem(row, 2, _item(_trust_text(model), trust))
        self.job_buttons["apply"].setEnabled(any(m.estimate is not None for m in self.models))
        self.asked.setText(self.ws.learning.asked())
        self._threshold_changed()
        if self.models:
            self.table.setCurrentCell(0, 0)

    def _threshold_changed(self, *_args: Any) -> None:
        """What applying at the chosen threshold means, and does to each model's labels."""
        self.meaning.setText(apply_meaning(self.chosen).capitalize() + ".")
        self.table.horizontalHeaderItem(3).setText(f"Applying at {self.chosen:.2f}")
        for row, model in enumerate(self.models):
            tip = model.estimate.describe_applying(self.chosen) if model.estimate is not None else ""
            self.table.setItem(row, 3, _item(_applying_text(model, self.chosen), tip))
        if self.auto.isChecked():
            self._setting_changed()

    def _show_calibration(self, row: int) -> None:
        model = self.models[row] if 0 <= row < len(self.models) else None
        if model is None or model.estimate is None:
            self.calibration.setText("")
            return
        self.calibration.setText(f"{model.name.capitalize()}: {model.estimate.describe_calibration()}")

    def _setting_changed(self, *_args: Any) -> None:
        threshold = self.chosen if self.auto.isChecked() else None
        self.ops.write(
            lambda ws: ws.learning.set_auto_apply(threshold), initiator=self, failure=warn_failure(self)
        )

    def _show_asked(self) -> None:
        self.ask_requested.emit()
        self.reject()

    def _start(self, job: str) -> None:
        self.job = job
        self.accept()
