"""Building the agenda in Slack: every command, the modal and a notice sent as a file, over signed HTTP."""

from __future__ import annotations

import json

import pytest

from bot.core.domain import CaseType, Serial
from bot.core.notices.reader import read_notice
from bot.slack.views.dagsorden import NEW_CASE_ACTION, NEW_CASE_VIEW
from bot.testing.slack_requests import block_action, view_submission
from storage import State
from tests.durable import db_bytes
from tests.support import ADMIN, LEDER, MEDLEM, OBSERVATOR, SEED, SEKRETARIAT, STRANGER, RunningBot

EDITS = [
    "ny 4/20 10.00 Orientering Ny orientering om NILAR",
    "endre 18/20 tittel Noe annet",
    "flytt 18/20 1",
    "fjern 18/20",
]


def _db(bot: RunningBot) -> State:
    return db_bytes(bot.store)


def _order(bot: RunningBot) -> list[str]:
    return [str(case.number) for case in bot.store.meetings.all()[0].cases]


def test_done_when_a_new_case_lands_in_place_as_20_20(bot: RunningBot) -> None:
    reply = bot.slack.command("/dagsorden", "ny 4/20 10.00 Orientering Ny orientering om NILAR", user_id=SEKRETARIAT)
    assert reply.status == 200
    assert "Sak 20/20 «Ny orientering om NILAR» er lagt til møte 4/20" in reply.all_text()
    text = bot.slack.command("/dagsorden", "4/20").all_text()
    assert "*Sak 20/20*  ·  10.00  ·  _Orientering_\nNy orientering om NILAR" in text
    assert text.index("Sak 18/20") < text.index("Sak 20/20") < text.index("Sak 19/20")


@pytest.mark.parametrize("user_id", [MEDLEM, OBSERVATOR, STRANGER])
@pytest.mark.parametrize("edit", [*EDITS, "ny", "ny 4/20", "endre", "flytt 18/20 x", "fjern"])
def test_others_are_refused_and_nothing_changes(bot: RunningBot, user_id: str, edit: str) -> None:
    before = _db(bot)
    reply = bot.slack.command("/dagsorden", edit, user_id=user_id)
    assert reply.status == 200
    assert reply.json().get("response_type", "ephemeral") == "ephemeral"
    assert "Bare lederen, nestlederen, sekretariatet og administratorene kan endre dagsordenen" in reply.all_text()
    assert _db(bot) == before
    bot.settle()
    assert not bot.standin.calls_to("views.open")


@pytest.mark.parametrize("user_id", [SEKRETARIAT, LEDER, ADMIN])
def test_secretariat_leder_and_admins_may_edit(bot: RunningBot, user_id: str) -> None:
    for edit in EDITS:
        reply = bot.slack.command("/dagsorden", edit, user_id=user_id)
        assert ":white_check_mark:" in reply.all_text(), reply.all_text()
    assert _order(bot) == ["17/20", "20/20", "19/20"]


@pytest.mark.parametrize(
    ("edit", "answer"),
    [
        ("ny 9/20 Orientering Tittel", "Fant ikke møte 9/20"),
        ("ny 4/20 10.00 Orientering", "Saken mangler tittel"),
        ("ny 4/20 10.00 Prat Om noe", "Ukjent sakstype «Prat». Bruk en av: Godkjenning, Orientering"),
        ("ny 4/20 25.00 Orientering Tittel", "Forstod ikke klokkeslettet «25.00»"),
        ("ny fire Orientering Tittel", "«fire» er ikke et møtenummer"),
        ("ny 4/20 Orientering " + "x" * 5000, "Tittelen er for lang (5000 tegn; høyst 200)"),
        ("endre 99/20 tittel Ny", "Fant ikke sak 99/20"),
        ("endre 18/20 farge blå", "Kan ikke endre «farge»"),
        ("endre 18/20 kl 9.75", "Forstod ikke klokkeslettet «9.75»"),
        ("endre 18/20 type Prat", "Ukjent sakstype"),
        ("endre 18/20 tittel", "Skriv slik: `/dagsorden endre 18/20 tittel Ny tittel`"),
        ("flytt 18/20 0", "Plass 0 finnes ikke"),
        ("flytt 18/20 4", "dagsordenen for møte 4/20 har plass 1–3"),
        ("flytt 18/20 to", "Skriv slik: `/dagsorden flytt 18/20 2`"),
        ("fjern 18/20 19/20", "Skriv slik: `/dagsorden fjern 18/20`"),
        ("fjern <!channel>", "«@channel» er ikke et saksnummer"),  # as Slack sends @channel
    ],
)
def test_bad_input_gets_a_clear_answer_and_changes_nothing(bot: RunningBot, edit: str, answer: str) -> None:
    before = _db(bot)
    reply = bot.slack.command("/dagsorden", edit, user_id=SEKRETARIAT)
    assert reply.status == 200
    assert answer in reply.all_text()
    assert _db(bot) == before


