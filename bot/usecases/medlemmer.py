"""/medlemmer: who is in the group and in what role. The grammar first, then what each command does."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.domain import Role, Roster
from bot.core.errors import UserError
from bot.core.i18n import N_, _
from bot.usecases.grammar import PICKED, Asker, keyword, not_understood
from bot.usecases.services import Services, require_manager

COMMAND = "/medlemmer"
USAGE = N_(
    "*How to use /medlemmer*\n"
    "• `/medlemmer` – the group by role\n"
    "• `/medlemmer leggtil @name [@name …] role` – role is leder, nestleder, medlem, vara, sekretariat or observatør\n"
    "• `/medlemmer leggtil @name vara for @Kari` – Kari's personal vara; `… vara gruppe Bergen` – a vara for "
    "the group's members (`… medlem gruppe Bergen` puts a member in a group); varas are asked in the order added\n"
    "• `/medlemmer fjern @name` – remove from the group\n"
    "The leader and members vote; a vara votes only in the seat of a member with forfall; the secretariat and "
    "observers take part without a vote."
)


@dataclass(frozen=True)
class Show:
    pass


@dataclass(frozen=True)
class Add:
    users: tuple[str, ...]
    role: Role
    substitute_for: str | None = None  # a personal vara: whose
    group: str | None = None  # a member's or vara's group: varas of a group are asked for its members


@dataclass(frozen=True)
class Remove:
    user: str


Command = Show | Add | Remove


def _mentions(words: list[str]) -> tuple[str, ...]:
    users = []
    for word in words:
        match = PICKED.match(word)
        if not match:
            raise UserError(
                _("«{word}» is not a person. Type @ and pick the person, as in `@Kari Nordmann`.", word=word[:40])
            )
        users.append(match[1])
    return tuple(users)


def _add(words: list[str]) -> Add:
    """`@a [@b …] role [for @Kari] [gruppe Name …]`."""
    people = 0
    while people < len(words) and words[people].startswith("@"):
        people += 1
    role = Role.parse(words[people]) if people < len(words) else None
    if role is None or people == 0:
        if people == 0 and words:
            _mentions(words[:1])  # says that the first word is not a person
        raise UserError(
            _(
                "Write it like this: `/medlemmer leggtil @Kari medlem` – "
                "the role is leder, nestleder, medlem, vara, sekretariat or observatør."
            )
        )
    users, rest = _mentions(words[:people]), words[people + 1 :]
    substitute_for = group = None
    if rest and rest[0].casefold() == "for":
        if role is not Role.VARA or len(rest) < 2:
            raise UserError(_("Write it like this: `/medlemmer leggtil @Ola vara for @Kari`."))
        substitute_for, rest = _mentions(rest[1:2])[0], rest[2:]
    if rest and rest[0].casefold() in ("gruppe", "gruppa", "group"):
        group = " ".join(rest[1:])[:60].strip() or None
        if group is None:
            raise UserError(_("Write the group's name: `/medlemmer leggtil @Ola vara gruppe Bergen`."))
        rest = []
    if rest:
        raise not_understood(COMMAND, rest[0])
    return Add(users, role, substitute_for, group)


def parse(text: str) -> Command:
    words = text.split()
    action = keyword(words[0]) if words else ""
    if not words:
        return Show()
    if action == "leggtil":
        return _add(words[1:])
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
            if command.substitute_for and not roster.can_vote(command.substitute_for):
                raise UserError(
                    _("<@{user}> holds no seat; a personal vara is for a member.", user=command.substitute_for)
                )
            for user in command.users:
                store.roster.set_roles(
                    user, roster.roles_of(user) | {command.role}, substitute_for=command.substitute_for,
                    group=command.group,
                )  # fmt: skip
            return command
        if not roster.roles_of(command.user):
            raise UserError(_("The person is not on the member list."))
        store.roster.set_roles(command.user, [])
    return command
