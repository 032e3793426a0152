"""Habilitet over the real Bolt app: a member declares that they may be inhabil in a case, the body rules on it by
a vote without them, and a member found inhabil is out of the case's vote.

forvaltningsloven (LOV-1967-02-10) § 6: a member is inhabil in a case where they (or those close to them) are a
party or have a particular interest, or where other particular circumstances weaken trust in their impartiality;
§ 8 andre ledd: in a collegial body the body itself decides, without the member whose habilitet is in question.
kommuneloven § 11-10 andre ledd applies the same to an elected body's members; § 11-2: an elected body decides
in a meeting, so its ruling vote too is held only in session.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.core.attendance import AttendanceEvent, Presence, Ruling, Session
from bot.core.domain import Role, Serial
from bot.slack.views import VOTE_ACTIONS, VOTE_CLOSE_ACTION
from bot.slack.views.common import carrying_case
from bot.slack.views.habilitet import DECLARE_RECUSAL_ACTION, RULE_RECUSAL_ACTION
from tests.durable import db_bytes
from tests.support import LEDER, MEDLEM, OBSERVATOR, SEKRETARIAT, RunningBot

FOR, MOT, AVSTAR = VOTE_ACTIONS.values()
MEETING = Serial(2020, 4)
CASE = Serial(2020, 18)
MEMBERS = ["U0KOMM001", "U0KOMM002", "U0KOMM003"]
VARA = "U0VARA001"
REASON = "Jeg er styreleder i leverandøren som har gitt tilbud"


def _members(bot: RunningBot) -> None:
    """Five seats: the leder, MEDLEM and three more; quorum is three."""
    with bot.store.transaction():
        for user in MEMBERS:
            bot.store.roster.set_roles(user, [Role.MEDLEM])


def _elected(bot: RunningBot) -> None:
    body = bot.store.own_body()
    assert body is not None
    bot.store.save_own_body(replace(body, profile="folkevalgt"))


def _set(bot: RunningBot, present: list[str], threads: dict[Serial, str] | None = None) -> None:
    """The meeting set at 09.00 with `present` in the room and `threads` for the cases taken up (the /mote flow
    does this with its buttons)."""
    bot.clock.advance(timedelta(days=7, hours=1))  # 1 July 09.00
    now = bot.clock.now()
    with bot.store.transaction():
        bot.store.sessions.save(
            Session(MEETING, now, SEKRETARIAT, LEDER, channel="C0STYRING", current=CASE, threads=threads or {})
        )
        for user in present:
            bot.store.attendance.add(MEETING, AttendanceEvent(now, user, Presence.ARRIVED, SEKRETARIAT))


def _habilitet(bot: RunningBot, text: str, user_id: str = MEDLEM) -> str:
    reply = bot.slack.command("/habilitet", text, user_id=user_id)
    assert reply.status == 200
    bot.settle()
    return reply.all_text()


def _posted(bot: RunningBot) -> list[dict]:
    return [c.params for c in bot.standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0STYRING"]


def _shown(post: dict) -> str:
    return json.dumps(post, ensure_ascii=False)


def _said(bot: RunningBot) -> list[str]:
    """What the clickers were told, ephemerally."""
    return [json.dumps(c.params, ensure_ascii=False) for c in bot.standin.calls_to("response_url")]


def _buttons(post: dict) -> list[tuple[str, str, str]]:
    return [
        (e["text"]["text"], e["action_id"], e.get("value", ""))
        for b in post["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def _ruling_vote(bot: RunningBot, user: str = LEDER, who: str = MEDLEM) -> int:
    answer = _habilitet(bot, f"18/20 avgjør <@{who}|kari>", user_id=user)
    assert f"Avstemningen om <@{who}> er inhabil i sak 18/20, er startet i kanalen" in answer, answer
    return bot.store.votes.all(open_only=True)[-1].id


def _close(bot: RunningBot, vote_id: int, ballots: list[tuple[str, str]]) -> None:
    for user, action in ballots:
        assert bot.click(user, action, str(vote_id)).status == 200
    bot.click(LEDER, VOTE_CLOSE_ACTION, str(vote_id))
    bot.settle()


def test_found_inhabil_the_member_is_out_of_the_case(bot: RunningBot) -> None:
    """forvaltningsloven § 6 (the member says so), § 8 andre ledd (the body rules, without the member): declare →
    the case's vote waits → the ruling vote excludes the member → adopted → out of the case's vote."""
    _members(bot)
    answer = _habilitet(bot, f"18/20 {REASON}")
    assert "Du har meldt at du kan være inhabil i sak 18/20" in answer
    [post] = _posted(bot)
    shown = _shown(post)
    assert "*Habilitet i sak 18/20" in shown and f"<@{MEDLEM}> kan være inhabil (forvaltningsloven § 6)" in shown
    assert f"*Grunn:* {REASON}" in shown
    assert "Organet avgjør det uten" in shown and "forvaltningsloven § 8 andre ledd" in shown
    [(label, action, _value)] = _buttons(post)
    assert (label, action) == ("Avgjør habiliteten", RULE_RECUSAL_ACTION)
    [recusal] = bot.store.recusals.of(MEETING)
    assert (recusal.case, recusal.user, recusal.reason, recusal.ruling) == (CASE, MEDLEM, REASON, None)

    before = db_bytes(bot.store)
    refused = bot.slack.command("/avstemning", "18/20", user_id=LEDER).all_text()
    assert "Organet har ennå ikke avgjort om <@U0MEDLEM1> er inhabil i sak 18/20" in refused
    assert db_bytes(bot.store) == before

    vote_id = _ruling_vote(bot)
    vote = bot.store.votes.get(vote_id)
    assert vote is not None and vote.recusal_of == MEDLEM and MEDLEM not in vote.electorate
    assert vote.electorate == {LEDER, *MEMBERS} and vote.proposal == REASON
    assert bot.store.recusals.of(MEETING)[0].vote == vote_id
    ruling_post = _shown(_posted(bot)[-1])
    assert "Avstemning om habilitet: Sak 18/20" in ruling_post and f"Oppgitt grunn: {REASON}" in ruling_post
    assert ":warning:" not in ruling_post  # the reason is not the case's proposal, and is no change of it

    bot.click(MEDLEM, FOR, str(vote_id))
    bot.settle()
    assert any("Du deltar ikke i avstemningen om din egen habilitet (forvaltningsloven § 8)" in s for s in _said(bot))
    assert bot.store.votes.get(vote_id).ballots == {}  # type: ignore[union-attr]
    _close(bot, vote_id, [(LEDER, FOR), (MEMBERS[0], FOR), (MEMBERS[1], MOT)])
    assert bot.store.recusals.of(MEETING)[0].ruling is Ruling.INHABIL
    assert f"Inhabil:* <@{MEDLEM}> deltar ikke i behandlingen av sak 18/20" in _shown(_posted(bot)[-1])

    case_vote = bot.slack.command("/avstemning", "18/20", user_id=LEDER)
    assert "er startet i kanalen" in case_vote.all_text()
    bot.settle()
    opened = bot.store.votes.all(open_only=True)[-1]
    assert opened.recusal_of is None and opened.electorate == {LEDER, *MEMBERS}
    assert f":no_entry: Inhabil: <@{MEDLEM}>" in _shown(_posted(bot)[-1])
    bot.click(MEDLEM, FOR, str(opened.id))
    bot.settle()
    assert any("Du er funnet inhabil i sak 18/20 og stemmer ikke i den." in s for s in _said(bot))
    assert bot.store.votes.get(opened.id).ballots == {}  # type: ignore[union-attr]

    listed = _habilitet(bot, "18/20", user_id=OBSERVATOR)
    assert "Habilitet i sak 18/20" in listed and f"<@{MEDLEM}> · {REASON}" in listed
    assert "*Inhabil* (avgjort" in listed
    assert "For 2, mot 1, avstår 0." in listed
    before = db_bytes(bot.store)
    assert "Organet har allerede funnet <@U0MEDLEM1> inhabil" in _habilitet(bot, "18/20 trekk")
    assert "allerede funnet" in _habilitet(bot, "18/20 avgjør <@U0MEDLEM1>", user_id=LEDER)
    assert db_bytes(bot.store) == before


def test_found_not_inhabil_the_member_votes_in_the_case(bot: RunningBot) -> None:
    """forvaltningsloven § 8 andre ledd: the body may find the member not inhabil; then they take part."""
    _members(bot)
    _habilitet(bot, "18/20 Min svoger jobber i direktoratet")
    vote_id = _ruling_vote(bot, user=SEKRETARIAT)
    _close(bot, vote_id, [(LEDER, MOT), (MEMBERS[0], MOT), (MEMBERS[1], FOR)])
    assert bot.store.recusals.of(MEETING)[0].ruling is Ruling.HABIL
    assert f"Ikke inhabil:* <@{MEDLEM}> deltar i behandlingen av sak 18/20" in _shown(_posted(bot)[-1])
    assert "er startet i kanalen" in bot.slack.command("/avstemning", "18/20", user_id=LEDER).all_text()
    bot.settle()
    opened = bot.store.votes.all(open_only=True)[-1]
    assert MEDLEM in opened.electorate and "Inhabil:" not in _shown(_posted(bot)[-1])
    bot.click(MEDLEM, FOR, str(opened.id))
    assert bot.store.votes.get(opened.id).ballots == {MEDLEM: "for"}  # type: ignore[union-attr]
    assert "*Ikke inhabil* (avgjort" in _habilitet(bot, "18/20")


def test_without_quorum_there_is_no_ruling_and_the_body_votes_again(bot: RunningBot) -> None:
    """A ruling is a decision of the body, and needs quorum like any (kommuneloven § 11-9 første ledd): one of
    five seats taking part decides nothing; the case's vote still waits, and the ruling is voted on again."""
    _members(bot)
    _habilitet(bot, f"18/20 {REASON}")
    first = _ruling_vote(bot)
    _close(bot, first, [(LEDER, FOR)])
    recusal = bot.store.recusals.of(MEETING)[0]
    assert recusal.ruling is None and recusal.vote == first
    assert "Organet har ennå ikke avgjort" in bot.slack.command("/avstemning", "18/20", user_id=LEDER).all_text()
    assert "ikke avgjort: avstemningen var ikke vedtaksfør" in _habilitet(bot, "18/20")
    again = _ruling_vote(bot)
    assert again != first and bot.store.recusals.of(MEETING)[0].vote == again
    _close(bot, again, [(LEDER, FOR), (MEMBERS[0], FOR), (MEMBERS[1], FOR)])
    assert bot.store.recusals.of(MEETING)[0].ruling is Ruling.INHABIL
    assert bot.store.votes.get(first).state.value == "avsluttet"  # type: ignore[union-attr]  # kept in the record


