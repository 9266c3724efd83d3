"""Qt-free domain layer: models, ingest, search language, scoring, import and export."""
