"""What is on disk for a store: the snapshot and its journal, as one fingerprint for "nothing changed"."""

from __future__ import annotations

from pathlib import Path

from storage import Store


def db_bytes(store: Store | Path) -> bytes:
    base = store.path if isinstance(store, Store) else store
    parts = []
    for path in (base, base.with_name(base.name + ".journal")):
        parts.append(path.read_bytes() if path.exists() else b"")
    return b"\0".join(parts)
