"""Importing meeting notices ("innkallinger"): from files on the command line, or sent to Møtebot in a DM.

All or nothing: every file is read and parsed before anything is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bot.core.domain import AgendaChange, Meeting
from bot.core.errors import UserError
from bot.core.i18n import _
from bot.core.notices.reader import MAX_NOTICE_BYTES, NoticeError, ParsedNotice, parse_bytes
from bot.usecases import frister, moteplan
from bot.usecases.dagsorden import commit
from bot.usecases.grammar import Asker
from bot.usecases.services import Services, require_manager


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
    meetings: list[Meeting]  # as stored, one per notice
    warnings: list[str]  # what the reader could not place, worth reading


def import_notices(services: Services, actor: str, notices: list[ParsedNotice]) -> list[Meeting]:
    """Store every notice in one commit. A changed agenda gets a new version and a history line."""
    store = services.store
    saved: list[Meeting] = []
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
            moteplan.import_plan(services, actor, notice)
    services.wakeup()
    return saved


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


def import_files(services: Services, asker: Asker, files: list[SharedFile]) -> Imported:
    """Notices sent as files: only those who may change the agenda may import, and nothing is downloaded
    for anyone else."""
    require_manager(
        services, asker.user, _("Only the secretariat, the leader and the administrators can import notices.")
    )
    try:
        parsed = [_read(file) for file in files]
    except NoticeError as error:
        raise UserError(_("{problem} Nothing was imported.", problem=str(error))) from None
    meetings = import_notices(services, asker.user, parsed)
    return Imported(meetings, [warning for notice in parsed for warning in notice.warnings])
