"""What the tests share: the group's people, the seed, and the real bot on the Slack stand-in.

A `RunningBot` is `motebot serve`'s app. Behaviour tests reach it in process (`bot.slack`): the signed
bytes go where waitress hands them (`dispatch_http`), so Bolt checks the real signature as always and
only the socket is skipped. Tests about the request path itself use `bot.http`, the same app behind
waitress on loopback, as Slack reaches it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import App

from bot.core.clock import ManualClock, SystemClock
from bot.core.domain import Meeting, Role
from bot.core.notices.reader import read_notice
from bot.core.planner import Due
from bot.core.rules import Body
from bot.run.app import Motebot, build_bot
from bot.run.settings import Settings
from bot.slack.input import dispatch_http
from bot.slack.server import SLACK_PATH, Server
from bot.testing.slack_requests import block_action
from bot.testing.slack_standin import SlackStandIn
from bot.usecases.services import Installation, Services
from storage import BodyRecords, open_store
from storage.protocol import BodyRecordsP
from tests.durable import lost_on_restart
from tests.slack_http import Reply, SlackRequests, SlackSender

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "akson_4_20.txt"
OSLO = ZoneInfo("Europe/Oslo")
BOT_TOKEN = "xoxb-test-token"
SIGNING_SECRET = "test-signing-secret-8f14e45fceea167a"
ADMIN = "U0ADMIN01"
LEDER = "U0LEDER01"
SEKRETARIAT = "U0SEKR001"
MEDLEM = "U0MEDLEM1"
OBSERVATOR = "U0OBSERV1"
STRANGER = "U0FREMMED"
ROSTER = {LEDER: [Role.LEDER], SEKRETARIAT: [Role.SEKRETARIAT], MEDLEM: [Role.MEDLEM], OBSERVATOR: [Role.OBSERVATOR]}


@cache
def seed_meeting() -> Meeting:
    """The seed's meeting, read once: a frozen value, the same for every test."""
    return read_notice(SEED).meeting


class InProcess(SlackRequests):
    """Signed requests handed to the app as waitress hands them, without the socket."""

    def __init__(self, app: App, signing_secret: str, response_url: str) -> None:
        super().__init__(signing_secret, response_url)
        self.app = app

    def deliver(self, data: bytes, headers: dict[str, str]) -> Reply:
        answer = dispatch_http(self.app, data, headers)
        return Reply(answer.status, answer.body)


@dataclass
class RunningBot:
    """`motebot serve`'s app with the stand-in as Slack: `slack` in process, `http` over waitress."""

    slack: InProcess
    store: BodyRecords  # the records of the body in MOTEBOT_CHANNEL
    standin: SlackStandIn
    clock: ManualClock
    motebot: Motebot
    services: Services  # that body's
    installation: Installation
    _server: tuple[Server, threading.Thread] | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        """Where waitress serves the app; started on first use."""
        if self._server is None:
            server = Server(self.motebot.app, "127.0.0.1", 0, feed=self.motebot.feed)
            thread = threading.Thread(target=server.run, name="waitress", daemon=True)
            thread.start()
            self._server = server, thread
        return f"http://127.0.0.1:{self._server[0].port}"

    @property
    def http(self) -> SlackSender:
        """The same signed requests over HTTP, for tests about the request path itself."""
        return SlackSender(self.base_url + SLACK_PATH, SIGNING_SECRET, self.slack.response_url)

    def click(self, user_id: str, action_id: str, value: str) -> Reply:
        payload = block_action(user_id, action_id, value, response_url=self.standin.response_url("test"))
        return self.slack.interaction(payload)

    def share_file(
        self, user_id: str, name: str, data: bytes, *, file_id: str = "F0NOTICE1", event_id: str = "Ev0001"
    ) -> dict[str, Any]:
        """A file sent to Møtebot in a direct message, as Slack delivers it (file_share); what Møtebot posted
        back once it has answered."""
        url = self.standin.add_file(name, data, file_id=file_id)
        event = {
            "type": "message", "subtype": "file_share", "channel": "D" + user_id[1:], "channel_type": "im",
            "user": user_id, "text": "", "ts": "1593580002.000300",
            "files": [{"id": file_id, "name": name, "size": len(data), "url_private_download": url}],
        }  # fmt: skip
        assert self.slack.event(event, event_id=event_id).status == 200
        self.settle()
        return self.standin.calls_to("chat.postMessage")[-1].params

    def settle(self) -> None:
        """Wait until every Slack call that follows an ack has been made."""
        assert self.motebot.context.background.wait_idle(timeout=30)

    def stop_serving(self) -> None:
        if self._server is not None:
            server, thread = self._server
            server.stop()
            thread.join(timeout=5)


def confirmed(bot: RunningBot, command: str, text: str, user_id: str = SEKRETARIAT, *, answer: str = "yes") -> str:
    """A command that asks before it acts (`/moteplan avlys`, removing a standing item), answered with its
    [Ja, …] button (or [Nei]: `answer="no"`), as its asker clicks it; what the click answered in the question's
    place ("" when the command asked nothing)."""
    reply = bot.slack.command(command, text, user_id=user_id)
    buttons = [e for b in reply.json().get("blocks", []) if b["type"] == "actions" for e in b["elements"]]
    yes = [button for button in buttons if button.get("style") == "danger"]
    if not yes:
        return ""
    chosen = yes[0] if answer == "yes" else buttons[-1]
    before = len(bot.standin.calls_to("response_url"))
    bot.click(user_id, chosen["action_id"], chosen.get("value", ""))
    bot.settle()
    answered = bot.standin.calls_to("response_url")[before:]
    return "\n".join(json.dumps(call.params, ensure_ascii=False) for call in answered)


