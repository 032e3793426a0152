"""One process per database: a second writer would silently overwrite the first one's changes.

The lock is held on the database's folder, not on a file beside it. A lock file can be deleted while
it is held, and the next process then locks a new file of the same name and writes the same database.
The database file itself is no better: each snapshot replaces it (os.replace), so a lock on it would
stay with the old file. The folder stays the same while it holds the database, and if it is renamed,
the lock moves with the files. One Møtebot database per folder, then.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no fcntl; the lock is advisory anyway
    fcntl = None  # type: ignore[assignment]

from storage.errors import DatabaseBusy


class ProcessLock:
    def __init__(self, db_path: Path) -> None:
        folder = db_path.parent
        self._fd: int | None = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        if fcntl is None:
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.release()
            raise DatabaseBusy(
                f"{db_path} er i bruk av en annen Møtebot-prosess (som har låst mappen {folder}); "
                "stopp den først, eller gjør endringen i Slack"
            ) from None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
