"""Input as Slack really sends it: escaped text, the word "payload", malformed bodies, replays, full disks."""

from __future__ import annotations

import io
import json
import time
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot.core.clock import ManualClock
from bot.core.domain import Serial, WorkStream
from bot.core.ical import calendar
from bot.run.console import DEMO_CHANNELS, open_console, set_up_demo
from bot.run.settings import Settings
from bot.slack.views import OPEN_APPROVAL_ACTION, VOTE_ACTIONS
from bot.slack.views.dagsorden import NEW_CASE_VIEW, new_case_modal
from bot.testing.slack_requests import block_action, view_submission
from bot.testing.slack_standin import SlackStandIn
from storage import TinyStore
from tests.durable import db_bytes, writes_fail
from tests.slack_http import as_slack_sends, slack_signature
from tests.support import LEDER, MEDLEM, OSLO, SEKRETARIAT, RunningBot, running_bot

FOR = VOTE_ACTIONS[next(iter(VOTE_ACTIONS))]


# 2. Slack escapes `&`, `<`, `>` in command text, and sends what the member picked as <@U…|…>, <#C…|…>, <…|…>.


def test_escaped_text_is_stored_plain_shown_escaped_once_and_plain_in_the_calendar(bot: RunningBot) -> None:
    bot.slack.command("/moteplan", as_slack_sends("ny 17.02.2027 09.00-11.00 Budsjett & plan"), user_id=SEKRETARIAT)
    shown = bot.slack.command("/moteplan", "alle").body
    assert "Budsjett &amp; plan" in shown and "&amp;amp;" not in shown, shown
    [meeting] = [m for m in bot.store.meetings.all() if m.day == date(2027, 2, 17)]
    assert meeting.title == "Budsjett & plan"
    ics = calendar(bot.store.meetings.all(), bot.clock.now()).decode()
    assert "SUMMARY:Møte 1/27: Budsjett & plan" in ics and "&amp;" not in ics
    bot.slack.command(
        "/dagsorden", as_slack_sends("ny 4/20 Orientering Kostnad <5 mill & >2 mill"), user_id=SEKRETARIAT
    )
    [case] = [c for c in bot.store.meetings.get(Serial(2020, 4)).cases if c.title.startswith("Kostnad")]  # type: ignore[union-attr]
    assert case.title == "Kostnad <5 mill & >2 mill"
    shown = bot.slack.command("/dagsorden", "4/20").body
    assert "Kostnad &lt;5 mill &amp; &gt;2 mill" in shown and "&amp;lt;" not in shown


def test_what_a_member_picked_is_stored_as_plain_text_and_ids_still_work(bot: RunningBot) -> None:
    added = bot.slack.command("/medlemmer", "leggtil <@U0NY00001|kari> <@U0NY00002> medlem", user_id=SEKRETARIAT)
    assert "<@U0NY00001> og <@U0NY00002>" in added.body, added.body  # the bot's own mentions, from the IDs
    roster = bot.store.roster.get()
    assert roster.roles_of("U0NY00001") and roster.roles_of("U0NY00002")
    bot.slack.command("/medlemmer", "fjern <@U0NY00002|per>", user_id=SEKRETARIAT)
    assert not bot.store.roster.get().roles_of("U0NY00002")
    reply = bot.slack.command("/frister", "ny 03.07.2020 Notat om &lt;kapittel 3&gt; <@U0LEDER01|leder> "
                              "ansvar: Sekretariatet", user_id=SEKRETARIAT)  # fmt: skip
    assert "Frist nr." in reply.all_text(), reply.body
    [deadline] = [d for d in bot.store.deadlines.all() if d.what.startswith("Notat")]
    assert deadline.what == "Notat om <kapittel 3>" and deadline.users == ("U0LEDER01",)
    assert deadline.body == "Sekretariatet"
    text = (
        "oppdater 1 Se <https://example.org/r?a=1&amp;b=2|rapporten> og <https://example.org/x> i "
        "<#C0STYRING|styringsgruppe>, spør <@U0LEDER01|kari> og <!here> &amp; <!subteam^S0123|@styret>"
    )
    bot.store.work_streams.save(WorkStream(1, "Ekstern kvalitetssikring (KS2)"))
    assert "er oppdatert" in bot.slack.command("/status", text, user_id=SEKRETARIAT).all_text()
    [stream] = [s for s in bot.store.work_streams.all() if s.number == 1]
    assert stream.updates[-1].text == (
        "Se rapporten (https://example.org/r?a=1&b=2) og https://example.org/x i #styringsgruppe, "
        "spør @U0LEDER01 og @here & @styret"
    )


