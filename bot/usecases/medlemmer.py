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
    "Each person has one role: a new role replaces the old one. The group has one leder and one nestleder, who "
    "chairs when the leder has forfall; the last of the secretariat stays until another is added.\n"
    "The leader, the deputy leader and members vote; a vara votes only in the seat of a member with forfall; the "
    "secretariat and observers take part without a vote."
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


@dataclass(frozen=True)
class Added:
    """What `leggtil` did, person by person: one role each, so a new role replaces the old."""

    role: Role
    added: tuple[str, ...] = ()  # new on the list
    changed: tuple[tuple[str, Role], ...] = ()  # had another role: (person, the role they had)
    kept: tuple[str, ...] = ()  # had this role already
    substitute_for: str | None = None
    group: str | None = None


_ONE_HOLDER = (Role.LEDER, Role.NESTLEDER)  # a body has one leder and one nestleder


@dataclass(frozen=True)
class Members:
    """The roster of the body named `body`."""

    roster: Roster
    body: str


@dataclass(frozen=True)
class Removed:
    user: str
    body: str  # the name of the body they were removed from


def run(services: Services, asker: Asker, command: Command) -> Members | Added | Removed:
    """The roster, or the change as done (a change is its own fact: nothing about it is decided here)."""
    if isinstance(command, Show):
        return Members(services.store.roster.get(services.rules.admins), services.body.name)
    require_manager(
        services, asker.user, _("Only the administrators, the leader and the secretariat can change the member list.")
    )
    store = services.store
    with store.transaction():
        roster = store.roster.get()
        if isinstance(command, Add):
            return _add_to(services, roster, command)
        if not roster.roles_of(command.user):
            raise UserError(_("The person is not on the member list."))
        _keep_a_secretariat(roster, command.user)
        store.roster.set_roles(command.user, [])
    return Removed(command.user, services.body.name)


def _add_to(services: Services, roster: Roster, command: Add) -> Added:
    users = tuple(dict.fromkeys(command.users))
    if command.substitute_for and not roster.can_vote(command.substitute_for):
        raise UserError(_("<@{user}> holds no seat; a personal vara is for a member.", user=command.substitute_for))
    if command.role in _ONE_HOLDER:
        _one_holder(roster, command.role, users)
    held = {user: roster.role_of(user) for user in users}
    changed = tuple((user, role) for user, role in held.items() if role is not None and role is not command.role)
    _keep_a_secretariat(roster, *(user for user, _before in changed))  # checked before anything is written
    for user in users:
        services.store.roster.set_roles(user, [command.role], substitute_for=command.substitute_for,
                                        group=command.group)  # fmt: skip
    added = tuple(user for user, role in held.items() if role is None)
    kept = tuple(user for user, role in held.items() if role is command.role)
    return Added(command.role, added, changed, kept, command.substitute_for, command.group)


def _one_holder(roster: Roster, role: Role, users: tuple[str, ...]) -> None:
    """A second leder (or nestleder) is refused: the one there is, is removed or given another role first."""
    if len(users) > 1:
        if role is Role.LEDER:
            raise UserError(_("A body has one leader. Add one person as leder."))
        raise UserError(_("A body has one deputy leader. Add one person as nestleder."))
    holder = next((user for user in roster.holding(role) if user not in users), None)
    if holder is None:
        return
    if role is Role.LEDER:
        raise UserError(
            _(
                "<@{user}> is the leader, and a body has one. Remove <@{user}> first with `/medlemmer fjern`, "
                "or make <@{user}> nestleder with `/medlemmer leggtil`.",
                user=holder,
            )
        )
    raise UserError(
        _(
            "<@{user}> is the deputy leader, and a body has one. Remove <@{user}> first with `/medlemmer fjern`, "
            "or make <@{user}> medlem with `/medlemmer leggtil`.",
            user=holder,
        )
    )


def _keep_a_secretariat(roster: Roster, *leaving: str) -> None:
    """The last of the secretariat stays: someone must receive forfall and prepare the meetings."""
    secretariat = roster.holding(Role.SEKRETARIAT)
    if secretariat and set(secretariat) <= set(leaving):
        user = secretariat[0]
        raise UserError(
            _(
                "<@{user}> is the body's only secretariat and stays so until another is added: "
                "`/medlemmer leggtil @name sekretariat`.",
                user=user,
            )
        )