def test_an_elected_body_rules_in_the_meeting_in_the_case_thread(bot: RunningBot) -> None:
    """kommuneloven § 11-2 (decisions in a meeting) and § 11-10 andre ledd with forvaltningsloven § 8 andre ledd:
    an elected body's ruling vote opens only in session; the declaration and the vote go in the case's thread."""
    _members(bot)
    _elected(bot)
    _habilitet(bot, f"18/20 {REASON}")
    assert _posted(bot)[-1].get("thread_ts") is None  # before the meeting: in the channel
    before = db_bytes(bot.store)
    refused = _habilitet(bot, "18/20 avgjør <@U0MEDLEM1>", user_id=LEDER)
    assert "Et folkevalgt organ stemmer bare i møtet (kommuneloven § 11-2)" in refused
    assert db_bytes(bot.store) == before
    _habilitet(bot, "18/20 trekk")
    assert bot.store.recusals.of(MEETING) == ()

    _set(bot, [LEDER, MEDLEM, *MEMBERS], threads={CASE: "1593586800.000200"})
    _habilitet(bot, f"18/20 {REASON}")
    assert _posted(bot)[-1]["thread_ts"] == "1593586800.000200"
    vote_id = _ruling_vote(bot)
    vote = bot.store.votes.get(vote_id)
    assert vote is not None and vote.in_session and vote.thread_ts == "1593586800.000200"
    assert vote.electorate == {LEDER, *MEMBERS}
    assert _posted(bot)[-1]["thread_ts"] == "1593586800.000200"


