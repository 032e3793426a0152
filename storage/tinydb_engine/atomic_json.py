"""A TinyDB storage that reads the file once, journals each commit, and snapshots atomically.

TinyDB's own JSONStorage re-parses the whole file on every operation and rewrites it in place
(seek, write, truncate), so a crash mid-write leaves a broken file. Here the data lives in memory.
A commit appends one line to a journal beside the database (the documents it changed) and fsyncs
it: a vote is durable in a fraction of a millisecond instead of the tens it takes to rewrite a
large file. Now and then the whole state is written as a snapshot (temporary file, fsync, rename)
and the journal starts over. At start-up the snapshot is read and the journal replayed; a last
line cut short by a crash was never acknowledged, and is dropped.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from storage.errors import DatabaseUnreadable


def load_state(path: Path) -> dict[str, dict[str, Any]]:
    """The state a restart would see: the snapshot with the journal replayed."""
    return _load_with_end(path, {})[0]


def _load_with_end(path: Path, origins: dict[tuple[str, str], int]) -> tuple[dict[str, dict[str, Any]], int]:
    """The state, and where the journal's last whole line ends (a torn tail starts there). `origins`
    gets the journal line each document last came from."""
    data = _load_snapshot(path)
    return data, _replay(journal_path(path), data, origins)


def journal_path(path: Path) -> Path:
    """The journal beside the database: db.json's is db.json.journal."""
    return path.with_name(path.name + ".journal")


def _changes(line: bytes) -> list[list[Any]] | None:
    """A journal line's changes, [table, document id, document or None] each; None if it is not one."""
    entry = json.loads(line)
    changes = entry.get("c") if isinstance(entry, dict) else None
    if not isinstance(changes, list) or not all(
        isinstance(c, list) and len(c) == 3 and isinstance(c[0], str) and isinstance(c[1], str)
        and (c[2] is None or isinstance(c[2], dict))
        for c in changes
    ):  # fmt: skip
        return None
    return changes


def _replay(journal: Path, data: dict[str, dict[str, Any]], origins: dict[tuple[str, str], int]) -> int:
    try:
        lines = journal.read_bytes().split(b"\n")
    except FileNotFoundError:
        return 0
    good_end = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            good_end += len(line) + (1 if number < len(lines) else 0)
            continue
        try:
            changes = _changes(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            if number == len(lines) or (number == len(lines) - 1 and not lines[-1].strip()):
                break  # cut short by a crash before its fsync: never acknowledged
            raise DatabaseUnreadable(f"{journal} er ødelagt på linje {number}") from None
        if changes is None:  # whole JSON, so not torn: written by something else
            raise DatabaseUnreadable(f"{journal} linje {number} har ikke formen til en Møtebot-journal")
        good_end += len(line) + 1
        for table, doc_id, doc in changes:
            origins[(table, doc_id)] = number
            if doc is None:
                data.get(table, {}).pop(doc_id, None)
            else:
                data.setdefault(table, {})[doc_id] = doc
    return good_end


def _load_snapshot(path: Path) -> dict[str, dict[str, Any]]:
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
    """TinyDB hands its whole state to `write`; we keep it, and commit at the end of a batch.

    The tables say which documents each write changed (`touch`); a commit journals exactly those.
    """

    SNAPSHOT_AFTER = 4_000_000  # bytes of journal before the state is written whole

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._journal = journal_path(self.path)
        self.origins: dict[tuple[str, str], int] = {}  # (table, id) → the journal line it came from
        self._data, good_end = _load_with_end(self.path, self.origins)
        if self._journal.exists() and self._journal.stat().st_size > good_end:
            # A line torn by a crash (never acknowledged): cut it off, or the next commit would be
            # appended to it and read back as one broken line.
            os.truncate(self._journal, good_end)
        self._journal_size = good_end
        self._touched: dict[tuple[str, str], None] = {}  # what the next commit journals
        self._described = False  # the documents of the write to come were told to `touch`
        self._undescribed = False  # a write since the last commit did not say what it changed
        self.on_change: Callable[[str | None, Collection[int]], None] = lambda table, doc_ids: None
        self._fd: int | None = None
        self._written = 0  # commits written to the journal
        self._synced = 0  # commits known to be on disk
        self._sync_lock = threading.Lock()
        self.batching = False
        self.dirty = False

    def read(self) -> dict[str, dict[str, Any]]:
        return self._data

    def reload(self) -> None:
        """Back to what the files hold (a rolled-back transaction); the journal stays open, so a
        commit another thread is still syncing is not disturbed."""
        self._data = load_state(self.path)
        self._forget_batch()

    def touch(self, table: str, doc_ids: Collection[int]) -> None:
        """The documents the coming `write` changed (told by the tables): the commit journals them, and
        `on_change` hears of them at once, so caches of them are dropped before anyone reads again."""
        self._touched.update(dict.fromkeys((table, str(doc_id)) for doc_id in doc_ids))
        self._described = True
        self.on_change(table, doc_ids)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """TinyDB's whole state after a change. A change not described by `touch` first (TinyDB's
        `drop_table` writes so) is still kept: the commit then writes everything."""
        if not self._described:
            self._undescribed = True
            self.on_change(None, ())
        self._described = False
        self._data = data
        self.dirty = True
        if not self.batching:
            self.sync(self.commit())

    def commit(self) -> int:
        """Write the batch's journal line (the caller holds the store's lock); `sync` makes it durable.

        Returns the commit's number, to pass to `sync`.
        """
        if self._undescribed:
            self.snapshot()
            return self._written
        if not self._touched:  # writes that changed nothing
            self.dirty = False
            return self._written
        changes = [[table, doc_id, self._data.get(table, {}).get(doc_id)] for table, doc_id in self._touched]
        line = json.dumps({"c": changes}, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        if self._fd is None:
            self._fd = os.open(self._journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            if os.write(self._fd, line) != len(line):
                raise OSError("kort skriving til journalen")
        except OSError:
            os.ftruncate(self._fd, self._journal_size)  # no half line for the next commit to follow
            raise
        self._written += 1
        self._journal_size += len(line)
        self._forget_batch()
        if self._journal_size > self.SNAPSHOT_AFTER:
            self.snapshot()
        return self._written

    def sync(self, commit: int) -> None:
        """Group commit: one fsync covers every line written before it, so clicks that arrive together
        share one, and none is acknowledged before its own line is on disk."""
        with self._sync_lock:
            if self._synced >= commit or self._fd is None:
                return
            written = self._written
            os.fsync(self._fd)
            self._synced = written

    def snapshot(self) -> None:
        """The whole state, atomically; then the journal starts over (replaying it again would be harmless)."""
        payload = json.dumps(self._data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_atomically(self.path, payload)
        with self._sync_lock:
            if self._journal.exists():
                with open(self._journal, "wb") as journal:
                    journal.flush()
                    os.fsync(journal.fileno())
            self._synced = self._written  # everything so far is in the snapshot
        self._journal_size = 0
        self._forget_batch()

    def _forget_batch(self) -> None:
        self._touched.clear()
        self._described = self._undescribed = self.dirty = False

    def close(self) -> None:
        """Sync what is written, then let the descriptor go."""
        with self._sync_lock:
            if self._fd is not None:
                os.fsync(self._fd)
                self._synced = self._written
                os.close(self._fd)
                self._fd = None