@contextmanager
def running_bot(settings: Settings, standin: SlackStandIn, clock: ManualClock, *, seeded: bool) -> Iterator[RunningBot]:
    whole = open_store(settings)
    installation = settings.installation(whole, clock)
    found = whole.bodies.in_channel(settings.motebot_channel)
    assert found is not None, "the tests' settings name a channel: it is a body"
    services = installation.services(found)
    store = services.store
    with store.transaction():  # one commit, one fsync
        if seeded:
            store.meetings.save([seed_meeting()])
        for user_id, roles in ROSTER.items():
            store.roster.set_roles(user_id, roles)
    motebot = build_bot(settings, installation)
    running = RunningBot(
        InProcess(motebot.app, SIGNING_SECRET, standin.response_url("test")),
        store, standin, clock, motebot, services, installation,
    )  # fmt: skip
    try:
        yield running
    finally:
        running.stop_serving()
        stop_bot(motebot)
        unjournaled = lost_on_restart(whole)
        whole.close()
        assert not unjournaled, f"changes a restart would lose: {unjournaled}"


def stop_bot(motebot: Motebot) -> None:
    """`motebot.stop()`, once APScheduler is between jobs. APScheduler 3.11 marks itself stopped before it
    takes its job store lock, so a stop while it is filing away a job it just ran makes its thread raise
    JobLookupError; paused, and with that lock taken once, it has nothing half done."""
    scheduler = motebot.ticker._scheduler
    if scheduler is not None:
        scheduler.pause()
        scheduler.get_jobs()
    motebot.stop()


def scheduler_ticks(motebot: Motebot) -> threading.Semaphore:
    """Released once for each tick the real scheduler runs; call before `start_scheduler`."""
    ticker, ticked = motebot.ticker, threading.Semaphore(0)
    tick = ticker.tick

    def counted() -> list[Due]:
        try:
            return tick()
        finally:
            ticked.release()

    ticker.tick = counted  # type: ignore[method-assign]
    return ticked


def posted_once_across_a_restart(
    settings: Settings, standin: SlackStandIn, setup: Callable[[BodyRecordsP, datetime], None], posts: Callable[[], int]
) -> None:
    """The real scheduler, on the real clock: `setup` plans a post about a second from now; it must
    come once, and a restart must not send it again."""
    clock = SystemClock(OSLO)
    soon = (clock.now() + timedelta(seconds=61)).replace(microsecond=0)  # a "1m" offset falls within 1 s
    with running_bot(settings, standin, clock, seeded=False) as bot:  # type: ignore[arg-type]
        setup(bot.store, soon)
        bot.motebot.start_scheduler()
        until = time.monotonic() + 15
        while not posts() and time.monotonic() < until:
            time.sleep(0.02)
        assert posts() == 1
        stop_bot(bot.motebot)
        bot.store.close()
    with running_bot(settings, standin, clock, seeded=False) as again:  # type: ignore[arg-type]
        ticks = scheduler_ticks(again.motebot)
        again.motebot.start_scheduler()
        assert ticks.acquire(timeout=15)  # the start-up tick: what fell due while the bot was down
        again.settle()
        assert posts() == 1


# A second body beside the seed's Akson (the `two` fixture): Nasjonalt e-helsestyre in its own channel,
# members-only, with its own secretariat; the leder is a member of both.
EHELSE_CHANNEL = "C0EHELSE"
EHELSE_SEKR = "U0EHSEKR1"  # secretariat of e-helsestyre only
DM = "D0DIREKTE"


def add_ehelse(bot: RunningBot) -> RunningBot:
    store = bot.installation.store
    body = store.bodies.create(
        Body(0, "Nasjonalt e-helsestyre", "e-helsestyre", channel=EHELSE_CHANNEL, calendar_token="t-ehelse")
    )
    roster = store.body(body.id).roster
    roster.set_roles(EHELSE_SEKR, [Role.SEKRETARIAT])
    roster.set_roles(LEDER, [Role.MEDLEM])
    return bot


def in_channel(channel: str) -> dict[str, str]:
    """A command's fields for typing it in `channel`."""
    return {"channel_id": channel}


def ehelse(bot: RunningBot) -> BodyRecords:
    body = bot.installation.store.bodies.named("e-helsestyre")
    assert body is not None
    return bot.installation.store.body(body.id)


def ehelse_meeting_with_a_proposal(bot: RunningBot) -> None:
    """A meeting of e-helsestyre whose approval case can be voted on."""
    bot.slack.command(
        "/moteplan", "ny 02.07.2020 09.00-10.00 Ekstramøte", user_id=EHELSE_SEKR, fields=in_channel(EHELSE_CHANNEL)
    )
    meeting = ehelse(bot).meetings.all()[0]
    bot.slack.command(
        "/dagsorden", f"endre {meeting.cases[0].number} forslag: Godkjent", user_id=EHELSE_SEKR,
        fields=in_channel(EHELSE_CHANNEL),
    )  # fmt: skip
