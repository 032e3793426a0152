from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings as hypothesis_settings
from pydantic import SecretStr

from bot.core.clock import ManualClock, SystemClock
from bot.core.domain import Role
from bot.core.notices.reader import read_notice
from bot.run.app import Motebot, build_bot
from bot.run.settings import Settings, load_settings
from bot.slack.server import SLACK_PATH, Server
from bot.testing.slack_standin import SlackStandIn
from bot.usecases.services import Services
from storage import Store
from tests.slack_http import Reply, SlackSender, block_action

# Hypothesis: the same examples on every clone and every run (no randomness, no example database), so CI
# is green or red for the code, not for the draw. `HYPOTHESIS_PROFILE=explore` searches far wider; keep
# what it finds as an `@example` on the test.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, max_examples=60, print_blob=True)
hypothesis_settings.register_profile("explore", max_examples=2000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read the developer's own environment or .env."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "MOTEBOT_DB",
                 "MOTEBOT_TIMEZONE", "MOTEBOT_CHANNEL", "MOTEBOT_ADMINS"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(BOT_TOKEN) as api:
        yield api


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2020, 6, 24, 8, 0, tzinfo=OSLO))


@pytest.fixture
def settings(tmp_path: Path, standin: SlackStandIn) -> Settings:
    return load_settings(
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=standin.base_url,
        motebot_db=tmp_path / "db" / "motebot.json",
        motebot_channel="C0STYRING",
        motebot_admins=[ADMIN],
    )


@dataclass
class RunningBot:
    """`motebot serve`'s app and server on loopback, with the seed imported."""

    base_url: str
    slack: SlackSender
    store: Store
    standin: SlackStandIn
    clock: ManualClock
    motebot: Motebot
    services: Services

    def click(self, user_id: str, action_id: str, value: str) -> Reply:
        payload = block_action(user_id, action_id, value, response_url=self.standin.response_url("test"))
        return self.slack.interaction(payload)

    def settle(self) -> None:
        """Wait until every Slack call that follows an ack has been made."""
        assert self.motebot.context.background.wait_idle(timeout=30)


@contextmanager
def running_bot(settings: Settings, standin: SlackStandIn, clock: ManualClock, *, seeded: bool) -> Iterator[RunningBot]:
    store = Store(settings.motebot_db)
    if seeded:
        store.meetings.save([read_notice(SEED).meeting])
    for user_id, roles in ROSTER.items():
        store.roster.set_roles(user_id, roles)
    services = Services(rules=settings.rules(), store=store, clock=clock)
    motebot = build_bot(settings, services)
    server = Server(motebot.app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.port}"
    try:
        sender = SlackSender(base_url + SLACK_PATH, SIGNING_SECRET, standin.response_url("test"))
        yield RunningBot(base_url, sender, store, standin, clock, motebot, services)
    finally:
        server.stop()
        thread.join(timeout=5)
        motebot.stop()
        unjournaled = store.unjournaled_tables()
        store.close()
        assert not unjournaled, f"changes a restart would lose: {unjournaled}"


@pytest.fixture
def bot(settings: Settings, standin: SlackStandIn, clock: ManualClock) -> Iterator[RunningBot]:
    """The seed's meeting imported, and the roster of ROSTER."""
    with running_bot(settings, standin, clock, seeded=True) as running:
        yield running


@pytest.fixture
def empty_bot(settings: Settings, standin: SlackStandIn, clock: ManualClock) -> Iterator[RunningBot]:
    """No meetings yet; the roster of ROSTER."""
    with running_bot(settings, standin, clock, seeded=False) as running:
        yield running


def posted_once_across_a_restart(
    settings: Settings, standin: SlackStandIn, setup: Callable[[Store, datetime], None], posts: Callable[[], int]
) -> None:
    """The real scheduler, on the real clock: `setup` plans a post about a second from now; it must
    come once, and a restart must not send it again."""
    clock = SystemClock(OSLO)
    soon = (clock.now() + timedelta(seconds=62)).replace(microsecond=0)  # a "1m" offset falls in ~2 s
    with running_bot(settings, standin, clock, seeded=False) as bot:  # type: ignore[arg-type]
        setup(bot.store, soon)
        bot.motebot.start_scheduler()
        until = time.monotonic() + 15
        while not posts() and time.monotonic() < until:
            time.sleep(0.1)
        assert posts() == 1
        bot.motebot.stop()
        bot.store.close()
    with running_bot(settings, standin, clock, seeded=False) as again:  # type: ignore[arg-type]
        again.motebot.start_scheduler()
        time.sleep(1.5)
        again.settle()
        assert posts() == 1
