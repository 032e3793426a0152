"""Forfall and vara over the real Bolt app: a member sends forfall, the secretariat is told, the next vara is asked
by DM and, on saying yes, holds the member's seat and vote in that meeting.

kommuneloven (LOV-2018-06-22-83) § 7-10: when a member has lawful forfall, the varamedlemmer are called in (in the
order they were elected, by party or group); the secretariat calls in the next vara. A steering group follows its
own mandate and does the same where it has varas.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.core.attendance import AttendanceEvent, Presence, seat_holders, voters
from bot.core.domain import Serial
from bot.slack.views import VOTE_ACTIONS
from bot.slack.views.common import carrying
from bot.slack.views.forfall import VARA_ACCEPT_ACTION, VARA_DECLINE_ACTION, carrying_seat
from bot.slack.views.mote import ATTEND_ACTION
from bot.slack.views.moteplan import REPORT_ABSENCE_ACTION
from tests.durable import db_bytes
from tests.support import LEDER, MEDLEM, OBSERVATOR, SEKRETARIAT, STRANGER, RunningBot

FOR, MOT, AVSTAR = VOTE_ACTIONS.values()
MEETING = Serial(2020, 4)
PERSONAL = "U0VARA001"  # MEDLEM's personal vara
GROUPED = "U0VARA002"  # a vara for the members of group Bergen
SHARED = "U0VARA003"  # the body's shared vara
REASON = "Sykdom i familien"


def _forfall(bot: RunningBot, text: str, user_id: str = MEDLEM) -> str:
    reply = bot.slack.command("/forfall", text, user_id=user_id)
    assert reply.status == 200
    bot.settle()
    return reply.all_text()


def _varas(bot: RunningBot) -> None:
    for text in (
        f"leggtil <@{PERSONAL}|ola> vara for <@{MEDLEM}|kari>",
        f"leggtil <@{MEDLEM}|kari> medlem gruppe Bergen",
        f"leggtil <@{GROUPED}|per> vara gruppe Bergen",
        f"leggtil <@{SHARED}|liv> vara",
    ):
        assert ":white_check_mark:" in bot.slack.command("/medlemmer", text, user_id=SEKRETARIAT).all_text()


def _dms(bot: RunningBot, user: str) -> list[str]:
    """What Møtebot sent `user` in their DM channel (the stand-in opens D… for U…)."""
    channel = "D" + user[1:]
    return [
        json.dumps(c.params, ensure_ascii=False)
        for c in bot.standin.calls_to("chat.postMessage")
        if c.params.get("channel") == channel
    ]


def _said(bot: RunningBot) -> list[dict]:
    return [c.params for c in bot.standin.calls_to("response_url")]


def test_forfall_reaches_the_secretariat_and_the_list(bot: RunningBot) -> None:
    answer = _forfall(bot, f"4/20 {REASON}")
    assert "Forfall til møte 4/20 (onsdag 1. juli 2020 kl. 09.00–10.30" in answer
    assert "sekretariatet har fått beskjed" in answer and "`/forfall 4/20 trekk`" in answer
    assert "ingen flere vara å spørre" in answer  # the seed's body has no varas
    [told] = _dms(bot, SEKRETARIAT)
    assert f"<@{MEDLEM}> har meldt forfall til møte 4/20 ({REASON})" in told
    assert bot.store.attendance.of(MEETING).absent() == {MEDLEM: REASON}

    listed = _forfall(bot, "4/20 oversikt", user_id=SEKRETARIAT)
    assert f"<@{MEDLEM}> – {REASON}" in listed and "Vara: ingen å spørre" in listed
    shown_to_member = _forfall(bot, "", user_id=OBSERVATOR)  # the next meeting's list; reasons for the secretariat
    assert f"<@{MEDLEM}>" in shown_to_member and REASON not in shown_to_member


def test_the_same_forfall_twice_is_recorded_and_told_once(bot: RunningBot) -> None:
    _forfall(bot, f"4/20 {REASON}")
    assert "er allerede meldt" in _forfall(bot, f"4/20 {REASON}")
    assert len(_dms(bot, SEKRETARIAT)) == 1
    assert "Grunnen til forfallet er endret" in _forfall(bot, "4/20 Jobbreise")
    assert bot.store.attendance.of(MEETING).absent() == {MEDLEM: "Jobbreise"}


def test_the_varas_are_asked_in_order_and_the_one_who_says_yes_holds_the_seat(bot: RunningBot) -> None:
    """Personal vara first, then the group's, then the body's shared one (kommuneloven § 7-10's order)."""
    _varas(bot)
    answer = _forfall(bot, f"4/20 {REASON}")
    assert f"Varaen din, <@{PERSONAL}>, er spurt" in answer
    [asked] = _dms(bot, PERSONAL)
    assert f"Kan du møte for <@{MEDLEM}> i møte 4/20?" in asked
    assert VARA_ACCEPT_ACTION in asked and VARA_DECLINE_ACTION in asked
    assert f"Varaen <@{PERSONAL}> er spurt" in _dms(bot, SEKRETARIAT)[-1]

    seat = carrying_seat(bot.store.id, MEETING, MEDLEM)
    assert bot.click(PERSONAL, VARA_DECLINE_ACTION, seat).status == 200
    bot.settle()
    assert "Du møter ikke for" in json.dumps(_said(bot)[-1], ensure_ascii=False)
    assert _said(bot)[-1].get("replace_original") is True  # the question's buttons are gone
    [asked_next] = _dms(bot, GROUPED)
    assert f"Kan du møte for <@{MEDLEM}>" in asked_next
    assert (
        f"<@{PERSONAL}> kan ikke møte for <@{MEDLEM}> i møte 4/20. Varaen <@{GROUPED}> er spurt"
        in (_dms(bot, SEKRETARIAT)[-1])
    )
    assert not _dms(bot, SHARED)

    bot.click(GROUPED, VARA_ACCEPT_ACTION, seat)
    bot.click(GROUPED, VARA_ACCEPT_ACTION, seat)  # twice: recorded and told once
    bot.settle()
    assert "Takk! Du møter for" in json.dumps(_said(bot)[-1], ensure_ascii=False)
    assert sum(f"<@{GROUPED}> møter for <@{MEDLEM}>" in dm for dm in _dms(bot, SEKRETARIAT)) == 1
    roster, attendance = bot.store.roster.get(), bot.store.attendance.of(MEETING)
    assert seat_holders(roster, attendance)[GROUPED] == MEDLEM and MEDLEM not in seat_holders(roster, attendance)

    listed = _forfall(bot, "4/20 oversikt", user_id=SEKRETARIAT)
    assert f"<@{PERSONAL}> kan ikke" in listed and f"<@{GROUPED}> møter" in listed


def test_a_vara_in_the_seat_votes_in_the_meeting_and_the_member_does_not(bot: RunningBot) -> None:
    _varas(bot)
    _forfall(bot, f"4/20 {REASON}")
    bot.click(PERSONAL, VARA_ACCEPT_ACTION, carrying_seat(bot.store.id, MEETING, MEDLEM))
    bot.settle()
    bot.clock.advance(timedelta(days=7, minutes=55))  # 1 July 08.55
    bot.slack.command("/mote", "start", user_id=LEDER)
    bot.settle()
    bot.click(PERSONAL, ATTEND_ACTION, carrying(bot.store.id, MEETING))
    bot.settle()
    roll = json.dumps(bot.standin.calls_to("chat.update")[-1].params, ensure_ascii=False)
    assert f"*Vara:* <@{PERSONAL}> for <@{MEDLEM}>" in roll and f"*Forfall:* <@{MEDLEM}> ({REASON})" in roll
    assert "Vedtaksfør: 2 av 2" in roll

    bot.slack.command("/mote", "neste", user_id=LEDER)
    bot.settle()
    bot.slack.command("/avstemning", "17/20", user_id=LEDER)
    bot.settle()
    [vote] = bot.store.votes.all(open_only=True)
    assert PERSONAL in vote.electorate and MEDLEM not in vote.electorate
    assert bot.click(PERSONAL, FOR, str(vote.id)).status == 200
    refused = bot.click(MEDLEM, FOR, str(vote.id))
    bot.settle()
    assert refused.status == 200
    stored = bot.store.votes.get(vote.id)
    assert stored is not None and PERSONAL in stored.ballots and MEDLEM not in stored.ballots


def test_withdrawn_forfall_releases_the_vara(bot: RunningBot) -> None:
    _varas(bot)
    _forfall(bot, f"4/20 {REASON}")
    seat = carrying_seat(bot.store.id, MEETING, MEDLEM)
    bot.click(PERSONAL, VARA_ACCEPT_ACTION, seat)
    bot.settle()
    assert "Forfallet ditt til møte 4/20 er trukket" in _forfall(bot, "4/20 trekk")
    assert f"<@{MEDLEM}> kommer likevel på møte 4/20; du trengs ikke" in _dms(bot, PERSONAL)[-1]
    roster, attendance = bot.store.roster.get(), bot.store.attendance.of(MEETING)
    assert seat_holders(roster, attendance).get(MEDLEM) == MEDLEM and PERSONAL not in seat_holders(roster, attendance)
    at = bot.clock.now()
    assert PERSONAL not in voters(roster, attendance, at, in_session=False)

    before = db_bytes(bot.store)
    bot.click(PERSONAL, VARA_ACCEPT_ACTION, seat)  # the old question, clicked again: nothing changes
    bot.settle()
    assert "kommer likevel på møte 4/20" in json.dumps(_said(bot)[-1], ensure_ascii=False)
    assert db_bytes(bot.store) == before

    _forfall(bot, "4/20 Syk likevel")  # forfall again: the released vara is asked again, first
    assert "Kan du møte for" in _dms(bot, PERSONAL)[-1] and len(_dms(bot, PERSONAL)) == 3


def test_the_notice_button_sends_forfall(bot: RunningBot) -> None:
    assert bot.click(MEDLEM, REPORT_ABSENCE_ACTION, carrying(bot.store.id, MEETING)).status == 200
    bot.settle()
    said = json.dumps(_said(bot)[-1], ensure_ascii=False)
    assert "Forfall til møte 4/20" in said and "Vil du oppgi grunn: `/forfall 4/20 grunn`" in said
    assert MEDLEM in bot.store.attendance.of(MEETING).absent()
    assert len(_dms(bot, SEKRETARIAT)) == 1


def test_the_secretariat_sends_forfall_for_a_member(bot: RunningBot) -> None:
    _varas(bot)
    answer = _forfall(bot, f"4/20 <@{MEDLEM}|kari> {REASON}", user_id=SEKRETARIAT)
    assert f"Forfall for <@{MEDLEM}> til møte 4/20 er registrert. Varaen <@{PERSONAL}> er spurt" in answer
    assert not _dms(bot, SEKRETARIAT)  # who recorded it is not told of it
    assert "er trukket" in _forfall(bot, f"4/20 trekk <@{MEDLEM}|kari>", user_id=SEKRETARIAT)


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [
        (STRANGER, "4/20 syk", "Du står ikke på medlemslisten"),
        (MEDLEM, f"4/20 <@{LEDER}|leder> syk", "Bare lederen, nestlederen og sekretariatet melder forfall for andre"),
        (MEDLEM, "syk", "Skriv møtenummeret først: `/forfall 4/20 grunn`"),
        (MEDLEM, "9/20 syk", "Fant ikke møte 9/20"),
        (MEDLEM, "4/20 trekk", "Du har ikke meldt forfall til møte 4/20"),
        (MEDLEM, "4/20 " + "x" * 600, "at most"),
        (SEKRETARIAT, "4/20 <@U0NY00009|ny> syk", "<@U0NY00009> står ikke på medlemslisten"),
        (MEDLEM, "4/20 @kari syk", "«@kari» er ikke en person"),
    ],
)
def test_bad_forfall_is_answered_and_changes_nothing(bot: RunningBot, user: str, text: str, said: str) -> None:
    before = db_bytes(bot.store)
    answer = _forfall(bot, text, user_id=user)
    if said == "at most":
        assert "tegn" in answer, answer
    else:
        assert said in answer, answer
    assert db_bytes(bot.store) == before
    assert not bot.standin.calls_to("chat.postMessage")


