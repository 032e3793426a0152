"""The only code that knows TinyDB. One lock for Bolt's worker threads and the scheduler's thread."""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Document

from bot.core.domain import (
    AgendaChange,
    Deadline,
    Meeting,
    Role,
    Roster,
    Serial,
    Vote,
    VoteEvent,
    VoteState,
    WorkStream,
    next_meeting,
)
from storage.atomic_json import AtomicJSONStorage, DatabaseUnreadable, journal_path, load_state
from storage.codec import (
    DECODERS,
    change_from_doc,
    change_to_doc,
    deadline_from_doc,
    deadline_to_doc,
    meeting_from_doc,
    meeting_to_doc,
    record_problem,
    roles_from_doc,
    serial_to_doc,
    stream_from_doc,
    stream_to_doc,
    vote_event_from_doc,
    vote_event_to_doc,
    vote_from_doc,
    vote_to_doc,
)
from storage.process_lock import ProcessLock
from storage.tables import InPlaceTinyDB


def _meeting_id(number: Serial) -> int:
    """Meeting 4/20 is document 2020004: a direct key, so reading one meeting costs the same at any size."""
    return number.year * 1000 + number.seq


class Store:
    """Meetings (and later votes, deadlines, notices sent) in one TinyDB file.

    Every public method takes the lock; `transaction()` makes several changes one atomic commit,
    and undoes all of them if anything inside raises.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._process_lock = ProcessLock(self.path)
        self._lock = threading.RLock()
        self._depth = 0
        self._closed = False
        try:
            self._db = self._open()
            self._check()
            self._move_vote_records()
        except BaseException:
            self._process_lock.release()
            raise

    def _open(self, storage: AtomicJSONStorage | None = None) -> TinyDB:
        """A TinyDB over a new storage, or over `storage` reloaded (a rollback keeps the journal open)."""
        self._meeting_cache: dict[int, Meeting] = {}
        self._decoded: dict[str, list[Any]] = {}  # whole tables decoded, until one of their documents changes
        self._meeting_days: list[date] = []
        self._versions: dict[str, int] = {}
        self._generation = getattr(self, "_generation", 0) + 1  # a reopen (rollback) invalidates everything
        if storage is not None:
            storage.reload()
            return InPlaceTinyDB(storage=lambda: storage)
        return InPlaceTinyDB(self.path, storage=AtomicJSONStorage)

    def _check(self) -> None:
        """Every record is read once at start: a database that is not Møtebot's is refused here, naming
        the record, rather than answering "Beklager" to every read that meets it."""
        storage = self._storage
        for table, docs in storage.read().items():
            for doc_id, doc in docs.items() if table in DECODERS else ():
                problem = record_problem(table, doc) if doc_id.isdecimal() else "har ikke et tall som id"
                if problem:
                    line = storage.origins.get((table, doc_id))
                    where = f"{journal_path(self.path)} linje {line}" if line else str(self.path)
                    raise DatabaseUnreadable(
                        f"{where}: tabellen «{table}», dokument {doc_id} {problem}; "
                        "rett det i filen eller ta i bruk en sikkerhetskopi"
                    )

    def version(self, table: str) -> tuple[int, int]:
        """Changes whenever the table does: a key for caching what is rendered from it."""
        with self._lock:
            return (self._generation, self._versions.get(table, 0))

    def _track(self, table: str, doc_ids: Iterable[int]) -> None:
        """Every change goes through here: the journal records these documents, the caches forget them."""
        self._decoded.pop(table, None)
        self._versions[table] = self._versions.get(table, 0) + 1
        for doc_id in doc_ids:
            self._storage.touch(table, doc_id)
            if table == "meetings":
                self._meeting_cache.pop(doc_id, None)

    def _all(self, table: str, decode: Callable[[Document], Any]) -> list[Any]:
        if table not in self._decoded:
            self._decoded[table] = [decode(doc) for doc in self._db.table(table).all()]
        return self._decoded[table]

    def _meeting(self, doc: Document) -> Meeting:
        """Decoding is the cost of a read; a meeting is decoded once, until it changes."""
        meeting = self._meeting_cache.get(doc.doc_id)
        if meeting is None:
            meeting = self._meeting_cache[doc.doc_id] = meeting_from_doc(doc)
        return meeting

    def snapshot(self) -> None:
        """Write the whole state now (the journal starts over)."""
        with self._lock:
            self._storage.snapshot()

    def unjournaled_tables(self) -> list[str]:
        """Tables whose state in memory differs from what a restart would read (should be none)."""
        with self._lock:
            if self._closed:
                return []  # another instance may have written since
            memory, durable = self._storage.read(), load_state(self.path)
            return sorted(t for t in set(memory) | set(durable) if memory.get(t, {}) != durable.get(t, {}))

    @property
    def _storage(self) -> AtomicJSONStorage:
        storage = self._db.storage
        assert isinstance(storage, AtomicJSONStorage)
        return storage

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._process_lock.release()
            self._closed = True

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Changes inside are one commit, or none if anything raises. It returns once the commit is on
        disk; the fsync happens outside the lock, so concurrent commits share one (group commit)."""
        commit = None
        with self._lock:
            self._depth += 1
            storage = self._storage
            storage.batching = True
            try:
                yield
                if self._depth == 1 and storage.dirty:
                    commit = storage.commit()
            except BaseException:
                if self._depth == 1:
                    self._db = self._open(storage)  # back to the last committed state
                raise
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._storage.batching = False
        if commit is not None:
            storage.sync(commit)

    # Meetings

    def save_meetings(self, meetings: Iterable[Meeting]) -> None:
        """Insert or replace by meeting number, all in one commit; case numbers seen are never handed out."""
        with self.transaction():
            table = self._db.table("meetings")
            for meeting in meetings:
                table.upsert(Document(meeting_to_doc(meeting), doc_id=_meeting_id(meeting.number)))
                self._track("meetings", [_meeting_id(meeting.number)])
                self._raise_counter("meeting", meeting.number)
                for case in meeting.cases:
                    self._raise_counter("case", case.number)

    def _raise_counter(self, kind: str, number: Serial) -> None:
        counters = self._db.table("counters")
        doc = counters.get(doc_id=number.year)
        last = doc.get(kind, 0) if isinstance(doc, dict) else 0
        if number.seq > last:
            counters.upsert(Document({**(doc or {}), kind: number.seq}, doc_id=number.year))
            self._track("counters", [number.year])

    def allocate_case_number(self, year: int) -> Serial:
        """The next case number of the year: after 19/20 comes 20/20, and a removed number stays used."""
        return self._allocate("case", year)

    def allocate_meeting_number(self, year: int) -> Serial:
        """The next meeting of the year: after møte 4/20 comes 5/20."""
        return self._allocate("meeting", year)

    def _allocate(self, kind: str, year: int) -> Serial:
        with self.transaction():
            doc = self._db.table("counters").get(doc_id=year)
            number = Serial(year, (doc.get(kind, 0) if isinstance(doc, dict) else 0) + 1)
            self._raise_counter(kind, number)
        return number

    def meeting(self, number: Serial) -> Meeting | None:
        with self._lock:
            doc = self._db.table("meetings").get(doc_id=_meeting_id(number))
            return self._meeting(doc) if isinstance(doc, Document) else None

    def meetings(self) -> list[Meeting]:
        """All meetings, in date order."""
        with self._lock:
            return list(self._ordered_meetings())

    def _ordered_meetings(self) -> list[Meeting]:
        """The decoded meetings in date order, shared until the next change: hold the lock, do not mutate."""
        if "meetings" not in self._decoded:
            ordered = sorted(
                (self._meeting(doc) for doc in self._db.table("meetings").all()),
                key=lambda m: (m.day, m.start or time(0), m.number),
            )
            self._decoded["meetings"] = ordered
            self._meeting_days = [m.day for m in ordered]
        return self._decoded["meetings"]

    def next_meeting(self, now: datetime) -> tuple[Meeting | None, bool]:
        """As domain.next_meeting, without looking at every meeting: only those from yesterday on (the
        dates are indexed), and failing those the latest one before them, found from the end."""
        with self._lock:
            ordered = self._ordered_meetings()
            start = bisect_left(self._meeting_days, now.date() - timedelta(days=1))
            meeting, ahead = next_meeting(ordered[start:], now)
            if meeting is None:
                meeting = next((ordered[i] for i in range(start - 1, -1, -1) if not ordered[i].cancelled), None)
        return meeting, ahead

    def meeting_with_case(self, number: Serial) -> Meeting | None:
        wanted = serial_to_doc(number)
        with self._lock:
            docs = self._db.table("meetings").all()
            found = next((doc for doc in docs if any(case["number"] == wanted for case in doc["cases"])), None)
            return self._meeting(found) if found else None

    # Agenda history

    def add_agenda_change(self, change: AgendaChange) -> None:
        with self.transaction():
            self._track("agenda_history", [self._db.table("agenda_history").insert(change_to_doc(change))])

    def agenda_history(self, meeting: Serial) -> list[AgendaChange]:
        wanted = serial_to_doc(meeting)
        with self._lock:
            docs = self._db.table("agenda_history").search(Query().meeting == wanted)
        return [change_from_doc(doc) for doc in docs]

    # Votes

    def create_vote(self, vote: Vote, opened: VoteEvent) -> Vote:
        """Store a new vote under the next vote number (the `id` given is replaced), with the first line
        of its record; votes are never deleted."""
        with self.transaction():
            table = self._db.table("votes")
            vote = replace(vote, id=table.insert(vote_to_doc(vote)))
            table.upsert(Document(vote_to_doc(vote), doc_id=vote.id))
            self._track("votes", [vote.id])
            self._add_vote_event(vote.id, opened)
        return vote

    def save_vote(self, vote: Vote, event: VoteEvent | None = None) -> None:
        """The vote as it is now, and the line its change adds to the record.

        Each line of the record is a document of its own, so a ballot writes and journals one line,
        not the whole record again: the fiftieth click costs what the first did.
        """
        with self.transaction():
            self._db.table("votes").upsert(Document(vote_to_doc(vote), doc_id=vote.id))
            self._track("votes", [vote.id])
            if event is not None:
                self._add_vote_event(vote.id, event)

    def _add_vote_event(self, vote_id: int, event: VoteEvent) -> None:
        self._track("vote_events", [self._db.table("vote_events").insert(vote_event_to_doc(vote_id, event))])

    def vote_events(self, vote_id: int) -> list[VoteEvent]:
        """A vote's record, oldest first."""
        with self._lock:
            docs = self._db.table("vote_events").search(Query().vote == vote_id)
        return [vote_event_from_doc(doc) for doc in sorted(docs, key=lambda doc: doc.doc_id)]

    def _move_vote_records(self) -> None:
        """Databases written before the record had a table of its own kept it inside each vote: move it, once."""
        votes = self._db.table("votes")
        older = [doc for doc in votes.all() if "events" in doc]
        if not older:
            return
        with self.transaction():
            for doc in older:
                events = self._db.table("vote_events")
                self._track("vote_events", [events.insert({"vote": doc.doc_id, **event}) for event in doc["events"]])
                votes.update(lambda stored: stored.pop("events"), doc_ids=[doc.doc_id])
                self._track("votes", [doc.doc_id])

    def vote(self, vote_id: int) -> Vote | None:
        with self._lock:
            doc = self._db.table("votes").get(doc_id=vote_id)
        return vote_from_doc(doc) if isinstance(doc, dict) else None

    def votes(self, *, open_only: bool = False) -> list[Vote]:
        with self._lock:
            table = self._db.table("votes")
            docs = table.search(Query().state == VoteState.OPEN.value) if open_only else table.all()
        return [vote_from_doc(doc) for doc in docs]

    # Deadlines

    def add_deadline(self, deadline: Deadline, origin: str | None = None) -> Deadline:
        """A new deadline under the next number. With `origin` (from an imported notice), only once."""
        with self.transaction():
            table = self._db.table("deadlines")
            if origin is not None and (existing := table.get(Query().origin == origin)):
                return deadline_from_doc(existing)  # type: ignore[arg-type]
            deadline = replace(deadline, id=table.insert({**deadline_to_doc(deadline), "origin": origin}))
            table.update({"id": deadline.id}, doc_ids=[deadline.id])
            self._track("deadlines", [deadline.id])
        return deadline

    def save_deadline(self, deadline: Deadline) -> None:
        with self.transaction():
            self._db.table("deadlines").update(deadline_to_doc(deadline), doc_ids=[deadline.id])
            self._track("deadlines", [deadline.id])

    def deadline(self, deadline_id: int) -> Deadline | None:
        with self._lock:
            doc = self._db.table("deadlines").get(doc_id=deadline_id)
        return deadline_from_doc(doc) if isinstance(doc, dict) else None

    def deadlines(self) -> list[Deadline]:
        with self._lock:
            return list(self._all("deadlines", deadline_from_doc))

    # Work streams ("Status for arbeidet")

    def work_streams(self) -> list[WorkStream]:
        with self._lock:
            docs = self._db.table("status").all()
        return sorted((stream_from_doc(doc) for doc in docs), key=lambda stream: stream.number)

    def save_work_stream(self, stream: WorkStream) -> None:
        with self.transaction():
            self._db.table("status").upsert(Document(stream_to_doc(stream), doc_id=stream.number))
            self._track("status", [stream.number])

    # What the bot has posted on its own: pending before the post, sent after it

    def was_sent(self, key: str) -> bool:
        return key in self.sent_keys()

    def sent_keys(self) -> set[str]:
        with self._lock:
            return {doc["key"] for doc in self._db.table("sent").all() if doc.get("state", "sent") == "sent"}

    def pending_since(self, key: str) -> datetime | None:
        """When a post was begun but not known to have reached Slack (a crash in between)."""
        with self._lock:
            doc = self._db.table("sent").get(Query().key == key)
        if isinstance(doc, dict) and doc.get("state") == "pending":
            return datetime.fromisoformat(doc["at"])
        return None

    def mark_pending(self, key: str, at: datetime) -> None:
        with self.transaction():
            doc = {"key": key, "at": at.isoformat(), "state": "pending"}
            self._track("sent", self._db.table("sent").upsert(doc, Query().key == key))

    def mark_sent(self, key: str, at: datetime) -> None:
        with self.transaction():
            doc = {"key": key, "at": at.isoformat(), "state": "sent"}
            self._track("sent", self._db.table("sent").upsert(doc, Query().key == key))

    # Who has opened the App Home tab (their tab is refreshed when things change)

    def add_home_viewer(self, user_id: str) -> None:
        with self.transaction():
            if not self._db.table("home_viewers").contains(Query().user == user_id):
                self._track("home_viewers", [self._db.table("home_viewers").insert({"user": user_id})])

    def home_viewers(self) -> list[str]:
        with self._lock:
            return [doc["user"] for doc in self._db.table("home_viewers").all()]

    # Roster

    def roster(self, admins: Iterable[str] = ()) -> Roster:
        with self._lock:
            roles = self._roles()
        return Roster(roles=roles, admins=frozenset(admins))

    def _roles(self) -> dict[str, frozenset[Role]]:
        if "roster" not in self._decoded:
            docs = self._db.table("roster").all()
            self._decoded["roster"] = [dict(roles_from_doc(doc) for doc in docs)]
        return self._decoded["roster"][0]

    def set_roles(self, user_id: str, roles: Iterable[Role]) -> None:
        """Replace a member's roles; no roles removes the member."""
        wanted = sorted(role.value for role in roles)
        with self.transaction():
            table = self._db.table("roster")
            self._track("roster", table.remove(Query().user == user_id))
            if wanted:
                self._track("roster", [table.insert({"user": user_id, "roles": wanted})])
