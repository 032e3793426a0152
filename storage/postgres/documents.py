"""storage.documents over PostgreSQL: one `documents` table of (team, table, id, jsonb), scoped to one team.

Transactions: a thread's connection is held in a threading.local (not a ContextVar: background work
copies the context into other threads, and would carry an open transaction there). The outermost
`transaction()` begins, takes the team's transaction lock (so a use case's read-then-write is atomic, as
under TinyDB's one lock), and commits, or rolls back if anything raises; inner ones join it (no
savepoints: an inner failure caught outside keeps the inner writes, as in TinyDB). A document read by id
inside a transaction is locked for update (a ballot's vote row). The team's version moves in the same
commit as the writes, so a reader never sees new data under an old version; that is what lets a value
derived from the documents be kept under the version it was read at (`derived`).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from psycopg import Connection, sql
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from storage.documents import Document

T = TypeVar("T")

TEAM_LOCKS = 1  # the first key of the two-part advisory locks held for a team's transactions
_uncommitted = itertools.count(-1, -1)  # versions for reads inside a writing transaction: never cached


class _Held(threading.local):
    conn: Connection[Any] | None = None
    in_transaction = False
    wrote = False


class PgDocuments:
    """One team's documents (storage.documents.Documents)."""

    def __init__(self, pool: ConnectionPool[Connection[Any]], team: str, owner: str) -> None:
        self._pool = pool
        self._owner = owner
        self.team = team
        self._held = _Held()
        self._tables: dict[str, PgTable] = {}
        self._kept: dict[tuple[str, Hashable], tuple[int, Any]] = {}  # derived values, by the version read before

    @contextmanager
    def _connection(self, *, transaction: bool = False) -> Iterator[Connection[Any]]:
        held = self._held
        if held.conn is not None:
            if transaction and not held.in_transaction:
                with self._begin(held.conn):
                    yield held.conn
            else:
                yield held.conn
            return
        with self._pool.connection() as conn:
            held.conn = conn
            try:
                if transaction:
                    with self._begin(conn):
                        yield conn
                else:
                    yield conn
            finally:
                held.conn = None

    @contextmanager
    def _begin(self, conn: Connection[Any]) -> Iterator[None]:
        held = self._held
        held.in_transaction, held.wrote = True, False
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s::int, hashtext(%s))", (TEAM_LOCKS, self.team))
                yield
                if held.wrote:
                    conn.execute(
                        "INSERT INTO team_versions (team, version) VALUES (%s, 1) "
                        "ON CONFLICT (team) DO UPDATE SET version = team_versions.version + 1",
                        (self.team,),
                    )
        finally:
            held.in_transaction = held.wrote = False

    @property
    def lock(self) -> Any:
        """Several reads on one connection (each sees what is committed when it runs)."""
        return self._connection()

    def transaction(self) -> Any:
        return self._connection(transaction=True)

    @property
    def in_transaction(self) -> bool:
        return self._held.in_transaction

    @property
    def version(self) -> int:
        """The team's commits so far; inside a transaction that has written, a number never seen again
        (what is rendered from uncommitted records must not be kept under a version)."""
        if self._held.in_transaction and self._held.wrote:
            return next(_uncommitted)
        row = self.fetch_one("SELECT version FROM team_versions WHERE team = %s", (self.team,))
        return int(row[0]) if row else 0

    def fetch_one(self, query: sql.Composable | str, params: Iterable[object]) -> tuple[Any, ...] | None:
        with self._connection() as conn:
            return conn.execute(query, tuple(params)).fetchone()  # type: ignore[arg-type]

    def fetch_all(self, query: sql.Composable | str, params: Iterable[object]) -> list[tuple[Any, ...]]:
        with self._connection() as conn:
            return conn.execute(query, tuple(params)).fetchall()  # type: ignore[arg-type]

    def _writing(self) -> Connection[Any]:
        """The transaction's connection, marked as having written (its commit moves the version)."""
        held = self._held
        if not held.in_transaction or held.conn is None:
            raise RuntimeError("a write outside a transaction")
        held.wrote = True
        return held.conn

    def execute(self, query: sql.Composable | str, params: Iterable[object]) -> None:
        """A write: only inside a transaction."""
        self._writing().execute(query, tuple(params))  # type: ignore[arg-type]

    def execute_many(self, query: str, rows: list[tuple[object, ...]]) -> None:
        """As `execute`, for many rows in one round trip."""
        with self._writing().cursor() as cursor:
            cursor.executemany(query, rows)

    def table(self, name: str) -> PgTable:
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = PgTable(self, name)
        return table

    def decoded(self, table: str, doc: Document, decode: Callable[[Document], T]) -> T:
        return decode(doc)

    def derived(self, table: str, name: Hashable, build: Callable[[], T], *, ids: range | None = None) -> T:
        """`build()`, kept under the team's version and reused while it is the same: one round trip (the
        version) instead of the documents and their decoding. Coarser than TinyDB's (`ids` is not looked at):
        any commit in the workspace makes every kept value stale. The version is read before the documents,
        so a kept value is never older than its version, and every commit to the team's documents moves the
        version (under the team's lock, in the same commit). Inside a transaction that has written, the
        version is one never seen again: what is built from uncommitted records is not kept. A read that
        skips `build()` takes no row lock, but neither would `build()`: only `by_id` reads lock rows."""
        version = self.version
        key = (table, name)
        kept = self._kept.get(key)
        if kept is not None and kept[0] == version:
            return cast(T, kept[1])
        value = build()
        if version >= 0:
            self._kept[key] = (version, value)
        return value

    def unique(self, table: str, field: str, value: str) -> Document | None:
        return self.table(table).first({field: value})

    def notify(self, channel: str, payload: str) -> None:
        """On this thread's connection: inside a transaction PostgreSQL sends it at the commit (and drops it
        on a rollback), and no second connection is taken while the team's lock is held."""
        with self._connection() as conn:
            conn.execute("SELECT pg_notify(%s, %s)", (channel, payload))

    def of_body(self, table: str, body: int) -> tuple[Document, ...]:
        return tuple(self.table(table).matching({"organ": body}))

    def within(self, table: str, ids: range) -> list[Document]:
        return self.table(table).select(sql.SQL("id >= %s AND id < %s"), (ids.start, ids.stop))

    @property
    def owner(self) -> str:
        """The pool's application_name: what pg_stat_activity shows while this process is connected."""
        return self._owner

    def alive(self, owner: str) -> bool:
        """Connected now: PostgreSQL drops a dead process's connections (at once on a crash, within the
        TCP keepalive for a vanished host)."""
        row = self.fetch_one("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = %s)", (owner,))
        return bool(row and row[0])

    @contextmanager
    def exclusive(self, name: str, number: int) -> Iterator[None]:
        """A session advisory lock of this team's (name, number), on a connection of its own, held meanwhile."""
        with self._pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(hashtext(%s), %s::int)", (f"{self.team}:{name}", number))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s), %s::int)", (f"{self.team}:{name}", number))

    def close(self) -> None:
        """The pool is the process's (storage.postgres.store.shared_pool), shared by the teams: nothing here."""


