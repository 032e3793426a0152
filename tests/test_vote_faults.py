"""Slack's real faults around a vote's message: nothing stuck, nothing lost, nothing posted twice."""

from __future__ import annotations

import json
import threading

import pytest

from bot.core.domain import Role, Serial, VoteState
from bot.slack.views import VOTE_ACTIONS
from bot.testing.slack_requests import block_action
from bot.usecases import avstemning as voting
from handlers.scheduled import POST_EVENT
from tests.durable import begun_then_crashed
from tests.support import LEDER, MEDLEM, SEKRETARIAT, RunningBot, confirmed

FOR, MOT, AVSTAR = VOTE_ACTIONS.values()
pytestmark = pytest.mark.usefixtures("quick_retries")


def _vote_posts(bot: RunningBot) -> list[dict]:
    return [
        c.params
        for c in bot.standin.calls_to("chat.postMessage")
        if c.params.get("channel") == "C0STYRING" and "Avstemning om sak" in c.params.get("text", "")
    ]


def _shown(bot: RunningBot, ts: str) -> str:
    """What the channel's message `ts` shows now: its post, or its last update."""
    calls = [
        c
        for c in bot.standin.calls
        if (c.method == "chat.postMessage" and c.response.get("ts") == ts)
        or (c.method == "chat.update" and c.params.get("ts") == ts)
    ]
    return json.dumps(calls[-1].params, ensure_ascii=False)


def _answers(bot: RunningBot) -> list[str]:
    return [c.params.get("text", "") for c in bot.standin.calls_to("response_url")]


def _click_on(bot: RunningBot, user: str, action: str, vote_id: int, ts: str) -> int:
    """A click on the channel message `ts` (not an ephemeral one), as Slack sends it."""
    payload = block_action(user, action, str(vote_id), response_url=bot.standin.response_url("test"))
    payload["container"] = {"type": "message", "message_ts": ts, "channel_id": "C0STYRING", "is_ephemeral": False}
    payload["message"] = {"ts": ts}
    return bot.slack.interaction(payload).status


def test_a_vote_posted_while_slack_is_unreachable_is_posted_once_when_slack_is_back(bot: RunningBot) -> None:
    for _ in range(3):  # more drops than slack_sdk's connection retries
        bot.standin.fail_next("chat.postMessage", 0)
    assert "er startet i kanalen" in bot.slack.command("/avstemning", user_id=LEDER).all_text()
    bot.settle()
    [vote] = bot.store.votes.all(open_only=True)
    assert "postes så snart Slack svarer" in _answers(bot)[-1]
    for _ in range(3):  # the ticker retries (with back-off) until Slack answers
        if bot.store.votes.get(vote.id).message_ts:  # type: ignore[union-attr]
            break
        bot.motebot.ticker.tick()
    posted = bot.store.votes.get(vote.id)
    assert posted is not None and posted.is_open and posted.message_ts
    assert len(_vote_posts(bot)) == 1
    assert bot.click(MEDLEM, FOR, str(vote.id)).status == 200
    bot.settle()
    assert "*For:* 1" in _shown(bot, posted.message_ts)
    assert not [d for d in bot.motebot.ticker.tick() if d.kind.startswith("vote")]  # and never again


def test_the_chair_reposts_a_vote_that_has_no_message_instead_of_being_told_it_is_open(bot: RunningBot) -> None:
    vote = voting.open_vote(bot.services, LEDER, None)  # killed between the ack and the post
    reply = bot.slack.command("/avstemning", user_id=LEDER).all_text()
    assert "allerede en åpen avstemning" not in reply and "postes i kanalen nå" in reply
    bot.settle()
    assert len(_vote_posts(bot)) == 1 and bot.store.votes.get(vote.id).message_ts  # type: ignore[union-attr]
    reply = bot.slack.command("/avstemning", user_id=LEDER).all_text()
    assert "allerede en åpen avstemning om sak 17/20" in reply and "/avstemning avbryt 17/20" in reply
    bot.settle()
    assert len(_vote_posts(bot)) == 1