def test_modal_values_arrive_raw_and_are_stored_as_typed(bot: RunningBot) -> None:
    meeting = bot.store.meetings.get(Serial(2020, 4))
    assert meeting is not None
    view = new_case_modal([meeting], meeting.number, "C0STYRING", bot.services.body.id)
    values = {"meeting": {"type": "static_select", "selected_option": {"value": "4/20"}},
              "type": {"type": "static_select", "selected_option": {"value": "Orientering"}},
              "title": {"type": "plain_text_input", "value": "Budsjett &amp; <plan>"}}  # fmt: skip
    reply = bot.slack.interaction(view_submission(SEKRETARIAT, view, values))
    assert reply.status == 200 and reply.body == "", reply.body
    assert any(c.title == "Budsjett &amp; <plan>" for c in bot.store.meetings.get(Serial(2020, 4)).cases)  # type: ignore[union-attr]
    assert view["callback_id"] == NEW_CASE_VIEW


# 3. bolt-python's parse_body and the substring "payload".

PAYLOAD_CASES = {
    "text": ({}, "/dagsorden", "payload", "Ukjent underkommando «payload»"),
    "deadline": ({}, "/frister", "ny 03.07.2020 payload-rapport", "Frist nr."),
    "user_name": ({"user_name": "payload.ops"}, "/dagsorden", "", "Styringsgruppemøte for Akson"),
    "channel_name": ({"channel_name": "payload-team"}, "/dagsorden", "", "Styringsgruppemøte for Akson"),
    "team_domain": ({"team_domain": "payload"}, "/dagsorden", "", "Styringsgruppemøte for Akson"),
}


@pytest.mark.parametrize("case", sorted(PAYLOAD_CASES))
def test_the_word_payload_anywhere_in_a_command_reaches_the_command_over_http(bot: RunningBot, case: str) -> None:
    """bolt-python 1.30's `parse_body` takes any form body containing the substring `payload` for an
    interaction, and with no `payload` field returns `{}`; the request is answered 404 "unhandled request".
    The upstream bug, in two lines:

        >>> from slack_bolt.request.internals import parse_body
        >>> parse_body("command=%2Fdagsorden&text=payload", "application/x-www-form-urlencoded")
        {}
    """
    fields, command, text, expected = PAYLOAD_CASES[case]
    reply = bot.http.command(command, text, user_id=SEKRETARIAT, fields=fields)
    assert reply.status == 200, reply.body
    assert expected in reply.all_text(), reply.body
    if case == "deadline":
        assert [d.what for d in bot.store.deadlines.all()][-1] == "payload-rapport"


class _SocketSlack:
    """Slack's side of Socket Mode for one test: the websocket stand-in and an app token the Web API knows."""

    def __init__(self, bot: RunningBot) -> None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        from tests.test_slack_app import SocketModeStandIn

        self.socket = SocketModeStandIn()
        bot.standin.app_token, bot.standin.socket_url = "xapp-test", self.socket.url
        self.handler = SocketModeHandler(bot.motebot.app, "xapp-test")
        self.handler.connect()
        assert self.socket.wait(lambda: self.socket.connections == 1)

    def command(self, envelope_id: str, fields: dict[str, str]) -> dict:
        payload = {"token": "x", "team_id": "T0AKSON01", "team_domain": "akson", "channel_id": "C0STYRING",
                   "channel_name": "styringsgruppe", "user_id": SEKRETARIAT, "user_name": "sekr",
                   "api_app_id": "A0MOTEBOT", "response_url": "http://127.0.0.1:9/r", "trigger_id": "1.2.3",
                   **fields}  # fmt: skip
        self.socket.send({"envelope_id": envelope_id, "type": "slash_commands", "accepts_response_payload": True,
                          "payload": payload})  # fmt: skip
        assert self.socket.wait(lambda: any(a.get("envelope_id") == envelope_id for a in self.socket.acks))
        return next(a for a in self.socket.acks if a.get("envelope_id") == envelope_id)

    def close(self) -> None:
        # Slack's side closes first, and the message processor is woken (None is slack_sdk's no-op message):
        # the client's threads then end at once, instead of after their 3 s read and 1 s queue timeouts.
        self.handler.client.auto_reconnect_enabled = False
        self.socket.close()
        self.handler.client.message_queue.put(None)
        self.handler.close()


