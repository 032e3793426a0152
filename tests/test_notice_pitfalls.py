"""Where a notice importer goes wrong, found by a hostile review: a fact taken from the wrong place, minutes
whose decisions are missed, a re-import that forgets what Slack did. Real files from tests/documents.py, or
the real app."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.core.domain import Serial
from bot.core.notices.reader import NoticeError, parse_bytes, parse_notice
from tests import documents
from tests.support import SEED, SEKRETARIAT, RunningBot, confirmed


def _read(text: str, source: str = "innkalling.txt") -> Any:
    return parse_notice(text, source)


# Invented data: a fact taken from the wrong place


def test_a_deadline_for_the_papers_below_the_meeting_number_is_not_the_meeting_date() -> None:
    text = (
        "# Innkalling til styremøte\n\nMøte 1/22\n\nSaksdokumentene sendes ut senest 3. januar 2022.\n\n"
        "Saksliste\n\nSak\tTittel\n1/22\tGodkjenning av innkalling\n2/22\tBudsjett 2022\n"
    )
    try:
        notice = _read(text)
    except NoticeError:
        return  # honest: the notice gives no meeting date
    assert notice.meeting.day != date(2022, 1, 3)


def test_the_minutes_of_the_last_meeting_named_below_the_number_do_not_date_this_one() -> None:
    text = (
        "# Møteinnkalling\n\nMøte 3/24\n\nVedlagt følger referat fra møtet 14. mars 2024.\n\n"
        "Saksliste\n\nSak\tTittel\n1/24\tGodkjenning av referat\n"
    )
    try:
        notice = _read(text)
    except NoticeError:
        return
    assert notice.meeting.day != date(2024, 3, 14)


def test_a_deadline_clock_time_is_not_the_meeting_start() -> None:
    text = (
        "# Styremøte\n\nDato: 12.09.2024\nFrist for innspill til saker: kl. 12.00 fredag\n\n"
        "Saksliste\n\nSak\tTittel\n1/24\tGodkjenning\n"
    )
    assert _read(text).meeting.start is None


def test_the_number_of_the_last_meeting_in_an_agenda_title_is_not_this_meetings_number() -> None:
    text = (
        "# Innkalling til styremøte\n\nMøtedato: 12.09.2024 kl. 10.00\nMøtested: Rådhuset\n\n"
        "Saksliste\n\nSak\tTittel\tSakstype\n"
        "5/24\tGodkjenning av referat fra møte 4/24 den 20.06.2024\tGodkjenning\n6/24\tBudsjett\tBeslutning\n"
    )
    notice = _read(text)
    assert notice.meeting.number != Serial(2024, 4)
    assert not notice.numbered


# Minutes: a decision by vote, a "Vedtak" line


MINUTES = """# Møteprotokoll

Møte 5/24
Møtedato: 12.09.2024 kl. 10.00
Møtested: Rådhuset

Saksliste

Sak\tTittel\tSakstype
5/24\tBudsjett\tBeslutning

## Sak 5/24 Budsjett

Forslag til vedtak

Styret vedtar budsjettet.

Votering

Forslaget ble vedtatt med 5 mot 2 stemmer.

Vedtak

