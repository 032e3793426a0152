"""One scheduler among many processes: the leader holds a PostgreSQL advisory lock on a connection of its own.

APScheduler 3 cannot share a job store between processes, and the planner would send every notice once per
process. So each process tries for the lock every few seconds; the one that has it runs the ticker. When the
leader dies, PostgreSQL ends its session and drops the lock (at once for a crashed process: the socket closes;
within the TCP keepalive for a vanished host), and the next try elsewhere takes it. Every post is also
claimed before it goes out (storage.posts), so a leader deposed in the middle of a post cannot double it.

The same connection LISTENs for re-plans: a meeting added in another process NOTIFYs, and the leader ticks.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import Connection

log = logging.getLogger(__name__)

LEADERS = 3  # the first key of the scheduler's lock; the second is the workspace's (as the team locks, TEAM_LOCKS)
REPLAN = "motebot_replan"  # the channel a process NOTIFYs when its plans change
# The server's side of the keepalive (libpq's keepalives_* are the client's): a vanished host's session, and
# with it the lock, ends within about 10 s instead of PostgreSQL's default two hours. Over a unix socket, unused.
SERVER_KEEPALIVE = (
    "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3 -c tcp_user_timeout=10000"
)


class Leader:
    """Calls `elected` when this process gets the lock, `deposed` when it loses it (or stops), and
    `replan` (as leader) when any process announces a change of plans."""

    def __init__(
        self,
        url: str,
        owner: str,
        team: str,
        *,
        elected: Callable[[], None],
        deposed: Callable[[], None],
        replan: Callable[[], None],
        every: float = 2.0,
    ) -> None:
        self._url = url
        self._owner = owner
        self._team = team  # whose scheduler: one workspace's (MOTEBOT_WORKSPACE), or "" for all of them
        self._elected, self._deposed, self._replan = elected, deposed, replan
        self._every = every
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.holds = False

    def start(self) -> None:
        """Tries once before it returns (a process alone on its database leads at once), then every few seconds."""
        first: Connection[Any] | None = None
        try:
            first = self._connect()
            self._try(first)
        except (psycopg.Error, OSError) as error:
            log.warning("Fikk ikke kontakt med PostgreSQL for planleggeren (%s); prøver igjen", error)
            if first is not None:
                first.close()
                first = None
        self._thread = threading.Thread(target=self._run, args=(first,), name="motebot-leader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Deposed first (the ticker stops), then the connection closes and the lock is free for another."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _connect(self) -> Connection[Any]:
        conn = psycopg.connect(
            self._url, autocommit=True, application_name=self._owner, options=SERVER_KEEPALIVE,
            keepalives=1, keepalives_idle=5, keepalives_interval=2, keepalives_count=3,
        )  # fmt: skip
        conn.execute(f"LISTEN {REPLAN}")
        return conn

    def _try(self, conn: Connection[Any]) -> None:
        if not self.holds:
            row = conn.execute("SELECT pg_try_advisory_lock(%s::int, hashtext(%s))", (LEADERS, self._team)).fetchone()
            if row and row[0]:
                self.holds = True
                log.info("Denne prosessen kjører planleggeren")
                self._elected()

    def _run(self, conn: Connection[Any] | None) -> None:
        while not self._stopping.is_set():
            try:
                with conn or self._connect() as held:
                    try:
                        self._lead(held)
                    finally:
                        self._step_down()  # the ticker stopped while the lock is still held: never two at once
            except (psycopg.Error, OSError) as error:
                log.warning("Mistet forbindelsen til PostgreSQL for planleggeren (%s); prøver igjen", error)
            finally:
                conn = None
                self._step_down()
            self._stopping.wait(self._every)

    def _lead(self, conn: Connection[Any]) -> None:
        while not self._stopping.is_set():
            self._try(conn)
            announced = False
            for notify in conn.notifies(timeout=self._every):
                announced = announced or notify.payload == self._team or not self._team
            if announced and self.holds:
                self._replan()
            conn.execute("SELECT 1")  # the heartbeat: a lost connection (and with it the lock) raises here

    def _step_down(self) -> None:
        if self.holds:
            self.holds = False
            self._deposed()
