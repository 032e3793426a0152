"""Thin Bolt listeners: one module per command or surface, each with `register(app, services)`."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from handlers import dagsorden

_COMMAND_MODULES = (dagsorden,)

COMMANDS: tuple[str, ...] = tuple(module.COMMAND for module in _COMMAND_MODULES)


def register_all(app: App, services: Services) -> None:
    for module in _COMMAND_MODULES:
        module.register(app, services)
