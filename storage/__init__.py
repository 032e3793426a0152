"""Persistence: the only package that knows a database. Above it, the store is `storage.protocol.StoreP`,
opened with `open_store`; the repositories (storage.bodies, …) are written once over storage.documents,
and each engine gives those documents: storage.tinydb_engine (one file, the default) and storage.postgres."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from storage.errors import DatabaseBusy, DatabaseUnreadable
from storage.store import BodyRecords, DocumentStore, State, store_state
from storage.tinydb_engine.store import TinyStore

__all__ = [
    "BodyRecords",
    "DatabaseBusy",
    "DatabaseUnreadable",
    "DocumentStore",
    "State",
    "StoreSettings",
    "TinyStore",
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
        from storage.postgres.store import PgStore  # psycopg only where PostgreSQL is chosen: motebot[postgresql]

        return PgStore(settings.database_url, settings.motebot_workspace)
    return TinyStore(settings.motebot_db)
