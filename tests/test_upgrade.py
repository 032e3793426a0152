"""A database written before there were bodies becomes body 1, whole, and nothing it sent is sent again.

The fixture was written by the code before bodies (commit 511c25c), through its own paths: see
tests/fixtures/make_db_before_bodies.py, and db_before_bodies.txt for what happened in it and when.
What the upgrade must make of it is written out here table by table (`_upgraded`), not taken from the
migration, and compared with what is on disk.
"""

from __future__ import annotations

import contextlib
import copy
import json
import shutil
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.core.clock import ManualClock
from bot.core.domain import Choice, DeadlineState, Role, Serial, VoteState
from bot.core.planner import Due, next_wake
from bot.run.app import Motebot, build_bot
from bot.run.settings import Settings
from bot.testing.slack_standin import SlackStandIn
from bot.usecases.schedule import plan_all
from bot.usecases.services import Installation
from storage import TinyStore
from storage.tinydb_engine.atomic_json import load_state
from tests.durable import file_bytes
from tests.processes import python
from tests.support import FIXTURES, LEDER, MEDLEM, OSLO, SEKRETARIAT, SIGNING_SECRET, InProcess, stop_bot

State = dict[str, dict[str, Any]]
BEFORE_BODIES = FIXTURES / "db_before_bodies.json"  # one plain snapshot
JOURNAL_BEFORE_BODIES = FIXTURES / "db_before_bodies.journal"  # the same, as the journal it lay in
MADE_AT = datetime(2020, 6, 30, 12, 0, tzinfo=OSLO)  # where make_db_before_bodies.py left its clock
CHANNEL = "C0STYRING"  # the tests' MOTEBOT_CHANNEL (conftest)


def _old(path: Path = BEFORE_BODIES) -> State:
    state: State = json.loads(path.read_text(encoding="utf-8"))
    return state


def _upgraded(old: State) -> State:
    """Every table as it must be after the upgrade, but the bodies: each record body 1's, by one of two
    means. Meetings, the year's counters and the work streams are keyed by body (meeting 4/20 was document
    2020004 and is 12020004, the counters of 2020 are 12020, work stream 2 is 10002); votes, deadlines, the
    roster and the agenda's history say it in a field. The record of what was sent names the body of a
    meeting's notices. Nothing else changes, not a character."""
    new: State = {}
    for table, docs in old.items():
        if table in ("meetings", "counters", "status"):
            span = 10_000_000 if table == "meetings" else 10_000
            new[table] = {str(span + int(doc_id)): doc for doc_id, doc in docs.items()}
        elif table in ("votes", "deadlines", "roster", "agenda_history"):
            new[table] = {doc_id: {**doc, "organ": 1} for doc_id, doc in docs.items()}
        elif table == "sent":
            new[table] = {doc_id: {**doc, "key": _body_key(doc["key"])} for doc_id, doc in docs.items()}
        else:
            new[table] = docs
    return new


def _body_key(key: str) -> str:
    return "organ:1:" + key if key.startswith("meeting:") else key


def _without_bodies(state: State) -> State:
    return {table: docs for table, docs in state.items() if table != "bodies"}


def _copy_of(fixture: Path, settings: Settings) -> Path:
    db = settings.motebot_db
    db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(fixture, db)
    return db


@dataclass
class Upgraded:
    store: TinyStore
    installation: Installation
    motebot: Motebot
    slack: InProcess
    clock: ManualClock
    standin: SlackStandIn

    def walk_to(self, until: datetime) -> list[str]:
        """The ticker woken at each moment something falls due until `until`, as the running bot would be
        (and first at once, as at start-up); the keys of what it did."""
        done = [due.key for due in self._tick()]
        while True:
            wake = next_wake(plan_all(self.installation), self.store.posts.sent_keys(), self.clock.now())
            if wake is None or wake > until:
                break
            self.clock.advance(wake - self.clock.now())
            done += [due.key for due in self._tick()]
        self.clock.advance(until - self.clock.now())
        return done + [due.key for due in self._tick()]

    def _tick(self) -> list[Due]:
        done = self.motebot.ticker.tick()
        assert self.motebot.context.background.wait_idle(timeout=30)
        return done

    def posted(self) -> list[dict[str, Any]]:
        return [call.params for call in self.standin.calls_to("chat.postMessage")]


