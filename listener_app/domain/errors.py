"""Errors whose message is written for the user (shown as one line in the CLI or the window)."""


class UserError(Exception):
    """Something the user can fix; `str(error)` is the whole message."""


class PositionedError(UserError):
    """A mistake in something the user typed, with the 0-based character position of it."""

    def __init__(self, message: str, position: int) -> None:
        self.message = message
        self.position = position
        super().__init__(f"{message} (at column {position + 1})")


class WorkspaceError(UserError):
    """A workspace cannot be opened or used; the message is meant for the user."""


class WorkspaceNotFound(WorkspaceError):
    pass


class WorkspaceReadOnly(WorkspaceError):
    pass


class WorkspaceTooNew(WorkspaceError):
    pass


class WorkspaceCorrupt(WorkspaceError):
    pass


class DiskFull(WorkspaceError):
    """A disk filled up: what was being written was not saved (a transaction is rolled back
    whole; files are written under temporary names and removed)."""


class WorkspaceBusy(WorkspaceError):
    """Another connection (an import in another process) holds the write lock for longer than a
    write waits; the write can simply be tried again."""
