"""Two bodies in one installation, in two channels, with members in common: each keeps its own numbers,
roster, plan, deadlines, votes and notices, and a command acts on the body of where it was typed.
The isolation rules are in SECURITY.md; this is their matrix."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.core.domain import Serial
from bot.slack.views import CHOOSE_BODY_ACTION
from bot.slack.views.dagsorden import NEW_CASE_ACTION
from bot.testing.slack_requests import block_action
from tests.durable import db_bytes
from tests.support import (
    DM,
    EHELSE_CHANNEL,
    EHELSE_SEKR,
    LEDER,
    MEDLEM,
    SEKRETARIAT,
    STRANGER,
    RunningBot,
    ehelse,
    ehelse_meeting_with_a_proposal,
    in_channel,
)


def test_two_bodies_number_their_meetings_and_cases_each_from_one(two: RunningBot) -> None:
    for user, channel in ((SEKRETARIAT, "C0STYRING"), (EHELSE_SEKR, EHELSE_CHANNEL)):
        made = two.slack.command(
            "/moteplan", "ny 03.03.2027 09.00-11.00 Møte i mars", user_id=user, fields=in_channel(channel)
        )
        assert "1/27" in made.all_text(), made.all_text()
        added = two.slack.command(
            "/dagsorden", "ny 1/27 10.00 Orientering Status", user_id=user, fields=in_channel(channel)
        )
        assert "Sak " in added.all_text() and "/27" in added.all_text()
    akson, other = two.store.meetings.get(Serial(2027, 1)), ehelse(two).meetings.get(Serial(2027, 1))
    assert akson is not None and other is not None
    assert [c.number for c in akson.cases] == [c.number for c in other.cases]  # the same numbers, twice
    assert Serial(2027, 1) in {c.number for c in other.cases}
    assert [m.number for m in ehelse(two).meetings.all()] == [Serial(2027, 1)]  # none of Akson's 2020 ones


def test_rosters_deadlines_and_plans_stay_in_their_body(two: RunningBot) -> None:
    two.slack.command(
        "/frister", "ny 01.09.2020 Rapport til e-helsestyret", user_id=EHELSE_SEKR, fields=in_channel(EHELSE_CHANNEL)
    )
    assert [d.what for d in ehelse(two).deadlines.all()] == ["Rapport til e-helsestyret"]
    assert "Rapport til e-helsestyret" not in two.slack.command("/frister", user_id=LEDER).all_text()
    assert (
        "Rapport til e-helsestyret"
        in two.slack.command("/frister", user_id=LEDER, fields=in_channel(EHELSE_CHANNEL)).all_text()
    )
    roster_a = two.slack.command("/medlemmer", user_id=LEDER).all_text()
    roster_b = two.slack.command("/medlemmer", user_id=LEDER, fields=in_channel(EHELSE_CHANNEL)).all_text()
    assert MEDLEM in roster_a and MEDLEM not in roster_b and EHELSE_SEKR in roster_b and EHELSE_SEKR not in roster_a
    assert "4/20" not in two.slack.command("/moteplan", user_id=LEDER, fields=in_channel(EHELSE_CHANNEL)).all_text()


def test_each_bodys_notices_go_to_its_own_channel_only(two: RunningBot) -> None:
    two.slack.command(
        "/moteplan", "ny 02.07.2020 09.00-10.00 Ekstramøte", user_id=EHELSE_SEKR, fields=in_channel(EHELSE_CHANNEL)
    )
    two.standin.take_calls()
    two.clock.advance(timedelta(days=6, hours=1))  # 30 June 09.00: Akson's "1d" notice, e-helsestyre's "7d"
    two.motebot.ticker.tick()
    two.settle()
    posts = [
        (c.params["channel"], json.dumps(c.params, ensure_ascii=False))
        for c in two.standin.calls_to("chat.postMessage")
    ]
    to_akson = [text for channel, text in posts if channel == "C0STYRING"]
    to_ehelse = [text for channel, text in posts if channel == EHELSE_CHANNEL]
    assert to_akson and to_ehelse
    assert all("Ekstramøte" not in text for text in to_akson)
    assert all("Styringsgruppemøte for Akson" not in text for text in to_ehelse)
    two.standin.take_calls()
    two.motebot.ticker.tick()  # nothing twice
    two.settle()
    assert not two.standin.calls_to("chat.postMessage")


def test_a_vote_in_one_body_is_not_the_others(two: RunningBot) -> None:
    ehelse_meeting_with_a_proposal(two)
    opened = two.slack.command("/avstemning", user_id=EHELSE_SEKR, fields=in_channel(EHELSE_CHANNEL))
    two.settle()
    [vote] = ehelse(two).votes.all()
    assert vote.channel == EHELSE_CHANNEL, opened.all_text()
    assert two.store.votes.all() == ()  # Akson's votes
    before = db_bytes(two.store)
    # MEDLEM is in Akson only: the vote's button from e-helsestyre is refused, and nothing is stored.
    two.slack.interaction(
        block_action(
            MEDLEM, "vote_for", str(vote.id), channel_id=EHELSE_CHANNEL, response_url=two.standin.response_url("t")
        )
    )
    two.settle()
    assert db_bytes(two.store) == before
    said = " ".join(json.dumps(c.params, ensure_ascii=False) for c in two.standin.calls_to("response_url"))
    assert "Nasjonalt e-helsestyre" in said


# The matrix: each command typed where it does not belong, by whom, and what happens.
READS = ["/dagsorden", "/status", "/frister", "/moteplan", "/medlemmer"]
CHANGES = [
    ("/dagsorden", "ny 4/20 10.00 Orientering Smuglet sak"),
    ("/frister", "ny 01.09.2020 Smuglet frist"),
    ("/moteplan", "ny 03.03.2027 09.00-11.00 Smuglet møte"),
    ("/moteplan", "ical ny"),
    ("/medlemmer", f"leggtil <@{MEDLEM}> medlem"),
    ("/status", "oppdater 1 Smuglet status"),
    ("/avstemning", ""),
]


@pytest.mark.parametrize("command", READS)
def test_a_member_of_one_body_cannot_read_the_other_in_its_channel(two: RunningBot, command: str) -> None:
    reply = two.slack.command(command, user_id=MEDLEM, fields=in_channel(EHELSE_CHANNEL))
    assert "Bare medlemmene av Nasjonalt e-helsestyre" in reply.all_text()
    reply = two.slack.command(command, user_id=STRANGER, fields=in_channel(EHELSE_CHANNEL))
    assert "Bare medlemmene av Nasjonalt e-helsestyre" in reply.all_text()


@pytest.mark.parametrize(("command", "text"), CHANGES)
def test_a_manager_of_one_body_changes_nothing_in_the_other(two: RunningBot, command: str, text: str) -> None:
    before = db_bytes(two.store)
    for user, channel in ((SEKRETARIAT, EHELSE_CHANNEL), (EHELSE_SEKR, "C0STYRING")):
        reply = two.slack.command(command, text, user_id=user, fields=in_channel(channel))
        assert reply.status == 200 and "Bare " in reply.all_text(), reply.all_text()
    two.settle()
    assert db_bytes(two.store) == before


@pytest.mark.parametrize("command", READS)
def test_in_a_direct_message_a_member_of_two_is_asked_which_and_a_member_of_one_is_not(
    two: RunningBot, command: str
) -> None:
    asked = two.slack.command(command, user_id=LEDER, fields=in_channel(DM)).json()
    buttons = [e for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "flere organ" in asked["text"]
    assert sorted(b["text"]["text"] for b in buttons) == ["Nasjonalt e-helsestyre", "Styringsgruppen for Akson"]
    assert "Bare medlemmene" not in two.slack.command(command, user_id=MEDLEM, fields=in_channel(DM)).all_text()


def test_the_choice_gives_the_same_command_for_that_body(two: RunningBot) -> None:
    asked = two.slack.command("/medlemmer", user_id=LEDER, fields=in_channel(DM)).json()
    [button] = [
        e for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"] if "e-helse" in e["text"]["text"]
    ]
    two.standin.take_calls()
    two.slack.interaction(
        block_action(
            LEDER, button["action_id"], button["value"], channel_id=DM, response_url=two.standin.response_url("t")
        )
    )
    two.settle()
    [answer] = two.standin.calls_to("response_url")
    assert EHELSE_SEKR in json.dumps(answer.params) and answer.params.get("replace_original") is True
    # A choice made up by hand for a body the clicker is not in is refused like the command.
    forged = json.dumps({"command": "/medlemmer", "text": "e-helsestyre"})
    two.standin.take_calls()
    two.slack.interaction(
        block_action(
            MEDLEM, f"{CHOOSE_BODY_ACTION}:9", forged, channel_id=DM, response_url=two.standin.response_url("t")
        )
    )
    two.settle()
    assert EHELSE_SEKR not in json.dumps([c.params for c in two.standin.calls_to("response_url")])


def test_a_body_named_first_is_the_one_meant(two: RunningBot) -> None:
    assert (
        EHELSE_SEKR in two.slack.command("/medlemmer", "e-helsestyre", user_id=LEDER, fields=in_channel(DM)).all_text()
    )
    refused = two.slack.command("/medlemmer", "e-helsestyre", user_id=MEDLEM, fields=in_channel(DM)).all_text()
    assert "Bare medlemmene av Nasjonalt e-helsestyre" in refused


def test_a_new_case_button_carries_its_body_and_is_checked_against_it(two: RunningBot) -> None:
    ehelse = two.installation.store.bodies.named("e-helsestyre")
    assert ehelse is not None
    value = json.dumps({"organ": ehelse.id, "meeting": "4/20"})
    two.standin.take_calls()
    two.slack.interaction(
        block_action(SEKRETARIAT, NEW_CASE_ACTION, value, channel_id=DM, response_url=two.standin.response_url("t"))
    )
    two.settle()
    assert not two.standin.calls_to("views.open")
    assert "Bare medlemmene av Nasjonalt e-helsestyre" in json.dumps(
        [c.params for c in two.standin.calls_to("response_url")], ensure_ascii=False
    )


def test_a_member_of_no_body_is_told_how_to_start(two: RunningBot) -> None:
    # Akson is the one-group body (readable by all, as before bodies): make it members-only to see this.
    store = two.installation.store
    akson = store.bodies.in_channel("C0STYRING")
    assert akson is not None
    store.bodies.save(replace(akson, readable=False))
    reply = two.slack.command("/dagsorden", user_id=STRANGER, fields=in_channel(DM)).all_text()
    assert "/motebot opprett" in reply and "ikke med i noe organ" in reply


def test_home_shows_each_of_the_members_bodies_and_no_other(two: RunningBot) -> None:
    def home_of(user: str) -> str:
        two.standin.take_calls()
        event = {"type": "app_home_opened", "user": user, "tab": "home", "channel": "D" + user[1:]}
        assert two.slack.event(event, event_id=f"Ev{user}").status == 200
        two.settle()
        [publish] = two.standin.calls_to("views.publish")
        return json.dumps(publish.params["view"], ensure_ascii=False)

    both, one = home_of(LEDER), home_of(EHELSE_SEKR)
    assert "Møtebot – Styringsgruppen for Akson" in both and "Møtebot – Nasjonalt e-helsestyre" in both
    assert "Møtebot – Nasjonalt e-helsestyre" in one and "Akson" not in one
