"""Møtebot's database: one part per aggregate, over one Database (the lock, the transaction, the version).

    with Store(path) as store:
        meeting = store.body(1).meetings.get(Serial(2020, 4))

Everything but the bodies themselves and the record of posts belongs to one body: `store.body(id)` gives
that body's parts, and no query through them reaches another body's records.

Every part's method takes the lock; `store.transaction()` makes several changes one atomic commit, and
undoes all of them if anything inside raises.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any, Self

from bot.core.rules import Body
from storage.atomic_json import DatabaseUnreadable, journal_path, load_state
from storage.bodies import Bodies
from storage.codec import DECODERS, record_problem
from storage.database import Database
from storage.deadlines import Deadlines, WorkStreams
from storage.meetings import Meetings
from storage.migrations import migrate
from storage.minutes import MinutesBook
from storage.posts import Posts
from storage.preferences import Preferences
from storage.protocol import BodyRecordsP, StoreP
from storage.recent_requests import RecentRequests
from storage.roster import Members
from storage.sessions import AttendanceLog, Recusals, Sessions
from storage.votes import Votes, body_of_vote


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


class Store:
    def __init__(self, path: Path) -> None:
        self._database = db = Database(path)
        try:
            _check(db)
            migrate(db)
        except BaseException:
            db.close()
            raise
        self.bodies = Bodies(db)
        self.posts = Posts(db)  # what the bot has posted on its own
        self.preferences = Preferences(db)  # each person's own målform
        self.transaction = db.transaction
        # TinyDB's own, outside storage.protocol (for the tests and the tools):
        self.snapshot = db.snapshot  # the whole state written now, the journal started over
        self.unjournaled_tables = db.unjournaled_tables
        self._records: dict[int, BodyRecords] = {}

    def body(self, body_id: int) -> BodyRecords:
        """One body's records (made once per body: they hold no state but the body's number)."""
        records = self._records.get(body_id)
        if records is None:
            records = self._records[body_id] = BodyRecords(self, body_id)
        return records

    def body_of_vote(self, vote_id: int) -> int | None:
        return body_of_vote(self._database, vote_id)

    def recent_requests(self) -> RecentRequests:
        """The requests accepted in the last moment, kept in a file beside the database; call once per
        process (it opens the file)."""
        path = self.path
        return RecentRequests(path.with_name(path.name + ".requests"))

    @property
    def path(self) -> Path:
        """TinyDB's file: outside storage.protocol."""
        return self._database.path

    @property
    def version(self) -> int:
        """Changes with every write: the key for caching what is rendered from the store."""
        return self._database.version

    def close(self) -> None:
        self._database.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


class BodyRecords:
    """One body's parts, and the store's transaction and version: what a use case for that body sees."""

    def __init__(self, store: Store, body_id: int) -> None:
        db = store._database
        self.id = body_id
        self.meetings = Meetings(db, body_id)  # with the agenda's history and the numbers handed out
        self.votes = Votes(db, body_id)  # with each vote's record
        self.deadlines = Deadlines(db, body_id)
        self.work_streams = WorkStreams(db, body_id)
        self.roster = Members(db, body_id)
        self.sessions = Sessions(db, body_id)  # meetings as held: set, the case under way, its threads
        self.attendance = AttendanceLog(db, body_id)  # forfall, vara, arrivals and departures
        self.recusals = Recusals(db, body_id)  # habilitet declarations and rulings
        self.minutes = MinutesBook(db, body_id)  # the minutes: drafts, edits, approved and locked
        self.posts = store.posts  # keyed so that one body's keys are not another's (bot.core.planner)
        self.transaction = store.transaction
        self.close = store.close  # the whole store's: for a process that serves one body (and the tests)
        self.snapshot = store.snapshot  # TinyDB's, outside storage.protocol, as `path` below
        self.unjournaled_tables = store.unjournaled_tables
        self._store = store

    @property
    def version(self) -> int:
        return self._store.version

    def own_body(self) -> Body | None:
        """The body these records are of, as stored now."""
        return self._store.bodies.get(self.id)

    def save_own_body(self, body: Body) -> None:
        """This body's settings (its calendar token, …); never another body's."""
        if body.id != self.id:
            raise ValueError(f"organ {body.id} er ikke organ {self.id}")
        self._store.bodies.save(body)

    @property
    def path(self) -> Path:
        return self._store.path

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


State = dict[str, dict[int | str, dict[str, Any]]]  # an id is a number, but in a file that is not Møtebot's


def store_state(store: StoreP | BodyRecordsP) -> State:
    """Every table as a restart would read it, {table: {id: document}} in order, empty tables left out:
    engine-neutral, to compare a store before and after, or two engines holding the same records.
    One body's records give the whole store's."""
    if isinstance(store, Store | BodyRecords):
        return file_state(store.path)
    raise TypeError(f"ukjent lager: {type(store).__name__}")


def file_state(path: Path) -> State:
    """`store_state` of the TinyDB file at `path` (open or not): its snapshot with the journal replayed.
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


def _tinydb_is_a_store(store: Store) -> StoreP:
    """Never called: mypy proves here that the TinyDB engine is what storage.protocol promises."""
    return store


def _tinydb_has_body_records(records: BodyRecords) -> BodyRecordsP:
    """Never called: as above, for one body's records (a mismatch is named here, not only as `body`)."""
    return records
