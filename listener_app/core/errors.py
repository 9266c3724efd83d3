"""Errors whose message is written for the user (shown as one line in the CLI or the window)."""


class UserError(Exception):
    """Something the user can fix; `str(error)` is the whole message."""
