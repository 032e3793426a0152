"""/dagsorden: read an agenda and its history; for the secretariat, build it. The grammar first, then what
each command does.

Every change is checked (who may, and the input) before anything is stored, applied in one commit,
written into the agenda's history, and returned as facts: what changed, with the warnings worth reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import time

from bot.core import agenda
from bot.core.agenda import TimeWarning
from bot.core.dates import parse_clock
from bot.core.domain import AgendaChange, Case, CaseType, Meeting, Serial
from bot.core.errors import UserError, clip
from bot.core.formatting import case_type_name, clock_time
from bot.core.i18n import N_, _
from bot.usecases.grammar import (
    Asker,
    keyword,
    meeting_number,
    take_time,
    unknown_word,
    without_case_prefix,
)
from bot.usecases.services import Services, require_manager

COMMAND = "/dagsorden"
USAGE = N_(
    "*How to use /dagsorden*\n"
    "• `/dagsorden` – the agenda of the next meeting\n"
    "• `/dagsorden 4/20` – the agenda of meeting 4/20\n"
    "• `/dagsorden historikk 4/20` – who has changed the agenda, and when\n"
    "• `/dagsorden hjelp` – this help\n"
    "*For the secretariat and the leader*\n"
    "• `/dagsorden ny` – a form for a new case\n"
    "• `/dagsorden ny 4/20 kl. 10.00 Orientering Title of the case` – a new case (the time can be left out)\n"
    "• `/dagsorden endre 18/20 tittel|kl|type|forslag &lt;new value&gt;`\n"
    "• `/dagsorden flytt 18/20 2` – move the case to place 2\n"
    "• `/dagsorden fjern 18/20` – remove the case (its number is not used again)\n"
    "• Send the notice as a file (text or Markdown) to Møtebot in a direct message to import it.\n"
    "Case types: Godkjenning, Orientering, Beslutning, Drøfting, Diskusjon, Innspill."
)  # the case types are what a member types (CaseType's values); tests check the list is whole
NEW_USAGE = N_(
    "Write it like this: `/dagsorden ny 4/20 kl. 10.00 Orientering Title of the case` (the time can be left out)."
)
_TIME_UNCLEAR = N_("Did not understand the time «{text}». Write it like this: kl. 10.00.")
EDITS = ("ny", "endre", "flytt", "fjern")
SUBCOMMANDS = (*EDITS, "historikk", "hjelp")
CASE_FIELDS = ("tittel", "kl", "type", "forslag")


@dataclass(frozen=True)
class ShowNext:
    pass


@dataclass(frozen=True)
class Show:
    number: Serial


@dataclass(frozen=True)
class Unclear:
    """Neither a meeting number nor a command: answered with how to write one."""

    text: str


@dataclass(frozen=True)
class History:
    number: Serial


@dataclass(frozen=True)
class NewCaseForm:
    """The "Ny sak" form, with `selected` (or the next meeting) chosen."""

    selected: Serial | None = None


@dataclass(frozen=True)
class AddCase:
    meeting: Serial
    start: time | None
    case_type: CaseType
    title: str
    proposal: str | None = None


@dataclass(frozen=True)
class ChangeCase:
    number: Serial
    what: str  # one of CASE_FIELDS
    value: str


@dataclass(frozen=True)
class MoveCase:
    number: Serial
    position: int  # counted from 1, as the agenda is read


@dataclass(frozen=True)
class RemoveCase:
    number: Serial
    confirmed: bool = False  # a standing item is removed only when the [Ja, fjern saken] click confirms it
    meeting: Serial | None = None  # the click's: the case must still stand on the meeting it asked about


@dataclass(frozen=True)
class Miswritten:
    """An edit written wrong: someone who may not edit hears that first, an editor hears `problem`."""

    problem: str


Edit = AddCase | ChangeCase | MoveCase | RemoveCase
Command = ShowNext | Show | Unclear | History | NewCaseForm | Edit | Miswritten


def parse_case_type(text: str) -> CaseType:
    case_type = CaseType.parse(text)
    if case_type is None:
        types = ", ".join(case_type_name(kind) for kind in CaseType)
        raise UserError(_("Unknown case type «{text}». Use one of: {types}.", text=text, types=types))
    return case_type


def _case_number(text: str) -> Serial:
    number = Serial.parse(text)
    if number is None:
        raise UserError(_("«{text}» is not a case number. Write it like this: 18/20.", text=clip(text, 40)))
    return number


def _new_case(words: list[str]) -> AddCase:
    if len(words) < 3:
        raise UserError(_("The case lacks a meeting number, case type or title.") + " " + _(NEW_USAGE))
    meeting = meeting_number(words[0])
    start, rest = take_time(words[1:])
    if not rest:
        raise UserError(_("The case lacks a case type and a title.") + " " + _(NEW_USAGE))
    if start is None and rest[0][:1].isdigit():  # no case type begins with a digit: a time written wrong
        raise UserError(_(_TIME_UNCLEAR, text=clip(rest[0], 20)))
    return AddCase(meeting, start, parse_case_type(rest[0]), " ".join(rest[1:]))


def _edit(action: str, words: list[str]) -> Edit | NewCaseForm:
    if action != "ny":
        words = without_case_prefix(words)
    if action == "ny":
        return _new_case(words) if words else NewCaseForm()
    if action == "endre":
        if len(words) < 3:
            raise UserError(
                _("Write it like this: `/dagsorden endre 18/20 tittel Ny tittel` (tittel, kl, type or forslag).")
            )
        number, what = _case_number(words[0]), keyword(words[1])
        if what not in CASE_FIELDS:
            raise UserError(
                _("Cannot change «{what}». Choose one of: {fields}.", what=what, fields=", ".join(CASE_FIELDS))
            )
        return ChangeCase(number, what, " ".join(words[2:]))
    if action == "flytt":
        if len(words) != 2 or not words[1].isdigit():
            raise UserError(
                _("Write it like this: `/dagsorden flytt 18/20 2` (the case and the place it is to stand in).")
            )
        return MoveCase(_case_number(words[0]), int(words[1]))
    if len(words) != 1:
        raise UserError(_("Write it like this: `/dagsorden fjern 18/20`."))
    return RemoveCase(_case_number(words[0]))


def parse(text: str) -> Command:
    text = " ".join(text.split())
    words = text.split(" ") if text else []
    action = keyword(words[0]) if words else ""
    if not words:
        return ShowNext()
    if action in EDITS:
        try:
            return _edit(action, words[1:])
        except UserError as error:
            return Miswritten(str(error))
    if action == "historikk":
        if len(words) != 2:
            raise UserError(_("Write it like this: `/dagsorden historikk 4/20`."))
        return History(meeting_number(words[1]))
    if action in ("møte", "mote") and len(words) == 2 and (number := Serial.parse(words[1])) is not None:
        return Show(number)  # "møte 4/20", as the agenda heads it
    number = Serial.parse(text)
    if number is not None:
        return Show(number)
    if words[0].isalpha() and len(words[0]) <= 20:  # a word, not a meeting number written wrong
        raise unknown_word(words[0], SUBCOMMANDS)
    return Unclear(text)


@dataclass(frozen=True)
class FormMistakes:
    """What is wrong in a submitted "Ny sak" form, by input (block id), shown beside each."""

    by_input: dict[str, str]


def parse_form(
    meeting: str | None, start: str | None, case_type: str | None, title: str | None, proposal: str | None
) -> AddCase | FormMistakes:
    """The "Ny sak" form's values: Slack's pickers, so only a time or a type from elsewhere can be wrong."""
    mistakes: dict[str, str] = {}
    number = Serial.parse(meeting or "")
    clock = parse_clock(start) if start else None
    if start and clock is None:
        mistakes["start"] = _("Choose a time between 00.00 and 23.59.")
    kind: CaseType | None = None
    try:
        kind = parse_case_type(case_type or "")
    except UserError as error:
        mistakes["type"] = str(error)
    if number is None:
        mistakes["meeting"] = _("Choose the meeting the case is to stand on.")
    if mistakes or number is None or kind is None:
        return FormMistakes(mistakes)
    return AddCase(number, clock, kind, title or "", proposal)


@dataclass(frozen=True)
class Agenda:
    meeting: Meeting
    ahead: bool  # not yet over
    can_edit: bool  # the asker may change it (the "Ny sak" button)
    version: int  # of the store, read before the meeting: the key for its rendering
    latest_instead: bool = False  # no meeting ahead: this is the last one
    body: int = 0  # whose meeting it is: its buttons carry it
    elected: bool = False  # an online meeting is a «fjernmøte»


@dataclass(frozen=True)
class NoMeetings:
    pass


@dataclass(frozen=True)
class NotFound:
    number: Serial
    known: tuple[Serial, ...]  # the latest meetings there are


@dataclass(frozen=True)
class AgendaHistory:
    meeting: Meeting
    changes: Sequence[AgendaChange]


@dataclass(frozen=True)
class Form:
    """What the "Ny sak" form offers, and where its confirmation goes (`channel`, else a direct message)."""

    meetings: Sequence[Meeting]
    selected: Serial | None
    channel: str | None
    body: int = 0  # the form carries it, and its submission is checked against it


@dataclass(frozen=True)
class CaseAdded:
    case: Case


@dataclass(frozen=True)
class CaseChanged:
    case: Case  # as it is now
    what: str  # the field that changed: one of CASE_FIELDS


@dataclass(frozen=True)
class CaseMoved:
    number: Serial
    position: int


@dataclass(frozen=True)
class CaseRemoved:
    case: Case


@dataclass(frozen=True)
class Changed:
    meeting: Meeting  # the agenda after the change
    change: CaseAdded | CaseChanged | CaseMoved | CaseRemoved
    ahead: bool
    warnings: tuple[TimeWarning, ...] = field(default=())
    body: int = 0
    elected: bool = False  # an online meeting is a «fjernmøte»


@dataclass(frozen=True)
class ConfirmRemoval:
    """A standing item (the approval of the notice and agenda, «Eventuelt») is about to be removed: nothing
    has changed yet; the secretariat is asked first."""

    meeting: Meeting
    case: Case
    body: int = 0


Facts = Agenda | NoMeetings | NotFound | Unclear | AgendaHistory | Form | Changed | ConfirmRemoval


def _is_ahead(services: Services, meeting: Meeting) -> bool:
    return meeting.ends_at(services.clock.tz) >= services.clock.now()


def run(services: Services, asker: Asker, command: Command) -> Facts:
    if isinstance(command, ShowNext | Show):
        return _show(services, asker, command)
    if isinstance(command, Unclear):
        return command
    if isinstance(command, History):
        meeting = services.store.meetings.get(command.number)
        if meeting is None:
            raise UserError(_("Meeting {number} not found.", number=command.number))
        return AgendaHistory(meeting, services.store.meetings.history(command.number))
    if isinstance(command, NewCaseForm):
        return new_case_form(services, asker, command.selected)
    return edit(services, asker, command)


def _show(services: Services, asker: Asker, command: ShowNext | Show) -> Agenda | NoMeetings | NotFound:
    store = services.store
    version = store.version
    can_edit = store.roster.get(services.rules.admins).can_manage(asker.user)
    if isinstance(command, ShowNext):
        meeting, ahead = store.meetings.next(services.clock.now())
        if meeting is None:
            return NoMeetings()
        return Agenda(
            meeting, ahead, can_edit, version, latest_instead=not ahead, body=services.body.id,
            elected=services.elected,
        )  # fmt: skip
    meeting = store.meetings.get(command.number)
    if meeting is None:
        known = tuple(m.number for m in store.meetings.all())[-10:]  # the latest, in date order
        return NotFound(command.number, known)
    return Agenda(
        meeting, _is_ahead(services, meeting), can_edit, version, body=services.body.id, elected=services.elected
    )


def _require_editor(services: Services, asker: Asker) -> None:
    require_manager(
        services, asker.user, _("Only the secretariat, the leader and the administrators can change the agenda.")
    )


def new_case_form(services: Services, asker: Asker, selected: Serial | None = None) -> Form:
    _require_editor(services, asker)
    meetings = [meeting for meeting in services.store.meetings.all() if not meeting.cancelled]
    if not meetings:
        raise UserError(_("There are no meetings to add cases to yet."))
    upcoming, _ahead = services.store.meetings.next(services.clock.now())
    return Form(meetings, selected or (upcoming.number if upcoming else None), asker.channel, services.body.id)


def edit(services: Services, asker: Asker, command: Edit | Miswritten) -> Changed | ConfirmRemoval:
    """A change to an agenda; every refusal and mistake raises UserError before anything is stored."""
    _require_editor(services, asker)
    if isinstance(command, Miswritten):
        raise UserError(command.problem)
    actor = asker.user
    if isinstance(command, AddCase):
        return _add_case(services, actor, command)
    if isinstance(command, ChangeCase):
        return _change_case(services, actor, command)
    if isinstance(command, MoveCase):
        return _move_case(services, actor, command)
    return _remove_case(services, actor, command)


def add_case(services: Services, asker: Asker, command: AddCase) -> Changed:
    """A new case from the "Ny sak" form."""
    _require_editor(services, asker)
    return _add_case(services, asker.user, command)


def remove_confirmed(services: Services, asker: Asker, case: Serial, meeting: Serial | None) -> Changed:
    """[Ja, fjern saken]: the removal asked about, checked again (who may, and that the case still stands on
    the meeting asked about)."""
    _require_editor(services, asker)
    removed = _remove_case(services, asker.user, RemoveCase(case, confirmed=True, meeting=meeting))
    assert isinstance(removed, Changed)
    return removed


def _meeting(services: Services, number: Serial) -> Meeting:
    meeting = services.store.meetings.get(number)
    if meeting is None:
        raise UserError(_("Meeting {number} not found.", number=number))
    return meeting


def _meeting_with_case(services: Services, number: Serial) -> Meeting:
    meeting = services.store.meetings.with_case(number)
    if meeting is None:
        raise UserError(_("Case {number} not found on any agenda.", number=number))
    return meeting


def commit(services: Services, actor: str, before: Meeting, after: Meeting, summary: str) -> Meeting:
    """Save the new agenda with its version bumped, and its history line, in one commit.

    The history line is a record, written once in the body's målform of the moment it was made.
    """
    after = replace(after, version=before.version + 1)
    store = services.store
    with store.transaction():
        store.meetings.save([after])
        store.meetings.add_change(AgendaChange(after.number, after.version, services.clock.now(), actor, summary))
    services.wakeup()
    return after


def _changed(services: Services, after: Meeting, change: CaseAdded | CaseChanged | CaseMoved | CaseRemoved,
             warnings: tuple[TimeWarning, ...] = ()) -> Changed:  # fmt: skip
    return Changed(after, change, _is_ahead(services, after), warnings, services.body.id, services.elected)


def _add_case(services: Services, actor: str, command: AddCase) -> Changed:
    title = agenda.clean_title(command.title)
    proposal = agenda.clean_proposal(command.proposal) if command.proposal and command.proposal.strip() else None
    with services.store.transaction():
        before = _meeting(services, command.meeting)
        if before.cancelled:
            raise UserError(_("Meeting {number} is cancelled.", number=before.number))
        number = services.store.meetings.allocate_case_number(before.day.year)
        case = Case(number=number, title=title, start=command.start, case_type=command.case_type, proposal=proposal)
        with services.in_body_language():  # kept in the history: in the body's målform
            summary = _("Added case {case} «{title}»", case=number, title=title)
        after = commit(services, actor, before, agenda.add_case(before, case), summary)
    return _changed(services, after, CaseAdded(case), agenda.time_warnings(after, number))


def _change_case(services: Services, actor: str, command: ChangeCase) -> Changed:
    number, what, value = command.number, command.what, command.value
    with services.store.transaction():
        before = _meeting_with_case(services, number)
        case = before.case(number)
        assert case is not None
        if what == "tittel":
            case = replace(case, title=agenda.clean_title(value))
        elif what == "kl":
            start, rest = take_time(value.split())
            if start is None or rest:
                raise UserError(_(_TIME_UNCLEAR, text=clip(value, 20)))
            case = replace(case, start=start)
        elif what == "type":
            case = replace(case, case_type=parse_case_type(value))
        else:
            case = replace(case, proposal=agenda.clean_proposal(value))
        with services.in_body_language():  # kept in the history: in the body's målform
            summary = _change_summary(case, what)
        after = commit(services, actor, before, agenda.replace_case(before, case), summary)
    warnings = agenda.time_warnings(after, number) if what == "kl" else ()
    return _changed(services, after, CaseChanged(case, what), warnings)


def _change_summary(case: Case, what: str) -> str:
    if what == "tittel":
        return _("Case {case} got the title «{title}»", case=case.number, title=case.title)
    if what == "kl" and case.start is not None:
        return _("Case {case} got the time {time}", case=case.number, time=clock_time(case.start))
    if what == "type" and case.case_type:
        return _("Case {case} got the case type {type}", case=case.number, type=case_type_name(case.case_type))
    return _("Case {case} got a new proposed decision", case=case.number)


def _move_case(services: Services, actor: str, command: MoveCase) -> Changed:
    number, position = command.number, command.position
    with services.store.transaction():
        before = _meeting_with_case(services, number)
        moved = agenda.move_case(before, number, position)
        with services.in_body_language():  # kept in the history: in the body's målform
            summary = _("Moved case {case} to place {position}", case=number, position=position)
        after = commit(services, actor, before, moved, summary)
    return _changed(services, after, CaseMoved(number, position), agenda.time_warnings(after, number))


def is_standing(services: Services, meeting: Meeting, case: Case) -> bool:
    """One of the body's standing items, or the case its approval vote is on: removed by mistake, a meeting
    loses what every meeting has."""
    standing = {item.title.casefold() for item in services.rules.standing_items}
    return case.title.casefold() in standing or case == meeting.approval_case()


def _remove_case(services: Services, actor: str, command: RemoveCase) -> Changed | ConfirmRemoval:
    number = command.number
    with services.store.transaction():
        before = _meeting_with_case(services, number)
        if command.meeting is not None and before.number != command.meeting:
            raise UserError(
                _("Case {case} no longer stands on meeting {meeting}.", case=number, meeting=command.meeting)
            )
        case = before.case(number)
        assert case is not None
        if not command.confirmed and is_standing(services, before, case):
            return ConfirmRemoval(before, case, services.body.id)
        with services.in_body_language():  # kept in the history: in the body's målform
            summary = _("Removed case {case} «{title}»", case=number, title=case.title)
        after = commit(services, actor, before, agenda.remove_case(before, number), summary)
    return _changed(services, after, CaseRemoved(case))
