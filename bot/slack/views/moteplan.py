"""/moteplan: the plan, what a change did, the calendar file, and the notices before, on moving and on
cancelling a meeting."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import formatting
from bot.core.domain import Deadline, Meeting, Serial
from bot.core.formatting import (
    at_time,
    clock_time,
    days_from_today,
    long_date,
    meeting_time,
    meeting_when,
    short_datetime,
)
from bot.core.i18n import _, ngettext
from bot.core.ical import calendar
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import carrying, clicked_meeting, meeting_place, notice, outcome
from bot.slack.views.frister import deadline_due
from bot.usecases.moteplan import (
    Calendar,
    CalendarLinkRenewed,
    Cancelled,
    ConfirmCancel,
    Created,
    Holiday,
    Moved,
    Plan,
    PlanWarning,
)

OPEN_APPROVAL_ACTION = "meeting_open_approval_vote"
CANCEL_MEETING_ACTION = "meeting_cancel"  # [Ja, avlys møtet] under the question; value: carrying
KEEP_MEETING_ACTION = "meeting_keep"  # [Nei]


def meeting_plan(meetings: Sequence[Meeting], now: datetime, *, everything: bool, elected: bool = False) -> Message:
    tz = now.tzinfo
    assert isinstance(tz, ZoneInfo)
    shown = sorted(
        (m for m in meetings if everything or (not m.cancelled and m.ends_at(tz) >= now)),
        key=lambda m: m.starts_at(tz),
    )
    title = _("Meeting plan – all meetings") if everything else _("Meeting plan")
    if not shown:
        return notice(f"*{title}*\n" + _("No upcoming meetings. `/moteplan alle` also shows past meetings."))
    cancelled, held = _("called off"), _("held")  # a meeting: «avlyst» (a vote is «avbrutt»)
    lines = [f"*{title}*"]
    for m in shown:
        number = _("Meeting {number}", number=m.number)
        parts = (f"*{number}*", long_date(m.day), meeting_time(m), meeting_place(m, elected=elected), escape(m.title))
        line = " · ".join(part for part in parts if part)
        if m.cancelled:
            line = f"~{line}~ _({cancelled})_"
        elif m.ends_at(tz) < now:
            line += f" _({held})_"
        lines.append(line)
    return Message(text=title, blocks=blocks.pack_sections(lines, 45))


def _warning(warning: PlanWarning) -> str:
    if isinstance(warning, Holiday):
        day = long_date(warning.day).capitalize()
        name = _(warning.known) if warning.known else warning.name
        return _("{day} is {name}, a public holiday. Is the date right?", day=day, name=name)
    other = warning.other
    if other.start is None:
        return _(
            "Meeting {number} is the same day, with no time of day set. Check that the meetings do not overlap.",
            number=other.number,
        )
    return _(
        "Meeting {number} is the same day {span}; the times overlap.",
        number=other.number, span=formatting.time_span(other.start, other.end),
    )  # fmt: skip


def confirm_cancel(facts: ConfirmCancel) -> Message:
    """`avlys` asks first: cancelling tells the whole channel, and cannot be taken back."""
    meeting = facts.meeting
    question = _(
        "Cancel meeting {number} ({title}) {when}? The channel will be told.",
        number=meeting.number, title=meeting.title, when=meeting_when(meeting),
    )  # fmt: skip
    if facts.open_votes:
        question += " " + ngettext(
            "The open vote on it ends without a result.", "The {count} open votes on it end without a result.",
            facts.open_votes,
        )  # fmt: skip
    carried = json.dumps({"organ": facts.body, "meeting": str(meeting.number), "as_of": meeting.rescheduled})
    buttons = blocks.actions(
        blocks.button(_("Yes, cancel the meeting"), CANCEL_MEETING_ACTION, carried, style="danger"),
        blocks.button(_("No"), KEEP_MEETING_ACTION, carried),
    )
    return Message(text=escape(question), blocks=[blocks.section(f":warning: {escape(question)}"), buttons])


def clicked_cancel(value: str) -> tuple[object, Serial | None, int | None]:
    """The body, meeting and its `rescheduled` that [Ja, avlys møtet] carries, as `confirm_cancel` wrote them."""
    carried, number = clicked_meeting(value)
    try:
        as_of = json.loads(value).get("as_of")
    except (ValueError, AttributeError):
        as_of = None
    return carried, number, as_of if isinstance(as_of, int) and not isinstance(as_of, bool) else None


def kept(number: Serial) -> Message:
    """[Nei]: nothing was changed."""
    return notice(_("Meeting {number} has not been cancelled.", number=number))


def render(facts: Plan | Created | Moved | Cancelled | ConfirmCancel) -> Message:
    """What /moteplan answers (outcome escapes the summary: a place and standing items are plain text)."""
    if isinstance(facts, ConfirmCancel):
        return confirm_cancel(facts)
    if isinstance(facts, Plan):
        return meeting_plan(facts.meetings, facts.now, everything=facts.everything, elected=facts.elected)
    meeting = facts.meeting
    if isinstance(facts, Created):
        when, place = meeting_when(meeting), formatting.place_or_unknown(meeting, elected=facts.elected)
        cases = ", ".join(f"{c.shown_number} {c.title}" for c in meeting.cases)
        if cases:
            summary = _(
                "Meeting {number} has been added: {when} ({place}). Standing items: {cases}.",
                number=meeting.number, when=when, place=place, cases=cases,
            )  # fmt: skip
        else:
            summary = _(
                "Meeting {number} has been added: {when} ({place}).", number=meeting.number, when=when, place=place
            )
        return outcome(summary, [_warning(w) for w in facts.warnings])
    if isinstance(facts, Moved):
        summary = _(
            "Meeting {number} has been moved from {before} to {when}. The channel will be told.",
            number=meeting.number, before=moved_from(meeting), when=meeting_when(meeting),
        )  # fmt: skip
        return outcome(summary, [_warning(w) for w in facts.warnings])
    return outcome(_("Meeting {number} has been cancelled. The channel will be told.", number=meeting.number), [])


def _how_to_subscribe(link: str) -> list[str]:
    """The link as code (copied whole, not opened), and where the two calendars most members use take it."""
    return [
        f"`{escape(link)}`",
        "• " + escape(_("Outlook: «Add calendar → From Internet», and paste the link.")),
        "• " + escape(_("Google Calendar: «Other calendars → + → From URL».")),
    ]


def calendar_coming(facts: Calendar) -> Message:
    """The ack of `/moteplan ical`, to the member alone: the link to subscribe to, if there is one; the
    file follows in the channel."""
    if facts.channel:
        shared = _("The calendar file with the meeting plan is being shared in the channel.")
    else:
        shared = _("The calendar file with the meeting plan is coming to you in a direct message from Møtebot.")
    if facts.link is None:
        needs = _("A link to subscribe to needs MOTEBOT_PUBLIC_URL, which the operator sets.")
        return notice(f":white_check_mark: {escape(shared)}\n{escape(needs)}")
    lead = _(
        "Subscribe to the meeting plan of {name} in your calendar; it then follows moves and cancellations by itself:",
        name=facts.name,
    )
    keep = _(
        "Anyone with the link can read the meeting plan: keep it within the body. "
        "The secretariat can make a new one with `/moteplan ical ny`."
    )
    lines = [f":calendar: {escape(lead)}", *_how_to_subscribe(facts.link), escape(keep), escape(shared)]
    return Message(text=escape(lead), blocks=[blocks.section("\n".join(lines))])


def calendar_renewed(facts: CalendarLinkRenewed) -> Message:
    """`/moteplan ical ny`: the new link, to the one who made it."""
    if facts.link is None:
        done = _(
            "New calendar link for {name}; the old one no longer works. "
            "The link itself needs MOTEBOT_PUBLIC_URL, which the operator sets.",
            name=facts.name,
        )
        return outcome(done, [])
    done = _(
        "New calendar link for {name}. The old one no longer works: "
        "those who subscribed with it must subscribe again with this one:",
        name=facts.name,
    )
    lines = [f":white_check_mark: {escape(done)}", *_how_to_subscribe(facts.link)]
    return Message(text=escape(done), blocks=[blocks.section("\n".join(lines))])


def calendar_upload(facts: Calendar) -> dict[str, Any]:
    """files.uploadV2's arguments, but the channel: the same file as `motebot ical`, and as the feed."""
    return {
        "content": calendar(facts.meetings, facts.now, name=facts.name, body=facts.body),
        "filename": "moteplan.ics",
        "title": _("Meeting plan (iCalendar)"),
        "initial_comment": _("The meeting plan as a calendar file: open it, or import it into your calendar."),
    }


