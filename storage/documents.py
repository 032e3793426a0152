"""What the repositories ask of an engine: numbered JSON documents in named tables, a transaction, a version.

The repositories (bodies.py, meetings.py, …) are written once against `Documents`; each engine
(storage.tinydb_engine, storage.postgres) gives it. Both keep the same documents (storage.codec) under the
same ids, so a database moves from one engine to the other id for id.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Document(dict[str, Any]):
    """A stored document and its id (TinyDB's tables make these directly: their `document_class`)."""

    def __init__(self, value: Mapping[str, Any], doc_id: int) -> None:
        super().__init__(value)
        self.doc_id = doc_id


class Table(Protocol):
    """One table's documents. Writes only inside `Documents.transaction()`."""

    def by_id(self, doc_id: int) -> Document | None: ...
    def every(self) -> list[Document]:
        """All documents, in id order."""
        ...

    def matching(self, fields: Mapping[str, object]) -> list[Document]:
        """The documents whose top-level `fields` equal these values, in id order."""
        ...

    def first(self, fields: Mapping[str, object]) -> Document | None: ...
    def add(self, doc: Mapping[str, Any]) -> int:
        """Stored under the next id (one past the highest in the table), returned."""
        ...

    def put(self, doc_id: int, doc: Mapping[str, Any]) -> None:
        """Insert, or merge into the stored document (its other fields stay, as TinyDB's upsert)."""
        ...

    def patch(self, doc_ids: Iterable[int], fields: Mapping[str, Any]) -> None: ...
    def delete(self, doc_ids: Iterable[int]) -> None: ...


class Documents(Protocol):
    """An engine's tables, with the transaction and the version the store promises (storage.protocol)."""

    @property
    def lock(self) -> AbstractContextManager[object]:
        """Held around several reads. TinyDB: the process's lock, so they see one state; PostgreSQL: one
        connection, each read seeing what is committed when it runs (use a transaction for one state)."""
        ...

    @property
    def version(self) -> int: ...

    def table(self, name: str) -> Table: ...
    def transaction(self) -> AbstractContextManager[None]: ...
    def decoded(self, table: str, doc: Document, decode: Callable[[Document], T]) -> T:
        """`decode(doc)`, which the engine may keep until the document is written: it must be immutable."""
        ...

    def derived(self, table: str, name: Hashable, build: Callable[[], T], *, ids: range | None = None) -> T:
        """`build()`, which the engine may keep until `table` (or, with `ids`, one of those documents) is written."""
        ...

    def unique(self, table: str, field: str, value: str) -> Document | None:
        """The document whose `field` (unique in `table`) is `value`: found through an index the engine keeps
        (TinyDB: a map built once until the table is written; PostgreSQL: its expression index)."""
        ...

    def of_body(self, table: str, body: int) -> tuple[Document, ...]:
        """`table`'s documents whose "organ" is `body`, in id order."""
        ...

    def within(self, table: str, ids: range) -> list[Document]:
        """`table`'s documents whose ids fall in `ids`, in id order."""
        ...

    @property
    def owner(self) -> str:
        """This process, as its claims name it."""
        ...

    def alive(self, owner: str) -> bool:
        """Whether the process named `owner` (another one) still has the database open."""
        ...

    def exclusive(self, name: str, number: int) -> AbstractContextManager[None]:
        """Held by one thread of one process at a time, of all processes on the database (a vote's message
        is read, rendered and updated under it, so the last update shows the latest state)."""
        ...

    def close(self) -> None: ...
