"""The store in one TinyDB file: checked and upgraded as it opens, its requests kept beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from storage.codec import DECODERS, record_problem
from storage.errors import DatabaseUnreadable
from storage.store import DocumentStore, State
from storage.tinydb_engine.atomic_json import journal_path, load_state
from storage.tinydb_engine.database import Database
from storage.tinydb_engine.migrations import migrate
from storage.tinydb_engine.recent_requests import RecentRequests


def _check(db: Database) -> None:
    """A database that is not Møtebot's is refused here, naming the record, rather than answering
    "Beklager" to every read that meets it."""
    storage = db.storage
    for table, docs in storage.read().items():
        for doc_id, doc in docs.items() if table in DECODERS else ():
            problem = record_problem(table, doc) if doc_id.isdecimal() else "har ikke et tall som id"
            if problem:
                line = storage.origins.get((table, doc_id))
                where = f"{journal_path(db.path)} linje {line}" if line else str(db.path)
                raise DatabaseUnreadable(
                    f"{where}: tabellen «{table}», dokument {doc_id} {problem}; "
                    "rett det i filen eller ta i bruk en sikkerhetskopi"
                )


class TinyStore(DocumentStore):
    """One file, one process (the folder lock refuses a second: DatabaseBusy)."""

    def __init__(self, path: Path) -> None:
        db = Database(path)
        try:
            _check(db)
            migrate(db)
        except BaseException:
            db.close()
            raise
        super().__init__(db)
        self._file = db
        self.snapshot = db.snapshot  # the whole state written now, the journal started over
        self.unjournaled_tables = db.unjournaled_tables  # what a restart would lose (should be nothing)

    @property
    def path(self) -> Path:
        return self._file.path

    def recent_requests(self) -> RecentRequests:
        """The requests accepted in the last moment, kept in a file beside the database; call once per
        process (it opens the file)."""
        path = self.path
        return RecentRequests(path.with_name(path.name + ".requests"))

    def leadership(self, elected: Callable[[], None], deposed: Callable[[], None], replan: Callable[[], None]) -> Sole:
        """One process per file: it is the leader, from start to stop."""
        return Sole(elected, deposed)

    def announce_replan(self) -> None:
        """No other process to tell."""

    def state(self) -> State:
        return file_state(self.path)


class Sole:
    """The leadership of the only process: elected at start, deposed at stop."""

    def __init__(self, elected: Callable[[], None], deposed: Callable[[], None]) -> None:
        self._elected, self._deposed = elected, deposed
        self.holds = False

    def start(self) -> None:
        self.holds = True
        self._elected()

    def stop(self) -> None:
        if self.holds:
            self.holds = False
            self._deposed()


def file_state(path: Path) -> State:
    """`state` of the TinyDB file at `path` (open or not): its snapshot with the journal replayed.
    Every table, not only the ones _check decodes (it does not decode «imported»)."""
    state = load_state(path)
    return {
        table: dict(sorted(map(_numbered, docs.items()), key=_id_order))
        for table, docs in sorted(state.items())
        if docs
    }


def _numbered(item: tuple[str, dict[str, Any]]) -> tuple[int | str, dict[str, Any]]:
    doc_id, doc = item
    return (int(doc_id) if doc_id.isdecimal() else doc_id), doc


def _id_order(item: tuple[int | str, object]) -> tuple[bool, int, str]:
    doc_id = item[0]
    return (True, 0, doc_id) if isinstance(doc_id, str) else (False, doc_id, "")
