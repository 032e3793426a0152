"""One process per database file: a second writer would silently overwrite the first one's changes."""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no fcntl; the lock is advisory anyway
    fcntl = None  # type: ignore[assignment]


class DatabaseBusy(Exception):
    """Another Møtebot process has the database open."""


class ProcessLock:
    def __init__(self, db_path: Path) -> None:
        self._path = db_path.with_name(db_path.name + ".lock")
        self._fd: int | None = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is None:
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            self._fd = None
            raise DatabaseBusy(
                f"{db_path} er i bruk av en annen Møtebot-prosess; stopp den først, eller gjør endringen i Slack"
            ) from None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