def calendar_not_shared() -> Message:
    return notice(_("Could not share the calendar file here. Has Møtebot been invited to the channel?"))


REPORT_ABSENCE_ACTION = "absence_report"  # handlers.forfall: the member sends forfall for the meeting
START_MEETING_ACTION = "meeting_start"  # handlers.mote: the chair sets the meeting
SOON = timedelta(hours=2)  # a notice this close to the start (the hour before) offers to start the meeting


def meeting_notice(
    meeting: Meeting,
    deadlines: Sequence[Deadline],
    now: datetime,
    *,
    late_from: datetime | None,
    can_vote_open: bool,
    organ: int = 0,
    elected: bool = False,
) -> Message:
    """The notice before a meeting: when, where, the agenda in short, deadlines before it, and the vote button."""
    when = meeting_when(meeting)
    lead = ":calendar: " + _(
        "*Meeting {number}* is {distance}: *{when}*",
        number=meeting.number, distance=days_from_today(meeting.day, now.date()), when=when,
    )  # fmt: skip
    if place := meeting_place(meeting, elected=elected):
        lead += f" · {place}"
    heading = _("Meeting {number}: {title}", number=meeting.number, title=meeting.title)
    body: list[blocks.Block] = [blocks.header(heading), blocks.section(lead)]
    if meeting.cases:
        agenda_lines = [
            f"• {escape(case.shown_number)}{f' {clock_time(case.start)}' if case.start else ''} – {escape(case.title)}"
            for case in meeting.cases[:30]
        ]
        if len(meeting.cases) > 30:
            more = len(meeting.cases) - 30
            agenda_lines.append(
                "• "
                + ngettext(
                    "… and {count} more case (`/dagsorden {meeting}`)",
                    "… and {count} more cases (`/dagsorden {meeting}`)",
                    more,
                    meeting=meeting.number,
                )
            )
        body.append(blocks.section("*" + _("Agenda") + "*\n" + "\n".join(agenda_lines)))
    else:
        body.append(blocks.section("_" + _("The agenda has not been set up yet.") + "_"))
    before = sorted((d for d in deadlines if d.is_open and now.date() <= d.due <= meeting.day), key=lambda d: d.due)
    if before:
        lines = [f"• {escape(d.what)} – {deadline_due(d)}" for d in before[:20]]
        body.append(blocks.section("*" + _("Deadlines before the meeting") + "*\n" + "\n".join(lines)))
    if late_from is not None:
        late = _("The notice is late; it should have been sent {when}.", when=short_datetime(late_from))
        body.append(blocks.context(late))
    carried = carrying(organ, meeting.number)
    buttons = [blocks.button(_("Send forfall"), REPORT_ABSENCE_ACTION, carried)]
    if can_vote_open:
        buttons.insert(0, blocks.button(_("Start the vote on the agenda"), OPEN_APPROVAL_ACTION, carried))
    if meeting.start and timedelta(0) <= meeting.starts_at(now.tzinfo) - now <= SOON:  # type: ignore[arg-type]
        buttons.insert(0, blocks.button(_("Start the meeting"), START_MEETING_ACTION, carried, style="primary"))
    body.append(blocks.actions(*buttons))
    fallback = _("Meeting {number} {when}", number=meeting.number, when=when)
    return Message(text=escape(fallback), blocks=body)


