"""The store: atomic commits, one lock for all threads, one process per file, never re-parsing per read."""

from __future__ import annotations

import contextlib
import json
import random
import signal
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tinydb import Query
from tinydb.table import Table

from bot.core.domain import Case, Choice, Meeting, Role, Serial, Vote, VoteEvent, WorkStream, next_meeting
from bot.core.notices.reader import read_notice
from storage import DatabaseBusy, DatabaseUnreadable, TinyStore, store_state
from storage.tinydb_engine.atomic_json import load_state
from storage.tinydb_engine.database import Database
from tests.durable import db_bytes
from tests.processes import python
from tests.support import OSLO, SEED


def _meeting(seq: int, year: int = 2020) -> Meeting:
    cases = tuple(Case(Serial(year, seq * 10 + n), f"Sak nummer {n}") for n in range(3))
    return Meeting(Serial(year, seq), f"Møte {seq}", date(year, 1, 1), cases=cases)


def test_round_trip_and_upsert(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "db.json").body(1)
    seed = read_notice(SEED).meeting
    store.meetings.save([seed])
    assert store.meetings.get(Serial(2020, 4)) == seed
    store.meetings.save([replace(seed, title="Nytt navn")])
    store.close()
    reopened = TinyStore(tmp_path / "db.json").body(1)
    assert [m.title for m in reopened.meetings.all()] == ["Nytt navn"]
    assert reopened.meetings.get(Serial(2020, 9)) is None
    reopened.close()


def test_a_failed_transaction_changes_nothing_in_memory_or_on_disk(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "db.json").body(1)
    store.meetings.save([_meeting(1)])
    before = db_bytes(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.meetings.save([_meeting(2)])
        raise RuntimeError("midt i")
    assert [m.number for m in store.meetings.all()] == [Serial(2020, 1)]
    assert db_bytes(store) == before
    store.close()


_DAY0 = date(2026, 3, 1)
_planned = st.lists(
    st.tuples(st.integers(0, 20), st.sampled_from([None, clock(9), clock(23)]), st.booleans()), max_size=12
)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(planned=_planned, day=st.integers(-2, 23), hour=st.integers(0, 23))
@example(planned=[(0, None, False), (5, None, False)], day=6, hour=10)  # the day after the last: the latest
def test_the_indexed_next_meeting_agrees_with_looking_at_every_meeting(
    tmp_path_factory: pytest.TempPathFactory, planned: list[tuple[int, clock | None, bool]], day: int, hour: int
) -> None:
    meetings = [
        Meeting(Serial(2026, n + 1), f"Møte {n + 1}", _DAY0 + timedelta(days=offset), start=start,
                cancelled_at=datetime(2026, 1, 1, tzinfo=UTC) if cancelled else None)
        for n, (offset, start, cancelled) in enumerate(planned)
    ]  # fmt: skip
    now = datetime.combine(_DAY0 + timedelta(days=day), clock(hour), tzinfo=OSLO)
    store = TinyStore(tmp_path_factory.mktemp("next") / "db.json").body(1)
    try:
        store.meetings.save(meetings)
        assert store.meetings.next(now) == next_meeting(meetings, now)
    finally:
        store.close()


def test_reads_come_from_memory_not_the_file(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "db.json").body(1)
    store.meetings.save([_meeting(1)])
    store.store.path.write_text("ødelagt", encoding="utf-8")  # a read that re-parsed the file would fail now
    assert store.meetings.get(Serial(2020, 1)) is not None
    store.close()


def test_corrupt_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    for content in ('{"meetings": {"1": ', "[1, 2]", '{"meetings": 3}'):
        path.write_text(content, encoding="utf-8")
        with pytest.raises(DatabaseUnreadable):
            TinyStore(path).body(1)
        assert path.read_text(encoding="utf-8") == content


def test_second_process_is_refused(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "db.json").body(1)
    with pytest.raises(DatabaseBusy, match="i bruk"):
        TinyStore(tmp_path / "db.json").body(1)
    store.close()
    TinyStore(tmp_path / "db.json").body(1).close()


def test_many_threads_lose_nothing(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "db.json").body(1)
    barrier = threading.Barrier(8)

    def writer(worker: int) -> None:
        barrier.wait()
        for n in range(25):
            store.meetings.save([_meeting(worker * 100 + n + 1)])
            store.meetings.all()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.meetings.all()) == 200
    assert len(load_state(store.store.path)["meetings"]) == 200
    store.close()


