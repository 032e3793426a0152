"""Deadlines (/frister) and the work streams whose status the group follows (/status)."""

from __future__ import annotations

from dataclasses import replace

from bot.core.domain import Deadline, WorkStream
from storage.codec import deadline_from_doc, deadline_to_doc, stream_from_doc, stream_to_doc
from storage.documents import Documents
from storage.ids import body_streams, stream_id


class Deadlines:
    """One body's deadlines; their numbers run across bodies."""

    def __init__(self, db: Documents, body: int) -> None:
        self._db = db
        self._body = body

    def add(self, deadline: Deadline, origin: str | None = None) -> Deadline:
        """A new deadline under the next number. With `origin` (from an imported notice), only once."""
        with self._db.transaction():
            table = self._db.table("deadlines")
            if origin is not None and (existing := table.first({"origin": origin, "organ": self._body})) is not None:
                return deadline_from_doc(existing)
            doc = {**deadline_to_doc(deadline), "origin": origin, "organ": self._body}
            deadline = replace(deadline, id=table.add(doc))
            table.patch([deadline.id], {"id": deadline.id})
        return deadline

    def save(self, deadline: Deadline) -> None:
        with self._db.transaction():
            table = self._db.table("deadlines")
            if (stored := table.by_id(deadline.id)) is not None and stored.get("organ") == self._body:
                table.patch([deadline.id], deadline_to_doc(deadline))

    def get(self, deadline_id: int) -> Deadline | None:
        with self._db.lock:
            doc = self._db.table("deadlines").by_id(deadline_id)
        return deadline_from_doc(doc) if doc is not None and doc.get("organ") == self._body else None

    def all(self) -> tuple[Deadline, ...]:
        with self._db.lock:
            docs = self._db.of_body("deadlines", self._body)
            return tuple(self._db.decoded("deadlines", doc, deadline_from_doc) for doc in docs)


class WorkStreams:
    """One body's work streams of "Status for arbeidet", by number (document body * 10,000 + number)."""

    def __init__(self, db: Documents, body: int) -> None:
        self._db = db
        self._body = body
        self._ids = body_streams(body)

    def all(self) -> tuple[WorkStream, ...]:
        with self._db.lock:
            return self._db.derived(
                "status",
                ("by number", self._body),
                lambda: tuple(
                    sorted(map(stream_from_doc, self._db.within("status", self._ids)), key=lambda s: s.number)
                ),
                ids=self._ids,
            )

    def save(self, stream: WorkStream) -> None:
        with self._db.transaction():
            self._db.table("status").put(stream_id(self._body, stream.number), stream_to_doc(stream))