def test_a_kill_between_the_ack_and_the_post_is_healed_at_start_up(bot: RunningBot) -> None:
    vote = voting.open_vote(bot.services, LEDER, None)  # the post never began
    assert sorted(d.kind for d in bot.motebot.ticker.tick()) == ["meeting-notice", "vote-post"]
    assert len(_vote_posts(bot)) == 1 and bot.store.votes.get(vote.id).message_ts  # type: ignore[union-attr]


def test_a_kill_after_the_post_reached_slack_is_healed_without_a_second_post(bot: RunningBot) -> None:
    vote = voting.open_vote(bot.services, LEDER, None)
    key = f"vote:{vote.id}:post"
    begun_then_crashed(bot.store, key, bot.clock.now())  # the post began, reached Slack, and then the process died
    message = bot.motebot.context.vote_messages.render(vote)
    metadata = {"event_type": POST_EVENT, "event_payload": {"key": key}}
    ts = bot.motebot.app.client.chat_postMessage(channel="C0STYRING", metadata=metadata, **message.as_kwargs())["ts"]
    bot.motebot.ticker.tick()
    assert len(_vote_posts(bot)) == 1
    assert bot.store.votes.get(vote.id).message_ts == ts  # type: ignore[union-attr]


def test_a_click_on_a_message_whose_ts_was_never_recorded_counts_and_updates_it(bot: RunningBot) -> None:
    vote = voting.open_vote(bot.services, LEDER, None)
    message = bot.motebot.context.vote_messages.render(vote)  # posted; then recording its ts failed
    ts = bot.motebot.app.client.chat_postMessage(channel="C0STYRING", **message.as_kwargs())["ts"]
    assert _click_on(bot, MEDLEM, FOR, vote.id, ts) == 200
    bot.settle()
    assert bot.store.votes.get(vote.id).ballots == {MEDLEM: "for"}  # type: ignore[union-attr]
    assert "*For:* 1" in _shown(bot, ts)
    assert bot.store.votes.get(vote.id).message_ts == ts  # type: ignore[union-attr]
    assert not [d for d in bot.motebot.ticker.tick() if d.kind == "vote-post"]  # found: not posted again


def test_the_chair_cancels_an_open_vote_and_its_message_says_so(bot: RunningBot) -> None:
    reply = bot.slack.command("/avstemning", user_id=LEDER).all_text()
    assert "startet" in reply
    bot.settle()
    [vote] = bot.store.votes.all(open_only=True)
    assert (
        "Bare lederen, nestlederen og sekretariatet"
        in bot.slack.command("/avstemning", "avbryt 17/20", user_id=MEDLEM).all_text()
    )
    assert "Skriv slik" in bot.slack.command("/avstemning", "avbryt", user_id=LEDER).all_text()
    assert (
        "ingen åpen avstemning om sak 18/20"
        in bot.slack.command("/avstemning", "avbryt 18/20", user_id=LEDER).all_text()
    )
    assert bot.store.votes.get(vote.id).is_open  # type: ignore[union-attr]
    assert "er avbrutt" in bot.slack.command("/avstemning", "avbryt 17/20", user_id=SEKRETARIAT).all_text()
    bot.settle()
    assert bot.store.votes.get(vote.id).state is VoteState.CANCELLED  # type: ignore[union-attr]
    shown = _shown(bot, vote.message_ts)  # type: ignore[arg-type]
    assert "Avbrutt" in shown and '"actions"' not in shown
    assert "startet" in bot.slack.command("/avstemning", user_id=LEDER).all_text()  # a new one may begin


def test_a_post_slack_did_before_the_connection_dropped_is_not_posted_again(bot: RunningBot) -> None:
    bot.standin.drop_after_next("chat.postMessage")
    assert "startet" in bot.slack.command("/avstemning", user_id=LEDER).all_text()
    bot.settle()
    assert len(_vote_posts(bot)) == 1
    [vote] = bot.store.votes.all(open_only=True)
    assert vote.message_ts == [c.response["ts"] for c in bot.standin.calls_to("chat.postMessage")][-1]
    assert bot.standin.calls_to("conversations.history")  # it looked before posting again
    bot.motebot.ticker.tick()
    assert len(_vote_posts(bot)) == 1


