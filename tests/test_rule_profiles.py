"""Each rule profile over the real Bolt app: what a body's members see when the rules of kommuneloven apply, and
when a steering group's do. The pure rules and their sources are in tests/test_procedure.py."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from bot.core.attendance import AttendanceEvent, Presence, Session
from bot.core.domain import Role, Serial
from bot.slack.views import VOTE_ACTIONS, VOTE_CLOSE_ACTION
from tests.durable import db_bytes
from tests.support import LEDER, MEDLEM, SEKRETARIAT, RunningBot

FOR, MOT, AVSTAR = VOTE_ACTIONS.values()
MEETING = Serial(2020, 4)
MEMBERS = ["U0KOMM001", "U0KOMM002", "U0KOMM003"]


def _elected(bot: RunningBot) -> None:
    body = bot.store.own_body()
    assert body is not None
    bot.store.save_own_body(replace(body, profile="folkevalgt"))
    with bot.store.transaction():
        for user in MEMBERS:
            bot.store.roster.set_roles(user, [Role.MEDLEM])


def _set(bot: RunningBot, present: list[str]) -> None:
    """The meeting set at 09.00 with `present` in the room (the /mote flow does this with its buttons)."""
    bot.clock.advance(timedelta(days=7, hours=1))  # 1 July 09.00
    now = bot.clock.now()
    with bot.store.transaction():
        bot.store.sessions.save(Session(MEETING, now, SEKRETARIAT, LEDER, channel="C0STYRING"))
        for user in present:
            bot.store.attendance.add(MEETING, AttendanceEvent(now, user, Presence.ARRIVED, SEKRETARIAT))


def _open(bot: RunningBot, case: str = "17/20") -> int:
    reply = bot.slack.command("/avstemning", case, user_id=LEDER)
    assert "er startet i kanalen" in reply.all_text(), reply.all_text()
    bot.settle()
    return bot.store.votes.all(open_only=True)[-1].id


def _posted(bot: RunningBot) -> list[dict]:
    return [c.params for c in bot.standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0STYRING"]


def test_an_elected_body_votes_only_in_the_meeting(bot: RunningBot) -> None:
    """kommuneloven § 11-2: an elected body decides in meetings; before the meeting is set, no vote opens."""
    _elected(bot)
    before = db_bytes(bot.store)
    answer = bot.slack.command("/avstemning", "17/20", user_id=LEDER).all_text()
    assert "Møte 4/20 er ikke satt. Et folkevalgt organ stemmer bare i møtet (kommuneloven § 11-2)" in answer
    assert db_bytes(bot.store) == before


def test_a_tie_in_an_elected_body_is_decided_by_the_chair_and_names_are_in_the_result(bot: RunningBot) -> None:
    """kommuneloven § 11-9 tredje ledd (the chair's vote decides a tie), § 8-1 andre ledd (no abstaining),
    § 11-4 (an open vote, the names in the record)."""
    _elected(bot)
    _set(bot, [LEDER, MEDLEM, *MEMBERS])
    vote_id = _open(bot)
    [post] = _posted(bot)
    buttons = [e["text"]["text"] for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["For", "Mot", "Avslutt avstemning"]  # no Avstår: every member present must vote
    assert "åpen til møtelederen avslutter den" in json.dumps(post, ensure_ascii=False)
    bot.click(MEMBERS[0], AVSTAR, str(vote_id))  # an old button, or a forged click
    bot.settle()
    said = [c.params.get("text", "") for c in bot.standin.calls_to("response_url")]
    assert any("plikt til å stemme for eller mot (kommuneloven § 8-1)" in text for text in said)
    assert bot.store.votes.get(vote_id).ballots == {}  # type: ignore[union-attr]
    for user, action in [(LEDER, FOR), (MEDLEM, FOR), (MEMBERS[0], MOT), (MEMBERS[1], MOT)]:
        assert bot.click(user, action, str(vote_id)).status == 200
    bot.clock.advance(timedelta(hours=3))  # past the planned end: in session, the vote waits for the chair
    bot.motebot.ticker.tick()
    bot.settle()
    assert bot.store.votes.get(vote_id).is_open  # type: ignore[union-attr]
    bot.click(LEDER, VOTE_CLOSE_ACTION, str(vote_id))
    bot.settle()
    result = json.dumps(_posted(bot)[-1], ensure_ascii=False)  # a new message under the vote, not an edit
    assert "Vedtatt:* Styringsgruppen godkjenner innkalling og dagsorden." in result
    assert "Møtelederens dobbeltstemme avgjorde ved stemmelikhet." in result
    assert f"*For:* <@{LEDER}>, <@{MEDLEM}>" in result and f"*Mot:* <@{MEMBERS[0]}>, <@{MEMBERS[1]}>" in result
    assert _posted(bot)[-1]["thread_ts"] == bot.store.votes.get(vote_id).message_ts  # type: ignore[union-attr]
    agenda = bot.slack.command("/dagsorden", "4/20").all_text()
    assert "(For 2, mot 2; vedtatt med møtelederens dobbeltstemme.)" in agenda


def test_quorum_is_counted_from_the_seats_not_from_those_present(bot: RunningBot) -> None:
    """kommuneloven § 11-9 første ledd: at least half of the members present and voting. Two of five present."""
    _elected(bot)
    _set(bot, [LEDER, MEDLEM])
    vote_id = _open(bot)
    assert bot.store.votes.get(vote_id).electorate == {LEDER, MEDLEM}  # type: ignore[union-attr]
    bot.click(LEDER, FOR, str(vote_id))
    bot.click(MEDLEM, FOR, str(vote_id))
    bot.click(LEDER, VOTE_CLOSE_ACTION, str(vote_id))
    bot.settle()
    result = json.dumps(_posted(bot)[-1], ensure_ascii=False)
    assert "Ikke vedtaksfør:* bare 2 av 5 medlemmer deltok (minst 3 trengs)" in result
    assert bot.store.meetings.get(MEETING).cases[0].decision is None  # type: ignore[union-attr]


def test_an_administrative_tie_falls_and_abstaining_counts_for_quorum(bot: RunningBot) -> None:
    """A steering group's rules: a majority of the votes cast, abstaining allowed and counted as taking part,
    no casting vote."""
    with bot.store.transaction():
        for user in MEMBERS:
            bot.store.roster.set_roles(user, [Role.MEDLEM])
    vote_id = _open(bot)  # before the meeting: allowed under administrativt
    for user, action in [(LEDER, FOR), (MEDLEM, MOT), (MEMBERS[0], AVSTAR)]:
        bot.click(user, action, str(vote_id))
    bot.click(LEDER, VOTE_CLOSE_ACTION, str(vote_id))
    bot.settle()
    result = json.dumps(_posted(bot)[-1], ensure_ascii=False)
    assert "Ikke vedtatt:* forslaget fikk ikke flertall." in result and "dobbeltstemme" not in result
    assert "*For:* 1   *Mot:* 1   *Avstår:* 1   ·   3 av 5 har stemt" in result
    assert "<@" not in result  # an administrative result gives counts; the names are in the record


def test_where_no_one_may_abstain_the_count_does_not_show_abstained(bot: RunningBot) -> None:
    """kommuneloven § 8-1: a member present votes for or against; «Avstår: 0» would say otherwise."""
    _elected(bot)
    _set(bot, [LEDER, MEDLEM])
    vote_id = _open(bot)
    bot.click(LEDER, FOR, str(vote_id))
    bot.settle()
    shown = json.dumps([c.params for c in bot.standin.calls_to("chat.update")][-1], ensure_ascii=False)
    assert "*For:* 1   *Mot:* 0   ·   1 av 2 har stemt" in shown and "Avstår" not in shown
