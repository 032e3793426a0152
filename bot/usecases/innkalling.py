"""Importing meeting notices ("innkallinger"): from files on the command line, or sent to Møtebot in a DM.

All or nothing: every file is read and parsed before anything is stored.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.core.domain import AgendaChange, Meeting
from bot.core.i18n import _
from bot.core.notices.reader import ParsedNotice
from bot.usecases import frister as deadlines
from bot.usecases import moteplan as meeting_plan
from bot.usecases.dagsorden import commit
from bot.usecases.services import Services


def import_notices(services: Services, actor: str, notices: list[ParsedNotice]) -> list[Meeting]:
    """Store every notice in one commit. A changed agenda gets a new version and a history line."""
    store = services.store
    saved: list[Meeting] = []
    with store.transaction():
        for notice in notices:
            meeting, source = notice.meeting, Path(notice.source).name
            before = store.meeting(meeting.number)
            if before is None:
                store.save_meetings([meeting])
                summary = _("Imported from {source}", source=source)
                store.add_agenda_change(AgendaChange(meeting.number, 1, services.clock.now(), actor, summary))
                saved.append(meeting)
            elif replace(before, version=meeting.version) != meeting:
                summary = _("Imported again from {source}", source=source)
                saved.append(commit(services, actor, before, meeting, summary))
            else:
                saved.append(before)
            deadlines.import_prose(services, actor, notice)
            meeting_plan.import_plan(services, actor, notice)
    services.wakeup()
    return saved