@contextmanager
def upgraded(settings: Settings, standin: SlackStandIn, now: datetime = MADE_AT) -> Iterator[Upgraded]:
    """The database at `settings.motebot_db` opened as `motebot serve` opens it, and the app on it."""
    store = TinyStore(settings.motebot_db)
    clock = ManualClock(now)
    installation = settings.installation(store, clock)
    motebot = build_bot(settings, installation)
    standin.take_calls()  # auth.test
    try:
        slack = InProcess(motebot.app, SIGNING_SECRET, standin.response_url("test"))
        yield Upgraded(store, installation, motebot, slack, clock, standin)
    finally:
        stop_bot(motebot)
        unjournaled = store.unjournaled_tables()
        store.close()
        assert not unjournaled


def test_the_fixture_is_what_the_code_before_bodies_wrote(tmp_path: Path) -> None:
    """What the tests below rely on finding in it (should the fixture be made again)."""
    old = _old()
    assert "bodies" not in old and not any("organ" in doc for docs in old.values() for doc in docs.values())
    assert set(old["meetings"]) == {"2020004", "2020005"} and old["counters"] == {"2020": {"meeting": 5, "case": 20}}
    assert [vote["state"] for vote in old["votes"].values()] == ["avsluttet", "åpen"]
    assert any(doc["postponed"] for doc in old["deadlines"].values())
    assert any(len(doc["updates"]) > 1 for doc in old["status"].values())
    assert {doc["key"].split(":")[0] for doc in old["sent"].values()} == {"meeting", "vote", "deadline"}
    shutil.copy(JOURNAL_BEFORE_BODIES, tmp_path / "db.json.journal")
    assert load_state(tmp_path / "db.json") == old  # the journal holds the same


def test_an_old_database_becomes_one_body_in_motebot_channel_with_every_record_intact(
    settings: Settings, standin: SlackStandIn
) -> None:
    old = _old()
    db = _copy_of(BEFORE_BODIES, settings)
    with upgraded(settings, standin) as bot:
        (body,) = bot.installation.bodies()
        # Named from MOTEBOT_BODY_NAME, not from the notice's heading ("Møteplan Nasjonalt e-helsestyre"
        # is its plan's, another body's).
        assert (body.id, body.channel, body.name) == (1, CHANNEL, "Styringsgruppen for Akson")
        assert body.readable and body.public_channel and body.calendar_token  # as every group was before
        assert bot.store.bodies.in_channel(CHANNEL) == body
        records = bot.store.body(1)

        meeting = records.meetings.get(Serial(2020, 4))
        assert meeting is not None and meeting.version == 4
        assert [str(case.number) for case in meeting.cases] == ["17/20", "18/20", "20/20", "19/20"]
        assert meeting.cases[0].decision.startswith("Styringsgruppen godkjenner innkalling og dagsorden. (For 2, mot 1")
        assert meeting.cases[1].title == "Status for arbeidet med Akson journal"
        history = records.meetings.history(Serial(2020, 4))
        assert [(change.version, change.actor) for change in history] == [
            (1, "motebot import"), (2, SEKRETARIAT), (3, SEKRETARIAT), (4, SEKRETARIAT), (4, LEDER)  # the decision
        ]  # fmt: skip
        moved = records.meetings.get(Serial(2020, 5))
        assert moved is not None and moved.rescheduled == 1 and moved.day.isoformat() == "2020-09-24"

        closed, still_open = (records.votes.get(1), records.votes.get(2))
        assert closed is not None and closed.state is VoteState.CLOSED and closed.approval
        assert closed.ballots == {LEDER: Choice.FOR, MEDLEM: Choice.FOR, "U0MEDLEM2": Choice.MOT,
                                  "U0MEDLEM3": Choice.AVSTAR}  # fmt: skip
        assert [event.action for event in records.votes.events(1)] == ["åpnet", "for", "for", "mot", "avstår",
                                                                       "avsluttet"]  # fmt: skip
        assert still_open is not None and still_open.is_open and still_open.ballots == {MEDLEM: Choice.FOR}
        assert [vote.id for vote in records.votes.all(open_only=True)] == [2]

        deadlines = {deadline.id: deadline for deadline in records.deadlines.all()}
        assert sorted(deadlines) == [1, 2, 3, 4]
        assert deadlines[1].postponed and [d.isoformat() for d in deadlines[1].earlier] == ["2020-07-07"]
        assert deadlines[4].state is DeadlineState.DONE
        streams = records.work_streams.all()
        assert [stream.number for stream in streams] == [1, 2, 3, 4, 5]
        assert [update.actor for update in streams[1].updates] == ["motebot import", SEKRETARIAT]
        roster = records.roster.get()
        assert roster.roles_of(LEDER) == {Role.LEDER} and roster.roles_of("U0OBSERV1") == {Role.OBSERVATOR}
        assert len(roster.roles) == 6
        assert bot.store.bodies.of_member(MEDLEM) == {1}

    state = load_state(db)
    assert _without_bodies(state) == _upgraded(old)  # the records exactly, under their new keys
    assert list(state["bodies"]) == ["1"]


