"""/status: each work stream's latest status; the secretariat adds updates, and the history is kept."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.views import status as view
from bot.usecases import status
from handlers.context import Context, register_command

COMMAND = status.COMMAND


def register(app: App, ctx: Context) -> None:
    register_command(app, ctx, status.COMMAND, status.USAGE, status.parse, status.run, view.render)