def test_a_scheduled_notice_slack_did_before_the_connection_dropped_is_not_posted_again(bot: RunningBot) -> None:
    bot.standin.drop_after_next("chat.postMessage")
    bot.motebot.ticker.tick()  # 24 June 08:00: the week-before notice of 4/20
    bot.motebot.ticker.tick()
    notices = [c for c in bot.standin.calls_to("chat.postMessage") if "4/20" in json.dumps(c.params)]
    assert len(notices) == 1


def test_a_burst_of_429s_during_forty_clicks_still_leaves_the_message_true(bot: RunningBot) -> None:
    users = [f"U0M{n:06d}" for n in range(40)]
    with bot.store.transaction():
        for user in users:
            bot.store.roster.set_roles(user, [Role.MEDLEM])
    bot.slack.command("/avstemning", user_id=LEDER)
    bot.settle()
    [vote] = bot.store.votes.all(open_only=True)
    for _ in range(6):  # more than slack_sdk's rate-limit retries
        bot.standin.fail_next("chat.update", 429, {"Retry-After": "0"})
    barrier = threading.Barrier(len(users))

    def press(user: str) -> None:
        barrier.wait()
        bot.click(user, FOR, str(vote.id))

    threads = [threading.Thread(target=press, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.settle()
    assert bot.standin.failures_served == [("chat.update", 429)] * 6  # all served: the burst was real
    assert "*For:* 40" in _shown(bot, vote.message_ts)  # type: ignore[arg-type]


def test_moving_or_cancelling_the_meeting_updates_its_vote_message(bot: RunningBot) -> None:
    bot.slack.command("/avstemning", user_id=LEDER)
    bot.settle()
    [vote] = bot.store.votes.all(open_only=True)
    assert vote.meeting == Serial(2020, 4)
    bot.slack.command("/moteplan", "flytt 4/20 02.07.2020 10.00-12.00", user_id=SEKRETARIAT)
    bot.settle()
    assert "torsdag 2. juli 2020 kl. 12.00" in _shown(bot, vote.message_ts)  # type: ignore[arg-type]  # its new end
    confirmed(bot, "/moteplan", "avlys 4/20")
    bot.settle()
    shown = _shown(bot, vote.message_ts)  # type: ignore[arg-type]
    assert "Avbrutt" in shown and '"actions"' not in shown


def test_a_vote_left_without_a_message_is_posted_by_the_real_scheduler_at_start_up(
    bot: RunningBot,
    settings,
    standin,
    clock,  # type: ignore[no-untyped-def]
) -> None:
    import time

    from tests.support import running_bot, stop_bot

    vote = voting.open_vote(bot.services, LEDER, None)  # and then the process died
    bot.motebot.stop()
    bot.store.close()
    with running_bot(settings, standin, clock, seeded=False) as again:
        again.motebot.start_scheduler()
        until = time.monotonic() + 10
        while not again.store.votes.get(vote.id).message_ts and time.monotonic() < until:  # type: ignore[union-attr]
            time.sleep(0.05)
        stop_bot(again.motebot)
        assert again.store.votes.get(vote.id).message_ts  # type: ignore[union-attr]
        assert len(_vote_posts(again)) == 1


def test_a_look_slack_cannot_answer_for_now_posts_nothing_until_it_can(bot: RunningBot) -> None:
    """The connection dropped after Slack posted; the look in the channel then gets 429s beyond the retries.
    Posting anyway would post twice: the post waits until Slack can say whether it is there."""
    bot.standin.drop_after_next("chat.postMessage")
    for _ in range(4):  # more than slack_sdk's rate-limit retries
        bot.standin.fail_next("conversations.history", 429, {"Retry-After": "0"})
    bot.motebot.ticker.tick()  # 24 June 08:00: the week-before notice of 4/20
    bot.motebot.ticker.tick()  # Slack answers again: it looks, finds the notice, and posts nothing
    bot.settle()
    notices = [c for c in bot.standin.calls_to("chat.postMessage") if "4/20" in json.dumps(c.params)]
    assert len(notices) == 1
