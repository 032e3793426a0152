"""Importing meeting notices ("innkallinger"): from files on the command line, or sent to Møtebot in a DM.

All or nothing: every file is read and parsed before anything is stored. A notice goes into one body: the
only one the sender may change, or the one they choose (the heading gives the guess). Its plan goes into
the body the plan's heading names, when that is another body the importer may change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.core.domain import AgendaChange, Meeting, Serial
from bot.core.errors import NotAllowed, UserError
from bot.core.i18n import N_, _
from bot.core.names import body_named, by_name
from bot.core.notices.reader import MAX_NOTICE_BYTES, NoticeError, ParsedNotice, parse_bytes
from bot.core.reimport import Change, Conflict, identity, merge
from bot.core.rules import Body
from bot.usecases import bodies, frister, moteplan
from bot.usecases.dagsorden import commit
from bot.usecases.grammar import Asker
from bot.usecases.services import Installation, Services, may_manage, require_manager

_ONLY_MANAGERS = N_("Only the secretariat, the leader and the administrators can import notices.")


class NotAtSlack(Exception):
    """Slack does not say where the file is (or says somewhere the token must not go)."""


class Unreachable(Exception):
    """The file could not be fetched for now (Slack or the network said no): sending it again may work."""


@dataclass(frozen=True)
class SharedFile:
    """A file sent to Møtebot. `download` fetches at most `limit` bytes of it, and raises NotAtSlack or
    Unreachable; it is called only once the sender may import."""

    name: str
    size: int  # as Slack declares it
    download: Callable[[int], bytes]


@dataclass(frozen=True)
class Reading:
    """One notice as it would land in a body: the meeting as it would be stored, and what that changes."""

    notice: ParsedNotice
    meeting: Meeting  # as it would be stored
    before: Meeting | None  # as stored now; None: a new meeting
    changes: tuple[Change, ...] = ()
    conflicts: tuple[Conflict, ...] = ()  # edits made in Slack the document would change
    renumbered: tuple[tuple[str, Serial], ...] = ()  # (number as written, key given) for keys already used
    moved: bool = False
    as_read: Meeting | None = None  # the document's own reading, under the keys it is stored with: the next base

    @property
    def unchanged(self) -> bool:
        return self.before is not None and not self.changes and not self.renumbered


@dataclass(frozen=True)
class Imported:
    body: Body  # the body the notices went into
    meetings: list[Meeting]  # as stored, one per notice
    warnings: list[str]  # what the reader could not place, worth reading
    plans_elsewhere: list[Body] = field(default_factory=list)  # other bodies a notice's plan went into
    readings: list[Reading] = field(default_factory=list)  # per notice, what it changed


@dataclass(frozen=True)
class Preview:
    """Notices read, nothing stored: what importing them would do, and the bodies the sender may choose."""

    body: Body  # the body the readings are made against: the guess, or the first the sender may change
    readings: list[Reading]
    bodies: tuple[Body, ...]  # those the sender may change: the guess first, then by name
    guess: Body | None  # the body the headings name, if they name one of these

    @property
    def conflicts(self) -> bool:
        """Whether «Import and overwrite» would change anything: an edit made in Slack the notice changes."""
        return any(not conflict.held for reading in self.readings for conflict in reading.conflicts)


@dataclass(frozen=True)
class Elsewhere:
    """The bodies a notice's plan may go into instead of the notice's: the one its heading names (told
    among all of them), if the importer may change it."""

    installation: Installation
    allowed: frozenset[int]  # the bodies the importer may change

    @classmethod
    def of_member(cls, installation: Installation, user: str) -> Elsewhere:
        return cls(installation, frozenset(body.id for body in managed_bodies(installation, user)))

    @classmethod
    def of_operator(cls, installation: Installation) -> Elsewhere:
        """The command line: whoever runs it holds the database, and may change every body."""
        return cls(installation, frozenset(body.id for body in installation.bodies()))

    def plan_of(self, notice: ParsedNotice, own: Body) -> Services | None:
        named = body_named(notice.plan_body, self.installation.bodies()) if notice.plan else None
        if named is None or named.id == own.id or named.id not in self.allowed:
            return None
        return self.installation.services(named)


def managed_bodies(installation: Installation, user: str) -> tuple[Body, ...]:
    """The bodies whose agenda `user` may change (an administrator: every body)."""
    return tuple(body for body in bodies.bodies_of(installation, user) if may_manage(installation.services(body), user))


def guess_body(notices: Sequence[ParsedNotice], every: Sequence[Body]) -> Body | None:
    """The body the notices' headings name: each notice's title ("Styringsgruppemøte for Akson"), or, if the
    title names none, the name its plan is headed with ("Møteplan Nasjonalt e-helsestyre"). None when they
    name none, or not the same one."""
    named = [body_named(notice.meeting.title, every) or body_named(notice.plan_body, every) for notice in notices]
    first = named[0] if named else None
    return first if first is not None and all(body is not None and body.id == first.id for body in named) else None


class _Numbers:
    """Numbers for meetings and cases the document does not give (or gives taken): handed out on import,
    only looked at in a preview."""

    def __init__(self, services: Services, *, hand_out: bool) -> None:
        self._meetings = services.store.meetings
        self._hand_out = hand_out
        self._peeked: dict[tuple[str, int], int] = {}

    def next(self, kind: str, year: int) -> Serial:
        if self._hand_out:
            meetings = self._meetings
            return meetings.allocate_number(year) if kind == "meeting" else meetings.allocate_case_number(year)
        offset = self._peeked.get((kind, year), 0)
        self._peeked[(kind, year)] = offset + 1
        first = self._meetings.peek_number(year, kind)
        return Serial(year, first.seq + offset)


def _numbered(services: Services, notice: ParsedNotice, numbers: _Numbers) -> Meeting:
    """The notice's meeting with a number: its own, or the body's meeting that day, or the next free one."""
    meeting = notice.meeting
    if notice.numbered:
        return meeting
    meetings = services.store.meetings
    # The meeting this notice was read into before (it may have moved since), else the body's meeting that day.
    read_before = [n for n in meetings.imported_for(meeting.day) if (m := meetings.get(n)) and not m.cancelled]
    same_day = [m.number for m in meetings.since(meeting.day) if m.day == meeting.day and not m.cancelled]
    known = read_before or same_day
    number = known[0] if known else numbers.next("meeting", meeting.day.year)
    return replace(meeting, number=number)


def _free_keys(
    services: Services, meeting: Meeting, numbers: _Numbers, taken: frozenset[Serial] = frozenset()
) -> tuple[Meeting, list[tuple[str, Serial]]]:
    """Cases whose key another meeting of the body already uses ("Sak 3" in every meeting of a year) get
    the next free one; they keep their number as written."""
    used = set(taken) | {case.number for other in services.store.meetings.all() if other.number != meeting.number
                         for case in other.cases}  # fmt: skip
    cases, renumbered = [], []
    for case in meeting.cases:
        if case.number in used:
            written = identity(case) if case.label != "" else case.label
            key = numbers.next("case", meeting.day.year)
            renumbered.append((written or case.title, key))
            case = replace(case, number=key, label=written)
        used.add(case.number)
        cases.append(case)
    return replace(meeting, cases=tuple(cases)), renumbered


def read_into(services: Services, notice: ParsedNotice, numbers: _Numbers, *, overwrite: bool = False) -> Reading:
    """What the notice becomes in this body, with the numbers it lacks from `numbers`: handed out (inside the
    import's transaction) or only looked at (a preview; shared by its notices, so two get two numbers)."""
    read = _numbered(services, notice, numbers)
    store = services.store
    before = store.meetings.get(read.number)
    if before is None:
        meeting, renumbered = _free_keys(services, read, numbers)
        return Reading(notice, meeting, None, renumbered=tuple(renumbered), as_read=meeting)
    held = {vote.case for vote in store.votes.all() if vote.meeting == before.number}
    merged = merge(before, store.meetings.imported_as(before.number), read, overwrite=overwrite, held=held)
    known = {identity(case) for case in before.cases}
    fresh = replace(merged.meeting, cases=tuple(c for c in merged.meeting.cases if identity(c) not in known))
    taken = frozenset(case.number for case in before.cases)
    fresh, renumbered = _free_keys(services, fresh, numbers, taken)
    keys = iter(fresh.cases)
    meeting = replace(
        merged.meeting, cases=tuple(c if identity(c) in known else next(keys) for c in merged.meeting.cases)
    )
    stored_as = {identity(case): case for case in meeting.cases}
    as_read = replace(
        read, cases=tuple(replace(c, number=stored_as[identity(c)].number, label=stored_as[identity(c)].label)
                          if identity(c) in stored_as else c for c in read.cases),
    )  # fmt: skip
    changes, conflicts = merged.changes, merged.conflicts
    return Reading(notice, meeting, before, changes, conflicts, tuple(renumbered), merged.moved, as_read)


def preview(services: Services, notices: list[ParsedNotice]) -> list[Reading]:
    numbers = _Numbers(services, hand_out=False)
    return [read_into(services, notice, numbers) for notice in notices]


def import_notices(
    services: Services,
    actor: str,
    notices: list[ParsedNotice],
    elsewhere: Elsewhere | None = None,
    *,
    overwrite: bool = False,
) -> Imported:
    """Store every notice in one commit. A changed agenda gets a new version and a history line; edits made in
    Slack since the last import stay, unless `overwrite`. With `elsewhere`, a plan headed with another body's
    name goes into that body's plan."""
    store = services.store
    saved: list[Meeting] = []
    readings: list[Reading] = []
    planned_elsewhere: list[Body] = []
    with store.transaction():
        numbers = _Numbers(services, hand_out=True)
        for notice in notices:
            reading = read_into(services, notice, numbers, overwrite=overwrite)
            meeting, before, source = reading.meeting, reading.before, Path(notice.source).name
            if before is None:
                store.meetings.save([meeting])
                with services.in_body_language():  # kept in the history: in the body's målform
                    summary = _("Imported from {source}", source=source)
                store.meetings.add_change(AgendaChange(meeting.number, 1, services.clock.now(), actor, summary))
            elif not reading.unchanged:
                if reading.moved:
                    now = services.clock.now()
                    meeting = replace(
                        meeting, rescheduled=before.rescheduled + 1, moved_at=now, duration=None,
                        moved_from=(before.day, before.start),
                    )  # fmt: skip
                with services.in_body_language():  # kept in the history: in the body's målform
                    summary = _("Imported again from {source}", source=source)
                meeting = commit(services, actor, before, meeting, summary)
                if reading.moved:
                    moteplan.votes_follow(services, meeting)
            else:
                meeting = before
            as_read = replace(reading.as_read or reading.meeting, number=meeting.number)
            if store.meetings.imported_as(meeting.number) != as_read:
                store.meetings.remember_import(as_read)
            saved.append(meeting)
            readings.append(replace(reading, meeting=meeting))
            notice = replace(notice, meeting=meeting)
            frister.import_prose(services, actor, notice)
            other = elsewhere.plan_of(notice, services.body) if elsewhere is not None else None
            if other is None:
                moteplan.import_plan(services, actor, notice)
            else:
                moteplan.import_plan(other, actor, notice, title=notice.plan_body or other.body.name)
                if other.body not in planned_elsewhere:
                    planned_elsewhere.append(other.body)
    services.wakeup()
    warnings = [warning for notice in notices for warning in notice.warnings]
    return Imported(services.body, saved, warnings, planned_elsewhere, readings)


def _read(file: SharedFile) -> ParsedNotice:
    too_big = _("{name}: the file is too big (at most {limit} kB).", name=file.name, limit=MAX_NOTICE_BYTES // 1000)
    if file.size > MAX_NOTICE_BYTES:
        raise NoticeError(too_big)
    try:
        data = file.download(MAX_NOTICE_BYTES + 1)
    except NotAtSlack:
        raise NoticeError(_("{name}: could not find the file at Slack.", name=file.name)) from None
    except Unreachable:
        raise UserError(_("{name}: could not be fetched from Slack. Try sending it again.", name=file.name)) from None
    if len(data) > MAX_NOTICE_BYTES:
        raise NoticeError(too_big)
    return parse_bytes(data, file.name)


def _read_all(files: list[SharedFile]) -> list[ParsedNotice]:
    try:
        return [_read(file) for file in files]
    except NoticeError as error:
        raise UserError(_("{problem} Nothing was imported.", problem=str(error))) from None


def chosen_body(installation: Installation, user: str, body_id: object) -> Services:
    """The body a member chose for their notice, checked again: it may be gone, or they no longer manage it."""
    services = bodies.given(installation, body_id, user)
    require_manager(services, user, _(_ONLY_MANAGERS))
    return services


def import_files(
    installation: Installation, services: Services, asker: Asker, files: list[SharedFile], *, overwrite: bool = False
) -> Imported:
    """Notices sent as files, into `services`' body: only those who may change its agenda may import, and
    nothing is downloaded for anyone else."""
    require_manager(services, asker.user, _(_ONLY_MANAGERS))
    parsed = _read_all(files)
    return import_notices(
        services, asker.user, parsed, Elsewhere.of_member(installation, asker.user), overwrite=overwrite
    )


def receive_files(installation: Installation, asker: Asker, files: list[SharedFile]) -> Preview:
    """Files sent to Møtebot: read, nothing stored, and shown to the sender with what importing them would do
    (in the body the headings name, or their only one); they choose the body by importing."""
    managed = managed_bodies(installation, asker.user)
    if not managed:
        if not bodies.bodies_of(installation, asker.user):
            raise bodies.NoBody()
        raise NotAllowed(_(_ONLY_MANAGERS))
    notices = _read_all(files)
    guess = guess_body(notices, installation.bodies())
    guess = guess if guess is not None and guess.id in {body.id for body in managed} else None
    ordered = by_name(managed)
    if guess is not None:
        ordered = [guess, *(body for body in ordered if body.id != guess.id)]
    target = installation.services(ordered[0])
    return Preview(target.body, preview(target, notices), tuple(ordered), guess)
