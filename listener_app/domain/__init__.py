"""The domain: pure, Qt-free and storage-free. Models, errors, the search language, normalizing,
sentiment and intent scoring, the learning model, trackers, people, the response playbook, reply
templates, rules and their file format, and progress/cancel state for long tasks.

May import: the standard library and third-party libraries only; no other Listener package.
"""