WRITER = """
import sys
from datetime import date
from bot.core.domain import Meeting, Serial
from storage import TinyStore
store = TinyStore(sys.argv[1]).body(1)
n = len(store.meetings.all())
while True:
    n += 1
    store.meetings.save([Meeting(Serial(2020, n), "x" * 2000, date(2020, 1, 1))])
    print(n, flush=True)
"""


def test_kill_9_never_breaks_the_file_or_loses_an_acknowledged_write(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    rng = random.Random(4)
    acknowledged = 0
    for _ in range(12):
        with python(WRITER, str(path), cwd=Path(__file__).parents[1]) as writer:
            acknowledged = int(writer.first_line())  # started writing
            time.sleep(rng.uniform(0.0, 0.15))
            writer.send_signal(signal.SIGKILL)
            writer.wait()
            rest = writer.lines()
        acknowledged = int(rest[-1]) if rest else acknowledged
        store = TinyStore(path).body(1)
        assert len(store.meetings.all()) >= acknowledged
        store.close()


def test_the_journal_replays_drops_a_torn_last_line_and_refuses_a_broken_middle(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = TinyStore(path).body(1)
    store.meetings.save([_meeting(1)])
    store.meetings.save([_meeting(2)])
    store.close()
    journal = path.with_name("db.json.journal")
    assert not path.exists() and len(journal.read_bytes().splitlines()) == 2  # no snapshot needed yet
    with journal.open("ab") as file:
        file.write(b'{"c":[["meetings","2020003",{"number":"3/20"')  # a crash before the fsync
    store = TinyStore(path).body(1)
    assert [m.number.seq for m in store.meetings.all()] == [1, 2]
    store.close()
    lines = journal.read_bytes().splitlines()
    journal.write_bytes(b"\n".join([lines[0], b"{garbage", lines[1]]) + b"\n")
    with pytest.raises(DatabaseUnreadable, match="linje 2"):
        TinyStore(path).body(1)


def test_a_large_journal_becomes_a_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.tinydb_engine.atomic_json import AtomicJSONStorage

    monkeypatch.setattr(AtomicJSONStorage, "SNAPSHOT_AFTER", 2_000)
    store = TinyStore(tmp_path / "db.json").body(1)
    for n in range(1, 30):
        store.meetings.save([_meeting(n)])
    journal = tmp_path / "db.json.journal"
    assert (tmp_path / "db.json").exists() and journal.stat().st_size <= 2_000 + 1_000
    store.close()
    reopened = TinyStore(tmp_path / "db.json").body(1)
    assert len(reopened.meetings.all()) == 29 and reopened.store.unjournaled_tables() == []
    reopened.close()


def test_after_a_torn_line_new_commits_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = TinyStore(path).body(1)
    store.meetings.save([_meeting(1)])
    store.close()
    with path.with_name("db.json.journal").open("ab") as file:
        file.write(b'{"c":[["meetings","2020002",{"numb')  # a crash mid-line
    for seq in (2, 3):  # two restarts, each with an acknowledged commit after the torn line
        store = TinyStore(path).body(1)
        store.meetings.save([_meeting(seq)])
        store.close()
    store = TinyStore(path).body(1)
    assert [m.number.seq for m in store.meetings.all()] == [1, 2, 3]
    store.close()


def test_a_rollback_does_not_disturb_another_threads_commit(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "db.json").body(1)
    errors: list[BaseException] = []

    def commit_many() -> None:
        try:
            for n in range(1, 200):
                store.meetings.save([_meeting(n)])
        except BaseException as error:  # pragma: no cover - the failure this test is about
            errors.append(error)

    def fail_many() -> None:
        for _ in range(200):
            with contextlib.suppress(RuntimeError), store.transaction():
                store.roster.set_roles("U0X", [Role.MEDLEM])
                raise RuntimeError("avbrutt")

    threads = [threading.Thread(target=commit_many), threading.Thread(target=fail_many)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.meetings.all()) == 199 and store.roster.get().roles_of("U0X") == frozenset()
    assert store.store.unjournaled_tables() == []
    store.close()


_operations = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.integers(0, 9)),
        st.tuples(st.just("update"), st.integers(1, 12)),
        st.tuples(st.just("upsert"), st.integers(1, 12)),
        st.tuples(st.just("remove"), st.integers(1, 12)),
        st.tuples(st.just("remove_where"), st.integers(0, 9)),
        st.tuples(st.just("truncate"), st.just(0)),
    ),
    max_size=30,
)


