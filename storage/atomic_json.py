"""A TinyDB storage that reads the file once and replaces it atomically on every commit.

TinyDB's own JSONStorage re-parses the whole file on every operation and rewrites it in place
(seek, write, truncate), so a crash mid-write leaves a broken file. Here the data lives in memory,
and a commit writes a temporary file beside the database, fsyncs it and renames it over the old one:
after a crash the file is either the old version or the new one, never a mix.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage


class DatabaseUnreadable(Exception):
    """The database file exists but is not a Møtebot database; it is left exactly as it is."""


def _load(path: Path) -> dict[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise DatabaseUnreadable(f"kan ikke lese {path}: {error}") from None
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DatabaseUnreadable(f"{path} er ikke gyldig JSON (linje {error.lineno}): {error.msg}") from None
    if not isinstance(data, dict) or not all(isinstance(table, dict) for table in data.values()):
        raise DatabaseUnreadable(f"{path} har ikke formen til en Møtebot-database")
    return data


def write_atomically(path: Path, payload: bytes) -> None:
    """Write, fsync, rename, fsync the folder: the rename is the commit point."""
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class AtomicJSONStorage(Storage):
    """TinyDB hands its whole state to `write`; we keep it, and commit now or at the end of a batch."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._data = _load(self.path)
        self.batching = False
        self.dirty = False

    def read(self) -> dict[str, dict[str, Any]]:
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._data = data
        if self.batching:
            self.dirty = True
        else:
            self.commit()

    def commit(self) -> None:
        payload = json.dumps(self._data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_atomically(self.path, payload)
        self.dirty = False

    def close(self) -> None:
        """Nothing is ever held back outside a batch, so there is nothing to flush."""
