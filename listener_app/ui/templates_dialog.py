"""Reply templates: the list with a preview, an editor with the placeholders to insert and a
live preview, deletion with confirmation, and the names {brand} and {agent} stand for.

The preview fills the template from the mention selected in the inbox, or from a sample
mention when none is. Writes go through the window's operations.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from listener_app.domain.changes import Changes
from listener_app.domain.templates import (
    PLACEHOLDERS,
    SAMPLE_MENTION,
    context_for,
    render,
    unknown_placeholders,
)
from listener_app.ui.operations import Operations
from listener_app.ui.screen_fit import resize_within_screen
from listener_app.ui.widgets import confirm, dialog_button, key_on, warn_failure, while_open
from listener_app.workspace import Workspace

ERROR_COLOR = "#e5484d"


def preview_html(body: str, context: dict[str, str]) -> str:
    """The filled template as HTML, placeholders without a value marked in place."""
    text, gaps = render(body, context)
    missing = [name for name in gaps if name in PLACEHOLDERS]  # the others are mistakes, not gaps
    shown = html.escape(text)
    for name in set(gaps):
        style = "background:#ffe3c2;color:#7a3d00" if name in PLACEHOLDERS else f"color:{ERROR_COLOR}"
        shown = shown.replace(f"{{{name}}}", f"<span style='{style}'>{{{name}}}</span>")
    shown = shown.replace("\n", "<br>")
    if missing:
        names = ", ".join(f"{{{n}}}" for n in dict.fromkeys(missing))
        shown += (
            f"<p style='color:#8b8d98'>No value yet for {html.escape(names)}: "
            "it stays as typed in the draft.</p>"
        )
    return shown


class TemplateEditor(QDialog):
    """Name and body, a list of placeholders (double-click or Enter inserts one), unknown
    placeholders underlined and explained, and a preview. Ctrl+Enter saves."""

    def __init__(
        self,
        context: dict[str, str],
        taken: set[str],
        template: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit reply template" if template else "New reply template")
        self.context = context
        self.taken = taken
        self.name = QLineEdit((template or {}).get("name", ""))
        self.name.setPlaceholderText("e.g. Apologise for a late delivery")
        self.name.setAccessibleName("Template name")
        self.body = QPlainTextEdit((template or {}).get("body", ""))
        self.body.setPlaceholderText("Hi {author}, thanks for reaching out… — {agent}, {brand}")
        self.body.setAccessibleName("Template text")
        self.body.setTabChangesFocus(True)
        self.placeholders = QListWidget()
        self.placeholders.setAccessibleName("Placeholders")
        self.placeholders.setToolTip("Double-click or press Enter to insert at the cursor")
        self.placeholders.setWordWrap(True)
        self.placeholders.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.placeholders.setStyleSheet("QListWidget::item { padding: 3px 2px; }")
        for name, meaning in PLACEHOLDERS.items():
            item = QListWidgetItem(f"{{{name}}}  —  {meaning}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.placeholders.addItem(item)
        self.placeholders.itemActivated.connect(self._insert)
        self.error = QLabel()
        self.error.setObjectName("searchError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Preview")
        self.preview.setOpenLinks(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._save_if_valid)
        form = QFormLayout()
        form.addRow("Name", self.name)
        editor = QVBoxLayout()
        editor.addLayout(form)
        editor.addWidget(self.body, 1)
        editor.addWidget(self.error)
        inserts = QVBoxLayout()
        inserts.addWidget(_caption("Insert a placeholder"))
        inserts.addWidget(self.placeholders)
        top = QHBoxLayout()
        top.addLayout(editor, 3)
        top.addLayout(inserts, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 3)
        layout.addWidget(_caption("Preview"))
        layout.addWidget(self.preview, 2)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(self._check)
        self.body.textChanged.connect(self._check)
        resize_within_screen(self, 820, 560)
        self._check()
        self.name.setFocus()

    def values(self) -> tuple[str, str]:
        return " ".join(self.name.text().split()), self.body.toPlainText().strip()

    def problem(self) -> str | None:
        name, body = self.values()
        unknown = unknown_placeholders(self.body.toPlainText())
        if unknown:
            return unknown[0][2]
        if name.casefold() in self.taken:
            return f"There is already a template named “{name}”"
        if not name or not body:
            return ""  # not finished yet: nothing to complain about, but nothing to save
        return None

    def _check(self) -> None:
        unknown = unknown_placeholders(self.body.toPlainText())
        marks = []
        for start, end, _message in unknown:
            mark = QTextEdit.ExtraSelection()
            mark.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            mark.format.setUnderlineColor(QColor(ERROR_COLOR))
            mark.format.setBackground(QColor("#ffe5e5"))
            cursor = QTextCursor(self.body.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            mark.cursor = cursor
            marks.append(mark)
        self.body.setExtraSelections(marks)
        problem = self.problem()
        self.error.setText(f"⚠ {problem}" if problem else "")
        self.error.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(problem is None)
        body = self.body.toPlainText()
        self.preview.setHtml(
            preview_html(body, self.context)
            if body.strip()
            else "<p style='color:#8b8d98'>The reply appears here as you type.</p>"
        )

    def _insert(self, item: QListWidgetItem) -> None:
        self.body.insertPlainText(f"{{{item.data(Qt.ItemDataRole.UserRole)}}}")
        self.body.setFocus()

    def _save_if_valid(self) -> None:
        if self.problem() is None:
            self.accept()


class TemplatesDialog(QDialog):
    """The reply templates: New… (Ctrl+N), Edit… (Enter or double-click), Delete (Delete key)."""

    def __init__(
        self, ws: Workspace, ops: Operations, mention_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.ops = ops
        self.setWindowTitle("Reply templates")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # not kept by the window once closed
        mention = ws.mention(mention_id) if mention_id is not None else None
        self.brand, self.agent = ws.templates.signature()
        self.mention = mention or SAMPLE_MENTION
        self.templates: list[dict[str, Any]] = []
        self.list = QListWidget()
        self.list.setAccessibleName("Reply templates")
        self.list.setStyleSheet("QListWidget::item { padding: 5px 6px; }")
        self.list.currentRowChanged.connect(self._show)
        self.list.itemActivated.connect(lambda _item: self.edit())
        self.empty = QLabel(
            "<p style='font-size:12pt'>No reply templates yet.</p>"
            "<p>Add one with <b>New…</b>: a reply with placeholders such as {author} and {link},<br>"
            "filled in when you draft a reply (key <b>a</b> in the inbox).</p>"
        )
        self.empty.setObjectName("muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel()
        self.title.setObjectName("heading")
        self.source = QLabel()
        self.source.setObjectName("muted")
        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Template preview")
        self.preview.setOpenLinks(False)
        self.new_button = dialog_button("New…", self.add)
        self.edit_button = dialog_button("Edit…", self.edit)
        self.delete_button = dialog_button("Delete", self.delete)
        close = dialog_button("Close", self.reject)
        QShortcut(QKeySequence.StandardKey.New, self, self.add)
        key_on(self.list, Qt.Key.Key_Delete, self.delete)
        self.brand_edit = QLineEdit(self.brand or "")
        self.brand_edit.setPlaceholderText("your brand")
        self.brand_edit.setAccessibleName("Brand for {brand}")
        self.agent_edit = QLineEdit(self.agent or "")
        self.agent_edit.setPlaceholderText("your name")
        self.agent_edit.setAccessibleName("Your name for {agent}")
        self.brand_edit.editingFinished.connect(lambda: self._set_signature("brand", self.brand_edit))
        self.agent_edit.editingFinished.connect(lambda: self._set_signature("agent_name", self.agent_edit))
        details = QWidget()
        right = QVBoxLayout(details)
        right.setContentsMargins(8, 0, 0, 0)
        right.addWidget(self.title)
        right.addWidget(self.source)
        right.addWidget(self.preview, 1)
        signature = QHBoxLayout()
        signature.addWidget(QLabel("Brand {brand}"))
        signature.addWidget(self.brand_edit, 1)
        signature.addSpacing(12)
        signature.addWidget(QLabel("Your name {agent}"))
        signature.addWidget(self.agent_edit, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(details)
        splitter.setSizes([260, 560])
        splitter.setChildrenCollapsible(False)
        self.stack.addWidget(splitter)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(signature)
        layout.addLayout(buttons)
        resize_within_screen(self, 860, 500)
        self.reload()
        self.list.setFocus()

    def context(self) -> dict[str, str]:
        return context_for(self.mention, brand=self.brand, agent=self.agent)

    def reload(self, select: str | None = None) -> None:
        current = select or (self.list.currentItem().text() if self.list.currentItem() else None)
        self.templates = self.ws.templates.list()
        self.list.blockSignals(True)
        self.list.clear()
        for template in self.templates:
            self.list.addItem(template["name"])
        self.list.blockSignals(False)
        names = [t["name"] for t in self.templates]
        self.list.setCurrentRow(names.index(current) if current in names else 0 if names else -1)
        self.stack.setCurrentIndex(1 if self.templates else 0)
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(bool(self.templates))
        self._show(self.list.currentRow())

    def selected(self) -> dict[str, Any] | None:
        row = self.list.currentRow()
        return self.templates[row] if 0 <= row < len(self.templates) else None

    def _show(self, _row: int) -> None:
        template = self.selected()
        if template is None:
            self.title.clear()
            self.preview.clear()
            return
        self.title.setText(template["name"])
        handle = self.mention.get("handle") or self.mention.get("author_handle")
        who = f"@{handle}" if handle else self.mention.get("author") or "an unknown author"
        self.source.setText(
            f"Filled in for the selected mention by {who}"
            if self.mention is not SAMPLE_MENTION
            else "Filled in for a sample mention (select a mention in the inbox to preview with it)"
        )
        self.preview.setHtml(preview_html(template["body"], self.context()))

    def _taken(self, template: dict[str, Any] | None) -> set[str]:
        return {t["name"].casefold() for t in self.templates if template is None or t["id"] != template["id"]}

    def add(self) -> None:
        self._open_editor(None)

    def edit(self) -> None:
        if (template := self.selected()) is not None:
            self._open_editor(template)

    def _open_editor(self, template: dict[str, Any] | None) -> None:
        editor = TemplateEditor(self.context(), self._taken(template), template, self)
        if not editor.exec():
            return
        name, body = editor.values()
        template_id = template["id"] if template else None
        self._write(lambda ws: ws.templates.save(name, body, template_id=template_id), select=name)

    def delete(self) -> None:
        template = self.selected()
        if template is None:
            return
        if confirm(
            self,
            "Delete template",
            f"Delete the reply template “{template['name']}”? This cannot be undone.",
        ):
            template_id = template["id"]
            self._write(lambda ws: ws.templates.delete(template_id))

    def _set_signature(self, key: str, edit: QLineEdit) -> None:
        value = edit.text().strip()
        if value == ((self.brand if key == "brand" else self.agent) or ""):
            return
        if key == "brand":
            self.brand = value or None
        else:
            self.agent = value or None
        self.ops.write(
            lambda ws: ws.set_setting(key, value or None), initiator=self, failure=warn_failure(self)
        )
        self._show(self.list.currentRow())

    def _write(self, op: Callable[[Workspace], Changes], *, select: str | None = None) -> None:
        """Save or delete a template; the list shows it done (`select`: the template to highlight)."""
        self.ops.write(
            op,
            initiator=self,
            success=while_open(self, lambda _changes: self.reload(select=select)),
            failure=warn_failure(self),
        )


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    return label
