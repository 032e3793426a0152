"""/medlemmer: the group by role; admins, the leder and the secretariat change it."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.views import medlemmer as view
from bot.usecases import medlemmer
from handlers.context import Context, register_command

COMMAND = medlemmer.COMMAND


def register(app: App, ctx: Context) -> None:
    register_command(app, ctx, medlemmer.COMMAND, medlemmer.USAGE, medlemmer.parse, medlemmer.run, view.render)
