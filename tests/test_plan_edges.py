"""The rough edges a member trips on in /dagsorden and /moteplan (issue 20, points 8–10, 12 and 14), over
signed requests to the real Bolt app."""

from __future__ import annotations

import json
from datetime import date, time, timedelta

import pytest

from bot.core.domain import Meeting, Serial
from bot.core.notices.reader import read_notice
from bot.slack.views.dagsorden import NEW_CASE_ACTION
from bot.usecases.innkalling import import_notices
from tests.durable import db_bytes
from tests.support import MEDLEM, SEED, SEKRETARIAT, STRANGER, RunningBot, confirmed


def _case_times(bot: RunningBot) -> dict[str, time | None]:
    meeting = bot.store.meetings.get(Serial(2020, 4))
    assert meeting is not None
    return {case.title: case.start for case in meeting.cases}


# 8. Times as people write them, and a word the command does not know.


@pytest.mark.parametrize(
    ("written", "expected"),
    [("9", time(9)), ("kl. 10.15", time(10, 15)), ("kl 12", time(12)), ("12.00", time(12)),
     ("12:00", time(12)), ("1200", time(12)), ("kl.9", time(9))],
)  # fmt: skip
def test_a_new_case_reads_the_time_as_people_write_it(bot: RunningBot, written: str, expected: time) -> None:
    reply = bot.slack.command("/dagsorden", f"ny 4/20 {written} Orientering Om NILAR", user_id=SEKRETARIAT)
    assert "er lagt til møte 4/20" in reply.all_text(), reply.all_text()  # main: «Ukjent sakstype «9»»
    assert _case_times(bot)["Om NILAR"] == expected


def test_changing_a_cases_time_reads_it_as_people_write_it(bot: RunningBot) -> None:
    reply = bot.slack.command("/dagsorden", "endre 18/20 kl kl. 9.30", user_id=SEKRETARIAT)
    assert "Sak 18/20 har fått kl. 09.30." in reply.all_text(), reply.all_text()  # main: «kl. 9.30» not understood
    assert _case_times(bot)["Status for arbeidet med Akson"] == time(9, 30)
    bot.slack.command("/dagsorden", "endre 18/20 kl 10", user_id=SEKRETARIAT)
    assert _case_times(bot)["Status for arbeidet med Akson"] == time(10)


@pytest.mark.parametrize(
    ("text", "answer"),
    [("ny 4/20 kl. Orientering Om NILAR", "«Orientering» er ikke et klokkeslett. Skriv det som kl. 12.00"),
     ("ny 4/20 10.75 Orientering Om NILAR", "Forstod ikke klokkeslettet «10.75». Skriv det slik: kl. 10.00."),
     ("ny 4/20 kl. 9", "Saken mangler sakstype og tittel.")],
)  # fmt: skip
def test_a_time_written_wrong_is_said_and_nothing_changes(bot: RunningBot, text: str, answer: str) -> None:
    before = db_bytes(bot.store)
    assert answer in bot.slack.command("/dagsorden", text, user_id=SEKRETARIAT).all_text()
    assert db_bytes(bot.store) == before


@pytest.mark.parametrize(
    ("command", "text", "answer"),
    [("/dagsorden", "new 4/20 Orientering Om NILAR", "Ukjent underkommando «new». Mente du «ny»?"),
     ("/dagsorden", "fjren 18/20", "Ukjent underkommando «fjren». Mente du «fjern»?"),
     ("/dagsorden", "slett 18/20", "Ukjent underkommando «slett». Mente du «fjern»?"),
     ("/dagsorden", "histrikk 4/20", "Ukjent underkommando «histrikk». Mente du «historikk»?"),
     ("/dagsorden", "fem", "Ukjent underkommando «fem»."),
     ("/moteplan", "cancel 4/20", "Ukjent underkommando «cancel». Mente du «avlys»?"),
     ("/moteplan", "nye 17.09.2020 09.00–11.00 Møte", "Ukjent underkommando «nye». Mente du «ny»?")],
)  # fmt: skip
def test_an_unknown_sub_command_is_named_with_the_nearest_and_the_usage(
    bot: RunningBot, command: str, text: str, answer: str
) -> None:
    before = db_bytes(bot.store)
    said = bot.slack.command(command, text, user_id=SEKRETARIAT).all_text()
    assert answer in said, said
    assert f"Slik bruker du {command}" in said
    assert "Skriv møtenummeret slik" not in said  # main: the meeting-number hint for /dagsorden
    assert db_bytes(bot.store) == before


