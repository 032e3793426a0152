"""What the secretariat does to agendas: checked, applied in one commit, and written into the history.

Every function takes the acting Slack user, refuses those who may not (NotAllowed) and bad input
(UserError) before anything is stored, and returns what changed with warnings worth reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time

from bot.core import agenda
from bot.core.dates import parse_clock
from bot.core.domain import AgendaChange, Case, CaseType, Meeting, Serial
from bot.core.errors import UserError
from bot.core.formatting import clock_time
from bot.usecases.services import Services, require_manager

CASE_FIELDS = ("tittel", "kl", "type", "forslag")
CASE_TYPES_TEXT = ", ".join(kind.value for kind in CaseType)


@dataclass(frozen=True)
class Changed:
    meeting: Meeting
    summary: str
    warnings: list[str] = field(default_factory=list)


def parse_case_type(text: str) -> CaseType:
    case_type = CaseType.parse(text)
    if case_type is None:
        raise UserError(f"Ukjent sakstype «{text}». Bruk en av: {CASE_TYPES_TEXT}.")
    return case_type


def _meeting(services: Services, number: Serial) -> Meeting:
    meeting = services.store.meeting(number)
    if meeting is None:
        raise UserError(f"Fant ikke møte {number}.")
    return meeting


def _meeting_with_case(services: Services, number: Serial) -> Meeting:
    meeting = services.store.meeting_with_case(number)
    if meeting is None:
        raise UserError(f"Fant ikke sak {number} på noen dagsorden.")
    return meeting


def commit(services: Services, actor: str, before: Meeting, after: Meeting, summary: str) -> Meeting:
    """Save the new agenda with its version bumped, and its history line, in one commit."""
    after = replace(after, version=before.version + 1)
    store = services.store
    with store.transaction():
        store.save_meetings([after])
        store.add_agenda_change(AgendaChange(after.number, after.version, services.clock.now(), actor, summary))
    services.wakeup()
    return after


def add_case(
    services: Services,
    actor: str,
    meeting_number: Serial,
    start: time | None,
    case_type: CaseType,
    title: str,
    proposal: str | None = None,
) -> Changed:
    require_manager(services, actor, "Bare sekretariatet, lederen og administratorene kan endre dagsordenen.")
    title = agenda.clean_title(title)
    proposal = agenda.clean_proposal(proposal) if proposal and proposal.strip() else None
    with services.store.transaction():
        before = _meeting(services, meeting_number)
        number = services.store.allocate_case_number(before.day.year)
        case = Case(number=number, title=title, start=start, case_type=case_type, proposal=proposal)
        after = commit(services, actor, before, agenda.add_case(before, case), f"La til sak {number} «{title}»")
    return Changed(
        after, f"Sak {number} «{title}» er lagt til møte {after.number}.", agenda.time_warnings(after, number)
    )


def change_case(services: Services, actor: str, number: Serial, what: str, value: str) -> Changed:
    require_manager(services, actor, "Bare sekretariatet, lederen og administratorene kan endre dagsordenen.")
    if what not in CASE_FIELDS:
        raise UserError(f"Kan ikke endre «{what}». Velg en av: {', '.join(CASE_FIELDS)}.")
    with services.store.transaction():
        before = _meeting_with_case(services, number)
        case = before.case(number)
        assert case is not None
        if what == "tittel":
            case = replace(case, title=agenda.clean_title(value))
            described = f"tittelen «{case.title}»"
        elif what == "kl":
            start = parse_clock(value)
            if start is None:
                raise UserError(f"Forstod ikke klokkeslettet «{value}». Skriv for eksempel 10.00.")
            case = replace(case, start=start)
            described = f"kl. {clock_time(start)}"
        elif what == "type":
            case = replace(case, case_type=parse_case_type(value))
            described = f"sakstypen {case.case_type}"
        else:
            case = replace(case, proposal=agenda.clean_proposal(value))
            described = "nytt forslag til vedtak"
        after = commit(services, actor, before, agenda.replace_case(before, case), f"Sak {number} fikk {described}")
    warnings = agenda.time_warnings(after, number) if what == "kl" else []
    return Changed(after, f"Sak {number} har fått {described}.", warnings)


def move_case(services: Services, actor: str, number: Serial, position: int) -> Changed:
    require_manager(services, actor, "Bare sekretariatet, lederen og administratorene kan endre dagsordenen.")
    with services.store.transaction():
        before = _meeting_with_case(services, number)
        moved = agenda.move_case(before, number, position)
        after = commit(services, actor, before, moved, f"Flyttet sak {number} til plass {position}")
    return Changed(after, f"Sak {number} står nå på plass {position}.", agenda.time_warnings(after, number))


def remove_case(services: Services, actor: str, number: Serial) -> Changed:
    require_manager(services, actor, "Bare sekretariatet, lederen og administratorene kan endre dagsordenen.")
    with services.store.transaction():
        before = _meeting_with_case(services, number)
        title = before.case(number).title  # type: ignore[union-attr]
        after = commit(services, actor, before, agenda.remove_case(before, number), f"Fjernet sak {number} «{title}»")
    return Changed(after, f"Sak {number} «{title}» er fjernet. Nummeret brukes ikke igjen.")
