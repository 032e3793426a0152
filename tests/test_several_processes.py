"""Several `motebot serve` on one PostgreSQL (issue 21, point 3): one scheduler among them, taken over when its
process is killed -9; every post exactly once; every acknowledged ballot kept, whichever process took it."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from bot.core.domain import Meeting, Serial
from bot.testing.slack_requests import block_action
from bot.testing.slack_standin import SlackStandIn
from storage import open_postgres
from storage.postgres.leader import LEADERS
from tests.processes import Forked, motebot, serving
from tests.slack_http import SlackSender
from tests.test_crash import _future_notice

SECRET = "many-secret"
ADMIN = "U0ADMIN01"
OSLO = ZoneInfo("Europe/Oslo")


@contextmanager
def _two(tmp_path: Path, api: SlackStandIn, url: str, workspace: str) -> Iterator[list[tuple[Forked, SlackSender]]]:
    """Two processes on one database and one Slack, each in a folder of its own (nothing shared but PostgreSQL)."""
    env = {"MOTEBOT_DATABASE_URL": url, "MOTEBOT_WORKSPACE": workspace, "MOTEBOT_CHANNEL": "C0STYRING",
           "MOTEBOT_ADMINS": ADMIN, "MOTEBOT_MEETING_NOTICES": "1m"}  # fmt: skip
    with ExitStack() as stack:
        running = []
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            running.append(stack.enter_context(serving(tmp_path / name, api, SECRET, **env)))
        yield running


def _leader(url: str, processes: list[Forked], within: float = 15) -> Forked:
    """The process holding the scheduler's lock, as PostgreSQL shows it (the lock's session names its process)."""
    until = time.monotonic() + within
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            rows = conn.execute(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid = %s",
                (LEADERS,),
            ).fetchall()
            pids = {int(name.split(":")[1]) for (name,) in rows}
            found = [process for process in processes if process.pid in pids]
            if found:
                return found[0]
            assert time.monotonic() < until, f"no process leads: {rows}"
            time.sleep(0.05)


def _notice_soon(url: str, workspace: str, seconds: float) -> str:
    """A meeting whose notice ("1m" before it) falls due in about `seconds`, saved as another process would save
    it, and announced; returns its title."""
    store = open_postgres(url, workspace)
    body = store.bodies.in_channel("C0STYRING")
    assert body is not None
    soon = (datetime.now(OSLO) + timedelta(seconds=60 + seconds)).replace(microsecond=0)
    store.body(body.id).meetings.save([Meeting(Serial(soon.year, 9), "Kort møte", soon.date(), soon.time())])
    store.announce_replan()
    return "Kort møte"


def _notices(api: SlackStandIn, title: str) -> list[object]:
    return [c for c in api.calls_to("chat.postMessage") if title in str(c.params)]


def test_a_notice_due_while_the_leader_is_killed_is_posted_once_by_the_survivor(
    tmp_path: Path, postgres_url: str, workspace: str
) -> None:
    with SlackStandIn("xoxb-many") as api, _two(tmp_path, api, postgres_url, workspace) as running:
        processes = [process for process, _ in running]
        leader = _leader(postgres_url, processes)
        title = _notice_soon(postgres_url, workspace, 4)
        leader.send_signal(signal.SIGKILL)
        leader.wait(timeout=10)
        [survivor] = [process for process in processes if process is not leader]
        assert _leader(postgres_url, processes, within=8) is survivor  # taken over within seconds
        until = time.monotonic() + 12
        while not _notices(api, title) and time.monotonic() < until:
            time.sleep(0.05)
        time.sleep(2.5)  # the next ticks (and the survivor's re-plan) post nothing more
        assert len(_notices(api, title)) == 1, _notices(api, title)
        assert survivor.poll() is None


def test_a_leader_killed_while_its_post_waits_for_slack_is_not_posted_again(
    tmp_path: Path, postgres_url: str, workspace: str
) -> None:
    """The post reached Slack, and its process died waiting for the answer: the claim is stale (its process is
    gone from PostgreSQL), so the survivor looks in the channel, finds it by its metadata, and does not post."""
    with SlackStandIn("xoxb-many") as api, _two(tmp_path, api, postgres_url, workspace) as running:
        processes = [process for process, _ in running]
        leader = _leader(postgres_url, processes)
        api.stall_after_next("chat.postMessage", 30)
        title = _notice_soon(postgres_url, workspace, 3)
        until = time.monotonic() + 12
        while not _notices(api, title) and time.monotonic() < until:
            time.sleep(0.02)
        assert _notices(api, title), "the leader did not post"
        leader.send_signal(signal.SIGKILL)
        leader.wait(timeout=10)
        [survivor] = [process for process in processes if process is not leader]
        assert _leader(postgres_url, processes, within=8) is survivor
        until = time.monotonic() + 6
        while not api.calls_to("conversations.history") and time.monotonic() < until:
            time.sleep(0.05)
        time.sleep(2)
        assert api.calls_to("conversations.history"), "the survivor did not look in the channel"
        assert len(_notices(api, title)) == 1


def test_a_click_storm_over_two_processes_loses_no_acknowledged_ballot(
    tmp_path: Path, postgres_url: str, workspace: str
) -> None:
    members = [f"U0M{n:06d}" for n in range(60)]
    env = {"MOTEBOT_DATABASE_URL": postgres_url, "MOTEBOT_WORKSPACE": workspace}
    assert motebot("import", str(_future_notice(tmp_path)), cwd=tmp_path, env=env).returncode == 0
    with SlackStandIn("xoxb-many") as api, _two(tmp_path, api, postgres_url, workspace) as running:
        first = running[0][1]
        mentions = " ".join(f"<@{m}>" for m in members)
        assert "som medlem" in first.command("/medlemmer", f"leggtil {mentions} medlem", user_id=ADMIN).all_text()
        first.command("/medlemmer", "leggtil <@U0LEDER01> leder", user_id=ADMIN)
        assert "startet" in first.command("/avstemning", user_id="U0LEDER01").all_text()
        acknowledged: dict[str, str] = {}
        lock, start = threading.Lock(), threading.Event()
        choices = ["vote_for", "vote_mot", "vote_avstar"]

        def click(n: int, user: str) -> None:
            start.wait()
            for attempt in range(2):  # a double click, to the other process the second time
                slack = running[(n + attempt) % 2][1]
                action = choices[(n + attempt) % 3]
                reply = slack.interaction(block_action(user, action, "1", response_url=api.response_url("c")))
                if reply.status == 200:
                    with lock:
                        acknowledged[user] = action

        threads = [threading.Thread(target=click, args=(n, m)) for n, m in enumerate(members)]
        for thread in threads:
            thread.start()
        start.set()
        for thread in threads:
            thread.join()
        vote = open_postgres(postgres_url, workspace).body(1).votes.get(1)
        assert vote is not None and len(acknowledged) == len(members)
        names = {"vote_for": "for", "vote_mot": "mot", "vote_avstar": "avstår"}
        assert {user: choice.value for user, choice in vote.ballots.items()} == {
            user: names[action] for user, action in acknowledged.items()
        }
