"""Thin Bolt listeners: one module per command or surface, each with `register(app, ctx)`."""

from __future__ import annotations

from slack_bolt import App

from bot.core.planner import Due
from bot.usecases.services import Installation
from handlers import (
    avstemning,
    dagsorden,
    forfall,
    frister,
    habilitet,
    home,
    medlemmer,
    mote,
    motebot,
    moteplan,
    notice_files,
    protokoll,
    scheduled,
    status,
    which_body,
)
from handlers.context import Background, Context, own_language
from handlers.workspaces import Workspaces

_COMMAND_MODULES = (
    dagsorden,
    status,
    frister,
    moteplan,
    avstemning,
    mote,
    habilitet,
    forfall,
    protokoll,
    medlemmer,
    motebot,
)
_SURFACE_MODULES = (notice_files, home, which_body)

COMMANDS: tuple[str, ...] = tuple(module.COMMAND for module in _COMMAND_MODULES)


def register_all(app: App, installation: Installation) -> tuple[Context, scheduled.Runner]:
    """Every listener on `app`; returns the shared context and what runs the scheduled posts. `installation`
    is the one workspace's, or, for many, handlers.workspaces.EachWorkspace: each workspace's part of the bot
    (records, clients, vote messages, caches) is then made on first use, and the current one is used."""
    background = Background(clients=lambda: (workspaces.current().prompt_client, workspaces.current().client))
    workspaces = Workspaces(installation, app.client, background)
    ctx = Context(installation, background, workspaces)
    workspaces.own_language = lambda user: own_language(ctx, user)
    ctx.stoppers.append(workspaces.stop)
    for module in (*_COMMAND_MODULES, *_SURFACE_MODULES):
        module.register(app, ctx)
    return ctx, scheduled.runner(ctx)


__all__ = ["COMMANDS", "Context", "Due", "register_all"]
