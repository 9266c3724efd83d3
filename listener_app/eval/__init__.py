"""Measuring Listener's automatic judgements (`make eval`)."""
