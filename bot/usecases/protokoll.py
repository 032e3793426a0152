"""/protokoll: the minutes of a meeting, drafted from what Møtebot recorded of it (bot.core.minutes.draft), edited
per case by the secretariat, listed with their state. The grammar first, then what each step does."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.domain import Serial
from bot.core.errors import UserError, one_line
from bot.core.i18n import N_, _
from bot.core.minutes.document import Document
from bot.core.minutes.draft import MeetingRecord, Names, document, undecided
from bot.core.minutes.markdown import to_markdown
from bot.core.minutes.record import EditKind, Minutes, MinutesEdit, MinutesState
from bot.usecases.grammar import Asker, meeting_number, without_case_prefix
from bot.usecases.services import Services, may_manage, require_manager

COMMAND = "/protokoll"
USAGE = N_(
    "*How to use /protokoll*\n"
    "• `/protokoll` – the body's minutes, with their state (draft / for approval / approved)\n"
    "• `/protokoll 4/20` – the minutes of meeting 4/20; the secretariat makes the draft from what was recorded, "
    "and it is posted in the channel as PDF and Markdown\n"
    "• `/protokoll 4/20 vedtak 18/20 text` – the decision in a case no vote decided\n"
    "• `/protokoll 4/20 notat 18/20 text` – a note on the discussion of a case\n"
    "The votes' counts come from the record and cannot be edited."
)
_REFUSAL = N_("Only the secretariat and the leader write the minutes.")
TEXT_LIMIT = 2000
_KINDS = {"vedtak": EditKind.DECISION, "notat": EditKind.NOTE, "merknad": EditKind.NOTE}


@dataclass(frozen=True)
class List:
    pass


@dataclass(frozen=True)
class Show:
    meeting: Serial


@dataclass(frozen=True)
class Edit:
    meeting: Serial
    case: Serial
    kind: EditKind
    text: str


Command = List | Show | Edit


def parse(text: str) -> Command:
    words = text.split()
    if not words:
        return List()
    meeting = meeting_number(words[0])
    if len(words) == 1:
        return Show(meeting)
    kind = _KINDS.get(words[1].casefold())
    rest = without_case_prefix(words[2:])
    case = Serial.parse(rest[0]) if kind and rest else None
    if kind is None or case is None:
        raise UserError(
            _("Write it like this: `/protokoll 4/20 vedtak 18/20 text`, or `/protokoll 4/20 notat 18/20 text`.")
        )
    wording = one_line(
        " ".join(rest[1:]),
        TEXT_LIMIT,
        missing=_("The text is missing: `/protokoll 4/20 vedtak 18/20 Styringsgruppen tok saken til orientering.`"),
        too_long=_("The text is {length} characters; at most {limit} fit."),
    )
    return Edit(meeting, case, kind, wording)


@dataclass(frozen=True)
class Listing:
    minutes: tuple[Minutes, ...]
    held: tuple[Serial, ...]  # meetings held (ended) without minutes yet


@dataclass(frozen=True)
class Drafted:
    """The minutes as they read now, and what the secretariat still has to write."""

    minutes: Minutes
    document: Document
    markdown: str
    undecided: tuple[str, ...]  # the cases without a decision yet, as named
    body_id: int
    channel: str | None
    made: bool  # made or brought up to date now (posted to the channel); False: shown to the one who asked


@dataclass(frozen=True)
class Edited:
    drafted: Drafted
    case: Serial
    kind: EditKind


Facts = Listing | Drafted | Edited


def record(services: Services, number: Serial, minutes: Minutes | None) -> MeetingRecord:
    store = services.store
    meeting = store.meetings.get(number)
    if meeting is None:
        raise UserError(_("Meeting {meeting} was not found.", meeting=number))
    votes = tuple(v for v in store.votes.all() if v.meeting == number)
    return MeetingRecord(
        services.body.name, services.body.rules, meeting, store.sessions.get(number),
        store.roster.get(services.rules.admins), store.attendance.of(number), votes, store.recusals.of(number),
        minutes.case_edits() if minutes else {},
    )  # fmt: skip


def _drafted(services: Services, minutes: Minutes, names: Names, *, made: bool) -> Drafted:
    if minutes.locked:
        text = minutes.approved_text
        doc = Document(minutes.approved_text.splitlines()[0].lstrip("# "), services.body.name, ())
        return Drafted(minutes, doc, text, (), services.body.id, services.rules.channel, made)
    found = record(services, minutes.meeting, minutes)
    doc = document(found, names, footer=_("Draft, version {version}", version=minutes.version))
    missing = tuple(f"{c.number}" for c in undecided(found))
    return Drafted(minutes, doc, to_markdown(doc), missing, services.body.id, services.rules.channel, made)


def run(services: Services, asker: Asker, command: Command, names: Names | None = None) -> Facts:
    names = names or {}
    store = services.store
    if isinstance(command, List):
        minutes = store.minutes.all()
        have = {m.meeting for m in minutes}
        held = tuple(s.meeting for s in store.sessions.all() if s.ended_at and s.meeting not in have)
        return Listing(minutes, held)
    if isinstance(command, Show):
        existing = store.minutes.get(command.meeting)
        if not may_manage(services, asker.user):
            if existing is None:
                raise UserError(_("Meeting {meeting} has no minutes yet.", meeting=command.meeting))
            return _drafted(services, existing, names, made=False)
        return draft(services, asker.user, command.meeting, names)
    return edit(services, asker.user, command, names)


def people(services: Services, number: Serial) -> frozenset[str]:
    """Everyone the minutes may name: the roster and whoever the attendance log names."""
    store = services.store
    return frozenset(store.roster.get().roles) | {e.user for e in store.attendance.of(number).events}


def current(services: Services, number: Serial, names: Names | None = None) -> Drafted:
    """The minutes as they read now, stored or not (`motebot protokoll 4/20`): nothing is changed."""
    record(services, number, None)  # the meeting exists
    minutes = services.store.minutes.get(number) or Minutes(number, services.clock.now(), "motebot")
    return _drafted(services, minutes, names or {}, made=False)


def draft(services: Services, actor: str, number: Serial, names: Names) -> Drafted:
    """Make the draft (or bring it up to date with the record): the secretariat's, when the meeting is over."""
    require_manager(services, actor, _(_REFUSAL))
    store, now = services.store, services.clock.now()
    with store.transaction():
        record(services, number, None)  # the meeting exists
        minutes = store.minutes.get(number)
        if minutes is None:
            minutes = Minutes(number, now, actor)
            store.minutes.save(minutes)
        elif minutes.locked:
            return _drafted(services, minutes, names, made=False)
    return _drafted(services, minutes, names, made=True)


def edit(services: Services, actor: str, command: Edit, names: Names) -> Edited:
    require_manager(services, actor, _(_REFUSAL))
    store, now = services.store, services.clock.now()
    with store.transaction():
        found = record(services, command.meeting, None)
        if found.meeting.case(command.case) is None:
            raise UserError(_("Case {case} is not on the agenda of meeting {meeting}.", case=command.case,
                              meeting=command.meeting))  # fmt: skip
        minutes = store.minutes.get(command.meeting) or Minutes(command.meeting, now, actor)
        if minutes.locked:
            raise UserError(_("The minutes of meeting {meeting} are approved and locked.", meeting=command.meeting))
        change = MinutesEdit(now, actor, command.case, command.kind, command.text)
        minutes = replace(minutes, edits=(*minutes.edits, change), state=MinutesState.DRAFT)
        store.minutes.save(minutes)
    return Edited(_drafted(services, minutes, names, made=True), command.case, command.kind)
