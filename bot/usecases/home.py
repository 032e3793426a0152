"""The App Home tab: what a member sees there, read in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.domain import Deadline, Meeting, Vote
from bot.usecases.services import Services


@dataclass(frozen=True)
class Overview:
    meetings: Sequence[Meeting]
    deadlines: Sequence[Deadline]
    open_votes: Sequence[Vote]
    now: datetime
    can_edit: bool  # the viewer may change the agenda, the deadlines and the plan: Home says how


def overview(services: Services, viewer: str) -> Overview:
    store = services.store
    can_edit = store.roster.get(services.rules.admins).can_manage(viewer)
    return Overview(
        store.meetings.all(), store.deadlines.all(), store.votes.all(open_only=True), services.clock.now(), can_edit
    )