def test_nynorsk_sub_commands_still_work_and_a_meeting_number_written_wrong_gets_its_hint(bot: RunningBot) -> None:
    reply = bot.slack.command("/dagsorden", "endra 18/20 tittel Ny tittel", user_id=SEKRETARIAT)
    assert "Sak 18/20 har fått tittelen «Ny tittel»" in reply.all_text()
    said = bot.slack.command("/dagsorden", "4.20").all_text()
    assert "Skriv møtenummeret slik: `/dagsorden 4/20`" in said
    assert "Møte 4/20: Styringsgruppemøte for Akson" in bot.slack.command("/dagsorden", "møte 4/20").all_text()


# 10. Where a meeting is: not given, in a place, or online («nettmøte»; «fjernmøte» in an elected body).


def _planned(bot: RunningBot, text: str) -> tuple[str, Meeting]:
    said = bot.slack.command("/moteplan", f"ny 17.09.2020 09.00–11.00 {text}", user_id=SEKRETARIAT).all_text()
    return said, max(bot.store.meetings.all(), key=lambda m: m.number)


def test_a_meeting_without_a_place_is_no_web_meeting(bot: RunningBot) -> None:
    said, meeting = _planned(bot, "Styringsgruppemøte")
    assert "torsdag 17. september 2020 kl. 09.00–11.00 (sted ikke oppgitt)" in said  # main: «(Web-møte)»
    assert (meeting.web, meeting.location) == (False, None)
    plan = bot.slack.command("/moteplan").all_text()
    assert "*Møte 5/20* · torsdag 17. september 2020 · kl. 09.00–11.00 · Styringsgruppemøte" in plan


@pytest.mark.parametrize(
    ("text", "title", "location", "shown"),
    [("Styringsgruppemøte nett", "Styringsgruppemøte", None, "(nettmøte)"),
     ("Styringsgruppemøte sted: nett", "Styringsgruppemøte", None, "(nettmøte)"),
     ("Styringsgruppemøte sted: digitalt", "Styringsgruppemøte", None, "(nettmøte)"),
     ("Styringsgruppemøte sted: Teams", "Styringsgruppemøte", "Teams", "(nettmøte på Teams)"),
     ("Styringsgruppemøte sted: Zoom", "Styringsgruppemøte", "Zoom", "(nettmøte på Zoom)")],
)  # fmt: skip
def test_an_online_meeting_is_made_with_nett_or_the_service(
    bot: RunningBot, text: str, title: str, location: str | None, shown: str
) -> None:
    said, meeting = _planned(bot, text)
    assert shown in said, said
    assert (meeting.title, meeting.web, meeting.location) == (title, True, location)


def test_a_meeting_in_a_place_is_in_that_place(bot: RunningBot) -> None:
    said, meeting = _planned(bot, "Styringsgruppemøte sted: Oslo, Verkstedhallen")
    assert "(Oslo, Verkstedhallen)" in said
    assert (meeting.web, meeting.location) == (False, "Oslo, Verkstedhallen")


