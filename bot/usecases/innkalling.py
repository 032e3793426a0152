"""Importing meeting notices ("innkallinger"): from files on the command line, or sent to Møtebot in a DM.

All or nothing: every file is read and parsed before anything is stored. A notice goes into one body: the
only one the sender may change, or the one they choose (the heading gives the guess). Its plan goes into
the body the plan's heading names, when that is another body the importer may change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.core.domain import AgendaChange, Meeting
from bot.core.errors import NotAllowed, UserError
from bot.core.i18n import N_, _
from bot.core.names import body_named, by_name
from bot.core.notices.reader import MAX_NOTICE_BYTES, NoticeError, ParsedNotice, parse_bytes
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
class Imported:
    body: Body  # the body the notices went into
    meetings: list[Meeting]  # as stored, one per notice
    warnings: list[str]  # what the reader could not place, worth reading
    plans_elsewhere: list[Body] = field(default_factory=list)  # other bodies a notice's plan went into


@dataclass(frozen=True)
class ChooseBody:
    """Notices read, nothing stored: the sender may change several bodies, and is asked which."""

    meetings: list[Meeting]  # as read, one per notice
    bodies: tuple[Body, ...]  # those the sender may change: the guess first, then by name
    guess: Body | None  # the body the headings name, if they name one of these


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


def import_notices(
    services: Services, actor: str, notices: list[ParsedNotice], elsewhere: Elsewhere | None = None
) -> Imported:
    """Store every notice in one commit. A changed agenda gets a new version and a history line. With
    `elsewhere`, a plan headed with another body's name goes into that body's plan."""
    store = services.store
    saved: list[Meeting] = []
    planned_elsewhere: list[Body] = []
    with store.transaction():
        for notice in notices:
            meeting, source = notice.meeting, Path(notice.source).name
            before = store.meetings.get(meeting.number)
            if before is None:
                store.meetings.save([meeting])
                summary = _("Imported from {source}", source=source)
                store.meetings.add_change(AgendaChange(meeting.number, 1, services.clock.now(), actor, summary))
                saved.append(meeting)
            elif replace(before, version=meeting.version) != meeting:
                summary = _("Imported again from {source}", source=source)
                saved.append(commit(services, actor, before, meeting, summary))
            else:
                saved.append(before)
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
    return Imported(services.body, saved, warnings, planned_elsewhere)


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


def import_files(installation: Installation, services: Services, asker: Asker, files: list[SharedFile]) -> Imported:
    """Notices sent as files, into `services`' body: only those who may change its agenda may import, and
    nothing is downloaded for anyone else."""
    require_manager(services, asker.user, _(_ONLY_MANAGERS))
    parsed = _read_all(files)
    return import_notices(services, asker.user, parsed, Elsewhere.of_member(installation, asker.user))


def receive_files(installation: Installation, asker: Asker, files: list[SharedFile]) -> Imported | ChooseBody:
    """Files sent to Møtebot: imported at once into the one body the sender may change; with several, read
    (nothing stored) and the sender asked which, the body the headings name first."""
    managed = managed_bodies(installation, asker.user)
    if not managed:
        if not bodies.bodies_of(installation, asker.user):
            raise bodies.NoBody()
        raise NotAllowed(_(_ONLY_MANAGERS))
    if len(managed) == 1:
        return import_files(installation, installation.services(managed[0]), asker, files)
    notices = _read_all(files)
    guess = guess_body(notices, installation.bodies())
    guess = guess if guess is not None and guess.id in {body.id for body in managed} else None
    ordered = by_name(managed)
    if guess is not None:
        ordered = [guess, *(body for body in ordered if body.id != guess.id)]
    return ChooseBody([notice.meeting for notice in notices], tuple(ordered), guess)