def test_numbers_go_on_from_where_they_were(settings: Settings, standin: SlackStandIn) -> None:
    _copy_of(BEFORE_BODIES, settings)
    with upgraded(settings, standin) as bot:
        reply = bot.slack.command("/dagsorden", "ny 4/20 10.15 Orientering Lovarbeid", user_id=SEKRETARIAT)
        assert "Sak 21/20 «Lovarbeid» er lagt til møte 4/20" in reply.all_text()  # 20/20 was the last
        reply = bot.slack.command("/moteplan", "ny 15.10.2020 09.00-11.00 Ekstramøte", user_id=SEKRETARIAT)
        assert "Møte 6/20" in reply.all_text()  # 5/20 was the last
        reply = bot.slack.command("/dagsorden", "", user_id=MEDLEM)
        assert "Versjon 5 av dagsordenen" in reply.all_text() and "Akson journal" in reply.all_text()
        assert (
            "*Stemmeliste for sak 17/20 (avsluttet)*"
            in bot.slack.command("/avstemning", "protokoll 17/20", user_id=LEDER).all_text()
        )


@pytest.mark.parametrize("fixture", [BEFORE_BODIES, JOURNAL_BEFORE_BODIES], ids=["snapshot", "journal"])
def test_nothing_sent_before_the_upgrade_is_sent_again(
    settings: Settings, standin: SlackStandIn, fixture: Path
) -> None:
    """At the moment the fixture was left, everything due had been sent: the upgraded bot sends nothing.
    Going on, it sends what falls due next, each once, and nothing sent before."""
    if fixture == JOURNAL_BEFORE_BODIES:
        settings.motebot_db.parent.mkdir(parents=True)
        shutil.copy(fixture, settings.motebot_db.with_name(settings.motebot_db.name + ".journal"))
    else:
        _copy_of(fixture, settings)
    sent_before = {_body_key(doc["key"]) for doc in _old()["sent"].values()}
    with upgraded(settings, standin) as bot:
        assert bot.walk_to(MADE_AT) == [] and bot.posted() == []
        assert bot.store.posts.sent_keys() == sent_before

        done = bot.walk_to(datetime(2020, 7, 2, 12, 0, tzinfo=OSLO))
        assert not set(done) & sent_before
        assert done == [
            "organ:1:meeting:4/20:2020-07-01T09:00:00+02:00:60m",  # an hour before the meeting
            "vote:2:close",  # the open vote closes as the meeting begins
            "deadline:2:2020-07-03T16:00:00+02:00:1d",  # the day before the deadline
        ]
        texts = [message["text"] for message in bot.posted()]
        assert len(texts) == 2 and texts[0].startswith("Møte 4/20") and "(i morgen)" in texts[1], texts


