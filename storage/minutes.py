"""One body's minutes, one document per meeting (its id the meeting's)."""

from __future__ import annotations

from bot.core.domain import Serial
from bot.core.minutes.record import Minutes
from storage.codec import minutes_from_doc, minutes_to_doc
from storage.documents import Documents
from storage.ids import meeting_id


class MinutesBook:
    def __init__(self, db: Documents, body: int) -> None:
        self._db = db
        self._body = body

    def get(self, meeting: Serial) -> Minutes | None:
        with self._db.lock:
            doc = self._db.table("minutes").by_id(meeting_id(self._body, meeting))
        return minutes_from_doc(doc) if doc is not None else None

    def save(self, minutes: Minutes) -> None:
        with self._db.transaction():
            doc = {**minutes_to_doc(minutes), "organ": self._body}
            self._db.table("minutes").put(meeting_id(self._body, minutes.meeting), doc)

    def all(self) -> tuple[Minutes, ...]:
        """The body's minutes, newest meeting first."""
        with self._db.lock:
            docs = self._db.of_body("minutes", self._body)
        found = [minutes_from_doc(doc) for doc in docs]
        return tuple(sorted(found, key=lambda m: (m.meeting.year, m.meeting.seq), reverse=True))
