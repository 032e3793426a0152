"""What is on disk for a store: the snapshot and its journal, as one fingerprint for "nothing changed"."""

from __future__ import annotations

from pathlib import Path

from storage import BodyRecords, Store


def db_bytes(store: Store | BodyRecords | Path) -> bytes:
    base = store if isinstance(store, Path) else store.path
    parts = []
    for path in (base, base.with_name(base.name + ".journal")):
        parts.append(path.read_bytes() if path.exists() else b"")
    return b"\0".join(parts)
