"""What opening a store can refuse, whatever the engine."""

from __future__ import annotations


class DatabaseUnreadable(Exception):
    """The database exists but is not a Møtebot database this code can read (another program's file, a
    schema newer than the code); it is left exactly as it is."""


class DatabaseBusy(Exception):
    """Another Møtebot process has the database open (TinyDB's file serves one process)."""


class DatabaseUnavailable(Exception):
    """The database server cannot be reached, or its engine is not installed: nothing was read or written."""


class WorkspaceInstalled(Exception):
    """A workspace's records were to be removed while Møtebot is still installed there: nothing was removed."""
