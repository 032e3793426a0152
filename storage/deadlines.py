"""Deadlines (/frister) and the work streams whose status the group follows (/status)."""

from __future__ import annotations

from dataclasses import replace

from tinydb import Query
from tinydb.table import Document

from bot.core.domain import Deadline, WorkStream
from storage.codec import deadline_from_doc, deadline_to_doc, stream_from_doc, stream_to_doc
from storage.database import Database


class Deadlines:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, deadline: Deadline, origin: str | None = None) -> Deadline:
        """A new deadline under the next number. With `origin` (from an imported notice), only once."""
        with self._db.transaction():
            table = self._db.table("deadlines")
            if origin is not None and (existing := table.get(Query().origin == origin)) is not None:
                return deadline_from_doc(existing)
            deadline = replace(deadline, id=table.insert({**deadline_to_doc(deadline), "origin": origin}))
            table.update({"id": deadline.id}, doc_ids=[deadline.id])
        return deadline

    def save(self, deadline: Deadline) -> None:
        with self._db.transaction():
            self._db.table("deadlines").update(deadline_to_doc(deadline), doc_ids=[deadline.id])

    def get(self, deadline_id: int) -> Deadline | None:
        with self._db.lock:
            doc = self._db.table("deadlines").get(doc_id=deadline_id)
        return deadline_from_doc(doc) if doc is not None else None

    def all(self) -> tuple[Deadline, ...]:
        with self._db.lock:
            table = self._db.table("deadlines")
            return self._db.derived("deadlines", "all", lambda: tuple(map(deadline_from_doc, table.all())))


class WorkStreams:
    """The work streams of "Status for arbeidet", by number."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self) -> tuple[WorkStream, ...]:
        with self._db.lock:
            table = self._db.table("status")
            return self._db.derived(
                "status", "by number", lambda: tuple(sorted(map(stream_from_doc, table.all()), key=lambda s: s.number))
            )

    def save(self, stream: WorkStream) -> None:
        with self._db.transaction():
            self._db.table("status").upsert(Document(stream_to_doc(stream), doc_id=stream.number))