def test_the_secretariat_declares_for_a_member_and_the_chair_rules_by_the_button(bot: RunningBot) -> None:
    _members(bot)
    answer = _habilitet(bot, "sak 18/20 <@U0MEDLEM1|kari> Er gift med en av søkerne", user_id=SEKRETARIAT)
    assert f"<@{MEDLEM}> er meldt mulig inhabil i sak 18/20" in answer
    post = _posted(bot)[-1]
    assert f"Meldt av <@{SEKRETARIAT}>" in _shown(post)
    [(_label, action, value)] = _buttons(post)
    bot.click(MEDLEM, action, value)  # not the chair
    bot.settle()
    assert any("Bare lederen, nestlederen og sekretariatet kan be organet avgjøre habiliteten" in s for s in _said(bot))
    assert not bot.store.votes.all()
    bot.click(LEDER, action, value)
    bot.settle()
    [vote] = bot.store.votes.all(open_only=True)
    assert vote.recusal_of == MEDLEM and vote.message_ts
    assert any(f"Avstemningen om <@{MEDLEM}> er inhabil i sak 18/20, er startet" in s for s in _said(bot))
    assert "Avstemning om habilitet: Sak 18/20" in _shown(_posted(bot)[-1])
    bot.click(LEDER, action, value)  # twice: the vote is open already
    bot.settle()
    assert any("Organet stemmer nå over om" in s for s in _said(bot))
    assert len(bot.store.votes.all()) == 1


