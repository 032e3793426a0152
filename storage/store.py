"""Møtebot's database: one part per aggregate, over one engine's documents (storage.documents).

    with open_store(settings) as store:
        meeting = store.body(1).meetings.get(Serial(2020, 4))

Everything but the bodies themselves, the record of posts and the preferences belongs to one body:
`store.body(id)` gives that body's parts, and no query through them reaches another body's records.

Every part's method is atomic; `store.transaction()` makes several changes one atomic commit, and
undoes all of them if anything inside raises.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from bot.core.rules import Body
from storage.bodies import Bodies
from storage.deadlines import Deadlines, WorkStreams
from storage.documents import Documents
from storage.meetings import Meetings
from storage.minutes import MinutesBook
from storage.posts import Posts
from storage.preferences import Preferences
from storage.protocol import BodyRecordsP, LeadershipP, RecentRequestsP, StoreP
from storage.roster import Members
from storage.sessions import AttendanceLog, Recusals, Sessions
from storage.votes import Votes, body_of_vote


class DocumentStore:
    """The store over an engine's documents; each engine's subclass adds how it opens, what outlives a
    request (`recent_requests`) and what the store holds as plain documents (`state`)."""

    def __init__(self, db: Documents) -> None:
        self._database = db
        self.bodies = Bodies(db)
        self.posts = Posts(db)  # what the bot has posted on its own
        self.preferences = Preferences(db)  # each person's own målform
        self.transaction = db.transaction
        self.exclusive = db.exclusive  # one holder across processes (storage.documents)
        self._records: dict[int, BodyRecords] = {}

    def body(self, body_id: int) -> BodyRecords:
        """One body's records (made once per body: they hold no state but the body's number)."""
        records = self._records.get(body_id)
        if records is None:
            records = self._records[body_id] = BodyRecords(self, body_id)
        return records

    def body_of_vote(self, vote_id: int) -> int | None:
        return body_of_vote(self._database, vote_id)

    def recent_requests(self) -> RecentRequestsP:
        raise NotImplementedError

    def leadership(
        self, elected: Callable[[], None], deposed: Callable[[], None], replan: Callable[[], None]
    ) -> LeadershipP:
        raise NotImplementedError

    def announce_replan(self) -> None:
        raise NotImplementedError

    def state(self) -> State:
        """Every table as a restart would read it, {table: {id: document}} in id order, empty tables left
        out: engine-neutral, to compare a store before and after, or two engines holding the same records."""
        raise NotImplementedError

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

    def __init__(self, store: DocumentStore, body_id: int) -> None:
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
        self.exclusive = store.exclusive
        self.close = store.close  # the whole store's: for a process that serves one body (and the tests)
        self.store = store

    @property
    def version(self) -> int:
        return self.store.version

    def own_body(self) -> Body | None:
        """The body these records are of, as stored now."""
        return self.store.bodies.get(self.id)

    def save_own_body(self, body: Body) -> None:
        """This body's settings (its calendar token, …); never another body's."""
        if body.id != self.id:
            raise ValueError(f"organ {body.id} er ikke organ {self.id}")
        self.store.bodies.save(body)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


State = dict[str, dict[int | str, dict[str, Any]]]  # an id is a number, but in a file that is not Møtebot's


def whole_store(store: StoreP | BodyRecordsP) -> StoreP | BodyRecordsP:
    """The store one body's records are in (or the store itself): what the engine-specific checks look at."""
    return store.store if isinstance(store, BodyRecords) else store


def store_state(store: StoreP | BodyRecordsP) -> State:
    """`DocumentStore.state` of a store, or of the store one body's records are in."""
    whole = whole_store(store)
    if isinstance(whole, DocumentStore):
        return whole.state()
    raise TypeError(f"ukjent lager: {type(store).__name__}")


def _documents_are_a_store(store: DocumentStore) -> StoreP:
    """Never called: mypy proves here that the store is what storage.protocol promises."""
    return store


def _documents_have_body_records(records: BodyRecords) -> BodyRecordsP:
    """Never called: as above, for one body's records (a mismatch is named here, not only as `body`)."""
    return records
