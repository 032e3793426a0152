"""Changing an agenda: pure functions from a Meeting to a new Meeting, with warnings for the secretary."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time

from bot.core import limits
from bot.core.domain import Case, Meeting, Serial
from bot.core.errors import UserError, one_line
from bot.core.i18n import _


def clean_title(text: str) -> str:
    return one_line(
        text,
        limits.TITLE,
        missing=_("The case has no title."),
        too_long=_("The title is too long ({length} characters; at most {limit})."),
        field="title",
    )


def clean_proposal(text: str) -> str:
    proposal = text.strip()
    if not proposal:
        raise UserError(_("The proposed decision is empty."), field="proposal")
    if len(proposal) > limits.TEXT:
        raise UserError(
            _(
                "The proposed decision is too long ({length} characters; at most {limit}).",
                length=len(proposal),
                limit=limits.TEXT,
            ),
            field="proposal",
        )
    return proposal


def _is_any_other_business(case: Case) -> bool:
    return case.title.casefold().startswith("eventuelt")


def _insert_at(cases: tuple[Case, ...], start: time | None) -> int:
    """By time when it has one; otherwise last, but before a closing "Eventuelt"."""
    if start is not None:
        before = [i for i, case in enumerate(cases) if case.start is not None and case.start <= start]
        return before[-1] + 1 if before else 0
    if cases and _is_any_other_business(cases[-1]):
        return len(cases) - 1
    return len(cases)


def _position_of(meeting: Meeting, number: Serial) -> int:
    for index, case in enumerate(meeting.cases):
        if case.number == number:
            return index
    raise UserError(_("Case {case} is not on the agenda of meeting {meeting}.", case=number, meeting=meeting.number))


def add_case(meeting: Meeting, case: Case) -> Meeting:
    at = _insert_at(meeting.cases, case.start)
    return replace(meeting, cases=(*meeting.cases[:at], case, *meeting.cases[at:]))


def replace_case(meeting: Meeting, case: Case) -> Meeting:
    at = _position_of(meeting, case.number)
    return replace(meeting, cases=(*meeting.cases[:at], case, *meeting.cases[at + 1 :]))


def move_case(meeting: Meeting, number: Serial, position: int) -> Meeting:
    """`position` counts from 1, as the agenda is read."""
    if not 1 <= position <= len(meeting.cases):
        raise UserError(
            _(
                "There is no place {position}; the agenda of meeting {meeting} has places 1–{last}.",
                position=position,
                meeting=meeting.number,
                last=len(meeting.cases),
            )
        )
    at = _position_of(meeting, number)
    cases = list(meeting.cases)
    case = cases.pop(at)
    cases.insert(position - 1, case)
    return replace(meeting, cases=tuple(cases))


def remove_case(meeting: Meeting, number: Serial) -> Meeting:
    at = _position_of(meeting, number)
    return replace(meeting, cases=meeting.cases[:at] + meeting.cases[at + 1 :])


@dataclass(frozen=True)
class BeforeStart:
    """The case's time is before the meeting begins."""

    at: time
    start: time


@dataclass(frozen=True)
class AfterEnd:
    """The case's time is when the meeting is over."""

    at: time
    end: time


@dataclass(frozen=True)
class OutOfOrder:
    """A case placed before (or after) this one has a later (or earlier) time."""

    at: time
    other: Serial
    other_at: time
    other_is_before: bool


TimeWarning = BeforeStart | AfterEnd | OutOfOrder


def time_warnings(meeting: Meeting, number: Serial) -> tuple[TimeWarning, ...]:
    """A case whose time falls outside the meeting, or out of order with its neighbours."""
    at = _position_of(meeting, number)
    case = meeting.cases[at]
    if case.start is None:
        return ()
    warnings: list[TimeWarning] = []
    if meeting.start is not None and case.start < meeting.start:
        warnings.append(BeforeStart(case.start, meeting.start))
    if meeting.end is not None and case.start >= meeting.end:
        warnings.append(AfterEnd(case.start, meeting.end))
    earlier = [c for c in meeting.cases[:at] if c.start is not None and c.start > case.start]
    later = [c for c in meeting.cases[at + 1 :] if c.start is not None and c.start < case.start]
    for other in earlier[-1:] + later[:1]:
        assert other.start is not None
        warnings.append(OutOfOrder(case.start, other.number, other.start, other in earlier))
    return tuple(warnings)
