"""What members read: each answer as a Message, in Norwegian, from domain objects."""

from __future__ import annotations

from bot import blocks
from bot.blocks import Message, escape
from bot.domain import Case, Meeting
from bot.formatting import clock_time, meeting_when

AGENDA_HELP = (
    "*Slik bruker du /dagsorden*\n"
    "• `/dagsorden` – dagsordenen for neste møte\n"
    "• `/dagsorden 4/20` – dagsordenen for møte 4/20\n"
    "• `/dagsorden hjelp` – denne hjelpen"
)


def notice(text_mrkdwn: str) -> Message:
    """A short answer: one section, the same words as the fallback."""
    return Message(text=text_mrkdwn, blocks=[blocks.section(text_mrkdwn)])


def _case_text(case: Case) -> str:
    facts = [f"*Sak {case.number}*"]
    if case.start:
        facts.append(clock_time(case.start))
    if case.case_type:
        facts.append(f"_{case.case_type.value}_")
    lines = ["  ·  ".join(facts), escape(case.title)]
    if case.decision:
        lines.append(f"*Vedtak:* {escape(case.decision)}")
    elif case.proposal:
        lines.append(f"*Forslag til vedtak:* {escape(case.proposal)}")
    return "\n".join(lines)


def agenda(meeting: Meeting, *, ahead: bool, latest_instead: bool = False) -> Message:
    """The agenda as the notice shows it: number, date and times, each case with its proposal or decision."""
    when = meeting_when(meeting)
    place = "Web-møte" if meeting.web else (escape(meeting.location) if meeting.location else "")
    about = "  ·  ".join(part for part in (f"*{when}*", place, escape(meeting.body or "")) if part)
    top: list[blocks.Block] = [blocks.header(f"Møte {meeting.number}: {meeting.title}"), blocks.section(about)]
    if latest_instead:
        top.append(blocks.context("Ingen møter er planlagt fremover. Dette er det siste møtet."))
    elif not ahead:
        top.append(blocks.context("Dette møtet er avholdt."))
    top.append(blocks.divider())
    bottom = [blocks.context(f"Møtet ferdig {clock_time(meeting.end)}")] if meeting.end else []
    if meeting.cases:
        budget = blocks.MAX_BLOCKS_MESSAGE - len(top) - len(bottom)
        middle = blocks.pack_sections([_case_text(case) for case in meeting.cases], budget)
    else:
        middle = [blocks.section("_Ingen saker på dagsordenen ennå._")]
    count = len(meeting.cases)
    fallback = f"Dagsorden for møte {meeting.number}, {when}: {count} {'sak' if count == 1 else 'saker'}"
    return Message(text=escape(fallback), blocks=top + middle + bottom)
