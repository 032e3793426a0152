"""Deadlines (/frister) and the work streams whose status the group follows (/status)."""

from __future__ import annotations

from dataclasses import replace

from tinydb import Query
from tinydb.table import Document, Table

from bot.core.domain import Deadline, WorkStream
from storage.codec import deadline_from_doc, deadline_to_doc, stream_from_doc, stream_to_doc
from storage.database import Database


class Deadlines:
    """One body's deadlines; their numbers run across bodies."""

    def __init__(self, db: Database, body: int) -> None:
        self._db = db
        self._body = body

    def add(self, deadline: Deadline, origin: str | None = None) -> Deadline:
        """A new deadline under the next number. With `origin` (from an imported notice), only once."""
        with self._db.transaction():
            table = self._db.table("deadlines")
            mine = Query().organ == self._body
            if origin is not None and (existing := table.get((Query().origin == origin) & mine)) is not None:
                return deadline_from_doc(existing)
            doc = {**deadline_to_doc(deadline), "origin": origin, "organ": self._body}
            deadline = replace(deadline, id=table.insert(doc))
            table.update({"id": deadline.id}, doc_ids=[deadline.id])
        return deadline

    def save(self, deadline: Deadline) -> None:
        with self._db.transaction():
            table = self._db.table("deadlines")
            if (stored := table.get(doc_id=deadline.id)) is not None and stored.get("organ") == self._body:
                table.update(deadline_to_doc(deadline), doc_ids=[deadline.id])

    def get(self, deadline_id: int) -> Deadline | None:
        with self._db.lock:
            doc = self._db.table("deadlines").get(doc_id=deadline_id)
        return deadline_from_doc(doc) if doc is not None and doc.get("organ") == self._body else None

    def all(self) -> tuple[Deadline, ...]:
        with self._db.lock:
            docs = self._db.of_body("deadlines", self._body)
            return tuple(self._db.decoded("deadlines", doc, deadline_from_doc) for doc in docs)


class WorkStreams:
    """One body's work streams of "Status for arbeidet", by number (document body * 10,000 + number)."""

    def __init__(self, db: Database, body: int) -> None:
        self._db = db
        self._body = body
        self._ids = range(stream_id(body, 0), stream_id(body + 1, 0))

    def all(self) -> tuple[WorkStream, ...]:
        with self._db.lock:
            table = self._db.table("status")
            return self._db.derived(
                "status",
                ("by number", self._body),
                lambda: tuple(sorted(map(stream_from_doc, self._docs(table)), key=lambda s: s.number)),
                ids=self._ids,
            )

    def save(self, stream: WorkStream) -> None:
        with self._db.transaction():
            self._db.table("status").upsert(
                Document(stream_to_doc(stream), doc_id=stream_id(self._body, stream.number))
            )

    def _docs(self, table: Table) -> list[Document]:
        found = (table.get(doc_id=doc_id) for doc_id in self._db.ids_within("status", self._ids))
        return [doc for doc in found if isinstance(doc, Document)]


STREAM_SPAN = 10_000


def stream_id(body: int, number: int) -> int:
    return body * STREAM_SPAN + number