def test_mentions_in_a_title_are_stored_but_never_live(bot: RunningBot) -> None:
    reply = bot.slack.command("/dagsorden", "ny 4/20 Beslutning <!channel> og <@U0LEDER01>", user_id=SEKRETARIAT)
    shown = reply.all_text() + bot.slack.command("/dagsorden", "4/20").all_text()
    assert "@channel og @U0LEDER01" in shown
    assert "<!channel>" not in shown and "<@U0LEDER01>" not in shown
    assert bot.store.meetings.all()[0].cases[-2].title == "@channel og @U0LEDER01"  # stored as plain text


def test_warnings_for_times_outside_the_meeting_or_out_of_order(bot: RunningBot) -> None:
    reply = bot.slack.command("/dagsorden", "ny 4/20 08.30 Orientering Tidlig", user_id=SEKRETARIAT)
    assert "Kl. 08.30 er før møtet begynner (kl. 09.00)" in reply.all_text()
    reply = bot.slack.command("/dagsorden", "endre 18/20 kl 10.29", user_id=SEKRETARIAT)
    assert "Kl. 10.29 står ikke i rekkefølge: sak 19/20 står etter med kl. 10.25" in reply.all_text()
    reply = bot.slack.command("/dagsorden", "endre 18/20 kl 11.00", user_id=SEKRETARIAT)
    assert "Kl. 11.00 er etter at møtet slutter (kl. 10.30)" in reply.all_text()


def test_numbers_are_never_reused_and_every_change_is_history(bot: RunningBot) -> None:
    for edit in ("ny 4/20 Orientering A", "fjern 20/20", "ny 4/20 Orientering B"):
        bot.slack.command("/dagsorden", edit, user_id=SEKRETARIAT)
    assert _order(bot) == ["17/20", "18/20", "21/20", "19/20"]  # untimed cases go before Eventuelt
    meeting = bot.store.meetings.all()[0]
    assert meeting.version == 4
    history = bot.store.meetings.history(meeting.number)
    assert [(c.version, c.actor) for c in history] == [(2, SEKRETARIAT), (3, SEKRETARIAT), (4, SEKRETARIAT)]
    assert history[1].summary == "Fjernet sak 20/20 «A»"
    text = bot.slack.command("/dagsorden", "historikk 4/20", user_id=MEDLEM).all_text()
    assert "v3 · 24.06.2020 kl. 08.00 · <@U0SEKR001> · Fjernet sak 20/20 «A»" in text


def test_changing_each_field(bot: RunningBot) -> None:
    for edit in ("endre 18/20 tittel Status", "endre 18/20 kl 09.10", "endre 18/20 type beslutning",
                 "endre 18/20 forslag Styringsgruppen tar saken til etterretning."):  # fmt: skip
        assert ":white_check_mark:" in bot.slack.command("/dagsorden", edit, user_id=LEDER).all_text()
    case = bot.store.meetings.all()[0].cases[1]
    assert (case.title, str(case.start), case.case_type.value) == ("Status", "09:10:00", "Beslutning")  # type: ignore[union-attr]
    assert case.proposal == "Styringsgruppen tar saken til etterretning."


def test_the_help_names_every_case_type(bot: RunningBot) -> None:
    """The usage text writes the case types out (a catalog message cannot be built from the enum)."""
    text = bot.slack.command("/dagsorden", "hjelp").all_text()
    assert "Sakstyper: " + ", ".join(kind.value for kind in CaseType) + "." in text


def test_only_editors_see_the_new_case_button(bot: RunningBot) -> None:
    assert NEW_CASE_ACTION in bot.slack.command("/dagsorden", user_id=SEKRETARIAT).body
    assert NEW_CASE_ACTION not in bot.slack.command("/dagsorden", user_id=MEDLEM).body