def test_a_forged_or_stale_vara_button_changes_nothing(bot: RunningBot) -> None:
    _varas(bot)
    _forfall(bot, f"4/20 {REASON}")
    before = db_bytes(bot.store)
    for user, value in [
        (SHARED, carrying_seat(bot.store.id, MEETING, MEDLEM)),  # not asked
        (PERSONAL, carrying_seat(bot.store.id, MEETING, LEDER)),  # not this seat
        (PERSONAL, "{not json"),
        (PERSONAL, carrying_seat(bot.store.id + 99, MEETING, MEDLEM)),  # another body
    ]:
        assert bot.click(user, VARA_ACCEPT_ACTION, value).status == 200
    bot.settle()
    assert db_bytes(bot.store) == before
    assert all("Traceback" not in json.dumps(s) for s in _said(bot))
    assert len(_said(bot)) == 4


def test_forfall_after_the_meeting_is_refused(bot: RunningBot) -> None:
    bot.clock.advance(timedelta(days=8))  # 2 July
    assert "Møte 4/20 er holdt" in _forfall(bot, "4/20 syk")


def test_a_vara_question_slack_did_not_take_is_sent_again_by_the_ticker_once(bot: RunningBot) -> None:
    """Nothing stuck: the forfall is stored, Slack drops the question to the vara twice; the member is told, and
    the ticker asks the vara a little later, once, while the secretariat's message is not sent again."""
    _varas(bot)
    bot.standin.fail_next("chat.postMessage", 0)
    bot.standin.fail_next("chat.postMessage", 0)  # post_once looks, then tries once more: both dropped
    _forfall(bot, f"4/20 {REASON}")
    assert any("Slack leverte ikke alle meldingene" in json.dumps(s, ensure_ascii=False) for s in _said(bot))
    assert ("chat.postMessage", 0) in bot.standin.failures_served
    assert not _dms(bot, PERSONAL) and len(_dms(bot, SEKRETARIAT)) == 1

    for _ in range(3):
        bot.clock.advance(timedelta(minutes=3))
        bot.motebot.ticker.tick()
        bot.settle()
    [asked] = _dms(bot, PERSONAL)
    assert f"Kan du møte for <@{MEDLEM}> i møte 4/20?" in asked
    assert len(_dms(bot, SEKRETARIAT)) == 1


