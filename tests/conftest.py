"""Fixtures only; what tests import lives in tests/support.py."""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import settings as hypothesis_settings
from pydantic import SecretStr
from slack_sdk.http_retry import builtin_handlers, handler

from bot.core.clock import ManualClock
from bot.run.settings import Settings, load_settings
from bot.testing.slack_standin import SlackStandIn
from tests.support import ADMIN, BOT_TOKEN, OSLO, SIGNING_SECRET, RunningBot, add_ehelse, running_bot

# Hypothesis: the same examples on every clone and every run (no randomness, no example database), so CI
# is green or red for the code, not for the draw. `HYPOTHESIS_PROFILE=explore` searches far wider; keep
# what it finds as an `@example` on the test.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, max_examples=60, print_blob=True)
hypothesis_settings.register_profile("explore", max_examples=2000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ENGINES = ["tinydb", "postgresql"]
pytest_plugins = ("tests.postgres",)  # a real PostgreSQL server for the run, started and stopped here


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read the developer's own environment or .env."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "MOTEBOT_DB",
                 "MOTEBOT_TIMEZONE", "MOTEBOT_CHANNEL", "MOTEBOT_ADMINS", "MOTEBOT_PUBLIC_URL", "MOTEBOT_DATABASE_URL",
                 "MOTEBOT_WORKSPACE", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _fresh_vobject_zones() -> Iterator[None]:
    """vobject keeps the first VTIMEZONE it reads for a TZID for the whole process: a file whose zone starts
    in 2026 would put a later file's 2020 meetings an hour off when both run in one worker."""
    yield
    if (module := sys.modules.get("vobject.icalendar")) is not None:
        zones = getattr(module, "__tzidMap")
        for tzid in [tzid for tzid in zones if tzid != "UTC"]:
            del zones[tzid]


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(BOT_TOKEN) as api:
        yield api


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2020, 6, 24, 8, 0, tzinfo=OSLO))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked `tinydb` is about that engine's file (its journal, its upgrades): not run on PostgreSQL."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgresql = callspec is not None and callspec.params.get("engine") == "postgresql"
        (dropped if on_postgresql and item.get_closest_marker("tinydb") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> dict[str, object]:
    """The behaviour tests run on each engine: TinyDB's file, and PostgreSQL (tests/postgres.py starts a real
    server for the run), where each test is a workspace of its own, so tests never see each other's records."""
    if request.param == "tinydb":
        return {}
    url = os.environ.get("MOTEBOT_TEST_DATABASE_URL")
    if not url:
        pytest.skip("ingen PostgreSQL å teste mot (tests/postgres.py fant ingen)")
    return {"motebot_database_url": SecretStr(url), "motebot_workspace": f"T{uuid.uuid4().hex[:10].upper()}"}


@pytest.fixture
def postgres_url() -> str:
    """The run's PostgreSQL (tests/postgres.py), for the tests that are about that engine alone."""
    found = os.environ.get("MOTEBOT_TEST_DATABASE_URL")
    if not found:
        pytest.skip("ingen PostgreSQL å teste mot (tests/postgres.py fant ingen)")
    return found


@pytest.fixture
def workspace() -> str:
    """A workspace of its own in the shared database: the test sees no other test's records."""
    return f"T{uuid.uuid4().hex[:10].upper()}"


@pytest.fixture
def settings(tmp_path: Path, standin: SlackStandIn, engine: dict[str, object]) -> Settings:
    return load_settings(
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=standin.base_url,
        motebot_db=tmp_path / "db" / "motebot.json",
        motebot_channel="C0STYRING",
        motebot_body_name="Styringsgruppen for Akson",
        motebot_admins=[ADMIN],
        **engine,
    )


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


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk retries what it retries in production, each wait a twentieth as long (Retry-After: 1 and the
    back-off's seconds of jitter): these tests are about what is retried and what lands, not the wait."""
    sleep = time.sleep
    quick = SimpleNamespace(sleep=lambda seconds: sleep(seconds / 20))
    monkeypatch.setattr(handler, "time", quick)
    monkeypatch.setattr(builtin_handlers, "time", quick)


@pytest.fixture
def two(bot: RunningBot) -> RunningBot:
    """Akson (the seed, in C0STYRING) and Nasjonalt e-helsestyre in C0EHELSE; the leder is in both."""
    return add_ehelse(bot)
