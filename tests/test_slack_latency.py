"""A slow Slack method holds up only its own lane: what a member waits to see goes first, and gives up in time."""

from __future__ import annotations

import threading
import time

from tests.support import LEDER, SEKRETARIAT, RunningBot

HANG = 3.5  # seconds Slack takes to answer a hanging views.open: longer than a trigger_id lives (3 s)
SLOW = 2.0  # seconds the vote messages' chat.update calls hang: a modal waiting behind them would be late


def _wait_for(bot: RunningBot, method: str, count: int = 1, within: float = 10.0) -> float:
    """Seconds until the stand-in has answered `count` calls to `method`."""
    start = time.monotonic()
    while len(bot.standin.calls_to(method)) < count and time.monotonic() - start < within:
        time.sleep(0.02)
    assert len(bot.standin.calls_to(method)) >= count, f"no {method} within {within} s"
    return time.monotonic() - start


def _open_four_votes(bot: RunningBot) -> None:
    for n, title in enumerate(("Innkjøp av utstyr", "Ny leverandør", "Budsjett for 2021"), start=20):
        bot.slack.command("/dagsorden", f"ny 4/20 Beslutning {title}", user_id=SEKRETARIAT)
        bot.slack.command("/dagsorden", f"endre {n}/20 forslag Styringsgruppen vedtar.", user_id=SEKRETARIAT)
    for case in ("", "20/20", "21/20", "22/20"):
        reply = bot.slack.command("/avstemning", case, user_id=LEDER)
        assert reply.status == 200
    bot.settle()
    assert len(bot.standin.calls_to("chat.postMessage")) == 4


def test_the_new_case_modal_opens_at_once_while_chat_update_hangs(bot: RunningBot) -> None:
    _open_four_votes(bot)
    for _ in range(4):
        bot.standin.slow_next("chat.update", SLOW)
    bot.slack.command("/dagsorden", "endre 18/20 tittel Status nå", user_id=SEKRETARIAT)  # every vote refreshes
    time.sleep(0.3)  # the four chat.update calls are hanging now
    assert bot.slack.command("/dagsorden", "ny", user_id=SEKRETARIAT).status == 200
    assert _wait_for(bot, "views.open") < 1.0
    assert not bot.standin.calls_to("chat.update")  # they still hang: the modal did not wait behind them
    bot.settle()
    assert len(bot.standin.calls_to("chat.update")) == 4


def test_a_hanging_views_open_gives_up_before_the_trigger_expires_and_says_so(bot: RunningBot) -> None:
    bot.standin.slow_next("views.open", HANG)
    assert bot.slack.command("/dagsorden", "ny", user_id=SEKRETARIAT).status == 200
    assert _wait_for(bot, "response_url") < 4.0
    assert "Kunne ikke åpne skjemaet for ny sak." in bot.standin.calls_to("response_url")[-1].params["text"]
    assert bot.slack.command("/dagsorden", "ny", user_id=SEKRETARIAT).status == 200
    assert _wait_for(bot, "views.open") < 1.0  # the lane is free again; the next modal opens at once


def test_a_notice_being_read_never_holds_up_the_other_background_work() -> None:
    """Reading files has a lane of its own: with both of its workers busy, a vote refresh still goes out."""
    from slack_sdk import WebClient

    from handlers.context import Background

    client = WebClient(token="xoxb-unused", base_url="http://127.0.0.1:9/api/")
    background = Background(client, client)
    release = threading.Event()
    try:
        for _ in range(3):
            background.documents(release.wait)
        done = background.submit(lambda: "refreshed")
        assert done.result(timeout=5) == "refreshed"
        assert background.prompt(lambda: "modal").result(timeout=5) == "modal"
    finally:
        release.set()
        background.shutdown()