def test_without_motebot_channel_the_body_waits_unbound_and_nothing_is_posted(
    settings: Settings, standin: SlackStandIn
) -> None:
    _copy_of(BEFORE_BODIES, settings)
    unset = settings.model_copy(update={"motebot_channel": None})
    with upgraded(unset, standin) as bot:
        (body,) = bot.installation.bodies()
        assert body.id == 1 and body.channel is None
        assert bot.walk_to(MADE_AT) == [] and bot.posted() == []
    with upgraded(settings, standin) as bot:  # set later: that channel is the same body, not a second one
        (body,) = bot.installation.bodies()
        assert (body.id, body.channel) == (1, CHANNEL)
        assert bot.walk_to(MADE_AT) == [] and bot.posted() == []


def test_opening_again_changes_nothing(settings: Settings, standin: SlackStandIn) -> None:
    db = _copy_of(BEFORE_BODIES, settings)
    with upgraded(settings, standin):
        pass
    once = file_bytes(db)
    for _ in range(2):
        with upgraded(settings, standin):
            pass
        assert file_bytes(db) == once  # not a byte written


# kill -9 in the middle of the upgrade

pytestmark = pytest.mark.tinydb  # TinyDB's own upgrades of its file (PostgreSQL's are Alembic's)

OPEN = r"""
import sys
from pathlib import Path
from bot.core.clock import SystemClock
from bot.run.settings import load_settings
from storage import TinyStore

settings = load_settings(
    motebot_db=Path(sys.argv[1]), motebot_channel="C0STYRING", motebot_body_name="Styringsgruppen for Akson"
)
print("upgrading", flush=True)
store = TinyStore(settings.motebot_db)
settings.installation(store, SystemClock(settings.tz))
store.close()
print("upgraded", flush=True)
"""

# The same, killing itself at one step of writing the upgrade down (or of binding the body after it):
# `call`'s n-th call in storage.tinydb_engine.atomic_json, before it, after it, or halfway through a write. A small
# snapshot threshold makes each commit write a snapshot too, as a large database's upgrade does.
KILLED_AT = r"""
import os, signal, sys, types
import storage.tinydb_engine.atomic_json as atomic_json

call, nth, when = sys.argv[2], int(sys.argv[3]), sys.argv[4]
atomic_json.AtomicJSONStorage.SNAPSHOT_AFTER = 1000
calls = {}

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def watched(name, real):
    def step(*args):
        calls[name] = calls.get(name, 0) + 1
        if name != call or calls[name] != nth:
            return real(*args)
        if when == "before":
            die()
        if when == "halfway":
            fd, data = args
            real(fd, data[: len(data) // 2])
            die()
        result = real(*args)
        die()
    return step

spy = types.ModuleType("os")
spy.__dict__.update(os.__dict__)
for name in ("write", "fsync", "replace", "truncate"):
    setattr(spy, name, watched(name, getattr(os, name)))
atomic_json.os = spy
"""


def _settled(path: Path, old: State) -> str:
    """What a restart would read: the old database untouched, or the whole upgrade; never anything between."""
    state = load_state(path)
    if state == old:
        return "untouched"
    assert _without_bodies(state) == _upgraded(old), "half upgraded"
    (body,) = state["bodies"].values()
    return "upgraded, bound" if body["channel"] == CHANNEL else "upgraded"


def _reopened(settings: Settings, standin: SlackStandIn, old: State) -> State:
    """Opened again as `motebot serve` opens it: upgraded whole, and bound to the channel."""
    with upgraded(settings, standin):
        pass
    state = load_state(settings.motebot_db)
    assert _without_bodies(state) == _upgraded(old)
    (body,) = state["bodies"].values()
    assert body["channel"] == CHANNEL
    return state


def _same_but_token(state: State, clean: State) -> bool:
    """Equal, but for the body's calendar token (random: each upgrade draws its own)."""

    def tokenless(whole: State) -> State:
        return {**whole, "bodies": {k: {**body, "calendar_token": None} for k, body in whole["bodies"].items()}}

    return tokenless(state) == tokenless(clean)