def test_an_elected_body_meets_in_a_fjernmote_and_nynorsk_says_so(bot: RunningBot) -> None:
    bot.slack.command("/motebot", "innstillinger profil folkevalgt", user_id=SEKRETARIAT)
    said, _meeting = _planned(bot, "Kommunestyret nett")
    assert "(fjernmøte)" in said, said
    assert "· fjernmøte · Kommunestyret" in bot.slack.command("/moteplan").all_text()
    bot.slack.command("/motebot", "innstillinger målform nn", user_id=SEKRETARIAT)
    said, _meeting = _planned(bot, "Formannskapet")
    assert "(stad ikkje oppgitt)" in said, said
    bot.slack.command("/motebot", "innstillinger profil administrativt", user_id=SEKRETARIAT)
    said, _meeting = _planned(bot, "Arbeidsmøte stad: nett")
    assert "(nettmøte)" in said, said


def test_a_second_meeting_the_same_day_as_one_without_a_time_warns(empty_bot: RunningBot) -> None:
    import_notices(empty_bot.services, "test", [read_notice(SEED)])  # 5/20: 17 September, «2 timer»
    said, _meeting = _planned(empty_bot, "Ekstramøte")
    assert ":warning: Møte 5/20 er samme dag, uten fastsatt klokkeslett." in said, said  # main: no warning


