"""/motebot and the bodies: which body a command is about, and a body's settings."""

from __future__ import annotations

import json

from bot.core.i18n import N_
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.usecases.bodies import WhichBody

CHOOSE_BODY_ACTION = "motebot_choose_body"


UNKNOWN_CHOICE = N_("Møtebot does not know that choice (any more). Give the command again.")


def which_body(question: WhichBody) -> Message:
    """The question, with a button per body that gives the same command for that body."""
    text = escape(str(question))
    buttons = [
        blocks.button(
            body.name,
            f"{CHOOSE_BODY_ACTION}:{body.id}",
            json.dumps({"command": question.command, "text": f"{body.short_name} {question.text}".strip()}),
        )
        for body in question.bodies[:25]
    ]
    return Message(text=text, blocks=[blocks.section(text), blocks.actions(*buttons)])
