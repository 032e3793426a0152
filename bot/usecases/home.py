"""The App Home tab: what a member sees there, read in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.domain import Deadline, Meeting, Vote
from bot.core.i18n import DEFAULT_LANGUAGE
from bot.usecases.bodies import bodies_for
from bot.usecases.frister import MyDeadlines, mine
from bot.usecases.grammar import Asker
from bot.usecases.services import Installation, Services


@dataclass(frozen=True)
class Overview:
    """One body, as a member of it sees it on Home."""

    name: str
    meetings: Sequence[Meeting]
    deadlines: Sequence[Deadline]
    open_votes: Sequence[Vote]
    now: datetime
    can_edit: bool  # the viewer may change the agenda, the deadlines and the plan: Home says how
    elected: bool = False  # an online meeting is a «fjernmøte»
    language: str = "nb"  # the body's målform: its part of Home is written in it, unless the viewer chose one


@dataclass(frozen=True)
class Home:
    bodies: Sequence[Overview]  # the viewer's bodies; none: Home says how to start
    language: str  # the målform of the viewer's bodies when they share one, else bokmål
    mine: MyDeadlines  # the viewer's own deadlines, in all their bodies (as `/frister mine`)


def home(installation: Installation, viewer: str) -> Home:
    bodies = bodies_for(installation, viewer)
    shared = {body.language for body in bodies}
    language = shared.pop() if len(shared) == 1 else DEFAULT_LANGUAGE
    overviews = tuple(overview(installation.services(body), viewer) for body in bodies)
    return Home(overviews, language, mine(installation, Asker(viewer)))


def overview(services: Services, viewer: str) -> Overview:
    store = services.store
    can_edit = store.roster.get(services.rules.admins).can_manage(viewer)
    return Overview(
        services.body.name,
        store.meetings.all(),
        store.deadlines.all(),
        store.votes.all(open_only=True),
        services.clock.now(),
        can_edit,
        services.elected,
        services.body.language,
    )
