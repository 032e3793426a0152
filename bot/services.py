"""What every listener and job is handed: settings, the store and the clock. Built once by bot.app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.settings import Settings
from storage import Store


class Wakeup:
    """How the core says "something changed": the scheduler re-plans, the Home tabs refresh.

    Listeners must return at once (they hand the work to their own threads).
    """

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def listen(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def __call__(self) -> None:
        for listener in self._listeners:
            listener()


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    clock: Clock
    wakeup: Wakeup = field(default_factory=Wakeup)