def _write(table: Table, operation: str, n: int) -> object:
    try:
        if operation == "insert":
            return table.insert({"n": n})
        if operation == "update":
            return table.update(lambda doc: doc.update(n=doc["n"] + 1), doc_ids=[n])
        if operation == "upsert":
            return table.upsert(table.document_class({"n": n}, doc_id=n))
        if operation == "remove":
            return table.remove(doc_ids=[n])
        if operation == "remove_where":
            return table.remove(Query().n == n)
        return table.truncate()
    except (KeyError, ValueError) as error:
        return type(error).__name__


@settings(deadline=None)
@given(operations=_operations)
def test_tables_written_in_place_behave_as_tinydbs_own(operations: list[tuple[str, int]]) -> None:
    from tinydb import TinyDB
    from tinydb.storages import MemoryStorage

    from storage.tinydb_engine.tables import InPlaceTinyDB

    tables = [TinyDB(storage=MemoryStorage).table("t"), InPlaceTinyDB(storage=MemoryStorage).table("t")]
    for operation, n in operations:
        outcomes = [_write(table, operation, n) for table in tables]
        assert outcomes[0] == outcomes[1], operation
        assert [(d.doc_id, dict(d)) for d in tables[0].all()] == [(d.doc_id, dict(d)) for d in tables[1].all()]


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=_operations, batches=st.integers(1, 4))
def test_every_write_is_journaled_without_the_store_saying_what_it_wrote(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[str, int]], batches: int
) -> None:
    with Database(tmp_path_factory.mktemp("journal") / "db.json") as db:
        for start in range(0, len(operations), batches):
            with db.transaction():
                for operation, n in operations[start : start + batches]:
                    _write(db.table("t"), operation, n)
        assert db.unjournaled_tables() == []


def test_a_commit_journals_only_the_documents_it_wrote(tmp_path: Path) -> None:
    with TinyStore(tmp_path / "db.json").body(1) as store:
        store.meetings.save([_meeting(n) for n in range(1, 21)])
        store.meetings.save([_meeting(21)])
    last = json.loads((tmp_path / "db.json.journal").read_bytes().splitlines()[-1])
    assert sorted((table, doc_id) for table, doc_id, _ in last["c"]) == [
        ("counters", "12020"),
        ("meetings", "12020021"),
    ]


def test_emptying_a_large_table_in_place_is_one_step() -> None:
    from tinydb.storages import MemoryStorage

    from storage.tinydb_engine.tables import InPlaceTinyDB

    table = InPlaceTinyDB(storage=MemoryStorage).table("t")
    table.insert_multiple({"n": n} for n in range(20_000))
    table.truncate()  # one key at a time, each from a fresh copy of the keys, this took over a second
    assert len(table) == 0 and table.insert({"n": 0}) == 1


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=_operations, batches=st.integers(1, 4), undone=st.sets(st.integers(0, 20)))
@example(operations=[("upsert", 4), ("upsert", 3)], batches=1, undone=set())  # stored out of order, listed in
def test_the_ids_of_a_range_follow_every_write_and_rollback(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[str, int]], batches: int, undone: set[int]
) -> None:
    """What one body's reads go by instead of looking at every document (Database.ids_within)."""
    within = range(3, 9)
    with Database(tmp_path_factory.mktemp("ids") / "db.json") as db:

        def agrees() -> None:
            with db.lock:
                assert db.ids_within("t", within) == sorted(d.doc_id for d in db.table("t").all() if d.doc_id in within)

        agrees()
        for batch, start in enumerate(range(0, len(operations), batches)):
            with contextlib.suppress(RuntimeError), db.transaction():
                for operation, n in operations[start : start + batches]:
                    _write(db.table("t"), operation, n)
                    agrees()
                if batch in undone:
                    raise RuntimeError("rolled back")
            agrees()
        db.table("t").insert_multiple({"n": n} for n in range(200))  # many at once: listed again when asked
        agrees()


