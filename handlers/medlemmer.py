"""/medlemmer: the group by role; admins, the leder and the secretariat change it."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.core.domain import Role
from bot.core.errors import UserError
from bot.core.formatting import people_list
from bot.slack import views
from bot.slack.blocks import Message
from bot.usecases import medlemmer as members
from handlers.context import HELP_WORDS, Context, register_text_command

COMMAND = "/medlemmer"
_MENTION = re.compile(r"^@([UW][A-Z0-9]{2,})$")  # a picked person, as bot.slack.input decodes <@U…|name>


def _mentions(words: list[str]) -> list[str]:
    users = []
    for word in words:
        match = _MENTION.match(word)
        if not match:
            raise UserError(f"«{word[:40]}» er ikke en person. Skriv @ og velg personen, som `@Kari Nordmann`.")
        users.append(match[1])
    return users


def answer(ctx: Context, user_id: str, text: str) -> Message:
    services = ctx.services
    words = text.split()
    action = words[0].casefold() if words else ""
    if not words:
        return views.roster(services.store.roster(services.rules.admins))
    if action in HELP_WORDS:
        return views.notice(views.ROSTER_HELP)
    if action == "leggtil":
        role = Role.parse(words[-1]) if len(words) >= 3 else None
        if role is None:
            raise UserError(
                "Skriv slik: `/medlemmer leggtil @Kari medlem` – rollen er leder, medlem, sekretariat eller observatør."
            )
        users = _mentions(words[1:-1])
        members.add(services, user_id, users, role)
        done = f"La til {people_list([views.mention(u) for u in users])} som {role.value}."
    elif action == "fjern":
        if len(words) != 2:
            raise UserError("Skriv slik: `/medlemmer fjern @Kari`.")
        user = _mentions(words[1:])[0]
        members.remove(services, user_id, user)
        done = f"{views.mention(user)} er fjernet fra styringsgruppen."
    else:
        raise UserError(f"Forstod ikke «{words[0][:40]}». Skriv `/medlemmer hjelp` for bruken.")
    return views.notice(f":white_check_mark: {done}")  # mentions built here from checked IDs


def register(app: App, ctx: Context) -> None:
    register_text_command(app, COMMAND, ctx, answer)