def test_meetings_are_listed_in_date_order_not_number_order(bot: RunningBot) -> None:
    for text in ("ny 24.09.2020 09.00–11.00 Senere", "ny 10.09.2020 09.00–11.00 Tidligere"):
        bot.slack.command("/moteplan", text, user_id=SEKRETARIAT)  # 5/20 on 24 September, 6/20 on 10 September
    plan = bot.slack.command("/moteplan").all_text()
    assert plan.index("Møte 4/20") < plan.index("Møte 6/20") < plan.index("Møte 5/20")
    said = bot.slack.command("/dagsorden", "9/20").all_text()
    assert "Møtene som finnes: 4/20, 6/20, 5/20." in said  # main: 4/20, 5/20, 6/20
    bot.slack.command("/dagsorden", "ny", user_id=SEKRETARIAT)
    bot.settle()
    [opened] = bot.standin.calls_to("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    [meeting] = [block for block in view["blocks"] if block["block_id"] == "meeting"]
    assert [o["value"] for o in meeting["element"]["options"]] == ["5/20", "6/20", "4/20"]  # the latest first


def test_a_move_notice_names_the_old_time(bot: RunningBot) -> None:
    bot.slack.command("/moteplan", "ny 17.09.2020 09.00–11.00 Styringsgruppemøte", user_id=SEKRETARIAT)
    said = bot.slack.command("/moteplan", "flytt 5/20 24.09.2020 10.00–12.00", user_id=SEKRETARIAT).all_text()
    moved = "flyttet fra torsdag 17. september kl. 09.00 til torsdag 24. september 2020 kl. 10.00–12.00"
    assert f"Møte 5/20 er {moved}. Kanalen får beskjed." in said, said
    bot.motebot.ticker.tick()
    [notice] = [c.params for c in bot.standin.calls_to("chat.postMessage") if "flyttet" in c.params["text"]]
    assert f"Møte 5/20 (Styringsgruppemøte) er {moved}." in json.dumps(notice, ensure_ascii=False)
    bot.clock.advance(timedelta(days=60))  # moved into 2021: the old year is said
    said = bot.slack.command("/moteplan", "flytt 5/20 14.01.2021 10.00–12.00", user_id=SEKRETARIAT).all_text()
    assert "flyttet fra torsdag 24. september 2020 kl. 10.00 til torsdag 14. januar 2021 kl. 10.00–12.00" in said
    meeting = bot.store.meetings.get(Serial(2020, 5))
    assert meeting is not None and meeting.moved_from == (date(2020, 9, 24), time(10))


def test_a_cancelled_meeting_takes_no_new_case(bot: RunningBot) -> None:
    bot.slack.command("/moteplan", "ny 17.09.2020 09.00–11.00 Styringsgruppemøte", user_id=SEKRETARIAT)
    assert NEW_CASE_ACTION in bot.slack.command("/dagsorden", "5/20", user_id=SEKRETARIAT).body
    _cancel(bot, "5/20")
    shown = bot.slack.command("/dagsorden", "5/20", user_id=SEKRETARIAT)
    assert "Møtet er avlyst." in shown.all_text()
    assert NEW_CASE_ACTION not in shown.body  # main: [Ny sak] on a cancelled meeting
    before = db_bytes(bot.store)
    said = bot.slack.command("/dagsorden", "ny 5/20 Orientering Om NILAR", user_id=SEKRETARIAT).all_text()
    assert "Møte 5/20 er avlyst." in said
    assert db_bytes(bot.store) == before


def _cancel(bot: RunningBot, number: str) -> None:
    assert "er avlyst" in confirmed(bot, "/moteplan", f"avlys {number}")


# 9. Removing a standing item and cancelling a meeting ask first; the click acts, checked again.


def _question(bot: RunningBot, command: str, text: str, user_id: str = SEKRETARIAT) -> dict[str, dict[str, str]]:
    """The buttons under the question a command asked, by label; nothing has changed yet."""
    before = db_bytes(bot.store)
    reply = bot.slack.command(command, text, user_id=user_id)
    assert db_bytes(bot.store) == before, reply.all_text()
    buttons = [e for b in reply.json()["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return {button["text"]["text"]: button for button in buttons}


def _click(bot: RunningBot, button: dict[str, str], user_id: str = SEKRETARIAT) -> dict[str, object]:
    before = len(bot.standin.calls_to("response_url"))
    bot.click(user_id, button["action_id"], button["value"])
    bot.settle()
    [answered] = bot.standin.calls_to("response_url")[before:]
    assert answered.params["replace_original"] is True  # the question gives way to the answer
    return answered.params


def test_removing_the_approval_item_asks_and_yes_removes_it(bot: RunningBot) -> None:
    buttons = _question(bot, "/dagsorden", "fjern 17/20")  # main: removed at once
    assert list(buttons) == ["Ja, fjern saken", "Nei"]
    assert buttons["Ja, fjern saken"].get("style") == "danger"
    said = json.dumps(_click(bot, buttons["Ja, fjern saken"]), ensure_ascii=False)
    assert "Sak 17/20 «Godkjenning av innkalling og dagsorden» er fjernet" in said
    assert [str(c.number) for c in bot.store.meetings.get(Serial(2020, 4)).cases] == ["18/20", "19/20"]  # type: ignore[union-attr]


def test_no_keeps_the_case_and_an_ordinary_case_goes_without_asking(bot: RunningBot) -> None:
    buttons = _question(bot, "/dagsorden", "fjern 17/20")
    before = db_bytes(bot.store)
    assert _click(bot, buttons["Nei"])["text"] == "Sak 17/20 er ikke fjernet."
    assert db_bytes(bot.store) == before
    said = bot.slack.command("/dagsorden", "fjern 18/20", user_id=SEKRETARIAT).all_text()
    assert "Sak 18/20 «Status for arbeidet med Akson» er fjernet" in said


def test_the_click_is_checked_again(bot: RunningBot) -> None:
    buttons = _question(bot, "/dagsorden", "fjern 17/20")
    before = db_bytes(bot.store)
    said = _click(bot, buttons["Ja, fjern saken"], user_id=MEDLEM)["text"]  # the button, clicked by another
    assert "Bare lederen, nestlederen, sekretariatet og administratorene kan endre dagsordenen" in str(said)
    assert db_bytes(bot.store) == before
    _click(bot, buttons["Ja, fjern saken"])
    said = _click(bot, buttons["Ja, fjern saken"])["text"]  # a second click: removed meanwhile
    assert "Fant ikke sak 17/20" in str(said)


def test_cancelling_a_meeting_asks_and_no_changes_nothing(bot: RunningBot) -> None:
    buttons = _question(bot, "/moteplan", "avlys 4/20")  # main: cancelled at once
    assert list(buttons) == ["Ja, avlys møtet", "Nei"]
    before = db_bytes(bot.store)
    assert _click(bot, buttons["Nei"])["text"] == "Møte 4/20 er ikke avlyst."
    assert db_bytes(bot.store) == before
    bot.motebot.ticker.tick()
    assert not [c for c in bot.standin.calls_to("chat.postMessage") if "er avlyst" in c.params["text"]]
    said = _click(bot, buttons["Ja, avlys møtet"])
    assert "Møte 4/20 er avlyst. Kanalen får beskjed." in json.dumps(said, ensure_ascii=False)
    assert bot.store.meetings.get(Serial(2020, 4)).cancelled  # type: ignore[union-attr]
    bot.motebot.ticker.tick()
    assert [c for c in bot.standin.calls_to("chat.postMessage") if "er avlyst" in c.params["text"]]


def test_a_meeting_moved_since_the_question_is_not_cancelled_on_the_old_answer(bot: RunningBot) -> None:
    buttons = _question(bot, "/moteplan", "avlys 4/20")
    bot.slack.command("/moteplan", "flytt 4/20 2.7.2020 09.00–10.30", user_id=SEKRETARIAT)
    said = _click(bot, buttons["Ja, avlys møtet"])["text"]
    assert said == "Møte 4/20 er flyttet siden du spurte. Skriv `/moteplan avlys 4/20` på nytt."
    assert not bot.store.meetings.get(Serial(2020, 4)).cancelled  # type: ignore[union-attr]


def test_who_may_not_cancel_is_refused_before_any_question(bot: RunningBot) -> None:
    reply = bot.slack.command("/moteplan", "avlys 4/20", user_id=MEDLEM)
    assert "Bare lederen, nestlederen, sekretariatet og administratorene kan endre møteplanen" in reply.all_text()
    assert '"actions"' not in reply.body


# 12. The calendar: for the body's members, and never into a conversation the asker is not in.


def _uploads(bot: RunningBot) -> list[str]:
    """Where calendar files went (files.completeUploadExternal's channel)."""
    bot.settle()
    return [str(c.params.get("channel_id")) for c in bot.standin.calls_to("files.completeUploadExternal")]


@pytest.mark.parametrize("channel", ["D0FREMMED", "C0STYRING"])
def test_the_calendar_is_refused_to_someone_in_no_body(bot: RunningBot, channel: str) -> None:
    said = bot.slack.command("/moteplan", "ical", user_id=STRANGER, fields={"channel_id": channel}).all_text()
    assert "Bare medlemmene av Styringsgruppen for Akson kan få møteplanen som kalender." in said, said
    assert _uploads(bot) == []  # main: shared in the body's channel, or sent to the stranger


@pytest.mark.parametrize("channel", ["C0ANNEN", "D0KOLLEGA"])  # another channel; a DM with a colleague
def test_the_calendar_asked_for_elsewhere_comes_to_the_asker_alone(bot: RunningBot, channel: str) -> None:
    said = bot.slack.command("/moteplan", "akson ical", user_id=MEDLEM, fields={"channel_id": channel}).all_text()
    assert "kommer til deg i en direktemelding fra Møtebot" in said, said  # main: «deles i kanalen»
    assert _uploads(bot) == ["D0MEDLEM1"]  # main: into the colleague's DM


def test_the_calendar_asked_for_in_the_bodys_channel_is_shared_there(bot: RunningBot) -> None:
    assert "deles i kanalen" in bot.slack.command("/moteplan", "ical", user_id=MEDLEM).all_text()
    assert _uploads(bot) == ["C0STYRING"]


# 14. The Norwegian: «Møtet slutter kl. 10.30», «kl. 10.00» and «09.00–11.00» in the help (every form read),
# holidays as Språkrådet writes them, «avlyst».


def test_the_agenda_says_when_the_meeting_ends(bot: RunningBot) -> None:
    text = bot.slack.command("/dagsorden").all_text()
    assert "Møtet slutter kl. 10.30" in text and "Møtet ferdig" not in text  # main: «Møtet ferdig 10.30»
    bot.slack.command("/motebot", "innstillinger målform nn", user_id=SEKRETARIAT)
    assert "Møtet sluttar kl. 10.30" in bot.slack.command("/dagsorden").all_text()


def test_the_help_writes_times_as_språkrådet_and_every_form_is_read(bot: RunningBot) -> None:
    assert (
        "`/dagsorden ny 4/20 kl. 10.00 Orientering Tittel på saken`"
        in bot.slack.command("/dagsorden", "hjelp").all_text()
    )
    assert "`/moteplan flytt 5/20 24.09.2020 09.00–11.00`" in bot.slack.command("/moteplan", "hjelp").all_text()
    said = bot.slack.command("/moteplan", "ny 17.09.2020 09.00 Møte", user_id=SEKRETARIAT).all_text()
    assert "Skriv tiden slik: 09.00–11.00." in said  # main: «09.00-11.00»
    for day, span in (("7", "09.00-11.00"), ("8", "09:00–11:00"), ("9", "kl. 9–11"), ("10", "0900 - 1100")):
        bot.slack.command("/moteplan", f"ny {day}.09.2020 {span} Møte", user_id=SEKRETARIAT)
    planned = [(m.day.day, m.start, m.end) for m in bot.store.meetings.all() if m.day.month == 9]
    assert planned == [(day, time(9), time(11)) for day in (7, 8, 9, 10)]


@pytest.mark.parametrize(
    ("day", "said"),
    [("17.05.2021", "Mandag 17. mai 2021 er grunnlovsdagen, en offentlig fridag. Er datoen riktig?"),
     ("25.12.2020", "Fredag 25. desember 2020 er første juledag, en offentlig fridag."),
     ("13.05.2021", "Torsdag 13. mai 2021 er Kristi himmelfartsdag, en offentlig fridag."),
     ("05.04.2021", "Mandag 5. april 2021 er andre påskedag, en offentlig fridag.")],
)  # fmt: skip
def test_holidays_are_named_as_språkrådet_writes_them(bot: RunningBot, day: str, said: str) -> None:
    reply = bot.slack.command("/moteplan", f"ny {day} 09.00–11.00 Møte", user_id=SEKRETARIAT).all_text()
    assert said in reply, reply  # main: «er en helligdag (Grunnlovsdag)»


def test_a_holiday_in_nynorsk(bot: RunningBot) -> None:
    bot.slack.command("/motebot", "innstillinger målform nn", user_id=SEKRETARIAT)
    reply = bot.slack.command("/moteplan", "ny 17.05.2021 09.00–11.00 Møte", user_id=SEKRETARIAT).all_text()
    assert "Måndag 17. mai 2021 er grunnlovsdagen, ein offentleg fridag. Er datoen rett?" in reply, reply


def test_a_cancelled_meeting_is_avlyst_in_lower_case(bot: RunningBot) -> None:
    _cancel(bot, "4/20")
    text = bot.slack.command("/moteplan", "alle").all_text()
    assert "~ _(avlyst)_" in text and "AVLYST" not in text


def test_a_meeting_already_held_is_not_moved(bot: RunningBot) -> None:
    bot.clock.advance(timedelta(days=8))  # 2 July: meeting 4/20 was held yesterday
    before = db_bytes(bot.store)
    said = bot.slack.command("/moteplan", "flytt 4/20 10.09.2020 09.00-10.00", user_id=SEKRETARIAT).all_text()
    assert "Møte 4/20 er allerede holdt" in said
    assert db_bytes(bot.store) == before
