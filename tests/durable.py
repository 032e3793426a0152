"""What a store holds durably, as one fingerprint for "nothing changed"."""

from __future__ import annotations

from pathlib import Path

from storage import State, store_state
from storage.protocol import BodyRecordsP, StoreP
from storage.store import file_state


def db_bytes(store: StoreP | BodyRecordsP | Path) -> State:
    """Every table as a restart would read it (storage.store_state): engine-neutral, so equal before and
    after means no record changed. A rewrite of an identical record is not seen (the file's bytes were)."""
    return file_state(store) if isinstance(store, Path) else store_state(store)
