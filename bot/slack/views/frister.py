"""/frister: deadlines, listed and reminded, and what a change did."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.domain import Deadline, DeadlineState
from bot.core.formatting import day_and_month, days_from_today, enumeration, long_date, moment, short_datetime
from bot.core.i18n import _
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import done, mention, notice
from bot.usecases.frister import (
    Added,
    Changes,
    Edited,
    Facts,
    Listing,
    MyDeadlines,
    Postponed,
    Removed,
    Unchanged,
    in_order,
)


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


def distance(deadline: Deadline, now: datetime) -> str:
    """«om 9 dager», «i morgen»; «fristen gikk ut i går» for one passed (today too, past its time)."""
    if not deadline.is_open:
        return _("done")
    if has_passed(deadline, now) and deadline.due == now.date():
        return _("the deadline passed today")
    return days_from_today(deadline.due, now.date())


def _deadline_line(deadline: Deadline, now: datetime, body: str | None = None) -> str:
    line = f"*{deadline.id}.* {escape(deadline.what)} – *{deadline_due(deadline)}* ({distance(deadline, now)})"
    if deadline.earlier:
        line += " · " + _("postponed from {days}", days=", ".join(day_and_month(day) for day in deadline.earlier))
    elif deadline.postponed:
        line += " · " + _("postponed deadline")
    if who := responsible(deadline):
        line += "\n      " + _("Responsible: {who}", who=who)
    if deadline.case:
        line += " · " + _("case {number}", number=deadline.case)
    if body:
        line += " · " + escape(body)
    return line


def has_passed(deadline: Deadline, now: datetime) -> bool:
    """Open, and past the moment it fell due: it stays in the list until it is marked done or removed."""
    return deadline.is_open and deadline.due_at(now.tzinfo) <= now


def deadline_list(deadlines: Sequence[Deadline], now: datetime, *, everything: bool) -> Message:
    tz = now.tzinfo
    kept = in_order([d for d in deadlines if d.state is not DeadlineState.REMOVED], tz)
    passed = [d for d in kept if has_passed(d, now)]
    ahead = [d for d in kept if d.is_open and not has_passed(d, now)]
    finished = [d for d in kept if everything and not d.is_open]
    title = _("All deadlines") if everything else _("Open deadlines")
    if not (passed or ahead or finished):
        if everything:
            empty = _("No deadlines have been registered.")
        else:
            empty = _("No open deadlines. `/frister alle` also shows finished ones.")
        return notice(f"*{title}*\n{empty}")
    lines = [f"*{title}*", *(_deadline_line(d, now) for d in ahead)]
    if not ahead:
        lines.append(_("No open deadlines ahead."))
    if passed:
        lines += [":warning: *" + _("The deadline has passed") + "*", *(_deadline_line(d, now) for d in passed)]
    if finished:
        lines += ["*" + _("Done") + "*", *(_deadline_line(d, now) for d in finished)]
    count = len(passed) + len(ahead) + len(finished)
    return Message(text=f"{title}: {count}", blocks=blocks.pack_sections(lines, 45))


def my_deadlines(facts: MyDeadlines) -> Message:
    title = _("Your deadlines")
    if not facts.deadlines:
        return notice(f"*{title}*\n" + _("You have no open deadlines. `/frister` shows the body's."))
    lines = [f"*{title}*"]
    for owned in facts.deadlines:
        line = _deadline_line(owned.deadline, facts.now, owned.body if facts.several_bodies else None)
        lines.append((":warning: " if has_passed(owned.deadline, facts.now) else "") + line)
    return Message(text=f"{title}: {len(facts.deadlines)}", blocks=blocks.pack_sections(lines, 45))


def deadline_reminder(deadline: Deadline, now: datetime, *, late_from: datetime | None = None) -> Message:
    """'Påminnelse: … fristen er fredag 3. juli 2020 (i morgen)', mentioning those responsible; once it has
    passed, that it has, and how to mark it done."""
    if has_passed(deadline, now):
        reminder = _(
            "*The deadline has passed:* {what} – it was {due}. When it is done: `/frister ferdig {number}`.",
            what=escape(deadline.what), due=deadline_due(deadline), number=deadline.id,
        )  # fmt: skip
    else:
        reminder = _(
            "*Reminder:* {what} – the deadline is {due} ({distance}).",
            what=escape(deadline.what), due=deadline_due(deadline), distance=days_from_today(deadline.due, now.date()),
        )  # fmt: skip
    text = f":alarm_clock: {reminder}"
    if who := responsible(deadline):
        text += "\n" + _("Responsible: {who}", who=who)
    if deadline.earlier:
        postponed = _("Postponed from {day}.", day=long_date(deadline.earlier[-1]))
        text += f"\n_{postponed}_"
    if late_from is not None and not has_passed(deadline, now):  # that it has passed says when it was due
        late = _("The reminder is late; it should have been sent {when}.", when=short_datetime(late_from))
        text += f"\n_{late}_"
    return notice(text)


def _not_members(deadline: Deadline, outsiders: tuple[str, ...]) -> str:
    return ":warning: " + _(
        "{people} is not in the body. The reminders go to them in a direct message all the same; add them "
        "with `/medlemmer leggtil`, or change who is responsible with `/frister endre {number} ansvar …`.",
        people=enumeration([mention(user) for user in outsiders]), number=deadline.id,
    )  # fmt: skip


def _history(deadline: Deadline) -> Message:
    title = _("History of deadline {number}: {what}", number=deadline.id, what=escape(deadline.what))
    if not deadline.history:
        return notice(f"*{title}*\n" + _("No changes are recorded (it came before the history was kept)."))
    lines = [f"• {short_datetime(c.at)} – {mention(c.actor)} – {escape(c.summary)}" for c in deadline.history]
    return notice("\n".join([f"*{title}*", *lines]))


def render(facts: Facts) -> Message:
    if isinstance(facts, Listing):
        return deadline_list(facts.deadlines, facts.now, everything=facts.everything)
    if isinstance(facts, MyDeadlines):
        return my_deadlines(facts)
    deadline = facts.deadline
    what, due = escape(deadline.what), deadline_due(deadline)
    if isinstance(facts, Changes):
        return _history(deadline)
    if isinstance(facts, Unchanged):
        return notice(_("Deadline {number} is already {due}; nothing was changed.", number=deadline.id, due=due))
    if isinstance(facts, Added | Edited):
        if isinstance(facts, Added):
            said = _("Deadline {number} has been added: {what} – {due}.", number=deadline.id, what=what, due=due)
        else:
            said = _("Deadline {number} has been changed: {what} – {due}.", number=deadline.id, what=what, due=due)
        if facts.outsiders:
            said += "\n" + _not_members(deadline, facts.outsiders)
        return done(said)
    if isinstance(facts, Postponed):
        return done(_("Deadline {number} has been postponed to {due}.", number=deadline.id, due=due))
    if isinstance(facts, Removed):
        return done(_("Deadline {number} has been removed: {what}.", number=deadline.id, what=what))
    return done(_("Deadline {number} is done: {what}.", number=deadline.id, what=what))
