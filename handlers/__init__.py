"""Thin Bolt listeners: one module per command or surface, each with `register(app, services)`."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from handlers import dagsorden, notice_files

_COMMAND_MODULES = (dagsorden,)
_SURFACE_MODULES = (notice_files,)

COMMANDS: tuple[str, ...] = tuple(module.COMMAND for module in _COMMAND_MODULES)


def register_all(app: App, services: Services) -> None:
    for module in (*_COMMAND_MODULES, *_SURFACE_MODULES):
        module.register(app, services)