def meeting_cancelled(meeting: Meeting) -> Message:
    when = meeting_when(meeting)
    bold = _(
        "Meeting {number} ({title}) {when} is cancelled.", number=meeting.number, title=escape(meeting.title), when=when
    )
    fallback = _("Meeting {number} {when} is cancelled", number=meeting.number, when=when)
    return Message(text=fallback, blocks=[blocks.section(f":x: *{bold}*")])


def moved_from(meeting: Meeting) -> str:
    """'torsdag 17. september kl. 09.00': where a moved meeting was, the year left out within the same year."""
    assert meeting.moved_from is not None
    day, start = meeting.moved_from
    before = long_date(day, year=day.year != meeting.day.year)
    return f"{before} {at_time(start)}" if start else before


def meeting_moved(meeting: Meeting) -> Message:
    when = meeting_when(meeting)
    if meeting.moved_from is None:  # moved before Møtebot kept where from
        bold = _(
            "Meeting {number} ({title}) has been moved to {when}.",
            number=meeting.number, title=escape(meeting.title), when=when,
        )  # fmt: skip
        fallback = _("Meeting {number} has been moved to {when}", number=meeting.number, when=when)
        return Message(text=fallback, blocks=[blocks.section(f":calendar: *{bold}*")])
    before = moved_from(meeting)
    bold = _(
        "Meeting {number} ({title}) has been moved from {before} to {when}.",
        number=meeting.number, title=escape(meeting.title), before=before, when=when,
    )  # fmt: skip
    fallback = _("Meeting {number} has been moved from {before} to {when}", number=meeting.number, before=before,
                 when=when)  # fmt: skip
    return Message(text=fallback, blocks=[blocks.section(f":calendar: *{bold}*")])
