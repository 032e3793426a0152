"""Start-up refuses a database it cannot trust, in one line naming the file and the record; one process
per database, however its files are tampered with."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.domain import AgendaChange, Choice, Deadline, Role, Serial, Vote, VoteEvent, WorkStream
from bot.core.notices.reader import read_notice
from bot.testing.slack_standin import SlackStandIn
from storage import DatabaseBusy, DatabaseUnreadable, TinyStore
from storage.tinydb_engine.atomic_json import load_state
from tests.durable import db_bytes
from tests.processes import motebot, serving
from tests.support import OSLO, SEED

State = dict[str, dict[str, Any]]
OPENED = datetime(2020, 6, 24, 9, tzinfo=OSLO)


def _whole_database(path: Path) -> State:
    """A database with a record in every table, written as one snapshot (no journal) to edit by hand."""
    store = TinyStore(path).body(1)
    store.meetings.save([read_notice(SEED).meeting])
    vote = Vote(
        id=0, meeting=Serial(2020, 4), case=Serial(2020, 17), proposal="Godkjent.", agenda_version=1,
        electorate=frozenset({"U1", "U2"}), opened_by="U0", opened_at=OPENED, closes_at=OPENED + timedelta(days=7),
        ballots={"U1": Choice.FOR},
    )  # fmt: skip
    store.votes.create(vote, VoteEvent(OPENED, "U0", "åpnet"))
    store.deadlines.add(Deadline(0, "Notat til HOD", OPENED.date(), users=("U1",)))
    store.work_streams.save(WorkStream(1, "Arkitektur"))
    store.posts.mark_sent("deadline:1:x:1d", OPENED)
    store.roster.set_roles("U1", [Role.MEDLEM])
    store.meetings.add_change(AgendaChange(Serial(2020, 4), 2, OPENED, "U0", "La til sak 18/20"))
    store.close()
    state = load_state(path)
    state["home_viewers"] = {"1": {"user": "U1"}}  # no longer written, still in older databases
    path.with_name(path.name + ".journal").unlink()
    path.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    return state


def _set(table: str, doc_id: str, key: str | None, value: object) -> Callable[[State], tuple[str, str]]:
    def change(state: State) -> tuple[str, str]:
        if key is None:
            state[table][doc_id] = value
        else:
            state[table][doc_id][key] = value
        return table, doc_id

    return change


def _first(table: str, key: str | None, value: object) -> Callable[[State], tuple[str, str]]:
    """The table's first record changed: its id is whatever the store gave it."""

    def change(state: State) -> tuple[str, str]:
        return _set(table, next(iter(state[table])), key, value)(state)

    return change


def _renamed_id(state: State) -> tuple[str, str]:
    state["meetings"]["fire"] = state["meetings"].pop("12020004")
    return "meetings", "fire"


BROKEN = {
    "a string where a meeting should be": _set("meetings", "12020004", None, "Møte 4/20"),
    "a date that is not one": _set("meetings", "12020004", "day", "i morgen"),
    "a title that is a number": _set("meetings", "12020004", "title", 5),
    "cases that are a string": _set("meetings", "12020004", "cases", "17/20"),
    "a case without a title": lambda s: (s["meetings"]["12020004"]["cases"][0].pop("title"), ("meetings", "12020004"))[
        1
    ],
    "a document id that is not a number": _renamed_id,
    "a vote opened at a time without a zone": _first("votes", "opened_at", "2020-06-24T09:00"),
    "an electorate that is a string": _first("votes", "electorate", "U1"),
    "a vote in no known state": _first("votes", "state", "kanskje"),
    "a ballot for no known choice": _first("votes", "ballots", {"U1": "ja takk"}),
    "a flag that is a word": _first("votes", "approval", "nei"),
    "a record line without an actor": _first("vote_events", "actor", None),
    "responsible users as a string": _first("deadlines", "users", "U1"),
    "a status update list that is an object": _first("status", "updates", {"at": "i dag"}),
    "a sent post at no time": _first("sent", "at", "i går"),
    "a post in no known state": _first("sent", "state", "kanskje"),
    "a role that does not exist": _first("roster", "roles", ["sjef"]),
    "a home viewer who is a number": _first("home_viewers", "user", 5),
    "a counter that is text": _first("counters", "case", "17"),
    "a history entry without its version": _first("agenda_history", "version", "to"),
}


