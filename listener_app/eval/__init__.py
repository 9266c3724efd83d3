"""Measuring Listener's automatic judgements (`make eval`) on labelled sets.

May import: listener_app.domain.
"""