@pytest.mark.parametrize(
    ("step", "found"),
    [
        (("write", 1, "halfway"), "untouched"),  # the upgrade's journal line torn: never acknowledged
        (("write", 1, "after"), "upgraded"),  # written whole, not yet synced
        (("replace", 1, "before"), "upgraded"),  # its snapshot written beside the database, not yet renamed
        (("replace", 1, "after"), "upgraded"),  # renamed into place; the journal not yet emptied
        (("fsync", 3, "before"), "upgraded"),  # the journal emptied, not yet synced
        (("write", 2, "halfway"), "upgraded"),  # upgraded; binding the body to the channel torn
        (("write", 2, "after"), "upgraded, bound"),
    ],
    ids=lambda value: "-".join(map(str, value)) if isinstance(value, tuple) else value.replace(", ", "-"),
)
def test_kill_9_at_each_step_of_writing_the_upgrade(
    settings: Settings, standin: SlackStandIn, tmp_path: Path, step: tuple[str, int, str], found: str
) -> None:
    old = _old()
    db = _copy_of(BEFORE_BODIES, settings)
    with python(KILLED_AT + OPEN, str(db), *map(str, step), cwd=tmp_path) as child:
        code = child.wait(timeout=60)
    assert code == -signal.SIGKILL, child.output
    assert _settled(db, old) == found
    _reopened(settings, standin, old)


def _large_old_database(meetings: int) -> State:
    """The fixture and `meetings` more meetings of earlier years, each with its notice sent: large enough
    that the upgrade takes a while, and that its one commit writes a snapshot (over 4 MB of journal)."""
    old = _old()
    template = old["meetings"]["2020004"]
    per_year = meetings // 20
    for year in range(2000, 2020):
        for seq in range(1, per_year + 1):
            day = f"{year}-{1 + seq % 12:02d}-{1 + seq % 28:02d}"
            cases = [{**case, "number": f"{seq * 4 + n}/{year}"} for n, case in enumerate(template["cases"])]
            old["meetings"][str(year * 1000 + seq)] = {**copy.deepcopy(template), "number": f"{seq}/{year}",
                                                       "day": day, "cases": cases}  # fmt: skip
            key = f"meeting:{seq}/{year % 100:02d}:{day}T09:00:00+02:00:7d"
            old["sent"][str(len(old["sent"]) + 1)] = {"key": key, "at": f"{day}T08:00:00+02:00", "state": "sent"}
        old["counters"][str(year)] = {"meeting": per_year, "case": per_year * 4 + 3}
    return old


def test_kill_9_in_the_middle_of_upgrading_a_large_database(
    settings: Settings, standin: SlackStandIn, tmp_path: Path
) -> None:
    old = _large_old_database(1500)
    payload = json.dumps(old, ensure_ascii=False)
    db = settings.motebot_db
    db.parent.mkdir(parents=True)

    def fresh() -> None:
        for stale in db.parent.iterdir():
            stale.unlink()
        db.write_text(payload, encoding="utf-8")

    fresh()
    with python(OPEN, str(db), cwd=tmp_path) as child:  # the clean upgrade, and how long one takes here
        child.first_line("upgrading")
        started = time.perf_counter()
        child.first_line("upgraded")
        took = time.perf_counter() - started
        assert child.wait(timeout=60) == 0
    assert _settled(db, old) == "upgraded, bound"
    clean = load_state(db)

    seen: dict[str, int] = {}
    for fraction in (0.4, 0.8, 0.9, 0.95, 1.0, 1.05, 1.2):  # fixed: the same points in every run
        fresh()
        with python(OPEN, str(db), cwd=tmp_path) as child:
            child.first_line("upgrading")
            time.sleep(took * fraction)
            with contextlib.suppress(ProcessLookupError):  # it may have finished first
                child.send_signal(signal.SIGKILL)
            child.wait(timeout=60)
            finished = "upgraded" in child.lines()
        outcome = "finished first" if finished else _settled(db, old)
        seen[outcome] = seen.get(outcome, 0) + 1
        assert _same_but_token(_reopened(settings, standin, old), clean)
    assert set(seen) - {"finished first"}, f"no kill landed before the upgrade was done: {seen}"
