"""/medlemmer: who is in the group and in what role. The grammar first, then what each command does."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.domain import Role, Roster
from bot.core.errors import UserError
from bot.core.i18n import N_, _
from bot.usecases.grammar import Asker, not_understood
from bot.usecases.services import Services, require_manager

COMMAND = "/medlemmer"
USAGE = N_(
    "*How to use /medlemmer*\n"
    "• `/medlemmer` – the group by role\n"
    "• `/medlemmer leggtil @name [@name …] role` – role is leder, medlem, sekretariat or observatør\n"
    "• `/medlemmer fjern @name` – remove from the group\n"
    "The leader and members vote; the secretariat and observers take part without a vote."
)
_MENTION = re.compile(r"^@([UW][A-Z0-9]{2,})$")  # a picked person, as bot.slack.input decodes <@U…|name>


@dataclass(frozen=True)
class Show:
    pass


@dataclass(frozen=True)
class Add:
    users: tuple[str, ...]
    role: Role


@dataclass(frozen=True)
class Remove:
    user: str


Command = Show | Add | Remove


def _mentions(words: list[str]) -> tuple[str, ...]:
    users = []
    for word in words:
        match = _MENTION.match(word)
        if not match:
            raise UserError(
                _("«{word}» is not a person. Type @ and pick the person, as in `@Kari Nordmann`.", word=word[:40])
            )
        users.append(match[1])
    return tuple(users)


def parse(text: str) -> Command:
    words = text.split()
    action = words[0].casefold() if words else ""
    if not words:
        return Show()
    if action == "leggtil":
        role = Role.parse(words[-1]) if len(words) >= 3 else None
        if role is None:
            raise UserError(
                _(
                    "Write it like this: `/medlemmer leggtil @Kari medlem` – "
                    "the role is leder, medlem, sekretariat or observatør."
                )
            )
        return Add(_mentions(words[1:-1]), role)
    if action == "fjern":
        if len(words) != 2:
            raise UserError(_("Write it like this: `/medlemmer fjern @Kari`."))
        return Remove(_mentions(words[1:])[0])
    raise not_understood(COMMAND, words[0])


def run(services: Services, asker: Asker, command: Command) -> Roster | Add | Remove:
    """The roster, or the change as done (a change is its own fact: nothing about it is decided here)."""
    if isinstance(command, Show):
        return services.store.roster.get(services.rules.admins)
    require_manager(
        services, asker.user, _("Only the administrators, the leader and the secretariat can change the member list.")
    )
    store = services.store
    with store.transaction():
        roster = store.roster.get()
        if isinstance(command, Add):
            for user in command.users:
                store.roster.set_roles(user, roster.roles_of(user) | {command.role})
            return command
        if not roster.roles_of(command.user):
            raise UserError(_("The person is not on the member list."))
        store.roster.set_roles(command.user, [])
    return command
