"""kill -9 in the middle of a click storm: every acknowledged vote is counted once, the file always opens."""

from __future__ import annotations

import signal
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.attendance import AttendanceEvent, Presence, Session
from bot.core.domain import Serial
from bot.testing.slack_requests import block_action
from bot.testing.slack_standin import SlackStandIn
from storage import TinyStore
from tests.processes import motebot, serving
from tests.slack_http import SlackSender
from tests.support import SEED

ROOT = Path(__file__).parents[1]
SECRET = "crash-secret"
ADMIN = "U0ADMIN01"


def _future_notice(tmp_path: Path, day: date | None = None) -> Path:
    """The seed's agenda, for a meeting a month from now (or on `day`): `serve` runs on the real clock."""
    day = day or date.today() + timedelta(days=30)
    text = SEED.read_text(encoding="utf-8").replace("1. juli 2020", f"{day.day}.{day.month}.{day.year}", 1)
    path = tmp_path / "innkalling.md"
    path.write_text(text, encoding="utf-8")
    return path


NAMES = {"vote_for": "for", "vote_mot": "mot", "vote_avstar": "avstår"}


def _storm(
    slack: SlackSender, api: SlackStandIn, members: list[str], round_: int
) -> tuple[dict[str, str], threading.Event]:
    """Every member clicks (twice) at once; returns what was acknowledged, filled in as replies come."""
    acknowledged: dict[str, str] = {}
    lock = threading.Lock()
    start = threading.Event()
    actions = list(NAMES)

    def click(user: str, action: str) -> None:
        start.wait()
        for _ in range(2):  # a double click
            try:
                reply = slack.interaction(block_action(user, action, "1", response_url=api.response_url("c")))
            except OSError:
                return
            if reply.status == 200:
                with lock:
                    acknowledged[user] = action

    threads = [threading.Thread(target=click, args=(m, actions[(n + round_) % 3])) for n, m in enumerate(members)]
    for thread in threads:
        thread.start()
    start.set()
    return acknowledged, threads


def _check_round(tmp_path: Path, acknowledged: dict[str, str], members: list[str], round_: int) -> None:
    store = TinyStore(tmp_path / "motebot.json").body(1)  # opens: the file is whole
    vote = store.votes.get(1)
    assert vote is not None
    for user, action in acknowledged.items():  # this round's acknowledged clicks are all there
        assert vote.ballots[user].value == NAMES[action], (round_, user)
    assert vote.tally().voted == len(vote.ballots) <= len(members)
    store.close()
    print(f"round {round_}: {len(acknowledged)} of {len(members)} acknowledged before the kill")


def test_kill_9_during_a_meeting_in_session_loses_no_acknowledged_vote(tmp_path: Path) -> None:
    """Fifty members present in a meeting that is set, clicking in the same second in the case's thread; the
    bot is killed mid-storm, three times. Every acknowledged ballot is there, and the vote stays open (a vote
    in session closes only when the chair closes it, never on restart)."""
    assert motebot("import", str(_future_notice(tmp_path, date.today())), cwd=tmp_path).returncode == 0
    members = [f"U0S{n:06d}" for n in range(50)]
    now = datetime.now(ZoneInfo("Europe/Oslo"))
    with TinyStore(tmp_path / "motebot.json") as whole:
        store = whole.body(1)
        meeting = store.meetings.all()[0]
        store.sessions.save(Session(meeting.number, now, ADMIN, "U0LEDER01", threads={Serial(2020, 18): "1.000001"}))
        for user in [*members, "U0LEDER01"]:
            store.attendance.add(meeting.number, AttendanceEvent(now, user, Presence.ARRIVED, ADMIN))
    with SlackStandIn("xoxb-crash") as api:
        for round_ in range(3):
            with serving(tmp_path, api, SECRET, MOTEBOT_ADMINS=ADMIN, MOTEBOT_CHANNEL="C0STYRING") as (server, slack):
                if round_ == 0:
                    mentions = " ".join(f"<@{m}>" for m in members)
                    assert (
                        "som medlem"
                        in slack.command("/medlemmer", f"leggtil {mentions} medlem", user_id=ADMIN).all_text()
                    )
                    slack.command("/medlemmer", "leggtil <@U0LEDER01> leder", user_id=ADMIN)
                    assert "startet" in slack.command("/avstemning", "18/20", user_id="U0LEDER01").all_text()
                acknowledged, threads = _storm(slack, api, members, round_)
                time.sleep(0.05)
                server.send_signal(signal.SIGKILL)
                server.wait()
                for thread in threads:
                    thread.join()
            _check_round(tmp_path, acknowledged, members, round_)
    with TinyStore(tmp_path / "motebot.json") as whole:
        vote = whole.body(1).votes.get(1)
        assert vote is not None and vote.is_open and vote.in_session and vote.thread_ts == "1.000001"
        assert vote.electorate == {*members, "U0LEDER01"}


def test_kill_9_again_and_again_mid_storm_loses_no_acknowledged_vote(tmp_path: Path) -> None:
    assert motebot("import", str(_future_notice(tmp_path)), cwd=tmp_path).returncode == 0
    members = [f"U0K{n:06d}" for n in range(40)]
    with SlackStandIn("xoxb-crash") as api:
        for round_ in range(3):
            with serving(tmp_path, api, SECRET, MOTEBOT_ADMINS=ADMIN, MOTEBOT_CHANNEL="C0STYRING") as (server, slack):
                if round_ == 0:
                    mentions = " ".join(f"<@{m}>" for m in members)
                    reply = slack.command("/medlemmer", f"leggtil {mentions} medlem", user_id=ADMIN)
                    assert "som medlem" in reply.all_text()
                    slack.command("/medlemmer", "leggtil <@U0LEDER01> leder", user_id=ADMIN)
                    assert "startet" in slack.command("/avstemning", user_id="U0LEDER01").all_text()
                acknowledged, threads = _storm(slack, api, members, round_)
                time.sleep(0.05)
                server.send_signal(signal.SIGKILL)
                server.wait()
                for thread in threads:
                    thread.join()
            _check_round(tmp_path, acknowledged, members, round_)

        with serving(tmp_path, api, SECRET, MOTEBOT_ADMINS=ADMIN, MOTEBOT_CHANNEL="C0STYRING") as (
            server,
            slack,
        ):  # and the bot starts again
            reply = slack.interaction(block_action(members[-1], "vote_for", "1", response_url=api.response_url("c")))
            assert reply.status == 200
            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=15) == 0
        store = TinyStore(tmp_path / "motebot.json").body(1)
        assert store.votes.get(1).ballots[members[-1]].value == "for"  # type: ignore[union-attr]
        store.close()
