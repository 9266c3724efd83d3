"""Look and feel: Fusion with a palette that follows the system's light or dark scheme, one
accent colour, and a little stylesheet for spacing and focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from listener_app.paths import resource_path

ACCENT = "#3e63dd"
SENTIMENT_COLORS = {"positive": "#30a46c", "neutral": "#8b8d98", "negative": "#e5484d"}
UNSCORED_COLOR = "#d9d9e0"  # no sentiment or intent yet
STATUS_COLORS = {
    "new": "#3e63dd",
    "needs_response": "#e5484d",
    "monitoring": "#f76b15",
    "responded": "#30a46c",
    "done": "#8b8d98",
    "ignored": "#b9bbc6",
}


EMOJI_FONT = "fonts/NotoColorEmoji.ttf"  # Noto Color Emoji, SIL Open Font License (resources/fonts/OFL.txt)


def load_emoji_font() -> str | None:
    """Posts are full of emoji, and many desktops (and every packaged app) have no font for
    them: they would show as boxes. The bundled Noto Color Emoji draws them wherever the
    text's own font has no glyph. Returns its family, or None if it could not be loaded."""
    path = resource_path(EMOJI_FONT)
    font_id = QFontDatabase.addApplicationFont(str(path)) if path.exists() else -1
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    if families[0] not in QFontDatabase.applicationEmojiFontFamilies():
        QFontDatabase.addApplicationEmojiFontFamily(families[0])
    return str(families[0])


def is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hasattr(hints, "colorScheme") and hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    load_emoji_font()
    dark = is_dark()
    palette = QPalette()
    if dark:
        base, window, text, alt = "#18191b", "#111113", "#edeef0", "#1d1e21"
    else:
        base, window, text, alt = "#ffffff", "#f7f7f8", "#1c2024", "#fafafb"
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor(alt))
    palette.setColor(QPalette.ColorRole.Text, QColor(text))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(text))
    palette.setColor(QPalette.ColorRole.Button, QColor(base))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8b8d98"))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor(base))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor(text))
    app.setPalette(palette)
    border = "#2e3035" if dark else "#e0e1e6"
    muted = "#b0b4ba" if dark else "#60646c"
    app.setStyleSheet(
        f"""
        QWidget {{ font-size: 10pt; }}
        QTreeWidget#sidebar {{ border: none; background: {window}; padding: 6px 4px; }}
        QTreeWidget#sidebar::item {{ padding: 4px 6px; border-radius: 6px; }}
        QTreeWidget#sidebar::item:selected {{ background: {ACCENT}; color: white; }}
        QTableView#inbox {{ border: none; gridline-color: transparent; selection-background-color: {ACCENT}; }}
        QTableView#inbox::item {{ padding: 0 6px; }}
        QHeaderView::section {{ background: {window}; border: none; border-bottom: 1px solid {border};
                                padding: 6px; color: {muted}; font-weight: 600; }}
        QLineEdit#search {{ padding: 7px 10px; border: 1px solid {border}; border-radius: 8px; background: {base}; }}
        QLineEdit#search:focus {{ border: 2px solid {ACCENT}; }}
        QLabel#searchError {{ color: #e5484d; padding: 2px 4px; }}
        QLabel#muted {{ color: {muted}; }}
        QLabel#heading {{ font-size: 13pt; font-weight: 600; }}
        QPushButton {{ padding: 5px 10px; border: 1px solid {border}; border-radius: 6px; background: {base}; }}
        QPushButton:hover {{ border-color: {ACCENT}; }}
        QPushButton:focus {{ border: 2px solid {ACCENT}; }}
        QPushButton:checked {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
        QPlainTextEdit, QTextBrowser {{ border: 1px solid {border}; border-radius: 8px; background: {base}; padding: 6px; }}
        QPlainTextEdit:focus {{ border: 2px solid {ACCENT}; }}
        QSplitter::handle {{ background: {border}; }}
        QStatusBar {{ color: {muted}; }}
        QFrame#toast {{ background: {"#edeef0" if dark else "#1c2024"}; border-radius: 10px; }}
        QLabel#toastText {{ color: {"#1c2024" if dark else "#ffffff"}; font-size: 10pt; }}
        QPushButton#toastAction {{ background: transparent; border: none; padding: 4px 10px;
                                   color: {"#3e63dd" if dark else "#9eb1ff"}; font-weight: 600; }}
        QPushButton#toastAction:hover {{ text-decoration: underline; }}
        QLabel#emptyList {{ color: {muted}; font-size: 11pt; }}
        QFrame#banner {{ background: {"#1d2136" if dark else "#edf2fe"}; border: 1px solid {"#2e3a6e" if dark else "#c2d1fb"};
                         border-radius: 8px; }}
        """
    )
