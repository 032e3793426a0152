"""What every listener and job is handed: settings, the store and the clock. Built once by bot.app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.settings import Settings
from storage import Store


class Wakeup:
    """How the core tells the scheduler that plans changed; a no-op until a scheduler listens."""

    def __init__(self) -> None:
        self._listener: Callable[[], None] | None = None

    def listen(self, listener: Callable[[], None]) -> None:
        self._listener = listener

    def __call__(self) -> None:
        if self._listener is not None:
            self._listener()


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    clock: Clock
    wakeup: Wakeup = field(default_factory=Wakeup)