def test_a_whole_database_opens_and_every_record_decodes(tmp_path: Path) -> None:
    _whole_database(tmp_path / "db.json")
    store = TinyStore(tmp_path / "db.json").body(1)
    assert (
        store.meetings.get(Serial(2020, 4)) and store.votes.all() and store.deadlines.all() and store.posts.sent_keys()
    )
    assert store.meetings.history(Serial(2020, 4)) and store.work_streams.all()
    store.close()


@pytest.mark.parametrize("break_it", BROKEN.values(), ids=BROKEN.keys())
def test_a_record_that_is_not_moetebots_is_refused_at_start_naming_file_table_and_id(
    tmp_path: Path, break_it: Callable[[State], tuple[str, str]]
) -> None:
    path = tmp_path / "db.json"
    state = _whole_database(path)
    table, doc_id = break_it(state)
    path.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    before = db_bytes(path)
    with pytest.raises(DatabaseUnreadable) as refused:
        TinyStore(path).body(1)
    message = str(refused.value)
    assert str(path) in message and f"«{table}»" in message and doc_id in message and "\n" not in message
    assert db_bytes(path) == before
    TinyStore(tmp_path / "other.json").body(1).close()  # the refused store let its lock go


@pytest.mark.parametrize(
    "line",
    [b'{"c":5}', b'{"c":[["meetings","12020004"]]}', b'{"c":[[1,"12020004",{}]]}', b'{"x":1}', b"[1,2]",
     b'{"c":[["meetings","12020004",7]]}'],
)  # fmt: skip
def test_a_journal_line_of_the_wrong_shape_is_refused_naming_the_line(tmp_path: Path, line: bytes) -> None:
    path = tmp_path / "db.json"
    _whole_database(path)
    journal = path.with_name("db.json.journal")
    for lines in ([line], [line, b'{"c":[]}']):  # last or in the middle: a whole line is no torn tail
        journal.write_bytes(b"\n".join(lines) + b"\n")
        with pytest.raises(DatabaseUnreadable, match="linje 1") as refused:
            TinyStore(path).body(1)
        assert str(journal) in str(refused.value)
        assert journal.read_bytes() == b"\n".join(lines) + b"\n"


def test_a_bad_record_from_the_journal_names_the_journal_and_its_line(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    _whole_database(path)
    journal = path.with_name("db.json.journal")
    journal.write_bytes(b'{"c":[]}\n{"c":[["meetings","12020004",{"number":"4/20"}]]}\n')
    with pytest.raises(DatabaseUnreadable) as refused:
        TinyStore(path).body(1)
    assert f"{journal} linje 2" in str(refused.value) and "«meetings»" in str(refused.value)


def test_the_command_prints_one_line_and_exits_non_zero_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "motebot.json"
    state = _whole_database(path)
    state["meetings"]["12020004"] = "Møte 4/20"
    path.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    done = motebot("ical", "--out", "-", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("motebot: ") and "motebot.json" in line and "«meetings»" in line and "12020004" in line
    path.unlink()
    _whole_database(path)
    path.with_name("motebot.json.journal").write_bytes(b'{"c":5}\n')
    done = motebot("ical", "--out", "-", cwd=tmp_path)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "linje 1" in done.stderr


def test_a_second_process_is_refused_even_after_the_lock_file_is_deleted(tmp_path: Path) -> None:
    """Two real processes: `motebot serve` holds the database; `motebot import` must not write it,
    whatever files beside the database someone deletes, nor through a copy of the folder's name."""
    db = tmp_path / "motebot.json"
    assert motebot("import", str(SEED), cwd=tmp_path).returncode == 0
    with SlackStandIn("xoxb-e2e") as api, serving(tmp_path, api, "e2e-secret"):
        before = db_bytes(db)
        for tamper in (lambda: None, lambda: db.with_name("motebot.json.lock").unlink(missing_ok=True)):
            tamper()
            done = motebot("import", str(SEED), cwd=tmp_path)
            assert done.returncode == 2, done.stdout
            [line] = done.stderr.strip().splitlines()
            assert "motebot.json" in line and "i bruk" in line
            assert db_bytes(db) == before
    assert motebot("import", str(SEED), cwd=tmp_path).returncode == 0  # the lock went with the process


def test_a_renamed_folder_takes_its_lock_along(tmp_path: Path) -> None:
    """The lock belongs to the files, not to a name: move the folder away and the holder keeps it."""
    folder = tmp_path / "data"
    store = TinyStore(folder / "motebot.json").body(1)
    moved = shutil.move(folder, tmp_path / "flyttet")
    with pytest.raises(DatabaseBusy):
        TinyStore(Path(moved) / "motebot.json").body(1)
    TinyStore(folder / "motebot.json").body(1).close()  # a new folder of the old name is another database
    store.close()