def test_the_button_on_a_case_declares_the_clicker_and_a_reason_can_follow(bot: RunningBot) -> None:
    """The in-meeting case message carries [Jeg kan være inhabil]: a declaration without a reason yet."""
    body = bot.store.own_body()
    assert body is not None
    bot.click(MEDLEM, DECLARE_RECUSAL_ACTION, carrying_case(body.id, CASE))
    bot.settle()
    assert any("Skriv `/habilitet 18/20 grunnen din` for å si hvorfor." in s for s in _said(bot))
    [recusal] = bot.store.recusals.of(MEETING)
    assert recusal.user == MEDLEM and recusal.reason == ""
    assert "*Grunn:* ingen grunn oppgitt ennå" in _shown(_posted(bot)[-1])
    answer = _habilitet(bot, f"18/20 {REASON}")
    assert f"Grunnen er endret, og kanalen har fått beskjed: {REASON}" in answer
    assert bot.store.recusals.of(MEETING)[0].reason == REASON
    assert "har oppgitt en ny grunn" in _shown(_posted(bot)[-1]) and len(_posted(bot)) == 2
    bot.click(OBSERVATOR, DECLARE_RECUSAL_ACTION, carrying_case(body.id, CASE))
    bot.settle()
    assert any("Bare medlemmer med plass i møte 4/20, eller en vara som har en plass" in s for s in _said(bot))
    assert len(bot.store.recusals.of(MEETING)) == 1


def test_a_vara_holding_a_seat_may_declare_and_withdrawing_deletes(bot: RunningBot) -> None:
    """The vara votes in the seat, so the vara may be inhabil in a case; a declaration withdrawn before the
    ruling is deleted, and the case's vote may then be held."""
    now = bot.clock.now()
    with bot.store.transaction():
        bot.store.roster.set_roles(VARA, [Role.VARA])
        bot.store.attendance.add(MEETING, AttendanceEvent(now, MEDLEM, Presence.ABSENT, MEDLEM, reason="syk"))
        bot.store.attendance.add(MEETING, AttendanceEvent(now, VARA, Presence.VARA_ACCEPTED, VARA, seat=MEDLEM))
    assert "Bare medlemmer med plass" in _habilitet(bot, "18/20 grunn")  # a vara holds MEDLEM's seat
    assert "Du har meldt at du kan være inhabil" in _habilitet(bot, f"18/20 {REASON}", user_id=VARA)
    assert "Det du meldte i sak 18/20, er trukket (slettet)." in _habilitet(bot, "18/20 trekk", user_id=VARA)
    assert bot.store.recusals.of(MEETING) == ()
    assert "er startet i kanalen" in bot.slack.command("/avstemning", "18/20", user_id=LEDER).all_text()


