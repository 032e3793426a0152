"""/dagsorden: the agenda as the notice shows it, what a change did, its history, and the "Ny sak" modal."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.core import limits
from bot.core.agenda import AfterEnd, BeforeStart, TimeWarning
from bot.core.domain import AgendaChange, Case, CaseType, Meeting, Serial
from bot.core.formatting import at_time, case_name, case_type_name, clock_time, long_date, meeting_when
from bot.core.i18n import _, ngettext
from bot.slack import blocks
from bot.slack.blocks import Message, escape, fit
from bot.slack.views.common import (
    _logged,
    _outcome_lines,
    carrying,
    carrying_case,
    meeting_place,
    notice,
    outcome,
    problem,
)
from bot.usecases.dagsorden import (
    NEW_USAGE,
    USAGE,
    Agenda,
    AgendaHistory,
    CaseAdded,
    CaseChanged,
    CaseMoved,
    Changed,
    ConfirmRemoval,
    NoMeetings,
    NotFound,
    Unclear,
)

NEW_CASE_ACTION = "agenda_new_case"
REMOVE_CASE_ACTION = "agenda_remove_case"  # [Ja, fjern saken] under the question; value: carrying_case
KEEP_CASE_ACTION = "agenda_keep_case"  # [Nei]


NEW_CASE_VIEW = "agenda_new_case_view"


def _case_text(case: Case) -> str:
    facts = ["*" + escape(case_name(case)) + "*"]
    if case.start:
        facts.append(clock_time(case.start))
    if case.case_type:
        facts.append(f"_{case_type_name(case.case_type)}_")
    if case.presenter:
        facts.append(escape(case.presenter))
    lines = ["  ·  ".join(facts), escape(case.title)]
    if case.decision:
        lines.append("*" + _("Decision:") + "* " + escape(case.decision))
    elif case.proposal:
        lines.append("*" + _("Proposed decision:") + "* " + escape(case.proposal))
    return "\n".join(lines)


def agenda(
    meeting: Meeting,
    *,
    ahead: bool,
    latest_instead: bool = False,
    can_edit: bool = False,
    lead: str = "",
    body: int = 0,
    elected: bool = False,
) -> Message:
    """The agenda as the notice shows it: number, date and times, each case with its proposal or decision.

    `lead` (mrkdwn) goes first, such as the outcome of a change; `can_edit` adds the "Ny sak" button.
    """
    when = meeting_when(meeting)
    place = meeting_place(meeting, elected=elected)
    about = "  ·  ".join(part for part in (f"*{when}*", place, escape(meeting.body or "")) if part)
    top: list[blocks.Block] = [blocks.section(lead)] if lead else []
    top += [
        blocks.header(_("Meeting {number}: {title}", number=meeting.number, title=meeting.title)),
        blocks.section(about),
    ]
    if meeting.cancelled:
        top.append(blocks.context(":x: *" + _("The meeting is cancelled.") + "*"))
    elif latest_instead:
        top.append(blocks.context(_("No meetings are planned ahead. This is the latest meeting.")))
    elif not ahead:
        top.append(blocks.context(_("This meeting has been held.")))
    top.append(blocks.divider())
    bottom = [blocks.context(_("The meeting ends {time}", time=at_time(meeting.end)))] if meeting.end else []
    bottom.append(blocks.context(_("Version {version} of the agenda", version=meeting.version)))
    if can_edit and not meeting.cancelled:  # a cancelled meeting takes no new cases
        bottom.append(blocks.actions(blocks.button(_("New case"), NEW_CASE_ACTION, carrying(body, meeting.number))))
    if meeting.cases:
        budget = blocks.MAX_BLOCKS_MESSAGE - len(top) - len(bottom)
        middle = blocks.pack_sections([_case_text(case) for case in meeting.cases], budget)
    else:
        middle = [blocks.section("_" + _("No cases on the agenda yet.") + "_")]
    fallback = escape(
        ngettext(
            "Agenda for meeting {number}, {when}: {count} case",
            "Agenda for meeting {number}, {when}: {count} cases",
            len(meeting.cases),
            number=meeting.number,
            when=when,
        )
    )
    return Message(text=f"{lead}\n{fallback}" if lead else fallback, blocks=top + middle + bottom)


def summary(facts: Changed) -> str:
    """What the change did, in one sentence (plain text: it carries the title as typed)."""
    change, meeting = facts.change, facts.meeting
    if isinstance(change, CaseAdded):
        return _(
            "Case {case} «{title}» has been added to meeting {meeting}.",
            case=change.case.number,
            title=change.case.title,
            meeting=meeting.number,
        )
    if isinstance(change, CaseChanged):
        case = change.case
        if change.what == "tittel":
            return _("Case {case} now has the title «{title}».", case=case.number, title=case.title)
        if change.what == "kl" and case.start:
            return _("Case {case} now has the time {time}.", case=case.number, time=clock_time(case.start))
        if change.what == "type" and case.case_type:
            return _("Case {case} now has the case type {type}.", case=case.number, type=case_type_name(case.case_type))
        return _("Case {case} now has a new proposed decision.", case=case.number)
    if isinstance(change, CaseMoved):
        return _("Case {case} now stands in place {position}.", case=change.number, position=change.position)
    return _(
        "Case {case} «{title}» has been removed. Its number is not used again.",
        case=change.case.number,
        title=change.case.title,
    )


def warning(found: TimeWarning) -> str:
    at = clock_time(found.at)
    if isinstance(found, BeforeStart):
        return _("The time {time} is before the meeting begins (at {start}).", time=at, start=clock_time(found.start))
    if isinstance(found, AfterEnd):
        return _("The time {time} is after the meeting has ended (at {end}).", time=at, end=clock_time(found.end))
    other, other_at = found.other, clock_time(found.other_at)
    if found.other_is_before:
        return _(
            "The time {time} is out of order: case {other} stands before it at {other_time}.",
            time=at,
            other=other,
            other_time=other_at,
        )
    return _(
        "The time {time} is out of order: case {other} stands after it at {other_time}.",
        time=at,
        other=other,
        other_time=other_at,
    )


def changed(facts: Changed) -> Message:
    """The agenda as it is now, led by what the change did."""
    lead = _outcome_lines(summary(facts), [warning(found) for found in facts.warnings])
    return agenda(facts.meeting, ahead=facts.ahead, can_edit=True, lead=lead, body=facts.body, elected=facts.elected)


def confirmation(facts: Changed) -> Message:
    """What the "Ny sak" form did, said on its own (the form has closed)."""
    return outcome(summary(facts), [warning(found) for found in facts.warnings])


def agenda_history(meeting: Meeting, changes: Sequence[AgendaChange]) -> Message:
    lines = [
        _(
            "*History of the agenda of meeting {number}* (now version {version})",
            number=meeting.number,
            version=meeting.version,
        )
    ]
    lines += [_logged(c.at, c.actor, c.summary, lead=f"v{c.version} · ") for c in changes[-40:]]
    if len(lines) == 1:
        lines.append("_" + _("No changes are recorded.") + "_")
    return Message(text=_("History of meeting {number}", number=meeting.number), blocks=blocks.pack_sections(lines, 45))


def confirm_removal(facts: ConfirmRemoval) -> Message:
    """A standing item is about to go: the secretariat says yes or no first (only they see the question)."""
    case = facts.case
    question = _(
        "Case {case} «{title}» is a standing item of meeting {meeting}. Remove it from the agenda? "
        "Its number is not used again.",
        case=case.number, title=case.title, meeting=facts.meeting.number,
    )  # fmt: skip
    carried = carrying_case(facts.body, case.number, facts.meeting.number)
    buttons = blocks.actions(
        blocks.button(_("Yes, remove the case"), REMOVE_CASE_ACTION, carried, style="danger"),
        blocks.button(_("No"), KEEP_CASE_ACTION, carried),
    )
    return Message(text=escape(question), blocks=[blocks.section(f":warning: {escape(question)}"), buttons])


def kept(case: Serial) -> Message:
    """[Nei]: nothing was changed."""
    return notice(_("Case {case} has not been removed.", case=case))


def render(facts: Agenda | NoMeetings | NotFound | Unclear | AgendaHistory | Changed | ConfirmRemoval) -> Message:
    if isinstance(facts, Agenda):
        return agenda(
            facts.meeting,
            ahead=facts.ahead,
            latest_instead=facts.latest_instead,
            can_edit=facts.can_edit,
            body=facts.body,
            elected=facts.elected,
        )
    if isinstance(facts, NoMeetings):
        return notice(
            _(
                "No meetings are registered yet. "
                "The secretariat can send Møtebot the notice as a file in a direct message."
            )
        )
    if isinstance(facts, NotFound):
        text = _("Meeting {number} not found.", number=facts.number)
        if facts.known:
            known = ", ".join(str(number) for number in facts.known)
            text += " " + _("The meetings there are: {known}.", known=known)
        return notice(text)
    if isinstance(facts, Unclear):
        unclear = _(
            "Did not understand «{text}». Write the meeting number like this: `/dagsorden 4/20`.",
            text=escape(fit(facts.text, 60)),
        )
        return notice(unclear + "\n\n" + _(USAGE))
    if isinstance(facts, AgendaHistory):
        return agenda_history(facts.meeting, facts.changes)
    if isinstance(facts, ConfirmRemoval):
        return confirm_removal(facts)
    return changed(facts)


def form_failed() -> Message:
    """Slack would not open the form (the trigger expired while it was slow): how to add the case in text."""
    return problem(_("Could not open the form for a new case.") + " " + _(NEW_USAGE))


def new_case_modal(
    meetings: Sequence[Meeting], selected: Serial | None, channel_id: str | None, body: int
) -> dict[str, Any]:
    """The friendly path to a new case: Slack's own pickers, so times and types cannot be mistyped."""
    options = [
        blocks.option(_("Meeting {number} – {date}", number=m.number, date=long_date(m.day)), str(m.number))
        for m in reversed(meetings)  # in date order, the latest first
    ]
    inputs = [
        blocks.input_block("meeting", _("Meeting"), blocks.static_select(options, str(selected) if selected else None)),
        blocks.input_block("start", _("Time"), blocks.timepicker(), optional=True),
        blocks.input_block(
            "type", _("Case type"), blocks.static_select([blocks.option(case_type_name(k), k.value) for k in CaseType])
        ),
        blocks.input_block("title", _("Title"), blocks.text_input(max_length=limits.TITLE)),
        blocks.input_block(
            "proposal",
            _("Proposed decision"),
            blocks.text_input(multiline=True, max_length=limits.TEXT),
            optional=True,
        ),
    ]
    metadata = json.dumps({"channel": channel_id, "organ": body})
    return blocks.modal(NEW_CASE_VIEW, _("New case"), _("Add"), inputs, metadata)


def form_origin(view: dict[str, Any]) -> tuple[str | None, object]:
    """Where the form was opened (its confirmation goes there) and for which body, as `new_case_modal`
    wrote it; the body is checked again by the use case."""
    metadata = json.loads(view.get("private_metadata") or "{}")
    channel = metadata.get("channel")
    return (channel if isinstance(channel, str) else None), metadata.get("organ")
