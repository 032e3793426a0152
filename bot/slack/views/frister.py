"""/frister: deadlines, listed and reminded, and what a change did."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from bot.core.domain import Deadline
from bot.core.formatting import day_and_month, days_from_today, enumeration, long_date, moment, short_datetime
from bot.core.i18n import _
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import done, mention, notice
from bot.usecases.frister import Added, Finished, Listing, Postponed


def responsible(deadline: Deadline) -> str:
    """The people (as mentions the bot builds) and the body responsible."""
    parts = [mention(user) for user in deadline.users]
    if deadline.body:
        parts.append(escape(deadline.body))
    return enumeration(parts)


def deadline_due(deadline: Deadline) -> str:
    """'fredag 3. juli 2020', or 'fredag 3. juli 2020 kl. 12.00' when the deadline has a time of day."""
    if deadline.due_time:
        return moment(datetime.combine(deadline.due, deadline.due_time))
    return long_date(deadline.due)


def _deadline_line(deadline: Deadline, today: date) -> str:
    state = _("done") if not deadline.is_open else days_from_today(deadline.due, today)
    line = f"*{deadline.id}.* {escape(deadline.what)} – *{deadline_due(deadline)}* ({state})"
    if deadline.earlier:
        line += " · " + _("postponed from {days}", days=", ".join(day_and_month(day) for day in deadline.earlier))
    elif deadline.postponed:
        line += " · " + _("postponed deadline")
    if who := responsible(deadline):
        line += "\n      " + _("Responsible: {who}", who=who)
    if deadline.case:
        line += " · " + _("case {number}", number=deadline.case)
    return line


def deadline_list(deadlines: Sequence[Deadline], today: date, *, everything: bool) -> Message:
    shown = sorted(
        (d for d in deadlines if everything or (d.is_open and d.due >= today)),
        key=lambda d: (d.due, d.due_time or time(0), d.id),
    )
    title = _("All deadlines") if everything else _("Open deadlines")
    if not shown:
        if everything:
            empty = _("No deadlines have been registered. `/frister alle` also shows past and finished ones.")
        else:
            empty = _("No open deadlines ahead. `/frister alle` also shows past and finished ones.")
        return notice(f"*{title}*\n{empty}")
    lines = [f"*{title}*", *(_deadline_line(d, today) for d in shown)]
    return Message(text=f"{title}: {len(shown)}", blocks=blocks.pack_sections(lines, 45))


def deadline_reminder(deadline: Deadline, today: date, *, late_from: datetime | None = None) -> Message:
    """'Påminnelse: … fristen er fredag 3. juli 2020 (i morgen)', mentioning those responsible."""
    reminder = _(
        "*Reminder:* {what} – the deadline is {due} ({distance}).",
        what=escape(deadline.what), due=deadline_due(deadline), distance=days_from_today(deadline.due, today),
    )  # fmt: skip
    text = f":alarm_clock: {reminder}"
    if who := responsible(deadline):
        text += "\n" + _("Responsible: {who}", who=who)
    if deadline.earlier:
        postponed = _("Postponed from {day}.", day=long_date(deadline.earlier[-1]))
        text += f"\n_{postponed}_"
    if late_from is not None:
        late = _("The reminder is late; it should have been sent {when}.", when=short_datetime(late_from))
        text += f"\n_{late}_"
    return notice(text)


def render(facts: Listing | Added | Postponed | Finished) -> Message:
    if isinstance(facts, Listing):
        return deadline_list(facts.deadlines, facts.today, everything=facts.everything)
    deadline = facts.deadline
    what, due = escape(deadline.what), deadline_due(deadline)
    if isinstance(facts, Added):
        return done(_("Deadline {number} has been added: {what} – {due}.", number=deadline.id, what=what, due=due))
    if isinstance(facts, Postponed):
        return done(_("Deadline {number} has been postponed to {due}.", number=deadline.id, due=due))
    return done(_("Deadline {number} is done: {what}.", number=deadline.id, what=what))