Styret vedtar budsjettet slik det foreligger.
"""


def test_minutes_in_word_with_a_vedtak_paragraph_give_the_decision_and_keep_the_vote_out_of_the_proposal() -> None:
    notice = parse_bytes(documents.docx_from_text(MINUTES), "protokoll.docx")
    [case] = notice.meeting.cases
    assert notice.minutes
    assert case.proposal == "Styret vedtar budsjettet."
    assert case.decision == "Styret vedtar budsjettet slik det foreligger."


def test_minutes_that_record_a_vote_give_the_case_its_decision() -> None:
    text = MINUTES.split("Vedtak\n\nStyret vedtar budsjettet slik")[0]  # the vote, no "Vedtak" paragraph
    [case] = _read(text, "protokoll.txt").meeting.cases
    assert case.decision is not None and case.decision.startswith("Styret vedtar budsjettet.")


# Through the real app: the DM preview and its buttons

NUMBERLESS = (
    "# Innkalling til styremøte\n\nMøtedato: 2. september 2020 kl. 10.00\nMøtested: Rådhuset\n\n"
    "Saksliste\n\nSak\tTittel\tSakstype\n30/20\tBudsjett\tBeslutning\n\n## Sak 30/20 Budsjett\n\n"
    "Forslag til vedtak\n\nStyret vedtar budsjettet.\n"
)


def _blocks(posted: dict[str, Any]) -> list[dict[str, Any]]:
    return json.loads(posted["blocks"]) if isinstance(posted["blocks"], str) else posted["blocks"]


def _buttons(posted: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["text"]["text"]: e for b in _blocks(posted) if b["type"] == "actions" for e in b["elements"]}


def _click(bot: RunningBot, user: str, button: dict[str, Any]) -> dict[str, Any]:
    assert bot.click(user, button["action_id"], button["value"]).status == 200
    bot.settle()
    return bot.standin.calls_to("response_url")[-1].params


def test_a_numberless_notice_read_again_after_the_meeting_was_moved_in_slack_updates_that_meeting(
    empty_bot: RunningBot,
) -> None:
    bot = empty_bot
    posted = bot.share_file(SEKRETARIAT, "innkalling.md", NUMBERLESS.encode(), event_id="EvMoved1")
    _click(bot, SEKRETARIAT, _buttons(posted)["Importer"])
    [meeting] = bot.store.meetings.all()
    moved = bot.slack.command("/moteplan", f"flytt {meeting.number} 03.09.2020 10.00-12.00", user_id=SEKRETARIAT)
    assert moved.status == 200
    bot.settle()
    assert bot.store.meetings.get(meeting.number).day == date(2020, 9, 3)
    again = NUMBERLESS.replace("Styret vedtar budsjettet.", "Styret vedtar budsjettet med endringer.")
    posted = bot.share_file(SEKRETARIAT, "innkalling.md", again.encode(), event_id="EvMoved2", file_id="F0NOTICE2")
    assert "Et nytt møte." not in json.dumps(_blocks(posted), ensure_ascii=False)
    _click(bot, SEKRETARIAT, _buttons(posted)["Importer"])
    assert [m.number for m in bot.store.meetings.all()] == [meeting.number]  # no second meeting


def test_a_notice_for_a_cancelled_meeting_says_so_in_the_preview(bot: RunningBot) -> None:
    assert "er avlyst" in confirmed(bot, "/moteplan", "avlys 4/20")
    assert bot.store.meetings.get(Serial(2020, 4)).cancelled
    posted = bot.share_file(SEKRETARIAT, "innkalling.md", SEED.read_bytes(), event_id="EvCancel")
    shown = json.dumps(_blocks(posted), ensure_ascii=False)
    assert "avlys" in shown.casefold()  # the member is told the meeting the notice updates is cancelled


# Re-import after a vote


def _decided_by_vote(bot: RunningBot) -> Any:
    from bot.core.domain import Choice
    from bot.core.notices.reader import read_notice
    from bot.usecases import avstemning
    from bot.usecases.innkalling import import_notices
    from tests.support import LEDER, MEDLEM

    import_notices(bot.services, "test", [read_notice(SEED)])
    vote = avstemning.open_vote(bot.services, LEDER, Serial(2020, 18))
    avstemning.cast(bot.services, vote.id, MEDLEM, Choice.FOR)
    avstemning.close(bot.services, LEDER, vote.id)
    case = bot.store.meetings.get(Serial(2020, 4)).case(Serial(2020, 18))
    assert case.decision
    return case


def test_a_notice_read_again_after_the_vote_does_not_change_the_proposal_that_was_voted_on(bot: RunningBot) -> None:
    from bot.usecases.innkalling import import_notices

    voted = _decided_by_vote(bot)
    text = SEED.read_text(encoding="utf-8").replace(
        "Styringsgruppen tar saken til orientering og ber", "Styringsgruppen slutter seg til planen og ber"
    )
    imported = import_notices(bot.services, "test", [parse_notice(text, "innkalling.md")])
    case = imported.meetings[0].case(Serial(2020, 18))
    assert case.proposal == voted.proposal  # the decision says what was voted on; the proposal must agree
    assert imported.readings[0].conflicts or not imported.readings[0].changes


def test_minutes_with_another_decision_than_the_vote_are_not_silently_ignored(bot: RunningBot) -> None:
    from bot.usecases.innkalling import import_notices

    voted = _decided_by_vote(bot)
    minutes = SEED.read_text(encoding="utf-8").replace(
        "# Styringsgruppemøte for Akson", "# Referat fra styringsgruppemøte"
    )
    minutes = minutes.replace(
        "Styringsgruppen tar saken til orientering og ber", "Styringsgruppen tok saken til orientering og ba"
    )
    notice = parse_notice(minutes, "referat.md")
    assert notice.minutes and notice.meeting.case(Serial(2020, 18)).decision
    imported = import_notices(bot.services, "test", [notice])
    assert imported.meetings[0].case(Serial(2020, 18)).decision == voted.decision  # the vote's stays
    reading = imported.readings[0]
    assert reading.conflicts or reading.notice.warnings  # but the secretariat is told the minutes say otherwise


# Nynorsk minutes, and a Word file that is only a picture

NYNORSK_MINUTES = """# Møtebok Formannskapet

Møtedato: 03.09.2024
Møtestad: Kommunestyresalen
Tid: kl. 13.00 – 15.30

Saker til handsaming

Saksnr\tInnhald
PS 20/24\tGodkjenning av innkalling og sakliste
PS 21/24\tSal av kommunal tomt på Nes

## PS 20/24 Godkjenning av innkalling og sakliste

Kommunedirektøren sitt framlegg til vedtak:

Innkalling og sakliste vert godkjend.

Handsaming i møtet:

Framlegget vart samrøystes vedteke.

## PS 21/24 Sal av kommunal tomt på Nes

Framlegg til vedtak

Tomta vert seld til høgstbydande.

Røysting

Framlegget vart vedteke med 5 mot 2 røyster.

FSK- 21/24 Vedtak:

Tomta vert seld til høgstbydande.
"""


def test_nynorsk_minutes_give_each_case_its_decision() -> None:
    notice = parse_bytes(documents.docx_from_text(NYNORSK_MINUTES), "møtebok.docx")
    assert notice.minutes
    first, second = notice.meeting.cases
    assert first.proposal == "Innkalling og sakliste vert godkjend."
    assert first.decision == "Innkalling og sakliste vert godkjend."
    assert second.decision == "Tomta vert seld til høgstbydande."


def test_a_word_file_with_only_a_scanned_picture_is_told_it_has_no_text() -> None:
    import io

    import docx
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(picture, "PNG")
    document = docx.Document()
    document.add_picture(io.BytesIO(picture.getvalue()))
    data = io.BytesIO()
    document.save(data)
    try:
        parse_bytes(data.getvalue(), "skannet.docx")
    except NoticeError as error:
        assert "inneholder ingen tekst" in str(error)
    else:
        raise AssertionError("a picture was read as a notice")
