"""Digest reports ("what customers told us"): Markdown and self-contained HTML here (Qt-free),
PDF through Qt's own PDF writer in reports.pdf."""
