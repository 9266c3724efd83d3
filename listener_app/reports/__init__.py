"""Digest reports ("what customers told us") and per-team feedback packets: built from the
workspace facade (reports.digest), written as Markdown and self-contained HTML (Qt-free) or as PDF
through Qt's own PDF writer (reports.pdf, loaded only for a PDF; reports.writing picks).

May import: listener_app.workspace (the facade), listener_app.domain and listener_app.formats (escaping);
never listener_app.store.
"""
