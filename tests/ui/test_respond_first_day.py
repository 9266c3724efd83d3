"""Respond starts from what was detected, shows the mention beside the draft, asks for the
signature once, and never lets a {placeholder} or [fill-in] reach the clipboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication

from listener_app.domain.templates import DEFAULT_TEMPLATES, draft
from listener_app.ui.respond_dialog import RespondDialog

ON_HOLD = {
    "id": 1,
    "author": "andyellwood",
    "handle": "andyellwood",
    "source": "twitter",
    "published_at": "2015-02-24T11:35:00Z",
    "url": "https://example.social/andyellwood/1",
    "text": "@AmericanAir on hold for 55 minutes now, is anyone there to help me rebook?",
    "intent": "question",
    "sentiment": "negative",
    "tags": [],
}


def _dialog(qtbot, demo_ws, mention=ON_HOLD, brand=None, agent=None):
    dialog = RespondDialog(mention, None, demo_ws.templates.list(), brand=brand, agent=agent)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_it_starts_from_the_detected_intent_and_one_key_confirms(qtbot, demo_ws):
    dialog = _dialog(qtbot, demo_ws)
    assert dialog.question.text() == "Looks like an unhappy customer. Right?"  # not "Is it spam?"
    assert "on hold for 55 minutes" in dialog.mention_text.toPlainText()  # the mention beside it
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.assessment.outcome.key == "restore"
    text = dialog.draft.toPlainText()
    assert "good question" not in text and "order number" not in text
    assert text.startswith("Hi andyellwood, we're sorry")


def test_no_walks_the_questions(qtbot, demo_ws):
    dialog = _dialog(qtbot, demo_ws)
    qtbot.keyClick(dialog, Qt.Key.Key_N)  # a button's key clicks it after a short animation
    qtbot.waitUntil(lambda: dialog.question.text() == "Is it spam, a scam or a job post?")
    dialog.answer(False)
    dialog.answer(True)  # a question after all
    assert dialog.assessment.outcome.key == "answer"


def test_the_signature_is_asked_once_and_no_placeholder_is_left(qtbot, demo_ws, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    dialog = _dialog(qtbot, demo_ws)
    dialog.answer(True)
    assert dialog.signature_row.isVisible()
    assert "{" not in dialog.draft.toPlainText()  # no "{agent}, {brand}" before they are known
    dialog.brand_edit.setText("American Air")
    dialog.brand_edit.textEdited.emit("American Air")
    assert dialog.draft.toPlainText().endswith("— American Air")
    assert not dialog.copy.isEnabled()  # "[what we will do]" is still to be written
    assert "[what we will do]" in dialog.blanks.text()
    cursor = dialog.draft.textCursor()
    assert cursor.selectedText() == "[what we will do]"  # selected: typing replaces it
    qtbot.keyClicks(dialog.draft, "we have rebooked you on the 6 pm flight")
    assert dialog.copy.isEnabled()
    dialog.copy.click()
    copied = QGuiApplication.clipboard().text()
    assert "rebooked you" in copied and "{" not in copied and "[" not in copied
    assert dialog.status == "responded" and opened == [ON_HOLD["url"]]
    assert dialog.signature == {"brand": "American Air"}


def test_the_window_keeps_the_signature_for_the_next_reply(qtbot, window, demo_ws, written, monkeypatch):
    def sign(self):
        self.agent_edit.setText("Jo")
        self.agent_edit.textEdited.emit("Jo")
        return 0  # closed without responding: the signature is kept all the same

    monkeypatch.setattr(RespondDialog, "exec", sign)
    window.respond()
    qtbot.waitUntil(lambda: demo_ws.setting("agent_name") == "Jo", timeout=5000)
    assert window.ws.templates.signature()[1] == "Jo"


def test_positive_posts_start_at_thanks(qtbot, demo_ws):
    happy = {**ON_HOLD, "intent": "praise", "sentiment": "positive", "text": "Lovely crew today, thank you!"}
    dialog = _dialog(qtbot, demo_ws, happy, brand="Acme", agent="Jo")
    assert dialog.question.text() == "Looks like positive. Right?"
    dialog.answer(True)
    assert dialog.assessment.outcome.key == "thank"
    assert not dialog.signature_row.isVisible()  # known: not asked again
    assert dialog.draft.toPlainText().endswith("— Jo, Acme") and dialog.copy.isEnabled()


def test_drafts_leave_out_missing_fields_with_their_commas():
    body = DEFAULT_TEMPLATES["thank"][1]
    context = {"author": "Sam", "brand": "", "agent": ""}
    assert draft(body, context) == "Thanks so much, Sam! We're really glad to hear it."
    assert draft(body, {**context, "agent": "Jo"}).endswith("— Jo")
    assert draft(body, {**context, "brand": "Acme"}).endswith("— Acme")
    assert draft("Hi {author}, see {link}", {"author": "Sam"}) == "Hi Sam, see"