@pytest.mark.parametrize("case", sorted(PAYLOAD_CASES))
def test_the_word_payload_anywhere_in_a_command_reaches_the_command_over_socket_mode(
    bot: RunningBot, case: str
) -> None:
    fields, command, text, expected = PAYLOAD_CASES[case]
    slack = _SocketSlack(bot)
    try:
        ack = slack.command("env-1", {"command": command, "text": text, **fields})
    finally:
        slack.close()
    assert expected in json.dumps(ack.get("payload"), ensure_ascii=False), ack


def test_the_word_payload_reaches_the_command_in_the_console(tmp_path: Path, settings: Settings) -> None:
    """The console types as a member does; the line is escaped as Slack would, and signed."""
    store = TinyStore(tmp_path / "console.json")
    out = io.StringIO()
    try:
        with open_console(settings, store, ManualClock(datetime(2020, 6, 24, 8, 0, tzinfo=OSLO)), out) as console:
            console.line("/frister ny 03.07.2020 payload-rapport & <mer> @U0LEDER01")
            console.line("/frister")
        [deadline] = store.body(1).deadlines.all()
    finally:
        store.close()
    assert deadline.what == "payload-rapport & <mer>" and deadline.users == ("U0LEDER01",)
    assert "payload-rapport & <mer> – " in out.getvalue(), out.getvalue()


def test_the_console_types_in_the_channel_it_is_in_and_in_a_dm(tmp_path: Path, settings: Settings) -> None:
    """`:kanal` changes the signed command's channel_id: in a channel, that channel's body answers; in a DM,
    where no body lives, a member of several is asked which, and the click answers for that one."""
    store = TinyStore(tmp_path / "console.json")
    out = io.StringIO()
    clock = ManualClock(datetime(2020, 6, 24, 8, 0, tzinfo=OSLO))
    said: list[str] = []
    try:
        demo = set_up_demo(settings, store, clock)
        with open_console(demo, store, clock, out, DEMO_CHANNELS) as console:
            for line in [
                ":kanal #EHELSESTYRE",
                "/frister ny 03.09.2020 Innspill til veikartet",
                ":kanal dm",
                "/moteplan",
                ":klikk Nasjonalt e-helsestyre",
                ":bruker U0MEDLEM5",  # in e-helsestyre only: in a DM it needs no question
                "/moteplan",
                ":kanal C0AKSON",
                "/moteplan",
            ]:
                before = len(out.getvalue())
                console.line(line)
                said.append(out.getvalue()[before:])
        ehelse, akson = store.bodies.in_channel("C0EHELSE"), store.bodies.in_channel("C0AKSON")
        assert ehelse is not None and akson is not None
        assert [d.what for d in store.body(ehelse.id).deadlines.all()] == ["Innspill til veikartet"]
        assert "Innspill til veikartet" not in [d.what for d in store.body(akson.id).deadlines.all()]
    finally:
        store.close()
    assert said[0].startswith("Du skriver nå i #ehelsestyre: Nasjonalt e-helsestyre")
    assert "Du er med i flere organ" in said[3] and "[Styringsgruppen for Akson]  [Nasjonalt e-helsestyre]" in said[3]
    assert "17. september 2020 · 2 timar" in said[4] and "4/20" not in said[4]
    assert "flere organ" not in said[6] and "17. september 2020 · 2 timar" in said[6]
    assert said[7].startswith("Du skriver nå i #akson") and "Møte 4/20" in said[8] and "september" not in said[8]


# 4. Malformed bodies: 401 unless signed; signed, a 4xx and nothing applied; never a traceback.

FORM, JSON_TYPE = "application/x-www-form-urlencoded", "application/json"


def _payload(value: object) -> str:
    return urlencode({"payload": value if isinstance(value, str) else json.dumps(value)})


def _click(**override: object) -> dict:
    return {**block_action(MEDLEM, FOR, "1"), **override}


