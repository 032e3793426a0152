"""/frister: deadlines, listed and reminded."""

from __future__ import annotations

from datetime import date, datetime, time

from bot.core.domain import (
    Deadline,
)
from bot.core.formatting import (
    clock_time,
    days_from_today,
    long_date,
    people_list,
    short_datetime,
)
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import mention, notice

DEADLINES_HELP = (
    "*Slik bruker du /frister*\n"
    "• `/frister` – åpne frister, den nærmeste først\n"
    "• `/frister alle` – også passerte og ferdige\n"
    "*For sekretariatet og lederen*\n"
    "• `/frister ny 03.07.2020 [09.00] Notat til HOD @Kari` – datoen kan også skrives 3.7.2020, "
    "3. juli 2020 eller 2020-07-03. Et ansvarlig organ skrives til slutt: `ansvar: Direktoratet for e-helse`\n"
    "• `/frister utsett 3 1.11.2020 [12.00]` – ny dato; den gamle huskes\n"
    "• `/frister ferdig 3` – oppgaven er gjort"
)


def responsible(deadline: Deadline) -> str:
    """The people (as mentions the bot builds) and the body responsible."""
    parts = [mention(user) for user in deadline.users]
    if deadline.body:
        parts.append(escape(deadline.body))
    return people_list(parts)


def deadline_due(deadline: Deadline) -> str:
    when = long_date(deadline.due)
    return f"{when} kl. {clock_time(deadline.due_time)}" if deadline.due_time else when


def _deadline_line(deadline: Deadline, today: date) -> str:
    state = "ferdig" if not deadline.is_open else days_from_today(deadline.due, today)
    line = f"*{deadline.id}.* {escape(deadline.what)} – *{deadline_due(deadline)}* ({state})"
    if deadline.earlier:
        line += " · utsatt fra " + ", ".join(long_date(day).split(" ", 1)[1] for day in deadline.earlier)
    elif deadline.postponed:
        line += " · utsatt frist"
    who = responsible(deadline)
    if who:
        line += f"\n      Ansvar: {who}"
    if deadline.case:
        line += f" · sak {deadline.case}"
    return line


def deadline_list(deadlines: list[Deadline], today: date, *, everything: bool) -> Message:
    shown = sorted(
        (d for d in deadlines if everything or (d.is_open and d.due >= today)),
        key=lambda d: (d.due, d.due_time or time(0), d.id),
    )
    title = "Alle frister" if everything else "Åpne frister"
    if not shown:
        empty = "Ingen frister er registrert." if everything else "Ingen åpne frister fremover."
        return notice(f"*{title}*\n{empty} `/frister alle` viser også passerte og ferdige.")
    lines = [f"*{title}*", *(_deadline_line(d, today) for d in shown)]
    return Message(text=f"{title}: {len(shown)}", blocks=blocks.pack_sections(lines, 45))


def deadline_reminder(deadline: Deadline, today: date, *, late_from: datetime | None = None) -> Message:
    """'Påminnelse: … fristen er fredag 3. juli 2020 (i morgen)', mentioning those responsible."""
    who = responsible(deadline)
    text = (
        f":alarm_clock: *Påminnelse:* {escape(deadline.what)} – fristen er {deadline_due(deadline)} "
        f"({days_from_today(deadline.due, today)})."
    )
    if who:
        text += f"\nAnsvar: {who}"
    if deadline.earlier:
        text += f"\n_Utsatt fra {long_date(deadline.earlier[-1])}._"
    if late_from is not None:
        text += f"\n_Påminnelsen kommer for sent; den skulle ha vært sendt {short_datetime(late_from)}._"
    return notice(text)
