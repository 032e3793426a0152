"""Persistence: the only package that knows a database. Above it, the store is `storage.protocol.StoreP`,
opened with `open_store`; the repositories (storage.bodies, …) are written once over storage.documents,
and each engine gives those documents: storage.tinydb_engine (one file, the default) and storage.postgres."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from storage.errors import DatabaseBusy, DatabaseUnavailable, DatabaseUnreadable, WorkspaceInstalled
from storage.store import BodyRecords, DocumentStore, State, store_state
from storage.tinydb_engine.store import TinyStore

if TYPE_CHECKING:
    from storage.postgres.store import PgStore

__all__ = [
    "BodyRecords",
    "DatabaseBusy",
    "DatabaseUnavailable",
    "DatabaseUnreadable",
    "DocumentStore",
    "State",
    "StoreSettings",
    "TinyStore",
    "WorkspaceInstalled",
    "open_postgres",
    "open_store",
    "store_state",
]


class StoreSettings(Protocol):
    """What `open_store` reads of the settings (bot.run.settings.Settings has it)."""

    @property
    def motebot_db(self) -> Path: ...
    @property
    def database_url(self) -> str | None: ...
    @property
    def motebot_workspace(self) -> str: ...


def open_store(settings: StoreSettings) -> DocumentStore:
    """The store the settings name, for the app, the CLI and the console: PostgreSQL's with a database URL
    (that workspace's records), else TinyDB's file `motebot_db`. Close it when done. Raises DatabaseBusy
    (another process has TinyDB's file) and DatabaseUnreadable."""
    if settings.database_url:
        return open_postgres(settings.database_url, settings.motebot_workspace)
    return TinyStore(settings.motebot_db)


def open_postgres(url: str, team: str) -> PgStore:
    """One workspace's store in PostgreSQL; DatabaseUnavailable if the extra is not installed or the server
    does not answer (psycopg is imported only where PostgreSQL is chosen)."""
    try:
        import psycopg

        from storage.postgres.schema import unavailable
        from storage.postgres.store import PgStore
    except ImportError:
        raise DatabaseUnavailable("PostgreSQL-støtten er ikke installert: pip install 'motebot[postgresql]'") from None
    try:
        return PgStore(url, team)
    except (psycopg.Error, OSError) as error:
        raise unavailable(error) from None
