"""The answer to "which body?": a click on one of the bodies gives the same command for that body."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond

from bot.core.i18n import _
from bot.slack.views import CHOOSE_BODY_ACTION, problem
from bot.slack.views.motebot import UNKNOWN_CHOICE
from bot.usecases.grammar import Asker
from handlers.context import Context, clicked_value


def register(app: App, ctx: Context) -> None:
    @app.action(re.compile(f"^{CHOOSE_BODY_ACTION}:"))
    def chosen(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        try:
            carried = json.loads(clicked_value(body))
            answer = ctx.commands[carried["command"]]
            text = str(carried["text"])
        except (ValueError, KeyError, TypeError):
            ctx.tell_later(respond, problem(_(UNKNOWN_CHOICE)))
            return
        asker = Asker(body["user"]["id"], (body.get("channel") or {}).get("id"))
        message = answer(asker, text, body.get("trigger_id"), respond)
        if message is not None:  # in place of the question
            ctx.background.prompt(
                lambda: respond(**message.as_kwargs(), response_type="ephemeral", replace_original=True)
            )
