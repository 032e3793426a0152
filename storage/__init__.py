"""Persistence: the only package that knows TinyDB. Above it, the store is `storage.protocol.StoreP`,
opened with `open_store`."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from storage.atomic_json import DatabaseUnreadable
from storage.process_lock import DatabaseBusy
from storage.protocol import StoreP
from storage.store import BodyRecords, State, Store, store_state

__all__ = [
    "BodyRecords",
    "DatabaseBusy",
    "DatabaseUnreadable",
    "State",
    "Store",
    "StoreSettings",
    "open_store",
    "store_state",
]


class StoreSettings(Protocol):
    """What `open_store` reads of the settings (bot.run.settings.Settings has it)."""

    @property
    def motebot_db(self) -> Path: ...


def open_store(settings: StoreSettings) -> StoreP:
    """The store the settings name, for the app, the CLI and the console: today always TinyDB's file
    `motebot_db`. Close it when done. Raises DatabaseBusy (another process has it) and DatabaseUnreadable."""
    return Store(settings.motebot_db)
