"""Benchmarks (`make bench`): one JSON object per line per figure, each beside the raw-SQLite
figure for the same work measured in the same run."""
