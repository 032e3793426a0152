"""What a store holds durably, as one fingerprint for "nothing changed"."""

from __future__ import annotations

from pathlib import Path

from storage import BodyRecords, State, TinyStore, store_state
from storage.protocol import BodyRecordsP, StoreP
from storage.tinydb_engine.store import file_state


def db_bytes(store: StoreP | BodyRecordsP | Path) -> State:
    """Every table as a restart would read it (storage.store_state): engine-neutral, so equal before and
    after means no record changed. A rewrite of an identical record is not seen (the file's bytes were)."""
    return file_state(store) if isinstance(store, Path) else store_state(store)


def file_bytes(path: Path) -> bytes:
    """A TinyDB database's snapshot and journal as they are on disk: for the engine's own tests, where even a
    rewrite of an identical record counts (opening an upgraded database again must write nothing)."""
    parts = []
    for part in (path, path.with_name(path.name + ".journal")):
        parts.append(part.read_bytes() if part.exists() else b"")
    return b"\0".join(parts)


def tinydb_file(store: StoreP | BodyRecordsP) -> Path:
    """The file of a store on TinyDB: for the engine's own tests."""
    whole = store.store if isinstance(store, BodyRecords) else store
    assert isinstance(whole, TinyStore), f"not on TinyDB: {type(whole).__name__}"
    return whole.path
