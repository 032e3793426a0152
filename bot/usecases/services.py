"""What every listener and job is handed: the installation (every body, the store, the clock), and for
one body its Services: its rules, its records and the clock. Built once at start; a body's on each use."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from bot.core.clock import Clock
from bot.core.errors import NotAllowed
from bot.core.i18n import language
from bot.core.procedure import ELECTED
from bot.core.rules import Body, GroupRules
from storage.protocol import BodyRecordsP, StoreP

log = logging.getLogger(__name__)


class Wakeup:
    """How the core says "something changed": the scheduler re-plans, the Home tabs refresh.

    Listeners must return at once (they hand the work to their own threads).
    """

    def __init__(self) -> None:
        self._listeners: list[tuple[Callable[[], None], bool]] = []

    def listen(self, listener: Callable[[], None], *, plans_only: bool = False) -> None:
        self._listeners.append((listener, plans_only))

    def __call__(self, *, replan: bool = True) -> None:
        """`replan=False`: something changed that no scheduled post depends on (a ballot)."""
        for listener, plans_only in self._listeners:
            if replan or not plans_only:
                try:
                    listener()
                except Exception:  # the change is made (often committed): a listener's failure must not undo
                    log.exception("Kunne ikke melde fra om endringen")  # the answer, nor stop the others


@dataclass(frozen=True)
class Services:
    """One body's: its rules (the installation's defaults where it has none), its records, the clock."""

    rules: GroupRules
    store: BodyRecordsP
    clock: Clock
    wakeup: Wakeup = field(default_factory=Wakeup)

    @property
    def body(self) -> Body:
        return self.rules.body

    @property
    def elected(self) -> bool:
        """An elected body under kommuneloven: it meets online in a «fjernmøte» (§ 11-7), not a «nettmøte»."""
        return self.body.rules == ELECTED

    def in_body_language(self) -> AbstractContextManager[None]:
        """Render inside this what the body reads or keeps (its channel, its history lines, its minutes): in
        its målform, whoever's command or click it follows; what only they read follows their own."""
        return language(self.body.language)


@dataclass(frozen=True)
class Installation:
    """Every body of one Møtebot: `defaults` are the settings' (zone, administrators, offsets)."""

    defaults: GroupRules
    store: StoreP
    clock: Clock
    wakeup: Wakeup = field(default_factory=Wakeup)

    def services(self, body: Body) -> Services:
        return Services(self.defaults.for_body(body), self.store.body(body.id), self.clock, self.wakeup)

    def bodies(self) -> tuple[Body, ...]:
        return self.store.bodies.all()

    def body(self, body_id: int | None) -> Services | None:
        found = self.store.bodies.get(body_id) if body_id is not None else None
        return self.services(found) if found is not None else None

    def of_vote(self, vote_id: int) -> Services | None:
        """A vote's body's (a vote's number is unique across bodies), unchecked: for the bot's own work."""
        return self.body(self.store.body_of_vote(vote_id))

    def is_admin(self, user: str) -> bool:
        return user in self.defaults.admins


def may_manage(services: Services, actor: str) -> bool:
    """Admins, the leder and the secretariat may change the body's agenda, plan, deadlines and roster."""
    return services.store.roster.get(services.rules.admins).can_manage(actor)


def require_manager(services: Services, actor: str, refusal: str) -> None:
    """Admins, the leder and the secretariat may change things; anyone else is told who may (`refusal`)."""
    if not may_manage(services, actor):
        raise NotAllowed(refusal)
