"""Which body a command, a click or a file is about: where it was typed, or the member's own body, or the
one named first ("/dagsorden akson 4/20"). Also who may read a body's records at all (SECURITY.md)."""

from __future__ import annotations

from bot.core.errors import NotAllowed, UserError
from bot.core.i18n import _, use_language
from bot.core.rules import Body
from bot.usecases.grammar import Asker
from bot.usecases.services import Installation, Services


class WhichBody(UserError):
    """The member is in several bodies and did not say which: the answer offers them."""

    def __init__(self, bodies: tuple[Body, ...], command: str, text: str) -> None:
        example = f"{command} {bodies[0].short_name} {text}".strip()
        super().__init__(
            _("You are in several bodies. Choose one, or name it first, for example `{example}`.", example=example)
        )
        self.bodies = bodies
        self.command = command
        self.text = text


class NoBody(UserError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "You are not in any body in Møtebot yet. Ask the secretariat to add you with `/medlemmer`, "
                "or make a channel a body with `/motebot opprett Name of the body`."
            )
        )


def may_read(installation: Installation, body: Body, user: str) -> bool:
    """Members (any role) and Møtebot's administrators; others only where the body allows it and its
    channel is public in the workspace."""
    return installation.is_admin(user) or body.id in installation.store.bodies.of_member(user) or body.open_to_readers()


def bodies_of(installation: Installation, user: str) -> tuple[Body, ...]:
    """The bodies a member is in; an administrator, every body."""
    every = installation.bodies()
    if installation.is_admin(user):
        return every
    mine = installation.store.bodies.of_member(user)
    return tuple(body for body in every if body.id in mine)


def bodies_for(installation: Installation, user: str) -> tuple[Body, ...]:
    """The bodies a member means when they do not say which: their own; with none, those open to readers."""
    return bodies_of(installation, user) or tuple(b for b in installation.bodies() if b.open_to_readers())


def readable(installation: Installation, body: Body, user: str) -> Services:
    """The body's services, for a member who may read it; what follows is written in the reader's own målform,
    or else the body's (bot.core.i18n.use_language)."""
    use_language(body.language)  # a refusal too is in the reader's målform, else the body's
    if not may_read(installation, body, user):
        raise NotAllowed(_("Only the members of {name} have access to this.", name=body.name))
    return installation.services(body)


def choose(installation: Installation, asker: Asker, command: str, text: str) -> tuple[Services, str]:
    """The body `text` is about, and the text without a body's name in front."""
    first, _space, rest = text.strip().partition(" ")
    if first and (named := installation.store.bodies.named(first)) is not None:
        return readable(installation, named, asker.user), rest.strip()
    if (here := installation.store.bodies.in_channel(asker.channel)) is not None:
        return readable(installation, here, asker.user), text
    mine = bodies_for(installation, asker.user)
    if len(mine) == 1:
        return readable(installation, mine[0], asker.user), text
    if not mine:
        raise NoBody()
    raise WhichBody(mine, command, text.strip())


def of_vote(installation: Installation, vote_id: int, user: str) -> Services | None:
    """A vote's body (a button carries the vote's number only); None for a number no vote has."""
    found = installation.of_vote(vote_id)
    return readable(installation, found.body, user) if found is not None else None


def given(installation: Installation, body_id: object, user: str) -> Services:
    """The body a button or a form carries, checked again: it may be gone, or the member no longer in it."""
    number = body_id if isinstance(body_id, int) and not isinstance(body_id, bool) else None  # JSON's true is no body
    found = installation.body(number)
    if found is None:
        raise UserError(_("That body no longer exists in Møtebot."))
    return readable(installation, found.body, user)


def carried_or_here(installation: Installation, carried: object, asker: Asker, command: str) -> Services:
    """The body a button carries; a button from before bodies carries none, and means the body of the
    channel it is in (or the member's only one)."""
    if carried is not None:
        return given(installation, carried, asker.user)
    return choose(installation, asker, command, "")[0]