def test_one_bodys_writes_leave_the_others_be_and_its_reads_look_at_no_other_bodys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading a body's meetings costs the same with 1 body or 100: its by-date index is kept while other
    bodies write, and built again from its own documents alone when one of them changes."""
    store = TinyStore(tmp_path / "db.json")
    for body in (1, 2, 3):
        store.body(body).meetings.save([_meeting(n) for n in range(1, 30)])
        store.body(body).work_streams.save(WorkStream(1, "Arkitektur"))
    first, second = store.body(1), store.body(2)
    kept, streams = second.meetings.all(), second.work_streams.all()
    first.meetings.save([replace(_meeting(1), title="Endret i organ 1")])
    first.work_streams.save(WorkStream(1, "Endret i organ 1"))
    assert second.meetings.all() is kept and second.work_streams.all() is streams  # not built again

    def scanned(*args: object, **kwargs: object) -> None:
        raise AssertionError("looked at every document of the table")

    for method in ("__iter__", "all", "search", "count", "contains"):
        monkeypatch.setattr(Table, method, scanned)
    second.meetings.save([replace(_meeting(2), title="Endret i organ 2")])
    second.work_streams.save(WorkStream(2, "Drift"))
    assert [m.title for m in second.meetings.all()][:3] == ["Møte 1", "Endret i organ 2", "Møte 3"]
    assert second.meetings.next(datetime(2019, 12, 1, tzinfo=OSLO))[0] == kept[0]
    assert second.meetings.with_case(Serial(2020, 21)) == replace(_meeting(2), title="Endret i organ 2")
    assert [s.title for s in second.work_streams.all()] == ["Arkitektur", "Drift"]
    monkeypatch.undo()
    assert first.meetings.all()[0].title == "Endret i organ 1"
    store.close()


def test_a_write_changes_the_stored_table_where_it_lies(tmp_path: Path) -> None:
    """No copy of the table per write: appending a ballot costs the same at any size of the record."""
    whole = TinyStore(tmp_path / "db.json")
    store = whole.body(1)
    store.meetings.save([_meeting(1)])
    stored = whole._database.storage.read()["meetings"]
    store.meetings.save([_meeting(2)])
    assert whole._database.storage.read()["meetings"] is stored and len(stored) == 2
    store.close()


def test_a_vote_record_kept_inside_the_vote_moves_to_its_own_table_once(tmp_path: Path) -> None:
    """Databases from before the record had a table of its own: nothing of it is lost on upgrade."""
    path = tmp_path / "db.json"
    store = TinyStore(path).body(1)
    opened = datetime(2020, 6, 24, 9, tzinfo=OSLO)
    vote = Vote(
        id=0, meeting=Serial(2020, 4), case=Serial(2020, 17), proposal="Godkjent.", agenda_version=1,
        electorate=frozenset({"U1", "U2"}), opened_by="U0", opened_at=opened, closes_at=opened + timedelta(days=7),
        ballots={"U1": Choice.FOR},
    )  # fmt: skip
    vote = store.votes.create(vote, VoteEvent(opened, "U0", "åpnet"))
    store.close()
    state = load_state(path)  # rewrite it as the older layout wrote it
    state["votes"][str(vote.id)]["events"] = [
        {"at": opened.isoformat(), "actor": "U0", "action": "åpnet"},
        {"at": (opened + timedelta(hours=1)).isoformat(), "actor": "U1", "action": "for"},
    ]
    del state["vote_events"]
    path.with_name("db.json.journal").unlink()
    path.write_text(json.dumps(state), encoding="utf-8")

    for _ in range(2):  # the second opening finds nothing left to move
        store = TinyStore(path).body(1)
        assert [(e.actor, e.action) for e in store.votes.events(vote.id)] == [("U0", "åpnet"), ("U1", "for")]
        assert store.votes.get(vote.id) == vote
        assert "events" not in load_state(path)["votes"][str(vote.id)]
        assert store.store.unjournaled_tables() == []
        store.close()


def test_store_state_is_every_table_as_a_restart_reads_it(tmp_path: Path) -> None:
    """The engine-neutral dump tests compare (tests/durable.py): numbered ids in order, a rollback not in it."""
    store = TinyStore(tmp_path / "db.json")
    records = store.body(1)
    records.meetings.save([_meeting(2), _meeting(1)])
    state = store_state(records)
    assert list(state["meetings"]) == sorted(state["meetings"]) and all(isinstance(i, int) for i in state["meetings"])
    assert state["meetings"][next(iter(state["meetings"]))]["title"] == "Møte 1"
    with contextlib.suppress(RuntimeError), store.transaction():
        records.meetings.save([_meeting(3)])
        raise RuntimeError("undone")
    assert store_state(store) == state
    store.close()
    with TinyStore(tmp_path / "db.json") as again:
        assert store_state(again) == state  # what the next process reads
