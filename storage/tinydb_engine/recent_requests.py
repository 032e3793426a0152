"""The signatures of the requests accepted in the last moment, kept beside the database across a restart.

bot/request_guard.py refuses every request signed before the process started; Slack's timestamps are
whole seconds, so what this file must carry over is only what the last process accepted in the second
the new one starts in (and anything Slack signed ahead of our clock). It is written without fsync:
a crashed or restarted process's writes stay in the kernel's page cache; only a power loss drops
them, and a machine takes longer than that second to start again.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)


class RecentRequests:
    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        self._lock = threading.Lock()
        self._second = 0
        try:
            lines = self._path.read_text(encoding="ascii", errors="replace").splitlines()
        except FileNotFoundError:
            lines = []
        self.previous: list[tuple[int, str]] = []
        for line in lines:
            stamp, _, signature = line.partition(" ")
            if stamp.isdigit() and signature:
                self.previous.append((int(stamp), signature))
        self._kept = list(self.previous)  # what the next rewrite carries on: the previous process's too
        self._fd: int | None = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def add(self, signed_at: int, signature: str, now: float) -> None:
        """Record an accepted request before it is applied. Once a second the file starts over with only
        what a restart in this second or later still needs: the older ones the start-up rule refuses."""
        with self._lock:
            if self._fd is None:
                return
            second = int(now)
            self._kept.append((signed_at, signature))
            try:
                if second != self._second:
                    self._second = second
                    self._kept = [(stamp, sig) for stamp, sig in self._kept if stamp >= second]
                    self._rewrite()
                else:
                    os.write(self._fd, f"{signed_at} {signature}\n".encode("ascii", errors="replace"))
            except OSError as error:  # a full disk: reads must still be answered, and a change fails on its own
                log.warning("Kunne ikke huske forespørselen til etter en omstart: %s", error)

    def _rewrite(self) -> None:
        """A fresh file renamed over the old one: a crash leaves one or the other, never half of either."""
        assert self._fd is not None
        temporary = self._path.with_name(self._path.name + ".tmp")
        temporary.write_bytes("".join(f"{stamp} {sig}\n" for stamp, sig in self._kept).encode("ascii", "replace"))
        os.replace(temporary, self._path)
        fd = os.open(self._path, os.O_WRONLY | os.O_APPEND)
        os.close(self._fd)
        self._fd = fd

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
