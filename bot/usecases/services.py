"""What every listener and job is handed: the group's rules, the store and the clock. Built once at start."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core.clock import Clock
from bot.core.errors import NotAllowed
from bot.core.rules import GroupRules
from storage import Store


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
                listener()


@dataclass(frozen=True)
class Services:
    rules: GroupRules
    store: Store
    clock: Clock
    wakeup: Wakeup = field(default_factory=Wakeup)


def require_manager(services: Services, actor: str, refusal: str) -> None:
    """Admins, the leder and the secretariat may change things; anyone else is told who may (`refusal`)."""
    if not services.store.roster.get(services.rules.admins).can_manage(actor):
        raise NotAllowed(refusal)
