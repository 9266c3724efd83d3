"""File → Import and a drop open the preview: the mapping editable per column, samples as they
would be stored, what will be skipped; Import runs it as a task, and the choices come back
pre-filled for the next file of the same shape."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from listener_app.ui.import_dialog import ImportDialog

FIXTURES = Path(__file__).parent.parent / "fixtures"
AIRLINE = FIXTURES / "imports" / "airline_tweets.csv"


def open_preview(qtbot, window, path: Path) -> ImportDialog:
    window.import_file(str(path))
    dialog = window.findChildren(ImportDialog)[-1]
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.import_button.isEnabled(), timeout=10000)
    return dialog


def stored(ws, where: str) -> int:
    """How many mentions `where` (SQL) finds: a search names only sources it already has."""
    return ws.store.scalar(f"SELECT count(*) FROM mentions WHERE {where}")


def column_row(dialog: ImportDialog, column: str) -> int:
    return next(r for r in range(dialog.columns.rowCount()) if dialog.columns.item(r, 0).text() == column)


def field_box(dialog: ImportDialog, column: str):
    return dialog.columns.cellWidget(column_row(dialog, column), 1)


def opened(qtbot, window, path: Path) -> ImportDialog:
    """The dialog of a file, once its preview is read (importable or not)."""
    window.import_file(str(path))
    dialog = window.findChildren(ImportDialog)[-1]
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    return dialog


def choose(dialog: ImportDialog, column: str, field: str) -> None:
    box = field_box(dialog, column)
    box.setCurrentIndex(box.findData(field))
    box.activated.emit(box.currentIndex())


def test_the_airline_file_previewed_remapped_imported_and_remembered(qtbot, window, demo_ws, tmp_path):
    dialog = open_preview(qtbot, window, AIRLINE)
    assert "a CSV file" in dialog.what.text()
    assert field_box(dialog, "tweet_created").currentData() == "date"
    assert field_box(dialog, "airline_sentiment").currentData() == "sentiment"
    assert field_box(dialog, "retweet_count").currentText() == "Shares"
    assert "kept as manual labels" in dialog.columns.item(column_row(dialog, "airline_sentiment"), 2).text()
    assert dialog.platform.currentText() == "as detected: twitter"
    dates = [dialog.samples.item(r, 0).text() for r in range(dialog.samples.rowCount())]
    assert len(dates) == 5 and all(d.startswith("2015-02-24T") for d in dates)
    assert "Nothing in the rows read would be skipped" in dialog.skipped.text()

    airline = field_box(dialog, "airline")  # the airline each tweet is about, kept as a tag
    assert airline.currentData() == "skip"
    choose(dialog, "airline", "tags")
    qtbot.waitUntil(lambda: dialog.preview.summary.field_of("airline") == "tags")
    assert field_box(dialog, "airline").currentData() == "tags"
    signature = dialog.preview.signature
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stored(demo_ws, "source = 'twitter'") == 50, timeout=20000)
    assert demo_ws.count("tag:Bluejet") > 0 and demo_ws.count("before:2015-03-01") == 50
    qtbot.waitUntil(lambda: "airline_tweets.csv: 50 new" in window.toast.text, timeout=10000)
    assert demo_ws.imports.remembered(signature).mapping == {"airline": "tags"}

    next_month = tmp_path / "airline_tweets_march.csv"  # the same shape: opens with the choice made
    shutil.copy(AIRLINE, next_month)
    again = open_preview(qtbot, window, next_month)
    assert field_box(again, "airline").currentData() == "tags"
    again.reject()


def test_an_archive_dropped_on_the_window_shows_both_sides_and_this_is_us(qtbot, window, demo_ws):
    demo_ws.imports.set_us([])  # a workspace that does not know its own handles yet
    archive = FIXTURES / "archives" / "reddit"
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(archive))])
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    dialog = window.findChildren(ImportDialog)[-1]
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    assert "platform archive: reddit" in dialog.what.text()
    assert dialog.columns.isHidden() and dialog.platform.isHidden()
    assert "this is us" in dialog.skipped.text()  # a Reddit archive does not name its owner
    dialog.us.setText("AcmeOfficial")
    dialog.us.editingFinished.emit()
    qtbot.waitUntil(lambda: demo_ws.imports.us() == ["AcmeOfficial"], timeout=10000)
    qtbot.waitUntil(
        lambda: any(
            dialog.samples.item(r, 2).text() == "AcmeOfficial (us)" for r in range(dialog.samples.rowCount())
        ),
        timeout=10000,
    )
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    reddit = "source = 'reddit' AND external_id IN ('t1_kx1abcd', 't3_1a9xyz', 't4_2b3c4d', 't4_2b3c4e')"
    qtbot.waitUntil(lambda: stored(demo_ws, reddit) == 4, timeout=20000)
    assert stored(demo_ws, f"{reddit} AND ours = 1 AND status = 'done'") == 3


def test_a_file_with_no_text_column_is_imported_once_the_user_names_one(qtbot, window, tmp_path):
    path = tmp_path / "umfrage.csv"
    path.write_text("Kommentar,Datum\nkaputt,2026-01-05\nsuper,2026-01-06\n", encoding="utf-8")
    dialog = opened(qtbot, window, path)
    assert not dialog.import_button.isEnabled()
    assert "No column with the post&#x27;s text" in dialog.warnings.text()
    assert "Nothing can be imported" in dialog.skipped.text()
    choose(dialog, "Kommentar", "text")
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10000)
    assert [dialog.samples.item(r, 3).text() for r in range(dialog.samples.rowCount())] == ["kaputt", "super"]
    dialog.reject()


def test_a_field_chosen_for_a_second_column_is_taken_from_the_first(qtbot, window, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("Kommentar,Notiz,Datum\nkaputt,a,2026-01-05\nsuper,b,2026-01-06\n", encoding="utf-8")
    dialog = opened(qtbot, window, path)
    for column in ("Kommentar", "Notiz"):
        choose(dialog, column, "text")
        qtbot.waitUntil(
            lambda column=column: dialog.preview.summary.field_of(column) == "text", timeout=10000
        )
    assert dialog.overrides == {"Notiz": "text"} and dialog.import_button.isEnabled()
    assert [dialog.samples.item(r, 3).text() for r in range(dialog.samples.rowCount())] == ["a", "b"]
    dialog.reject()


def test_the_status_line_after_an_import_names_the_rows_dated_by_its_time(tmp_path):
    from listener_app.ui.import_dialog import import_summary
    from listener_app.workspace.importing import ImportReport
    from listener_app.workspace.ingest import IngestReport

    report = ImportReport(tmp_path / "gaps.csv", "csv", None, IngestReport(inserted=5, undated=2))
    line = import_summary(report)
    assert line.startswith("gaps.csv: 5 new, 0 updated, 0 skipped — 1 to look at: 2 lines had no date")
    report.ingest.undated = 0
    assert import_summary(report) == "gaps.csv: 5 new, 0 updated, 0 skipped"
