"""What every listener and job is handed: settings, the store and the clock. Built once by bot.app."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.settings import Settings
from storage import Store


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    clock: Clock
