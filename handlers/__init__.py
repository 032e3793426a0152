"""Thin Bolt listeners: one module per command or surface, each with `register(app, ctx)`."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

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
from handlers.vote_messages import VoteMessages

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

PROMPT_TIMEOUT = 3  # seconds

COMMANDS: tuple[str, ...] = tuple(module.COMMAND for module in _COMMAND_MODULES)


def register_all(app: App, installation: Installation) -> tuple[Context, scheduled.Runner]:
    """Every listener on `app`; returns the shared context and what runs the scheduled posts."""
    # A trigger_id lives 3 s: a modal Slack has not opened by then will not open, so stop waiting.
    prompt_client = WebClient(token=app.client.token, base_url=app.client.base_url, timeout=PROMPT_TIMEOUT)
    background = Background(prompt_client, app.client)
    ctx = Context(installation, background, VoteMessages(installation, app.client, background))
    ctx.vote_messages.own_language = lambda user: own_language(ctx, user)
    for module in (*_COMMAND_MODULES, *_SURFACE_MODULES):
        module.register(app, ctx)
    return ctx, scheduled.runner(ctx, app.client)


__all__ = ["COMMANDS", "Context", "Due", "register_all"]
