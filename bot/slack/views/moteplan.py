"""/moteplan: the plan, and the notices before, on moving and on cancelling a meeting."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.domain import (
    Deadline,
    Meeting,
)
from bot.core.formatting import (
    clock_time,
    days_from_today,
    long_date,
    meeting_time,
    meeting_when,
    short_datetime,
)
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import meeting_place, notice
from bot.slack.views.frister import deadline_due

MEETING_PLAN_HELP = (
    "*Slik bruker du /moteplan*\n"
    "• `/moteplan` – kommende møter\n"
    "• `/moteplan alle` – også avholdte og avlyste møter\n"
    "• `/moteplan ical` – møteplanen som kalenderfil i kanalen\n"
    "*For sekretariatet og lederen*\n"
    "• `/moteplan ny 17.09.2020 09.00-11.00 Styringsgruppemøte` – nytt web-møte "
    "(`sted: Oslo` til slutt for et fysisk møte); det får de faste sakene\n"
    "• `/moteplan flytt 5/20 24.09.2020 09.00-11.00` – ny dato og tid (kanalen får beskjed)\n"
    "• `/moteplan avlys 5/20` – avlys møtet (alle får beskjed)"
)


OPEN_APPROVAL_ACTION = "meeting_open_approval_vote"


def meeting_plan(meetings: list[Meeting], now: datetime, *, everything: bool) -> Message:
    tz = now.tzinfo
    assert isinstance(tz, ZoneInfo)
    shown = sorted(
        (m for m in meetings if everything or (not m.cancelled and m.ends_at(tz) >= now)),
        key=lambda m: m.starts_at(tz),
    )
    title = "Møteplan – alle møter" if everything else "Møteplan"
    if not shown:
        return notice(f"*{title}*\nIngen kommende møter. `/moteplan alle` viser også avholdte møter.")
    lines = [f"*{title}*"]
    for m in shown:
        parts = (f"*Møte {m.number}*", long_date(m.day), meeting_time(m), meeting_place(m), escape(m.title))
        line = " · ".join(part for part in parts if part)
        if m.cancelled:
            line = f"~{line}~ *AVLYST*"
        elif m.ends_at(tz) < now:
            line += " _(avholdt)_"
        lines.append(line)
    return Message(text=title, blocks=blocks.pack_sections(lines, 45))


def meeting_notice(
    meeting: Meeting, deadlines: list[Deadline], now: datetime, *, late_from: datetime | None, can_vote_open: bool
) -> Message:
    """The notice before a meeting: when, where, the agenda in short, deadlines before it, and the vote button."""
    when = meeting_when(meeting)
    lead = f":calendar: *Møte {meeting.number}* er {days_from_today(meeting.day, now.date())}: *{when}*"
    if place := meeting_place(meeting):
        lead += f" · {place}"
    body: list[blocks.Block] = [blocks.header(f"Møte {meeting.number}: {meeting.title}"), blocks.section(lead)]
    if meeting.cases:
        agenda_lines = [
            f"• {case.number}" + (f" {clock_time(case.start)}" if case.start else "") + f" – {escape(case.title)}"
            for case in meeting.cases[:30]
        ]
        if len(meeting.cases) > 30:
            agenda_lines.append(f"• … og {len(meeting.cases) - 30} saker til (`/dagsorden {meeting.number}`)")
        body.append(blocks.section("*Dagsorden*\n" + "\n".join(agenda_lines)))
    else:
        body.append(blocks.section("_Dagsordenen er ikke satt opp ennå._"))
    before = sorted((d for d in deadlines if d.is_open and now.date() <= d.due <= meeting.day), key=lambda d: d.due)
    if before:
        lines = [f"• {escape(d.what)} – {deadline_due(d)}" for d in before[:20]]
        body.append(blocks.section("*Frister før møtet*\n" + "\n".join(lines)))
    if late_from is not None:
        body.append(blocks.context(f"Varselet kommer for sent; det skulle ha vært sendt {short_datetime(late_from)}."))
    if can_vote_open:
        body.append(
            blocks.actions(blocks.button("Start avstemning om dagsordenen", OPEN_APPROVAL_ACTION, str(meeting.number)))
        )
    return Message(text=escape(f"Møte {meeting.number} {when}"), blocks=body)


def meeting_cancelled(meeting: Meeting) -> Message:
    when = meeting_when(meeting)
    text = f":x: *Møte {meeting.number} ({escape(meeting.title)}) {when} er avlyst.*"
    return Message(text=f"Møte {meeting.number} {when} er avlyst", blocks=[blocks.section(text)])


def meeting_moved(meeting: Meeting) -> Message:
    when = meeting_when(meeting)
    text = f":calendar: *Møte {meeting.number} ({escape(meeting.title)}) er flyttet til {when}.*"
    return Message(text=f"Møte {meeting.number} er flyttet til {when}", blocks=[blocks.section(text)])
