"""What a store holds durably, as one fingerprint for "nothing changed"."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import psycopg

from storage import TinyStore, store_state
from storage.postgres.store import PgStore
from storage.protocol import BodyRecordsP, StoreP
from storage.store import whole_store
from storage.tinydb_engine.store import file_state


def db_bytes(store: StoreP | BodyRecordsP | Path) -> object:
    """Every table as a restart would read it (storage.store_state): engine-neutral, so equal before and
    after means no record changed. On PostgreSQL with the workspace's committed version too, which moves
    with every writing commit: a rewrite of an identical record is seen there."""
    if isinstance(store, Path):
        return file_state(store)
    whole = whole_store(store)
    if isinstance(whole, PgStore):
        return store_state(whole), whole.version
    return store_state(store)


def file_bytes(path: Path) -> bytes:
    """A TinyDB database's snapshot and journal as they are on disk: for the engine's own tests, where even a
    rewrite of an identical record counts (opening an upgraded database again must write nothing)."""
    parts = []
    for part in (path, path.with_name(path.name + ".journal")):
        parts.append(part.read_bytes() if part.exists() else b"")
    return b"\0".join(parts)


def lost_on_restart(store: StoreP) -> list[str]:
    """The tables whose state in memory a restart would not read back (TinyDB's journal must hold every
    commit); PostgreSQL keeps nothing in memory: none."""
    return store.unjournaled_tables() if isinstance(store, TinyStore) else []


@contextmanager
def writes_fail(store: StoreP | BodyRecordsP) -> Iterator[None]:
    """Every write of this store fails while inside, as the engine fails: TinyDB's disk full, and on
    PostgreSQL an error raised by the server for this workspace's rows (a trigger; other tests' workspaces
    in the same database write on)."""
    whole = whole_store(store)
    if isinstance(whole, TinyStore):
        with disk_full(whole.path):
            yield
        return
    assert isinstance(whole, PgStore)
    with psycopg.connect(whole.url, autocommit=True) as conn:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(7007)")  # one worker at a time makes the trigger
            conn.execute("CREATE TABLE IF NOT EXISTS test_failing_teams (team text PRIMARY KEY)")
            conn.execute(_FAILING_TRIGGER)
            conn.execute("CREATE OR REPLACE TRIGGER test_failing BEFORE INSERT OR UPDATE OR DELETE ON documents "
                         "FOR EACH ROW EXECUTE FUNCTION test_failing()")  # fmt: skip
        conn.execute("INSERT INTO test_failing_teams VALUES (%s)", (whole.team,))
        try:
            yield
        finally:
            conn.execute("DELETE FROM test_failing_teams WHERE team = %s", (whole.team,))


_FAILING_TRIGGER = """
CREATE OR REPLACE FUNCTION test_failing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM test_failing_teams WHERE team = COALESCE(NEW.team, OLD.team)) THEN
        RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$"""


@contextmanager
def disk_full(path: Path) -> Iterator[None]:
    """The database's folder as on a full disk: every file the process appends to there (the journal) is
    pointed at /dev/full, so each write fails with ENOSPC, as the kernel answers when the disk is full."""
    folder = path.parent.resolve()
    held = []
    for name in os.listdir("/proc/self/fd"):
        try:
            target = Path(os.readlink(f"/proc/self/fd/{name}"))
            flags = int(Path(f"/proc/self/fdinfo/{name}").read_text().split("flags:")[1].split()[0], 8)
        except (OSError, IndexError, ValueError):
            continue
        if target.parent == folder and flags & os.O_APPEND:
            held.append(int(name))
    assert held, "the store holds no file open for appending"
    full = os.open("/dev/full", os.O_WRONLY)
    saved = {fd: os.dup(fd) for fd in held}
    try:
        for fd in held:
            os.dup2(full, fd)
        yield
    finally:
        for fd, original in saved.items():
            os.dup2(original, fd)
            os.close(original)
        os.close(full)


def begun_then_crashed(store: StoreP | BodyRecordsP, key: str, at: datetime) -> None:
    """A post claimed by a process that then died: its claim stays, held by no live process (what a restart,
    or another process, finds)."""
    store.posts.claim(key, at)
    store.posts.release(key)  # as the dead process's: no one holds it now
