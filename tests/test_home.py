"""The App Home tab: a member's own open publishes at once; changes reach the recent viewers paced and coalesced."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.domain import Choice, Role
from bot.run.settings import Settings
from bot.slack.views import VOTE_ACTIONS
from bot.testing.slack_standin import SlackStandIn
from handlers import home
from tests.support import LEDER, RunningBot, running_bot

VIEWERS = [f"U0VIEW{n:03d}" for n in range(200)]
PACE = 0.01  # seconds between refreshes: at most 100 a second in the test (Slack allows about 100 a minute)


@pytest.fixture
def quick_bot(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, standin: SlackStandIn, clock: ManualClock
) -> Iterator[RunningBot]:
    """The real app with the Home tab's timings shortened, so a storm fits in a few seconds."""
    monkeypatch.setattr(home, "SETTLE", 0.2)
    monkeypatch.setattr(home, "EVERY", 1.0)
    monkeypatch.setattr(home, "PACE", PACE)
    with running_bot(settings, standin, clock, seeded=True) as bot:
        yield bot


def _open_home(bot: RunningBot, user_id: str) -> None:
    event = {"type": "app_home_opened", "user": user_id, "tab": "home", "channel": "D" + user_id[1:]}
    assert bot.slack.event(event, event_id=f"Ev{user_id}{time.monotonic_ns()}").status == 200


def _publishes(bot: RunningBot) -> list[tuple[str, str]]:
    return [
        (call.params["user_id"], json.dumps(call.params["view"], ensure_ascii=False))
        for call in bot.standin.calls_to("views.publish")
    ]


def _wait_until(condition: Callable[[], object], within: float) -> bool:
    until = time.monotonic() + within
    while time.monotonic() < until:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_click_storm_reaches_200_home_tabs_paced_and_nothing_is_lost(quick_bot: RunningBot) -> None:
    bot = quick_bot
    with bot.store.transaction():
        for user_id in VIEWERS:
            bot.store.roster.set_roles(user_id, [Role.MEDLEM])
    bot.slack.command("/avstemning", user_id=LEDER)
    for user_id in VIEWERS:
        _open_home(bot, user_id)
    bot.settle()
    assert {user for user, _ in _publishes(bot)} == set(VIEWERS)  # each open published at once
    time.sleep(1.5)
    bot.standin.take_calls()
    vote_id = bot.store.votes.all(open_only=True)[0].id

    samples: list[tuple[float, int]] = []
    storming = threading.Event()

    def sample() -> None:
        while not storming.is_set():
            samples.append((time.monotonic(), len(bot.standin.calls_to("views.publish"))))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    for n, user_id in enumerate(VIEWERS):
        assert bot.click(user_id, VOTE_ACTIONS[Choice.FOR], str(vote_id)).status == 200
        if n == 100:  # a member opening Home in the middle of the storm sees it at once
            _open_home(bot, LEDER)
            assert _wait_until(lambda: any(user == LEDER for user, _ in _publishes(bot)), within=1.0)
    final = "(200 av 202 har stemt)"

    def everyone_sees_the_end() -> bool:
        last = dict(_publishes(bot))
        return all(final in last.get(user_id, "") for user_id in VIEWERS)

    assert _wait_until(everyone_sees_the_end, within=30), "a Home tab was left showing an old tally"
    storming.set()
    sampler.join()
    bot.settle()
    busiest = max(count - next(c for t, c in samples if t >= at - 1.0) for at, count in samples)
    assert busiest <= 1 / PACE + 5, f"{busiest} views.publish in one second"
    seconds = samples[-1][0] - samples[0][0]
    published = Counter(user for user, _ in _publishes(bot))
    per_viewer = max(published[user_id] for user_id in VIEWERS)
    assert per_viewer <= seconds / home.EVERY + 2, f"one Home tab published {per_viewer} times in {seconds:.0f} s"


def test_only_viewers_who_opened_home_recently_are_refreshed(quick_bot: RunningBot) -> None:
    bot = quick_bot
    for user_id in VIEWERS[:5]:
        _open_home(bot, user_id)
    bot.settle()
    bot.clock.advance(home.RECENT + timedelta(minutes=1))
    _open_home(bot, VIEWERS[5])
    bot.settle()
    bot.standin.take_calls()
    bot.slack.command("/frister", "ny 30.06.2020 Ny frist fra sekretariatet", user_id=LEDER)
    assert _wait_until(lambda: _publishes(bot), within=5)
    time.sleep(1.5)
    bot.settle()
    assert [user for user, _ in _publishes(bot)] == [VIEWERS[5]]
    _open_home(bot, VIEWERS[0])  # opening it again publishes at once, and makes them a recent viewer
    bot.settle()
    assert [user for user, _ in _publishes(bot)] == [VIEWERS[5], VIEWERS[0]]
    assert "Ny frist fra sekretariatet" in _publishes(bot)[-1][1]
