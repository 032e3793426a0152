"""Every input is untrusted: any text from anyone gets a clear answer and changes nothing it may not."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core.domain import Case, CaseType, Choice, Deadline, Meeting, Role, Serial, WorkStream
from bot.core.i18n import _
from bot.run.app import SORRY
from bot.slack.views import OPEN_APPROVAL_ACTION, VOTE_ACTIONS, VOTE_CLOSE_ACTION
from bot.slack.views.dagsorden import REMOVE_CASE_ACTION
from bot.slack.views.moteplan import CANCEL_MEETING_ACTION
from handlers import COMMANDS
from tests.blockkit import check_limits, live_mentions
from tests.durable import db_bytes
from tests.support import ADMIN, LEDER, MEDLEM, OBSERVATOR, SEKRETARIAT, STRANGER, RunningBot

ROLES = {"admin": ADMIN, "leder": LEDER, "sekretariat": SEKRETARIAT, "medlem": MEDLEM, "observatør": OBSERVATOR,
         "fremmed": STRANGER}  # fmt: skip
MANAGERS = {"admin", "leder", "sekretariat"}
SELF_SERVICE = {"/forfall", "/habilitet"}  # anyone on the roster acts for themselves: forfall, a declaration
INJECTIONS = ["<!channel>", "<!here>", "<!everyone>", "<@U0LEDER01>", "<https://evil.example|klikk her>",
              "<#C0STYRING>", "&lt;!channel&gt;", "<!subteam^S123>"]  # fmt: skip
WORDS = ["ny", "endre", "flytt", "fjern", "historikk", "alle", "utsett", "ferdig", "oppdater", "leggtil",
         "protokoll", "ical", "avlys", "hjelp", "4/20", "17/20", "18/20", "1", "2", "03.07.2020", "31.02.2021",
         "3. juli 2020", "09.00", "09.00-11.00", "25.00", "Orientering", "tittel", "kl", "forslag", "medlem",
         "<@U0NY00001>", "sted:", "ansvar:"]  # fmt: skip
UNICODE = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)
TEXTS = st.one_of(
    UNICODE,
    st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(INJECTIONS), UNICODE), max_size=8).map(" ".join),
    st.builds(lambda w, n: f"{w} " + "x" * n, st.sampled_from(WORDS), st.integers(4000, 6000)),
    st.sampled_from(["\u202e\u200b\u2066", "🙂" * 3000, " " * 50, "\n\n", "\t"]),
)


def _answer_is_clear(reply_body: str) -> dict:
    payload = json.loads(reply_body)
    assert payload.get("text"), reply_body[:200]
    assert _(SORRY) not in reply_body and "Traceback" not in reply_body
    check_limits(payload)
    return payload


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from(COMMANDS), role=st.sampled_from(sorted(ROLES)), text=TEXTS)
@example(command="/dagsorden", role="admin", text="NY")  # found on a fresh clone: the modal's empty ack
@example(command="/dagsorden", role="admin", text="payload")  # found on a fresh clone: bolt's parse_body, 404
@example(command="/motebot", role="fremmed", text=" " * 50)  # the settings, with the channel's link
def test_any_text_from_anyone_gets_a_clear_answer_and_changes_only_what_is_allowed(
    bot: RunningBot, command: str, role: str, text: str
) -> None:
    before = db_bytes(bot.store)
    started = time.monotonic()
    reply = bot.slack.command(command, text, user_id=ROLES[role])
    assert time.monotonic() - started < 3.0
    assert reply.status == 200
    if not reply.body and command == "/dagsorden" and text.casefold().split() == ["ny"] and role in MANAGERS:
        bot.settle()  # the empty ack of the modal path: the "Ny sak" form opens after it
        assert bot.standin.calls_to("views.open")
        return
    payload = _answer_is_clear(reply.body)
    own = {"<@U0LEDER01>", *(["<#C0STYRING>"] if command == "/motebot" else [])}  # built by the bot: roster, channel
    for injected in INJECTIONS[:6]:
        assert injected not in json.dumps(payload, ensure_ascii=False).replace("\\", "") or injected in own
    changed = db_bytes(bot.store) != before
    if role not in MANAGERS and not (command in SELF_SERVICE and role != "fremmed"):
        assert not changed, f"{role} changed the database with {command} {text[:80]!r}"
    elif changed:
        assert ":white_check_mark:" in reply.body, reply.body[:300]
    bot.settle()


@pytest.mark.parametrize("injected", INJECTIONS)
def test_user_text_never_reaches_slack_as_a_mention_or_link(bot: RunningBot, injected: str) -> None:
    for command, text in [
        ("/dagsorden", f"ny 4/20 Orientering Sak om {injected}"),
        ("/dagsorden", f"endre 18/20 forslag Forslag med {injected}"),
        ("/frister", f"ny 03.07.2020 Frist om {injected}"),
        ("/status", f"oppdater 1 Status med {injected}"),
        ("/moteplan", f"ny 17.09.2020 09.00-11.00 Møte om {injected} sted: {injected}"),
    ]:
        reply = bot.slack.command(command, text, user_id=SEKRETARIAT)
        assert live_mentions(json.loads(reply.body)) == [], (command, reply.body)
    bot.slack.command("/avstemning", "18/20", user_id=LEDER)  # a vote on the notice's proposal for 18/20
    bot.slack.command("/dagsorden", "endre 17/20 forslag Godkjent " + injected, user_id=SEKRETARIAT)
    bot.slack.command("/avstemning", "17/20", user_id=LEDER)
    # Text from an imported notice: a work stream's title, and a decision already made on the approval case.
    bot.store.work_streams.save(WorkStream(2, f"Område om {injected}"))
    approval = Case(Serial(2020, 80), "Godkjenning av innkalling og dagsorden", None, CaseType.GODKJENNING,
                    "Godkjent.", decision=f"Godkjent med {injected}")  # fmt: skip
    bot.store.meetings.save([Meeting(Serial(2020, 8), "Møte", date(2020, 12, 1), cases=(approval,))])
    bot.click(LEDER, OPEN_APPROVAL_ACTION, "8/20")  # refused: "Sak 80/20 har allerede et vedtak: «…»"
    bot.motebot.ticker.tick()
    bot.settle()
    outputs = [json.loads(bot.slack.command(c, a, user_id=MEDLEM).body)
               for c, a in [("/dagsorden", "4/20"), ("/dagsorden", "historikk 4/20"), ("/frister", "alle"),
                            ("/status", ""), ("/status", "historikk 1"), ("/status", "historikk 2"),
                            ("/moteplan", "alle")]]  # fmt: skip
    surfaces = ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url")
    outputs += [c.params for c in bot.standin.calls if c.method in surfaces]
    assert any("har allerede et vedtak" in c.params.get("text", "") for c in bot.standin.calls_to("response_url"))
    for message in outputs:
        mentions = live_mentions(message)
        assert all(m.startswith("<@") for m in mentions), (mentions, json.dumps(message)[:300])  # only the bot's
        assert "<@U0LEDER01>" not in json.dumps([t for t in message.get("blocks", []) if "Sak om" in json.dumps(t)])


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_is_valid_mrkdwn(bot: RunningBot, command: str) -> None:
    reply = bot.slack.command(command, "hjelp", user_id=SEKRETARIAT)
    assert "Slik bruker du" in reply.all_text()
    check_limits(reply.json())


def test_huge_agendas_lists_and_rosters_stay_within_slacks_limits(bot: RunningBot) -> None:
    cases = tuple(Case(Serial(2020, 100 + n), f"Sak nummer {n} " + "lang tittel " * 15, None, CaseType.ORIENTERING,
                       "Forslag " * 60) for n in range(60))  # fmt: skip
    bot.store.meetings.save([Meeting(Serial(2020, 9), "Stort møte", date(2020, 9, 1), cases=cases)])
    with bot.store.transaction():
        for n in range(500):
            bot.store.deadlines.add(Deadline(0, f"Frist {n} " + "tekst " * 20, date(2020, 8, 1 + n % 28)))
        for n in range(300):
            bot.store.roster.set_roles(f"U0R{n:06d}", [Role.MEDLEM])
    for command, text in [("/dagsorden", "9/20"), ("/frister", ""), ("/frister", "alle"), ("/medlemmer", ""),
                          ("/moteplan", "alle"), ("/dagsorden", "historikk 9/20")]:  # fmt: skip
        reply = bot.slack.command(command, text, user_id=SEKRETARIAT)
        payload = _answer_is_clear(reply.body)
        assert "<@U0R0002" not in "".join(b.get("text", {}).get("text", "")[-8:] for b in payload["blocks"])
    bot.slack.command("/avstemning", user_id=LEDER)
    bot.slack.event({"type": "app_home_opened", "user": MEDLEM, "tab": "home", "channel": "D0MEDLEM1"})
    bot.settle()
    for call in bot.standin.calls:
        if call.method in ("chat.postMessage", "chat.update"):
            check_limits(call.params)
        if call.method == "views.publish":
            view = call.params["view"]
            check_limits(json.loads(view) if isinstance(view, str) else view, view=True)


# The authorization matrix: every command and button against every role.

MANAGE = {"admin": True, "leder": True, "sekretariat": True, "medlem": False, "observatør": False, "fremmed": False}
VOTE = {"admin": False, "leder": True, "sekretariat": False, "medlem": True, "observatør": False, "fremmed": False}
ACTIONS = [
    ("/dagsorden", "ny 4/20 Orientering Ny sak", MANAGE),
    ("/dagsorden", "endre 18/20 tittel Ny tittel", MANAGE),
    ("/dagsorden", "flytt 18/20 1", MANAGE),
    ("/dagsorden", "fjern 18/20", MANAGE),
    ("/dagsorden", "fjern 17/20", MANAGE),  # a standing item: asks first (ASKS)
    ("/avstemning", "80/20", MANAGE),
    ("/medlemmer", "leggtil <@U0NY00001> medlem", MANAGE),
    ("/medlemmer", "fjern <@U0MEDLEM1>", MANAGE),
    ("/frister", "ny 03.07.2020 Notat", MANAGE),
    ("/frister", "utsett 1 10.07.2020", MANAGE),
    ("/frister", "ferdig 1", MANAGE),
    ("/status", "oppdater 1 Ny status", MANAGE),
    ("/moteplan", "ny 17.09.2020 09.00-11.00 Møte", MANAGE),
    ("/moteplan", "flytt 4/20 02.07.2020 09.00-10.00", MANAGE),
    ("/moteplan", "avlys 4/20", MANAGE),  # asks first (ASKS)
    ("/moteplan", "ical ny", MANAGE),
    ("/motebot", "innstillinger møtevarsler 3d", MANAGE),
    ("/motebot", "innstillinger åpen nei", MANAGE),
    ("button", VOTE_ACTIONS[Choice.FOR], VOTE),
    ("button", VOTE_CLOSE_ACTION, MANAGE),
    ("button", OPEN_APPROVAL_ACTION, MANAGE),
    ("button", CANCEL_MEETING_ACTION, MANAGE),
    ("button", REMOVE_CASE_ACTION, MANAGE),
]
ASKS = {("/moteplan", "avlys 4/20"), ("/dagsorden", "fjern 17/20")}  # allowed, they ask; the click acts
CLICKED = {
    OPEN_APPROVAL_ACTION: "8/20",
    CANCEL_MEETING_ACTION: json.dumps({"organ": 1, "meeting": "4/20", "as_of": 0}),
    REMOVE_CASE_ACTION: json.dumps({"organ": 1, "case": "17/20", "meeting": "4/20"}),
}


def _prepare(bot: RunningBot) -> int:
    with bot.store.transaction():
        bot.store.deadlines.add(Deadline(0, "Frist", date(2020, 7, 3)))
        bot.store.work_streams.save(WorkStream(1, "Ekstern kvalitetssikring (KS2)"))
        bot.store.meetings.save([Meeting(Serial(2020, 8), "Møte", date(2020, 12, 1), cases=(
            Case(Serial(2020, 80), "Godkjenning av innkalling og dagsorden", None, CaseType.GODKJENNING, "Godkjent."),
        ))])  # fmt: skip
    from bot.usecases import avstemning as voting

    return voting.open_vote(bot.services, ADMIN, Serial(2020, 17)).id


MATRIX = [(surface, action, role, allowed[role]) for surface, action, allowed in ACTIONS for role in ROLES]


@pytest.mark.parametrize(
    ("surface", "action", "role", "allowed"), MATRIX, ids=[f"{m[2]}: {m[0]} {m[1]}"[:50] for m in MATRIX]
)
def test_authorization_matrix(bot: RunningBot, surface: str, action: str, role: str, allowed: bool) -> None:
    vote_id = _prepare(bot)
    before = db_bytes(bot.store)
    user = ROLES[role]
    if surface == "button":
        bot.click(user, action, CLICKED.get(action, str(vote_id)))
        bot.settle()
        said = " ".join(c.params.get("text", "") for c in bot.standin.calls_to("response_url"))
    else:
        said = bot.slack.command(surface, action, user_id=user).all_text()
    changed = db_bytes(bot.store) != before
    asks = (surface, action) in ASKS
    assert changed == (allowed and not asks), said[:200]
    if allowed and asks:
        assert ":warning:" in said, said[:200]
    if not allowed:
        assert any(why in said for why in ("Bare ", "har ikke stemmerett", "står ikke på")), said[:200]
