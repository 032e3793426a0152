"""/frister: open deadlines at a glance; the secretariat adds, postpones and finishes them."""

from __future__ import annotations

from slack_bolt import App

from bot.core.i18n import current_language
from bot.slack.blocks import Message
from bot.slack.views import frister as view
from bot.usecases import frister
from handlers.context import Context, register_command

COMMAND = frister.COMMAND


def register(app: App, ctx: Context) -> None:
    def render(facts: frister.Listing | frister.Added | frister.Postponed | frister.Finished) -> Message:
        if not isinstance(facts, frister.Listing):
            return view.render(facts)
        key = ("frister", facts.version, facts.body, facts.today, facts.everything, current_language())
        return ctx.rendered.rendered(key, lambda: view.render(facts))  # the list as rendered, until the day changes

    register_command(app, ctx, frister.COMMAND, frister.USAGE, frister.parse, frister.run, render)