def test_after_a_restart_the_ticker_sends_what_a_step_left_unsent(bot: RunningBot) -> None:
    """The process died after the forfall was stored and before its DMs: the step is in the log, so the next
    process's ticker sends them (bot.core.planner.plan_forfall), each once."""
    _varas(bot)
    with bot.store.transaction():  # what /forfall stored, as the crash left it: no DM sent
        now = bot.clock.now()
        bot.store.attendance.add(MEETING, AttendanceEvent(now, MEDLEM, Presence.ABSENT, MEDLEM, reason=REASON))
        bot.store.attendance.add(MEETING, AttendanceEvent(now, PERSONAL, Presence.VARA_ASKED, MEDLEM, seat=MEDLEM))
    bot.services.wakeup()
    bot.clock.advance(timedelta(minutes=3))
    bot.motebot.ticker.tick()
    bot.settle()
    bot.motebot.ticker.tick()
    bot.settle()
    assert len(_dms(bot, PERSONAL)) == 1 and len(_dms(bot, SEKRETARIAT)) == 1
    assert (
        f"<@{MEDLEM}> har meldt forfall til møte 4/20 ({REASON}). Varaen <@{PERSONAL}> er spurt"
        in (_dms(bot, SEKRETARIAT)[0])
    )


def test_a_click_without_a_reason_keeps_the_reason_given(bot: RunningBot) -> None:
    _forfall(bot, f"4/20 {REASON}")
    bot.click(MEDLEM, REPORT_ABSENCE_ACTION, carrying(bot.store.id, MEETING))
    bot.settle()
    assert bot.store.attendance.of(MEETING).absent() == {MEDLEM: REASON}
    assert len(_dms(bot, SEKRETARIAT)) == 1


def test_a_member_with_forfall_who_clicks_present_is_told_to_withdraw_it_first(bot: RunningBot) -> None:
    _varas(bot)
    _forfall(bot, f"4/20 {REASON}")
    bot.click(PERSONAL, VARA_ACCEPT_ACTION, carrying_seat(bot.store.id, MEETING, MEDLEM))
    bot.clock.advance(timedelta(days=7, minutes=55))
    bot.slack.command("/mote", "start", user_id=LEDER)
    bot.settle()
    before = db_bytes(bot.store)
    bot.click(MEDLEM, ATTEND_ACTION, carrying(bot.store.id, MEETING))
    bot.settle()
    assert "Kommer du likevel: `/forfall 4/20 trekk`" in json.dumps(_said(bot)[-1], ensure_ascii=False)
    assert db_bytes(bot.store) == before  # the vara keeps the seat until the forfall is withdrawn
