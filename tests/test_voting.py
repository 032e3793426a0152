"""Voting in the channel, over signed HTTP: roster, opening, clicks, closing, decisions, restarts."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.core.domain import Role, Serial, VoteState
from bot.slack.views import VOTE_ACTIONS, VOTE_CLOSE_ACTION, VOTE_RESTART_ACTION
from tests.durable import db_bytes
from tests.support import ADMIN, LEDER, MEDLEM, OBSERVATOR, SEKRETARIAT, STRANGER, RunningBot

FOR, MOT, AVSTAR = VOTE_ACTIONS.values()


def _open(bot: RunningBot, text: str = "", user_id: str = LEDER) -> int:
    reply = bot.slack.command("/avstemning", text, user_id=user_id)
    assert "er startet i kanalen" in reply.all_text(), reply.all_text()
    bot.settle()
    return bot.store.votes.all(open_only=True)[-1].id


def _vote_posts(bot: RunningBot) -> list[dict]:
    return [c.params for c in bot.standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0STYRING"]


def _last_shown(bot: RunningBot) -> str:
    """The vote message as the channel shows it now: the last post or update."""
    calls = [c for c in bot.standin.calls if c.method in ("chat.postMessage", "chat.update")]
    return json.dumps(calls[-1].params, ensure_ascii=False)


def _ephemeral_answers(bot: RunningBot) -> list[str]:
    return [c.params.get("text", "") for c in bot.standin.calls_to("response_url")]


def test_roster_by_role_and_who_may_change_it(bot: RunningBot) -> None:
    text = bot.slack.command("/medlemmer", user_id=MEDLEM).all_text()
    assert f"*Leder:* <@{LEDER}>" in text and f"*Observatører (uten stemmerett):* <@{OBSERVATOR}>" in text
    reply = bot.slack.command("/medlemmer", "leggtil <@U0NY00001|kari> <@U0NY00002> medlem", user_id=SEKRETARIAT)
    assert "<@U0NY00001> og <@U0NY00002> er lagt til som medlemmer." in reply.all_text()
    assert bot.store.roster.get().roles_of("U0NY00001") == {Role.MEDLEM}
    reply = bot.slack.command("/medlemmer", "leggtil <@U0NY00001> sekretariat", user_id=ADMIN)
    assert "<@U0NY00001> var medlem og er nå sekretariat." in reply.all_text()
    assert bot.store.roster.get().roles_of("U0NY00001") == {Role.SEKRETARIAT}
    assert "<@U0NY00002> er fjernet" in bot.slack.command("/medlemmer", "fjern <@U0NY00002>", user_id=LEDER).all_text()
    before = db_bytes(bot.store)
    for user_id, text, answer in [
        (MEDLEM, "leggtil <@U0NY00003> medlem", "Bare lederen, nestlederen, sekretariatet og administratorene"),
        (OBSERVATOR, "fjern <@U0LEDER01>", "Bare lederen, nestlederen, sekretariatet og administratorene"),
        (SEKRETARIAT, "leggtil <@U0NY00003> konge", "rollen er leder, nestleder, medlem, vara, sekretariat"),
        (SEKRETARIAT, "leggtil kari medlem", "«kari» er ikke en person"),
        (SEKRETARIAT, "leggtil <!channel> medlem", "«@channel» er ikke en person"),  # Slack sends @channel so
        (SEKRETARIAT, "fjern <@U0NY00009>", "står ikke på medlemslisten"),
        (SEKRETARIAT, "kast <@U0LEDER01>", "Forstod ikke «kast»"),
    ]:
        shown = bot.slack.command("/medlemmer", text, user_id=user_id).all_text()
        assert answer.replace("<", "&lt;").replace(">", "&gt;") in shown, shown
    assert db_bytes(bot.store) == before


def test_opening_posts_the_approval_vote_for_the_next_meeting(bot: RunningBot) -> None:
    vote_id = _open(bot, user_id=SEKRETARIAT)
    vote = bot.store.votes.get(vote_id)
    assert vote is not None and vote.case == Serial(2020, 17) and vote.electorate == {LEDER, MEDLEM}
    [post] = _vote_posts(bot)
    shown = json.dumps(post, ensure_ascii=False)
    assert "Avstemning: Sak 17/20 Godkjenning av innkalling og dagsorden" in shown
    assert "Styringsgruppen godkjenner innkalling og dagsorden." in shown
    buttons = [e["text"]["text"] for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["For", "Mot", "Avstår", "Avslutt avstemning"]  # one word per choice, as the tally says
    assert vote.message_ts and vote.channel == "C0STYRING"


@pytest.mark.parametrize(
    ("user_id", "text", "answer"),
    [
        (MEDLEM, "", "Bare lederen, nestlederen og sekretariatet kan starte en avstemning"),
        (OBSERVATOR, "17/20", "Bare lederen, nestlederen og sekretariatet kan starte en avstemning"),
        (STRANGER, "", "Bare lederen, nestlederen og sekretariatet kan starte en avstemning"),
        (LEDER, "99/20", "Fant ikke sak 99/20"),
        (LEDER, "<!here>", "er ikke et saksnummer"),
    ],
)
def test_who_may_open_and_what_can_be_voted_on(bot: RunningBot, user_id: str, text: str, answer: str) -> None:
    before = db_bytes(bot.store)
    reply = bot.slack.command("/avstemning", text, user_id=user_id)
    assert answer in reply.all_text()
    assert "<!here>" not in reply.body
    assert db_bytes(bot.store) == before
    bot.settle()
    assert not _vote_posts(bot)


def test_a_case_with_a_decision_cannot_be_voted_on_again(bot: RunningBot) -> None:
    meeting = bot.store.meetings.get(Serial(2020, 4))
    assert meeting is not None
    decided = replace(meeting.cases[1], decision="Styringsgruppen tok saken til orientering.")
    bot.store.meetings.save([replace(meeting, cases=(meeting.cases[0], decided, meeting.cases[2]))])
    before = db_bytes(bot.store)
    assert "Sak 18/20 har allerede et vedtak" in bot.slack.command("/avstemning", "18/20", user_id=LEDER).all_text()
    assert db_bytes(bot.store) == before


def test_a_case_without_a_proposal_cannot_be_voted_on(bot: RunningBot) -> None:
    bot.slack.command("/dagsorden", "ny 4/20 Beslutning Budsjett", user_id=SEKRETARIAT)
    assert (
        "Sak 20/20 har ikke noe forslag til vedtak"
        in bot.slack.command("/avstemning", "20/20", user_id=LEDER).all_text()
    )
    bot.slack.command("/dagsorden", "endre 20/20 forslag Budsjettet vedtas.", user_id=SEKRETARIAT)
    _open(bot, "20/20")


def test_a_second_open_vote_on_the_same_case_is_refused(bot: RunningBot) -> None:
    _open(bot)
    assert "allerede en åpen avstemning om sak 17/20" in bot.slack.command("/avstemning", user_id=LEDER).all_text()


def _add_members(bot: RunningBot, count: int) -> list[str]:
    users = [f"U0M{n:06d}" for n in range(count)]
    with bot.store.transaction():
        for user in users:
            bot.store.roster.set_roles(user, [Role.MEDLEM])
    return users


def test_forty_members_at_once_with_double_clicks_and_observers(bot: RunningBot) -> None:
    members = _add_members(bot, 40)
    vote_id = _open(bot)
    clicks = [(user, FOR if n % 4 else MOT) for n, user in enumerate(members)]
    clicks += [(user, FOR if n % 4 else MOT) for n, user in enumerate(members[:10])]  # double clicks
    clicks += [(OBSERVATOR, FOR), (STRANGER, FOR), (SEKRETARIAT, MOT)]
    replies: list[int] = []
    barrier = threading.Barrier(len(clicks))

    def press(user: str, action: str) -> None:
        barrier.wait()
        replies.append(bot.click(user, action, str(vote_id)).status)

    threads = [threading.Thread(target=press, args=click) for click in clicks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert replies == [200] * len(clicks)
    vote = bot.store.votes.get(vote_id)
    assert vote is not None
    tally = vote.tally()
    assert (tally.for_, tally.mot, tally.avstar, tally.electorate) == (30, 10, 0, 42)
    # every click that changes something is recorded; the same click twice, once
    assert len([e for e in bot.store.votes.events(vote_id) if e.actor in members]) == 40
    bot.settle()
    assert "*For:* 30   *Mot:* 10   *Avstår:* 0   ·   40 av 42 har stemt" in _last_shown(bot)
    answers = _ephemeral_answers(bot)
    assert "Observatører har ikke stemmerett." in answers
    assert "Du står ikke på medlemslisten til Styringsgruppen for Akson og kan ikke stemme." in answers
    assert "Du er sekretariat og har ikke stemmerett." in answers
    assert len(_vote_posts(bot)) == 1


def test_changing_a_vote_and_closing_writes_the_decision(bot: RunningBot) -> None:
    vote_id = _open(bot)
    bot.click(MEDLEM, MOT, str(vote_id))
    bot.click(MEDLEM, FOR, str(vote_id))
    bot.click(LEDER, AVSTAR, str(vote_id))
    bot.click(MEDLEM, VOTE_CLOSE_ACTION, str(vote_id))  # a member may not close
    bot.settle()
    assert "Bare lederen, nestlederen og sekretariatet kan avslutte en avstemning." in _ephemeral_answers(bot)
    assert bot.click(LEDER, VOTE_CLOSE_ACTION, str(vote_id)).status == 200
    bot.settle()
    shown = _last_shown(bot)
    assert "Vedtatt:* Styringsgruppen godkjenner innkalling og dagsorden." in shown
    assert '"actions"' not in shown  # no buttons left
    text = bot.slack.command("/dagsorden", "4/20").all_text()
    assert "*Vedtak:* Styringsgruppen godkjenner innkalling og dagsorden. (For 1, mot 0, avstår 1.)" in text
    bot.click(MEDLEM, MOT, str(vote_id))
    bot.settle()
    assert _ephemeral_answers(bot)[-1] == "Avstemningen er avsluttet. Stemmen ble ikke registrert."
    assert bot.store.votes.get(vote_id).tally().mot == 0  # type: ignore[union-attr]


def test_without_quorum_nothing_is_decided(bot: RunningBot) -> None:
    _add_members(bot, 3)  # five entitled now; one vote is not half
    vote_id = _open(bot)
    bot.click(MEDLEM, FOR, str(vote_id))
    bot.click(SEKRETARIAT, VOTE_CLOSE_ACTION, str(vote_id))
    bot.settle()
    assert "Ikke vedtaksfør:* bare 1 av 5 medlemmer deltok (minst 3 trengs)" in _last_shown(bot)
    assert bot.store.meetings.all()[0].cases[0].decision is None


def test_a_vote_no_one_voted_in_says_so(bot: RunningBot) -> None:
    vote_id = _open(bot)
    bot.click(LEDER, VOTE_CLOSE_ACTION, str(vote_id))
    bot.settle()
    shown = _last_shown(bot)
    assert "*Ikke vedtaksfør:* Ingen av de 2 stemmeberettigede stemte. Det ble ikke gjort noe vedtak." in shown
    assert "bare 0 av" not in shown


def test_who_may_not_vote_is_told_why_in_their_own_words(bot: RunningBot) -> None:
    bot.slack.command("/medlemmer", "leggtil <@U0VARA001> vara", user_id=SEKRETARIAT)
    vote_id = _open(bot)
    bot.slack.command("/medlemmer", "leggtil <@U0SEINT01> medlem", user_id=SEKRETARIAT)  # after it opened
    for user in (SEKRETARIAT, "U0VARA001", "U0SEINT01"):
        bot.click(user, FOR, str(vote_id))
    bot.settle()
    assert set(_ephemeral_answers(bot)[-3:]) == {
        "Du er sekretariat og har ikke stemmerett.",
        "Du er vara og stemmer bare på plassen til et medlem med forfall.",
        "Du kom på medlemslisten etter at avstemningen ble startet, og stemmer ikke i den.",
    }
    bot.slack.command("/motebot", "målform nn", user_id=SEKRETARIAT)
    bot.click(SEKRETARIAT, FOR, str(vote_id))
    bot.settle()
    assert _ephemeral_answers(bot)[-1] == "Du er sekretariat og har ikkje røysterett."


def test_the_vote_record_is_the_cases_stemmeliste(bot: RunningBot) -> None:
    vote_id = _open(bot)
    bot.click(MEDLEM, FOR, str(vote_id))
    bot.click(LEDER, VOTE_CLOSE_ACTION, str(vote_id))
    bot.settle()
    shown = bot.slack.command("/avstemning", "stemmeliste 17/20", user_id=MEDLEM)
    assert "*Stemmeliste for sak 17/20 (avsluttet)*" in shown.all_text() and "Protokoll" not in shown.body
    assert shown.json()["text"] == "Stemmeliste for sak 17/20"
    assert "Stemmeliste for sak 17/20" in bot.slack.command("/avstemning", "protokoll 17/20", user_id=MEDLEM).body
    bot.slack.command("/motebot", "målform nn", user_id=MEDLEM)
    nynorsk = bot.slack.command("/avstemning", "røystingsliste 17/20", user_id=MEDLEM).all_text()
    assert "*Røystingsliste for sak 17/20 (avslutta)*" in nynorsk
    assert "`/avstemning røystingsliste 18/20`" in bot.slack.command("/avstemning", "hjelp", user_id=MEDLEM).all_text()


def test_a_tie_is_not_adopted(bot: RunningBot) -> None:
    vote_id = _open(bot)
    bot.click(MEDLEM, FOR, str(vote_id))
    bot.click(LEDER, MOT, str(vote_id))
    bot.click(LEDER, VOTE_CLOSE_ACTION, str(vote_id))
    bot.settle()
    assert "Ikke vedtatt:* forslaget fikk ikke flertall" in _last_shown(bot)
    assert bot.store.meetings.all()[0].cases[0].decision == "Forslaget ble ikke vedtatt. (For 1, mot 1, avstår 0.)"


def test_an_agenda_change_marks_the_vote_and_the_leder_restarts_it(bot: RunningBot) -> None:
    vote_id = _open(bot)
    bot.click(MEDLEM, FOR, str(vote_id))
    bot.settle()  # two people's answers may reach Slack in either order: the member's first, then the leder's
    bot.click(LEDER, VOTE_RESTART_ACTION, str(vote_id))
    bot.settle()
    assert "Dagsordenen er ikke endret" in _ephemeral_answers(bot)[-1]
    bot.slack.command("/dagsorden", "ny 4/20 10.00 Orientering Ny orientering om NILAR", user_id=SEKRETARIAT)
    bot.settle()
    shown = _last_shown(bot)
    assert "Dagsordenen er endret etter at avstemningen startet (versjon 1 → 2)" in shown
    assert "Start på nytt" in shown
    bot.click(LEDER, VOTE_RESTART_ACTION, str(vote_id))
    bot.settle()
    old, new = bot.store.votes.get(vote_id), bot.store.votes.all(open_only=True)[-1]
    assert old is not None and old.state is VoteState.SUPERSEDED
    assert new.id != vote_id and new.agenda_version == 2 and new.ballots == {}
    assert len(_vote_posts(bot)) == 2
    bot.click(MEDLEM, FOR, str(vote_id))
    bot.settle()
    assert _ephemeral_answers(bot)[-1] == "Avstemningen er avsluttet. Stemmen ble ikke registrert."


def test_the_record_for_the_minutes(bot: RunningBot) -> None:
    vote_id = _open(bot)
    bot.click(MEDLEM, MOT, str(vote_id))
    bot.click(MEDLEM, FOR, str(vote_id))
    text = bot.slack.command("/avstemning", "stemmeliste 17/20", user_id=SEKRETARIAT).all_text()
    assert f"24.06.2020 kl. 08.00 · <@{LEDER}> · åpnet" in text
    assert f"<@{MEDLEM}> · Mot" in text and f"<@{MEDLEM}> · For" in text
    assert (
        "Stemmelisten for en åpen avstemning er for lederen, nestlederen og sekretariatet"
        in bot.slack.command("/avstemning", "stemmeliste 17/20", user_id=MEDLEM).all_text()
    )
    bot.click(LEDER, VOTE_CLOSE_ACTION, str(vote_id))
    # any member may read it once it has closed
    closed = bot.slack.command("/avstemning", "stemmeliste 17/20", user_id=OBSERVATOR).all_text()
    assert f"*For:* <@{MEDLEM}>" in closed and f"<@{MEDLEM}> · Mot" in closed
    assert "Bare medlemmene" in bot.slack.command("/avstemning", "stemmeliste 17/20", user_id=STRANGER).all_text()


def test_reminder_goes_to_those_who_have_not_voted_and_the_vote_runs_into_the_meeting(bot: RunningBot) -> None:
    late_member = _add_members(bot, 1)[0]
    vote_id = _open(bot)
    bot.click(MEDLEM, FOR, str(vote_id))
    bot.click(LEDER, FOR, str(vote_id))
    ticker = bot.motebot.ticker

    def votes_due() -> list[str]:
        return [due.kind for due in ticker.tick() if due.kind.startswith("vote")]

    assert votes_due() == []
    bot.clock.advance(timedelta(days=6, hours=1))  # 30 June 09:00: one day before the meeting
    assert votes_due() == ["vote-reminder"]
    bot.settle()
    reminded = [
        c.params["channel"] for c in bot.standin.calls_to("chat.postMessage") if "Påminnelse" in c.params["text"]
    ]
    assert reminded == [late_member]
    assert votes_due() == []  # never twice
    assert '"vote_close"' not in json.dumps(bot.standin.calls_to("chat.postMessage")[-1].params)  # not the chair's
    bot.clock.advance(timedelta(days=1))  # the meeting begins: the vote stays open into it
    assert votes_due() == []
    assert bot.store.votes.get(vote_id).is_open  # type: ignore[union-attr]
    bot.clock.advance(timedelta(hours=1, minutes=30))  # 10.30: the meeting is over, and no one closed it
    assert votes_due() == ["vote-close"]
    bot.settle()
    vote = bot.store.votes.get(vote_id)
    assert vote is not None and vote.state is VoteState.CLOSED
    assert vote.closed_at == vote.closes_at
    assert "Vedtatt" in _last_shown(bot)
    assert bot.store.meetings.all()[0].cases[0].decision is not None


def test_votes_survive_a_restart(bot: RunningBot, settings, standin, clock) -> None:  # type: ignore[no-untyped-def]
    from tests.support import running_bot

    vote_id = _open(bot)
    bot.click(MEDLEM, FOR, str(vote_id))
    bot.settle()
    bot.motebot.stop()
    bot.store.close()
    with running_bot(settings, standin, clock, seeded=False) as again:
        assert again.click(LEDER, MOT, str(vote_id)).status == 200
        again.settle()
        vote = again.store.votes.get(vote_id)
        assert vote is not None and vote.ballots == {MEDLEM: "for", LEDER: "mot"}
        assert "*For:* 1   *Mot:* 1" in _last_shown(again)
        again.click(MEDLEM, AVSTAR, str(vote_id))
        again.click(MEDLEM, FOR, str(vote_id))
        again.click(LEDER, FOR, str(vote_id))
        again.click(SEKRETARIAT, VOTE_CLOSE_ACTION, str(vote_id))
        again.settle()
        again.motebot.stop()
        again.store.close()
    with running_bot(settings, standin, clock, seeded=False) as third:
        text = third.slack.command("/dagsorden", "4/20").all_text()
        assert "*Vedtak:* Styringsgruppen godkjenner innkalling og dagsorden. (For 2, mot 0, avstår 0.)" in text


@pytest.mark.parametrize("status", [429, 500, 503])
@pytest.mark.usefixtures("quick_retries")
def test_slack_429_and_5xx_are_retried_and_the_vote_is_posted_once(bot: RunningBot, status: int) -> None:
    bot.standin.fail_next("chat.postMessage", status, {"Retry-After": "1"} if status == 429 else {})
    vote_id = _open(bot)
    assert len(_vote_posts(bot)) == 1
    bot.standin.fail_next("chat.update", status, {"Retry-After": "1"} if status == 429 else {})
    bot.click(MEDLEM, FOR, str(vote_id))
    bot.settle()
    assert "*For:* 1" in _last_shown(bot)
    assert bot.store.votes.get(vote_id).message_ts  # type: ignore[union-attr]
    assert bot.standin.failures_served == [("chat.postMessage", status), ("chat.update", status)]


def test_renaming_the_approval_case_still_marks_its_vote_and_it_is_still_found(bot: RunningBot) -> None:
    vote_id = _open(bot)
    bot.slack.command("/dagsorden", "endre 17/20 tittel Godkjenning av møteinnkallingen", user_id=SEKRETARIAT)
    bot.settle()
    assert "versjon 1 → 2" in _last_shown(bot)
    bot.click(LEDER, VOTE_RESTART_ACTION, str(vote_id))
    bot.settle()
    assert bot.store.votes.all(open_only=True)[-1].case == Serial(2020, 17)  # found by its type now
