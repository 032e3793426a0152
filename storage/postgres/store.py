"""The store on PostgreSQL: one pool per database URL, one store per team over it."""

from __future__ import annotations

import atexit
import os
import secrets
import socket
import threading
from collections.abc import Callable
from typing import Any

from psycopg import Connection
from psycopg_pool import ConnectionPool, PoolTimeout

from storage.postgres.documents import PgDocuments
from storage.postgres.leader import REPLAN, SERVER_KEEPALIVE, Leader
from storage.postgres.schema import unavailable, upgrade
from storage.store import DocumentStore, State


def owner_name() -> str:
    """How this process names itself to PostgreSQL (application_name, at most 63 bytes): host, pid and a
    nonce (a pid is reused, in a container at once), to tell whose a claim is."""
    return f"motebot:{os.getpid()}:{secrets.token_hex(4)}:{socket.gethostname()}"[:63]


_owner: tuple[int, str] | None = None


def process_owner() -> str:
    """This process's name, for all its connections; made afresh in a forked child (a pid of its own)."""
    global _owner
    if _owner is None or _owner[0] != os.getpid():
        _owner = (os.getpid(), owner_name())
    return _owner[1]


class PgStore(DocumentStore):
    """One team's records in a PostgreSQL database, over the process's pool for that database."""

    def __init__(self, url: str, team: str = "") -> None:
        self.url = url
        self.pool = pool = shared_pool(url)
        self.team = team
        self.documents = PgDocuments(pool, team, process_owner())
        super().__init__(self.documents)

    def leadership(
        self, elected: Callable[[], None], deposed: Callable[[], None], replan: Callable[[], None]
    ) -> Leader:
        """The scheduler's election among the processes on this database (storage.postgres.leader)."""
        return Leader(self.url, process_owner(), self.team, elected=elected, deposed=deposed, replan=replan)

    def announce_replan(self) -> None:
        self.documents.notify(REPLAN, self.team)

    def recent_requests(self) -> PgRecentRequests:
        return PgRecentRequests(self.pool)

    def state(self) -> State:
        rows = self.documents.fetch_all(
            "SELECT tbl, id, doc FROM documents WHERE team = %s ORDER BY tbl, id", (self.team,)
        )
        state: State = {}
        for table, doc_id, doc in rows:
            state.setdefault(table, {})[int(doc_id)] = doc
        return state

    def close(self) -> None:
        """The pool is the process's, shared by every team on the database (closed at exit)."""


_pools: dict[str, ConnectionPool[Connection[Any]]] = {}
_pools_lock = threading.Lock()


def shared_pool(url: str) -> ConnectionPool[Connection[Any]]:
    """The process's pool for `url`, made (and the schema upgraded) on first use: autocommit connections,
    a transaction begun where the store asks for one."""
    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            upgrade(url)
            pool = ConnectionPool(
                url,
                min_size=1,
                max_size=12,
                kwargs={"autocommit": True, "application_name": process_owner(), "options": SERVER_KEEPALIVE},
                open=False,
            )
            try:
                pool.open(wait=True, timeout=10)
            except PoolTimeout as error:
                pool.close()
                raise unavailable(error) from None
            _pools[url] = pool
        return pool


@atexit.register
def _close_pools() -> None:
    with _pools_lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()


class PgRecentRequests:
    """The signatures of the requests accepted in the last moment (bot.slack.request_guard), shared by every
    process on the database: what one process accepted, a process started after it refuses."""

    WINDOW = 600  # seconds kept: Slack signs a request at most five minutes before it is accepted

    def __init__(self, pool: ConnectionPool[Connection[Any]]) -> None:
        self._pool = pool
        self._lock = threading.Lock()
        self._second = 0
        with pool.connection() as conn:
            rows = conn.execute(
                "SELECT signed_at, signature FROM recent_requests "
                "WHERE signed_at >= extract(epoch FROM now())::bigint - %s ORDER BY signed_at",
                (self.WINDOW,),
            ).fetchall()
        self.previous: list[tuple[int, str]] = [(int(stamp), str(signature)) for stamp, signature in rows]

    def add(self, signed_at: int, signature: str, now: float) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO recent_requests (signature, signed_at) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (signature, signed_at),
            )
            with self._lock:
                second, self._second = self._second, int(now)
            if int(now) != second:
                conn.execute("DELETE FROM recent_requests WHERE signed_at < %s", (int(now) - self.WINDOW,))

    def close(self) -> None:
        """The pool is the store's."""