def _opened_view(bot: RunningBot) -> dict:
    bot.settle()
    opened = bot.standin.calls_to("views.open")
    assert len(opened) == 1
    assert opened[0].params["trigger_id"]
    view = opened[0].params["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_the_modal_opens_from_the_command_and_from_the_button(bot: RunningBot) -> None:
    reply = bot.slack.command("/dagsorden", "ny", user_id=SEKRETARIAT)
    assert (reply.status, reply.body) == (200, "")
    view = _opened_view(bot)
    assert view["callback_id"] == NEW_CASE_VIEW and view["title"]["text"] == "Ny sak"
    blocks = {block["block_id"]: block for block in view["blocks"]}
    assert list(blocks) == ["meeting", "start", "type", "title", "proposal"]
    assert blocks["meeting"]["element"]["initial_option"]["value"] == "4/20"
    assert blocks["start"]["element"]["type"] == "timepicker"
    assert blocks["proposal"]["element"]["multiline"] is True
    bot.standin.take_calls()
    assert bot.slack.interaction(block_action(LEDER, NEW_CASE_ACTION, "4/20")).status == 200
    assert _opened_view(bot)["callback_id"] == NEW_CASE_VIEW


def test_a_modal_slack_will_not_open_is_explained(bot: RunningBot) -> None:
    bot.standin.fail_next("views.open", 400)  # as when the trigger has expired
    assert bot.click(LEDER, NEW_CASE_ACTION, "4/20").status == 200
    bot.settle()
    answer = bot.standin.calls_to("response_url")[-1].params
    assert answer["response_type"] == "ephemeral"
    assert "Kunne ikke åpne skjemaet for ny sak. Skriv slik: `/dagsorden ny 4/20" in answer["text"]
    bot.standin.fail_next("views.open", 400)
    assert bot.slack.command("/dagsorden", "ny", user_id=SEKRETARIAT).status == 200
    bot.settle()
    assert "Kunne ikke åpne skjemaet for ny sak." in bot.standin.calls_to("response_url")[-1].params["text"]


def _values(meeting: str = "4/20", start: str | None = "10:00", kind: str | None = "Orientering",
            title: str | None = "Ny orientering om NILAR", proposal: str | None = None) -> dict:  # fmt: skip
    def selected(value: str | None) -> dict:
        return {"type": "static_select", "selected_option": {"value": value} if value else None}

    return {
        "meeting": selected(meeting),
        "start": {"type": "timepicker", "selected_time": start},
        "type": selected(kind),
        "title": {"type": "plain_text_input", "value": title},
        "proposal": {"type": "plain_text_input", "value": proposal},
    }


def test_the_modal_submission_adds_the_case_and_confirms(bot: RunningBot) -> None:
    bot.slack.command("/dagsorden", "ny", user_id=SEKRETARIAT)
    view = _opened_view(bot)
    values = _values(proposal="Styringsgruppen tar saken til orientering.")
    reply = bot.slack.interaction(view_submission(SEKRETARIAT, view, values))
    assert (reply.status, reply.body) == (200, "")
    assert _order(bot) == ["17/20", "18/20", "20/20", "19/20"]
    assert bot.store.meetings.all()[0].cases[2].proposal == "Styringsgruppen tar saken til orientering."
    bot.settle()
    confirmation = bot.standin.calls_to("chat.postEphemeral")[-1].params
    assert confirmation["user"] == SEKRETARIAT and confirmation["channel"] == "C0STYRING"
    assert "Sak 20/20 «Ny orientering om NILAR» er lagt til møte 4/20" in confirmation["text"]


@pytest.mark.parametrize(
    ("user_id", "values", "field", "message"),
    [
        (SEKRETARIAT, _values(title="   "), "title", "Saken mangler tittel."),
        (SEKRETARIAT, _values(meeting="9/20"), "meeting", "Fant ikke møte 9/20."),
        (SEKRETARIAT, _values(kind="Prat"), "type", "Ukjent sakstype «Prat»"),
        (SEKRETARIAT, _values(start="25:99"), "start", "Velg et klokkeslett"),
        (SEKRETARIAT, _values(proposal="x" * 2001), "proposal", "Forslaget til vedtak er for langt"),
        (MEDLEM, _values(), "meeting", "Bare lederen, nestlederen, sekretariatet og administratorene"),
    ],
)
def test_invalid_modal_input_shows_inline_and_changes_nothing(
    bot: RunningBot, user_id: str, values: dict, field: str, message: str
) -> None:
    bot.slack.command("/dagsorden", "ny", user_id=SEKRETARIAT)
    view = _opened_view(bot)
    before = _db(bot)
    reply = bot.slack.interaction(view_submission(user_id, view, values))
    assert reply.status == 200
    payload = reply.json()
    assert payload["response_action"] == "errors"
    assert message in payload["errors"][field]
    assert _db(bot) == before
    bot.settle()
    assert not bot.standin.calls_to("chat.postEphemeral")


def _file_event(bot: RunningBot, user_id: str, name: str, data: bytes) -> dict:
    url = bot.standin.add_file(name, data, file_id="F0NOTICE1")
    return {
        "type": "message", "subtype": "file_share", "channel": "D0SEKR001", "channel_type": "im",
        "user": user_id, "text": "", "ts": "1593580002.000300",
        "files": [{"id": "F0NOTICE1", "name": name, "size": len(data), "url_private_download": url}],
    }  # fmt: skip


def test_a_notice_sent_as_a_file_imports_exactly_as_the_command_line(empty_bot: RunningBot) -> None:
    bot = empty_bot
    assert "Ingen møter er registrert ennå" in bot.slack.command("/dagsorden").all_text()
    reply = bot.slack.event(_file_event(bot, SEKRETARIAT, "innkalling.md", SEED.read_bytes()))
    assert reply.status == 200
    bot.settle()
    posted = bot.standin.calls_to("chat.postMessage")[-1].params
    assert posted["channel"] == "D0SEKR001"
    assert posted["text"] == "Jeg har lest innkallingen."  # a preview: nothing stored yet
    assert bot.store.meetings.all() == ()
    blocks = json.loads(posted["blocks"]) if isinstance(posted["blocks"], str) else posted["blocks"]
    buttons = [element for block in blocks if block["type"] == "actions" for element in block["elements"]]
    importer = next(button for button in buttons if button["text"]["text"] == "Importer")
    assert bot.click(SEKRETARIAT, importer["action_id"], importer["value"]).status == 200
    bot.settle()
    answer = bot.standin.calls_to("response_url")[-1].params["text"]
    assert "Importerte *møte 4/20* (Styringsgruppemøte for Akson, onsdag 1. juli 2020 kl. 09.00–10.30)" in answer
    assert "3 saker – 17/20, 18/20, 19/20" in answer
    assert bot.store.meetings.get(Serial(2020, 4)) == read_notice(SEED).meeting
    assert [str(m.number) for m in bot.store.meetings.all()] == ["4/20", "5/20"]  # and the plan's 17 September


def test_files_from_others_and_files_that_are_no_notice(bot: RunningBot) -> None:
    before = _db(bot)
    bot.slack.event(_file_event(bot, MEDLEM, "innkalling.md", SEED.read_bytes()), event_id="Ev2")
    bot.settle()
    assert "Bare lederen, nestlederen, sekretariatet" in bot.standin.calls_to("chat.postMessage")[-1].params["text"]
    bot.slack.event(_file_event(bot, SEKRETARIAT, "handleliste.txt", b"melk og egg"), event_id="Ev3")
    bot.settle()
    text = bot.standin.calls_to("chat.postMessage")[-1].params["text"]
    assert "handleliste.txt: ikke en møteinnkalling" in text and "Ingenting ble importert" in text
    assert _db(bot) == before
    assert [c.params["name"] for c in bot.standin.calls_to("file_download")] == ["handleliste.txt"]


def test_a_file_slack_will_not_describe_gets_an_answer_and_changes_nothing(bot: RunningBot) -> None:
    before = _db(bot)
    event = _file_event(bot, SEKRETARIAT, "innkalling.md", SEED.read_bytes())
    del event["files"][0]["url_private_download"]  # then the bot asks files.info where it is
    bot.standin.fail_next("files.info", 400)
    bot.slack.event(event, event_id="Ev5")
    bot.settle()
    text = bot.standin.calls_to("chat.postMessage")[-1].params["text"]
    assert "innkalling.md: kunne ikke hentes fra Slack. Prøv å sende den igjen." in text
    assert _db(bot) == before


def test_a_plain_direct_message_gets_help(bot: RunningBot) -> None:
    event = {"type": "message", "channel": "D0MEDLEM1", "channel_type": "im", "user": MEDLEM, "text": "hei",
             "ts": "1593580003.000400"}  # fmt: skip
    bot.slack.event(event, event_id="Ev4")
    bot.settle()
    assert "Send meg møteinnkallingen som fil" in bot.standin.calls_to("chat.postMessage")[-1].params["text"]
