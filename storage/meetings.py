"""Meetings, the history of their agendas, and the year's counters of meeting and case numbers."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from bot.core.domain import AgendaChange, Meeting, Serial, next_meeting
from storage.codec import (
    change_from_doc,
    change_to_doc,
    meeting_from_doc,
    meeting_to_doc,
    serial_from_doc,
    serial_to_doc,
)
from storage.documents import Documents
from storage.ids import body_meetings, counter_id, meeting_id


class Meetings:
    """One body's meetings."""

    def __init__(self, db: Documents, body: int) -> None:
        self._db = db
        self._body = body
        self._ids = body_meetings(body)  # its documents' ids

    def save(self, meetings: Iterable[Meeting]) -> None:
        """Insert or replace by meeting number, all in one commit; case numbers seen are never handed out."""
        with self._db.transaction():
            table = self._db.table("meetings")
            for meeting in meetings:
                table.put(meeting_id(self._body, meeting.number), meeting_to_doc(meeting))
                self._raise_counter("meeting", meeting.number)
                for case in meeting.cases:
                    self._raise_counter("case", case.number)

    def get(self, number: Serial) -> Meeting | None:
        with self._db.lock:
            doc = self._db.table("meetings").by_id(meeting_id(self._body, number))
            return self._db.decoded("meetings", doc, meeting_from_doc) if doc is not None else None

    def all(self) -> tuple[Meeting, ...]:
        """All meetings, in date order."""
        with self._db.lock:
            return self._by_date()[0]

    def since(self, day: date) -> tuple[Meeting, ...]:
        """The meetings on `day` and after, in date order, found by the date index."""
        with self._db.lock:
            ordered, days = self._by_date()
        return ordered[bisect_left(days, day) :]

    def _by_date(self) -> tuple[tuple[Meeting, ...], tuple[date, ...]]:
        """The meetings in date order, and their days (an index to search): shared until one of this
        body's meetings changes (another body's writes leave it be)."""

        def build() -> tuple[tuple[Meeting, ...], tuple[date, ...]]:
            decoded = (
                self._db.decoded("meetings", doc, meeting_from_doc) for doc in self._db.within("meetings", self._ids)
            )
            ordered = tuple(sorted(decoded, key=lambda m: (m.day, m.start or time(0), m.number)))
            return ordered, tuple(m.day for m in ordered)

        return self._db.derived("meetings", ("by date", self._body), build, ids=self._ids)

    def next(self, now: datetime) -> tuple[Meeting | None, bool]:
        """As domain.next_meeting, without looking at every meeting: only those from yesterday on (the
        dates are indexed), and failing those the latest one before them, found from the end."""
        with self._db.lock:
            ordered, days = self._by_date()
        start = bisect_left(days, now.date() - timedelta(days=1))
        meeting, ahead = next_meeting(ordered[start:], now)
        if meeting is None:
            meeting = next((ordered[i] for i in range(start - 1, -1, -1) if not ordered[i].cancelled), None)
        return meeting, ahead

    def with_case(self, number: Serial) -> Meeting | None:
        wanted = serial_to_doc(number)
        with self._db.lock:
            docs = self._db.within("meetings", self._ids)
            found = next((doc for doc in docs if any(case["number"] == wanted for case in doc["cases"])), None)
            return self._db.decoded("meetings", found, meeting_from_doc) if found else None

    # What the last import read: the base a new reading of the same notice is merged against

    def remember_import(self, meeting: Meeting) -> None:
        with self._db.transaction():
            self._db.table("imported").put(meeting_id(self._body, meeting.number), meeting_to_doc(meeting))

    def imported_as(self, number: Serial) -> Meeting | None:
        with self._db.lock:
            doc = self._db.table("imported").by_id(meeting_id(self._body, number))
            return self._db.decoded("imported", doc, meeting_from_doc) if doc is not None else None

    def imported_for(self, day: date) -> tuple[Serial, ...]:
        """The meetings whose last import read them as held on `day`, wherever they have moved since."""
        wanted = day.isoformat()
        with self._db.lock:
            docs = self._db.within("imported", self._ids)
            return tuple(serial_from_doc(doc["number"]) for doc in docs if doc["day"] == wanted)

    def peek_number(self, year: int, kind: str = "meeting") -> Serial:
        """The number `allocate_number` (or, with kind "case", `allocate_case_number`) would hand out next,
        without handing it out: for a preview."""
        with self._db.lock:
            doc = self._db.table("counters").by_id(counter_id(self._body, year))
            return Serial(year, (doc.get(kind, 0) if doc is not None else 0) + 1)

    # The agenda's history

    def add_change(self, change: AgendaChange) -> None:
        with self._db.transaction():
            self._db.table("agenda_history").add({**change_to_doc(change), "organ": self._body})

    def history(self, meeting: Serial) -> tuple[AgendaChange, ...]:
        wanted = serial_to_doc(meeting)
        with self._db.lock:
            docs = self._db.table("agenda_history").matching({"meeting": wanted, "organ": self._body})
        return tuple(change_from_doc(doc) for doc in docs)

    # Numbers handed out

    def allocate_case_number(self, year: int) -> Serial:
        """The next case number of the year: after 19/20 comes 20/20, and a removed number stays used."""
        return self._allocate("case", year)

    def allocate_number(self, year: int) -> Serial:
        """The next meeting of the year: after møte 4/20 comes 5/20."""
        return self._allocate("meeting", year)

    def _allocate(self, kind: str, year: int) -> Serial:
        with self._db.transaction():
            doc = self._db.table("counters").by_id(counter_id(self._body, year))
            number = Serial(year, (doc.get(kind, 0) if doc is not None else 0) + 1)
            self._raise_counter(kind, number)
        return number

    def _raise_counter(self, kind: str, number: Serial) -> None:
        counters = self._db.table("counters")
        doc = counters.by_id(counter_id(self._body, number.year))
        last = doc.get(kind, 0) if doc is not None else 0
        if number.seq > last:
            counters.put(counter_id(self._body, number.year), {kind: number.seq})