def test_a_meeting_lists_every_declaration(bot: RunningBot) -> None:
    _habilitet(bot, f"18/20 {REASON}")
    _habilitet(bot, "19/20 <@U0LEDER01> Inhabil som tidligere saksbehandler", user_id=SEKRETARIAT)
    for text in ("4/20", "møte 4/20", ""):
        listed = _habilitet(bot, text, user_id=OBSERVATOR)
        assert "Habilitet i møte 4/20" in listed, text
        assert f"Sak 18/20 · <@{MEDLEM}>" in listed and f"Sak 19/20 · <@{LEDER}>" in listed
        assert f"(meldt av <@{SEKRETARIAT}>)" in listed and "venter på at organet avgjør det" in listed
    assert "Ingen har meldt at de kan være inhabile i sak 17/20." in _habilitet(bot, "17/20")


@pytest.mark.parametrize(
    ("user_id", "text", "answer"),
    [
        (OBSERVATOR, "18/20 grunn", "Bare medlemmer med plass i møte 4/20"),
        (SEKRETARIAT, "18/20 grunn", "Bare medlemmer med plass i møte 4/20"),  # no seat of their own
        (MEDLEM, "99/20 grunn", "Fant ikke sak 99/20"),
        (
            MEDLEM,
            "18/20 <@U0LEDER01> grunn",
            "Bare lederen, nestlederen og sekretariatet kan melde andre mulig inhabile",
        ),
        (SEKRETARIAT, "18/20 <@U0OBSERV1> grunn", "har ingen plass med stemmerett i møte 4/20"),
        (MEDLEM, "18/20 <!channel> grunn", "«@channel» er ikke en person"),
        (MEDLEM, "18/20 " + "lang " * 120, "Grunnen er 599 tegn; det er plass til 500"),
        (MEDLEM, "atten grunn", "«atten» er ikke et saksnummer"),
        (LEDER, "18/20 avgjør <@U0MEDLEM1>", "har ikke meldt seg mulig inhabil i sak 18/20"),
        (LEDER, "18/20 avgjør", "Ingen har meldt seg mulig inhabil i sak 18/20"),
        (LEDER, "18/20 avgjør kari", "«kari» er ikke en person"),
        (MEDLEM, "18/20 avgjør <@U0MEDLEM1>", "Bare lederen, nestlederen og sekretariatet kan be organet avgjøre"),
        (MEDLEM, "18/20 trekk", "Du har ikke meldt deg mulig inhabil i sak 18/20"),
        (
            MEDLEM,
            "18/20 trekk <@U0LEDER01>",
            "Bare lederen, nestlederen og sekretariatet kan trekke det andre har meldt",
        ),
        (MEDLEM, "5/21", "Fant verken en sak eller et møte 5/21"),
    ],
)
def test_bad_input_changes_nothing(bot: RunningBot, user_id: str, text: str, answer: str) -> None:
    before = db_bytes(bot.store)
    reply = bot.slack.command("/habilitet", text, user_id=user_id)
    assert answer in reply.all_text(), reply.all_text()
    assert "<!channel>" not in reply.body
    bot.settle()
    assert db_bytes(bot.store) == before
    assert not _posted(bot)


def test_no_declaration_once_decided_or_while_the_case_is_voted_on(bot: RunningBot) -> None:
    """A declaration comes before the case is voted on: an open vote is stopped first, a decided case is closed."""
    assert "er startet i kanalen" in bot.slack.command("/avstemning", "18/20", user_id=LEDER).all_text()
    bot.settle()
    before = db_bytes(bot.store)
    assert "Avstemningen om sak 18/20 er åpen" in _habilitet(bot, f"18/20 {REASON}")
    assert db_bytes(bot.store) == before
    meeting = bot.store.meetings.get(MEETING)
    assert meeting is not None
    decided = replace(meeting.cases[2], decision="Tatt til orientering.")
    bot.store.meetings.save([replace(meeting, cases=(*meeting.cases[:2], decided))])
    before = db_bytes(bot.store)
    assert "Sak 19/20 har allerede et vedtak" in _habilitet(bot, f"19/20 {REASON}")
    assert db_bytes(bot.store) == before
