"""The meeting as it is held: its session (set, the case under way, each case's thread), its attendance log
(forfall, vara, arrivals and departures; one line each, so fifty clicks on [Til stede] write fifty lines, not the
whole roll fifty times), and the habilitet declarations with their rulings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.core.attendance import Attendance, AttendanceEvent, Recusal, Session
from bot.core.domain import Serial
from storage.codec import (
    attendance_from_doc,
    attendance_to_doc,
    recusal_from_doc,
    recusal_to_doc,
    serial_to_doc,
    session_from_doc,
    session_to_doc,
)
from storage.documents import Documents
from storage.ids import meeting_id


class Sessions:
    """One body's meetings in session, by meeting (document id as the meeting's)."""

    def __init__(self, db: Documents, body: int) -> None:
        self._db = db
        self._body = body

    def get(self, meeting: Serial) -> Session | None:
        with self._db.lock:
            doc = self._db.table("sessions").by_id(meeting_id(self._body, meeting))
        return session_from_doc(doc) if doc is not None else None

    def save(self, session: Session) -> None:
        with self._db.transaction():
            doc = {**session_to_doc(session), "organ": self._body}
            self._db.table("sessions").put(meeting_id(self._body, session.meeting), doc)

    def all(self) -> tuple[Session, ...]:
        """The body's meetings ever set, ended or not."""
        with self._db.lock:
            docs = self._db.of_body("sessions", self._body)
        return tuple(map(session_from_doc, docs))

    def in_session(self) -> tuple[Session, ...]:
        """The body's meetings set and not yet ended."""
        return tuple(s for s in self.all() if s.in_session)


class AttendanceLog:
    """One body's attendance lines, per meeting, in the order written."""

    def __init__(self, db: Documents, body: int) -> None:
        self._db = db
        self._body = body

    def add(self, meeting: Serial, event: AttendanceEvent) -> None:
        with self._db.transaction():
            self._db.table("attendance").add({**attendance_to_doc(meeting, event), "organ": self._body})

    def of(self, meeting: Serial) -> Attendance:
        wanted = serial_to_doc(meeting)
        with self._db.lock:
            docs = [doc for doc in self._db.of_body("attendance", self._body) if doc["meeting"] == wanted]
        return Attendance(tuple(attendance_from_doc(doc) for doc in sorted(docs, key=lambda doc: doc.doc_id)))


class Recusals:
    """One body's habilitet declarations; their numbers run across bodies."""

    def __init__(self, db: Documents, body: int) -> None:
        self._db = db
        self._body = body

    def add(self, recusal: Recusal) -> Recusal:
        with self._db.transaction():
            table = self._db.table("recusals")
            recusal = replace(recusal, id=table.add({**recusal_to_doc(recusal), "organ": self._body}))
            table.patch([recusal.id], {"id": recusal.id})
        return recusal

    def save(self, recusal: Recusal) -> None:
        with self._db.transaction():
            table = self._db.table("recusals")
            if (stored := table.by_id(recusal.id)) is not None and _mine(stored, self._body):
                table.patch([recusal.id], recusal_to_doc(recusal))

    def remove(self, recusal_id: int) -> None:
        """A declaration withdrawn before the body ruled on it: gone, as if never made, but its number is
        never given again (a button, a post's key, a vote still name it)."""
        with self._db.transaction():
            table = self._db.table("recusals")
            if (stored := table.by_id(recusal_id)) is not None and stored.get("organ") == self._body:
                table.patch([recusal_id], {"withdrawn": True})

    def get(self, recusal_id: int) -> Recusal | None:
        with self._db.lock:
            doc = self._db.table("recusals").by_id(recusal_id)
        return recusal_from_doc(doc) if doc is not None and _mine(doc, self._body) else None

    def of(self, meeting: Serial) -> tuple[Recusal, ...]:
        wanted = serial_to_doc(meeting)
        with self._db.lock:
            docs = self._db.of_body("recusals", self._body)
        return tuple(recusal_from_doc(doc) for doc in docs if doc["meeting"] == wanted and not doc.get("withdrawn"))

    def by_vote(self, vote_id: int) -> Recusal | None:
        with self._db.lock:
            doc = self._db.table("recusals").first({"vote": vote_id, "organ": self._body})
        return recusal_from_doc(doc) if doc is not None and not doc.get("withdrawn") else None


def _mine(doc: Mapping[str, object], body: int) -> bool:
    return doc.get("organ") == body and not doc.get("withdrawn")
