"""One TinyDB file for one process: the lock every thread takes, the transaction, the version, the caches.

TinyDB is not thread-safe, and Bolt's listeners and the scheduler's jobs run on threads of their own:
everything that touches the database holds `lock`. Values decoded from documents are kept until the
tables say those documents were written (storage.tinydb_engine.tables is the only place that sees writes), and so
are values built from a range of document ids (one body's meetings): a write outside the range keeps
them, so one body's writes cost the others nothing.
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_left
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any, Self, TypeVar, cast

from storage.documents import Document
from storage.tinydb_engine.atomic_json import AtomicJSONStorage, load_state
from storage.tinydb_engine.process_lock import ProcessLock
from storage.tinydb_engine.tables import InPlaceTable, InPlaceTinyDB

T = TypeVar("T")


class Database:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._process_lock = ProcessLock(self.path)
        self.lock = threading.RLock()
        self._depth = 0
        self._closed = False
        self._version = 0
        self._documents: dict[tuple[str, int], object] = {}  # decoded documents, until written
        self._tables: dict[str, dict[Hashable, tuple[object, range | None]]] = {}  # built from a table (or
        # the documents of a range of its ids), until written there
        self._exclusive: dict[tuple[str, int], list[Any]] = {}  # exclusive(): a lock and how many want it
        self._exclusive_lock = threading.Lock()
        self._ids: dict[str, list[int]] = {}  # each table's document ids, in order, kept as documents are written
        try:
            self.storage = AtomicJSONStorage(self.path)
        except BaseException:
            self._process_lock.release()
            raise
        self.storage.on_change = self._forget
        self._db = self._tinydb()

    def _tinydb(self) -> InPlaceTinyDB:
        storage = self.storage
        return InPlaceTinyDB(storage=lambda: storage)

    def _forget(self, table: str | None, doc_ids: Collection[int]) -> None:
        """Told by the storage as each write happens (the table already changed): what was decoded or
        built from those documents is stale now."""
        self._version += 1
        if table is None:  # a change that did not say where
            self._documents.clear()
            self._tables.clear()
            self._ids.clear()
            return
        written = sorted(doc_ids)
        values = self._tables.get(table, {})
        for name, (_, ids) in list(values.items()):
            if ids is None or _any_within(written, ids):
                del values[name]
        for doc_id in written:
            self._documents.pop((table, doc_id), None)
        self._note_ids(table, written)

    def _note_ids(self, table: str, written: list[int]) -> None:
        ids = self._ids.get(table)
        if ids is None:
            return
        if len(written) > 64 and len(written) > len(ids) // 8:  # cheaper to list them again when next asked
            del self._ids[table]
            return
        stored = self.storage.read().get(table, {})
        for doc_id in written:
            at = bisect_left(ids, doc_id)
            present = at < len(ids) and ids[at] == doc_id
            if str(doc_id) in stored and not present:
                ids.insert(at, doc_id)
            elif str(doc_id) not in stored and present:
                del ids[at]

    @property
    def version(self) -> int:
        """Changes with every write and every rollback, never to a value it had: a key for what is rendered
        from the database. Read it before reading what the rendering shows."""
        with self.lock:
            return self._version

    def table(self, name: str) -> InPlaceTable:
        """A table of the current TinyDB (a rollback replaces it): hold the lock while using it."""
        return cast(InPlaceTable, self._db.table(name))

    def decoded(self, table: str, doc: Document, decode: Callable[[Document], T]) -> T:
        """`doc` decoded once, until it is written; the value is shared, so it must be immutable. Hold the lock."""
        key = (table, doc.doc_id)
        if key not in self._documents:
            self._documents[key] = decode(doc)
        return cast(T, self._documents[key])

    def derived(self, table: str, name: Hashable, build: Callable[[], T], *, ids: range | None = None) -> T:
        """`build()` once, until `table` is written (with `ids`, until one of those documents is, for a
        value built from them alone); the value is shared, so it must be immutable. Hold the lock."""
        values = self._tables.setdefault(table, {})
        if name not in values:
            values[name] = (build(), ids)
        return cast(T, values[name][0])

    def of_body(self, table: str, body: int) -> tuple[Document, ...]:
        """`table`'s documents whose "organ" is `body`, in id order. All bodies are sorted out in one pass,
        shared until the table is written: a hundred bodies do not each look at every document. Hold the lock."""

        def build() -> Mapping[object, tuple[Document, ...]]:
            groups: dict[object, list[Document]] = {}
            for doc in self.table(table).every():
                groups.setdefault(doc.get("organ"), []).append(doc)
            return MappingProxyType({owner: tuple(docs) for owner, docs in groups.items()})

        return self.derived(table, "by body", build).get(body, ())

    def unique(self, table: str, field: str, value: str) -> Document | None:
        with self.lock:
            tinydb_table = self.table(table)
            by_value = self.derived(
                table, ("unique", field), lambda: MappingProxyType({doc[field]: doc for doc in tinydb_table.every()})
            )
            return by_value.get(value)

    def ids_within(self, table: str, ids: range) -> list[int]:
        """The ids of `table`'s documents that fall in `ids`, in order, without looking at the others.
        Hold the lock."""
        known = self._ids.get(table)
        if known is None:
            known = self._ids[table] = sorted(map(int, self.storage.read().get(table, {})))
        return known[bisect_left(known, ids.start) : bisect_left(known, ids.stop)]

    def within(self, table: str, ids: range) -> list[Document]:
        """`table`'s documents whose ids fall in `ids`, in order, found without looking at the others."""
        with self.lock:
            tinydb_table = self.table(table)
            found = (tinydb_table.by_id(doc_id) for doc_id in self.ids_within(table, ids))
            return [doc for doc in found if doc is not None]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Changes inside are one commit, or none if anything raises. It returns once the commit is on
        disk; the fsync happens outside the lock, so concurrent commits share one (group commit)."""
        commit = None
        with self.lock:
            self._depth += 1
            storage = self.storage
            storage.batching = True
            try:
                yield
                if self._depth == 1 and storage.dirty:
                    commit = storage.commit()
            except BaseException:
                if self._depth == 1:
                    self._roll_back()
                raise
            finally:
                self._depth -= 1
                if self._depth == 0:
                    storage.batching = False
        if commit is not None:
            storage.sync(commit)

    def _roll_back(self) -> None:
        """Back to the last committed state; the journal stays open for a commit another thread is syncing."""
        self.storage.reload()
        self._forget(None, ())
        self._db = self._tinydb()  # TinyDB's tables remember their next id and their query results

    def snapshot(self) -> None:
        """Write the whole state now (the journal starts over)."""
        with self.lock:
            self.storage.snapshot()

    def unjournaled_tables(self) -> list[str]:
        """Tables whose state in memory differs from what a restart would read (should be none)."""
        with self.lock:
            if self._closed:
                return []  # another instance may have written since
            memory, durable = self.storage.read(), load_state(self.path)
            return sorted(t for t in set(memory) | set(durable) if memory.get(t, {}) != durable.get(t, {}))

    @property
    def owner(self) -> str:
        return f"pid {os.getpid()}"

    def alive(self, owner: str) -> bool:
        """No other process can have the file open (the folder lock): a claim from another is from before a crash."""
        return False

    @contextmanager
    def exclusive(self, name: str, number: int) -> Iterator[None]:
        """Within this one process: a lock per (name, number), kept while anyone waits on it."""
        key = (name, number)
        with self._exclusive_lock:
            held = self._exclusive.setdefault(key, [threading.Lock(), 0])
            held[1] += 1
        try:
            with held[0]:
                yield
        finally:
            with self._exclusive_lock:
                held[1] -= 1
                if not held[1]:
                    del self._exclusive[key]

    def close(self) -> None:
        with self.lock:
            if self._closed:
                return
            self._db.close()
            self._process_lock.release()
            self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _any_within(written: list[int], ids: range) -> bool:
    """Whether any of the (sorted) written ids falls in `ids`."""
    at = bisect_left(written, ids.start)
    return at < len(written) and written[at] < ids.stop