class PgTable:
    """One table of one team's documents (storage.documents.Table)."""

    def __init__(self, db: PgDocuments, name: str) -> None:
        self._db = db
        self._name = name
        self._key = (db.team, name)

    def select(self, where: sql.Composable, params: Iterable[object] = (), *, lock: bool = False) -> list[Document]:
        query = sql.SQL("SELECT id, doc FROM documents WHERE team = %s AND tbl = %s AND {} ORDER BY id{}").format(
            where, sql.SQL(" FOR UPDATE" if lock else "")
        )
        return [Document(doc, doc_id) for doc_id, doc in self._db.fetch_all(query, (*self._key, *params))]

    def by_id(self, doc_id: int) -> Document | None:
        found = self.select(sql.SQL("id = %s"), (doc_id,), lock=self._db.in_transaction)
        return found[0] if found else None

    def every(self) -> list[Document]:
        return self.select(sql.SQL("TRUE"))

    def matching(self, fields: Mapping[str, object]) -> list[Document]:
        """By `doc -> 'field' = value` with the field as a literal: the form the indexes are made on."""
        where = sql.SQL(" AND ").join(sql.SQL("doc -> {} = %s").format(sql.Literal(field)) for field in fields)
        return self.select(where, [Jsonb(value) for value in fields.values()])

    def first(self, fields: Mapping[str, object]) -> Document | None:
        found = self.matching(fields)
        return found[0] if found else None

    def add(self, doc: Mapping[str, Any]) -> int:
        """The next id is one past the highest: the team's transaction lock makes that safe, and the numbers
        members see (votes, deadlines) run 1, 2, 3 in each workspace, as in TinyDB."""
        row = self._db.fetch_one(
            "SELECT coalesce(max(id), 0) + 1 FROM documents WHERE team = %s AND tbl = %s", self._key
        )
        assert row is not None
        doc_id = int(row[0])
        self._db.execute(
            "INSERT INTO documents (team, tbl, id, doc) VALUES (%s, %s, %s, %s)", (*self._key, doc_id, Jsonb(doc))
        )
        return doc_id

    def put(self, doc_id: int, doc: Mapping[str, Any]) -> None:
        self._db.execute(
            "INSERT INTO documents (team, tbl, id, doc) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (team, tbl, id) DO UPDATE SET doc = documents.doc || excluded.doc",
            (*self._key, doc_id, Jsonb(doc)),
        )

    def patch(self, doc_ids: Iterable[int], fields: Mapping[str, Any]) -> None:
        self._db.execute(
            "UPDATE documents SET doc = doc || %s WHERE team = %s AND tbl = %s AND id = ANY(%s)",
            (Jsonb(fields), *self._key, list(doc_ids)),
        )

    def delete(self, doc_ids: Iterable[int]) -> None:
        if ids := list(doc_ids):
            self._db.execute("DELETE FROM documents WHERE team = %s AND tbl = %s AND id = ANY(%s)", (*self._key, ids))
