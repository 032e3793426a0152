"""What many workspaces need of PostgreSQL: an SQLAlchemy engine for slack_sdk's installation and state stores
(their tables are Alembic's revision 0002), and Møtebot's record of each workspace (`workspaces`).

Only storage imports SQLAlchemy (pyproject's import-linter contracts): the app gets its engine here, and
hands it to slack_sdk's stores."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, create_engine

from storage.postgres.schema import sqlalchemy_url
from storage.postgres.store import owner_name, shared_pool

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def oauth_engine(url: str) -> Engine:
    """The process's engine for slack_sdk's stores on `url` (the schema upgraded first, as a store does): two
    connections, as the stores make a short query per request; the bot's own pool is psycopg's."""
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            shared_pool(url)  # upgrades the schema to the newest revision, under its lock
            engine = _engines[url] = create_engine(
                sqlalchemy_url(url),
                pool_size=2,
                max_overflow=2,
                pool_pre_ping=True,
                connect_args={"application_name": owner_name()},
            )
        return engine


@dataclass(frozen=True)
class Workspace:
    """One workspace as Møtebot knows it: `team` is the key its records are kept under."""

    team: str
    enterprise_id: str | None
    team_id: str | None
    installed_by: str | None
    installed_at: datetime
    uninstalled_at: datetime | None

    @property
    def installed(self) -> bool:
        return self.uninstalled_at is None

    @property
    def is_enterprise_install(self) -> bool:
        return self.enterprise_id is not None and self.team == self.enterprise_id


_COLUMNS = "team, enterprise_id, team_id, installed_by, installed_at, uninstalled_at"


class Workspaces:
    """The `workspaces` table, over the process's pool for the database."""

    def __init__(self, url: str) -> None:
        self._pool = shared_pool(url)

    def installed(self, team: str, *, enterprise_id: str | None, team_id: str | None, installed_by: str | None) -> None:
        """Installed now (again, after an uninstall: the same records)."""
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO workspaces (team, enterprise_id, team_id, installed_by, installed_at, uninstalled_at) "
                "VALUES (%s, %s, %s, %s, now(), NULL) ON CONFLICT (team) DO UPDATE SET "
                "enterprise_id = excluded.enterprise_id, team_id = excluded.team_id, "
                "installed_by = excluded.installed_by, installed_at = now(), uninstalled_at = NULL",
                (team, enterprise_id, team_id, installed_by),
            )

    def uninstalled(self, team: str) -> None:
        """Uninstalled (or its bot token revoked) now; its records stay until they are purged."""
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO workspaces (team, uninstalled_at) VALUES (%s, now()) ON CONFLICT (team) "
                "DO UPDATE SET uninstalled_at = coalesce(workspaces.uninstalled_at, now())",
                (team,),
            )

    def get(self, team: str) -> Workspace | None:
        with self._pool.connection() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM workspaces WHERE team = %s", (team,)).fetchone()
        return Workspace(*row) if row else None

    def active(self) -> tuple[Workspace, ...]:
        """Every workspace installed now, in the order of their keys."""
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM workspaces WHERE uninstalled_at IS NULL ORDER BY team"
            ).fetchall()
        return tuple(Workspace(*row) for row in rows)

    def with_calendar_token(self, token: str) -> str | None:
        """The installed workspace with a body whose calendar feed `token` is: a feed's request names no
        workspace, and the token is the whole secret (a body's own look-up, bodies.with_calendar_token, follows
        in that workspace)."""
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT d.team FROM documents d JOIN workspaces w ON w.team = d.team AND w.uninstalled_at IS NULL "
                "WHERE d.tbl = 'bodies' AND d.doc ->> 'calendar_token' = %s LIMIT 1",
                (token,),
            ).fetchone()
        return str(row[0]) if row else None