MALFORMED: dict[str, tuple[str | bytes, str]] = {
    "invalid UTF-8": (b"command=%2Fdagsorden&text=\xff\xfe&user_id=U0MEDLEM1", FORM),
    "binary": (bytes(range(256)), "application/octet-stream"),
    "starts with {": ("{command=/dagsorden&text=", FORM),
    "JSON cut short": ('{"type": "event_callback", "event": {', JSON_TYPE),
    "payload not JSON": (_payload("not json"), FORM),
    "payload a list": (_payload([1, 2]), FORM),
    "payload a number": (_payload(5), FORM),
    "payload null": (_payload(None), FORM),
    "payload a string": (_payload("text"), FORM),
    "JSON list": ("[1, 2]", JSON_TYPE),
    "JSON number": ("5", JSON_TYPE),
    "JSON null": ("null", JSON_TYPE),
    "user a string": (_payload(_click(user="U0MEDLEM1")), FORM),
    "actions a string": (_payload(_click(actions="vote_for")), FORM),
    "an action a number": (_payload(_click(actions=[5])), FORM),
    "action_id a list": (_payload(_click(actions=[{"action_id": ["vote_for"], "value": "1"}])), FORM),
    "view a number": (_payload({"type": "view_submission", "user": {"id": MEDLEM}, "view": 5}), FORM),
    "event a list": (json.dumps({"type": "event_callback", "event_id": "Ev1", "event": []}), JSON_TYPE),
    "command without user": (urlencode({"command": "/dagsorden", "text": "", "channel_id": "C0STYRING"}), FORM),
    "command text a number": (json.dumps({"command": "/dagsorden", "text": 5, "user_id": MEDLEM}), JSON_TYPE),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_body_is_refused_unsigned_401_signed_4xx_never_a_traceback(bot: RunningBot, case: str) -> None:
    body, content_type = MALFORMED[case]
    before = db_bytes(bot.store)
    unsigned = bot.http.post(body, content_type=content_type, signed=False)
    forged = bot.http.post(body, content_type=content_type, signature="v0=" + "ab" * 32)
    assert (unsigned.status, forged.status) == (401, 401), (unsigned, forged)
    signed = bot.http.post(body, content_type=content_type)
    assert 400 <= signed.status < 500, signed
    for reply in (unsigned, forged, signed):
        assert "Traceback" not in reply.body and "Beklager" not in reply.body, reply.body
    bot.settle()
    assert db_bytes(bot.store) == before
    assert not bot.standin.calls_to("response_url")


def test_a_timestamp_that_is_not_a_number_is_refused_as_unsigned(bot: RunningBot) -> None:
    reply = bot.http.command("/dagsorden", timestamp="nå", signature="v0=" + "ab" * 32)
    assert reply.status == 401 and "Traceback" not in reply.body, reply


def test_an_unknown_button_gets_a_polite_ephemeral_answer(bot: RunningBot) -> None:
    reply = bot.click(MEDLEM, "en_knapp_fra_en_eldre_versjon", "1")
    assert reply.status == 200 and "Beklager" not in reply.body
    bot.settle()
    [said] = bot.standin.calls_to("response_url")
    assert said.params["response_type"] == "ephemeral" and "knappen" in said.params["text"], said.params


def _new_case_submission(bot: RunningBot, title: str) -> dict:
    meeting = bot.store.meetings.get(Serial(2020, 4))
    assert meeting is not None
    values = {"meeting": {"type": "static_select", "selected_option": {"value": "4/20"}},
              "type": {"type": "static_select", "selected_option": {"value": "Orientering"}},
              "title": {"type": "plain_text_input", "value": title}}  # fmt: skip
    return view_submission(
        SEKRETARIAT, new_case_modal([meeting], meeting.number, "C0STYRING", bot.services.body.id), values
    )


def test_a_modal_that_fails_to_save_answers_with_errors_in_the_modal_never_chat_text(bot: RunningBot) -> None:
    submission = _new_case_submission(bot, "Sak som ikke får plass")
    before = db_bytes(bot.store)
    with writes_fail(bot.store):
        reply = bot.slack.interaction(submission)
    assert reply.status == 200, reply
    answer = reply.json()
    assert answer["response_action"] == "errors" and set(answer) == {"response_action", "errors"}, answer
    [why] = answer["errors"].values()
    assert "Beklager" in why and "ikke lagret" in why
    assert db_bytes(bot.store) == before


def test_an_unknown_modal_is_answered_in_the_modal(bot: RunningBot) -> None:
    submission = _new_case_submission(bot, "Sak")
    submission["view"]["callback_id"] = "et_skjema_fra_en_eldre_versjon"
    reply = bot.slack.interaction(submission)
    assert reply.status == 200 and reply.json()["response_action"] == "errors", reply


# 5. A replay across a restart.


def test_a_request_replayed_after_a_restart_is_refused_and_applied_once(
    bot: RunningBot, settings: Settings, standin: SlackStandIn, clock: ManualClock
) -> None:
    body = urlencode({"command": "/dagsorden", "text": "ny 4/20 Orientering Bare én gang", "user_id": SEKRETARIAT,
                      "team_id": "T0AKSON01", "channel_id": "C0STYRING", "trigger_id": "9.9.9",
                      "response_url": "http://127.0.0.1:9/"})  # fmt: skip
    stamp = int(time.time())  # signed by Slack, and captured, just before the restart
    signature = slack_signature(bot.http.signing_secret, str(stamp), body)
    assert bot.http.post(body, timestamp=stamp, signature=signature).status == 200
    bot.motebot.stop()
    bot.store.close()
    with running_bot(settings, standin, clock, seeded=False) as again:
        replayed = again.http.post(body, timestamp=stamp, signature=signature)
        assert replayed.status == 401, replayed
        assert [c.title for c in again.store.meetings.get(Serial(2020, 4)).cases].count("Bare én gang") == 1  # type: ignore[union-attr]
        assert again.http.command("/dagsorden", "4/20").status == 200  # what Slack signs now is served


def test_a_request_signed_before_the_process_started_is_refused_though_never_seen(bot: RunningBot) -> None:
    """What a replay after a power loss looks like: signed minutes ago, within Slack's window, unknown here."""
    body = urlencode({"command": "/frister", "text": "ny 03.07.2020 Fra før omstarten", "user_id": SEKRETARIAT,
                      "team_id": "T0AKSON01", "channel_id": "C0STYRING", "trigger_id": "9.9.8"})  # fmt: skip
    assert bot.http.post(body, timestamp=int(time.time()) - 120).status == 401
    assert not bot.store.deadlines.all()


# 11. A click refused because the write failed: the member is told, through response_url.


def test_a_vote_that_could_not_be_stored_is_said_to_the_member_not_hidden_in_the_ack(bot: RunningBot) -> None:
    assert "er startet" in bot.slack.command("/avstemning", user_id=LEDER).all_text()
    bot.settle()
    vote_id = bot.store.votes.all(open_only=True)[-1].id
    before = db_bytes(bot.store)
    with writes_fail(bot.store):
        reply = bot.click(MEDLEM, FOR, str(vote_id))
        bot.settle()
    assert reply.status == 200 and "Beklager" not in reply.body, reply  # Slack ignores a click's ack body
    [said] = bot.standin.calls_to("response_url")
    assert said.params["response_type"] == "ephemeral" and said.params["replace_original"] is False
    assert "stemmen din ble ikke lagret" in said.params["text"], said.params
    assert db_bytes(bot.store) == before
    assert bot.store.votes.get(vote_id).ballots == {}  # type: ignore[union-attr]


def test_any_failing_click_is_said_to_the_member_through_response_url(bot: RunningBot) -> None:
    with writes_fail(bot.store):
        reply = bot.click(SEKRETARIAT, OPEN_APPROVAL_ACTION, "4/20")
        bot.settle()
    assert reply.status == 200 and "Beklager" not in reply.body, reply
    [said] = bot.standin.calls_to("response_url")
    assert "Beklager" in said.params["text"] and said.params["response_type"] == "ephemeral", said.params


def test_across_a_restart_in_the_same_second_the_last_processs_requests_are_still_known(tmp_path: Path) -> None:
    """Slack signs in whole seconds; a restart can fit inside one. The clock is the guard's own (injected)."""
    from slack_bolt import BoltRequest, BoltResponse

    from bot.slack.request_guard import RequestGuard
    from storage.tinydb_engine.recent_requests import RecentRequests

    def status(guard: RequestGuard, signed_at: int, signature: str) -> int:
        headers = {"x-slack-signature": signature, "x-slack-request-timestamp": str(signed_at)}
        answer = guard.process(req=BoltRequest(body="", headers=headers), resp=BoltResponse(status=200),
                               next=lambda: BoltResponse(status=200))  # fmt: skip
        return answer.status if answer else 0

    store = TinyStore(tmp_path / "motebot.json")
    first = store.recent_requests()  # as the app opens it: TinyDB keeps it in a file beside the database
    path = tmp_path / "motebot.json.requests"
    assert status(RequestGuard(first, now=lambda: 1000.2), 1000, "v0=a") == 200
    first.close()  # the process ends (a crash leaves the same file: it is never buffered in the process)
    store.close()
    again = RequestGuard(RecentRequests(path), now=lambda: 1000.7)
    assert status(again, 1000, "v0=a") == 401  # the replay, in the second the new process started in
    assert status(again, 1000, "v0=b") == 200  # a new request from Slack, signed in that second
    third = RequestGuard(RecentRequests(path), now=lambda: 1000.9)  # a second restart, still in that second
    assert status(third, 1000, "v0=a") == 401  # the first process's request, carried through the second one
    assert status(third, 1000, "v0=b") == 401
    later = RequestGuard(RecentRequests(path), now=lambda: 1001.1)
    assert status(later, 1000, "v0=c") == 401  # signed before this process started: refused unseen
