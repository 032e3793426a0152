"""/motebot: the bodies themselves. Set-up from the settings (MOTEBOT_CHANNEL) lives here too."""

from __future__ import annotations

import secrets
from dataclasses import replace

from bot.core.rules import Body, short_name_for
from bot.usecases.services import Installation


def new_calendar_token() -> str:
    """Unguessable: the feed's URL is all that guards it."""
    return secrets.token_urlsafe(24)


def unique_short_name(installation: Installation, name: str) -> str:
    """The short name for `name`, numbered if another body has it ("akson-2")."""
    base = short_name_for(name)
    taken = {body.short_name for body in installation.bodies()}
    candidates = (base if n == 1 else f"{base}-{n}" for n in range(1, len(taken) + 2))
    return next(candidate for candidate in candidates if candidate not in taken)


def configured_channel(installation: Installation, channel: str, name: str) -> Body:
    """MOTEBOT_CHANNEL, the one-group set-up: that channel is a body. A database from before there were
    bodies has one, unbound: it is bound here. Such a body is readable as before, by anyone in the
    workspace (SECURITY.md); `/motebot innstillinger` changes that."""
    bodies = installation.store.bodies
    if (here := bodies.in_channel(channel)) is not None:
        return here
    unbound = [body for body in bodies.all() if body.channel is None]
    if len(unbound) == 1:
        body = replace(unbound[0], channel=channel, public_channel=True, readable=True)
        bodies.save(body)
        return body
    return bodies.create(
        Body(
            0,
            name,
            unique_short_name(installation, name),
            channel=channel,
            calendar_token=new_calendar_token(),
            public_channel=True,
            readable=True,
        )
    )


def only_body(installation: Installation, name: str) -> Body:
    """The body of a database with one: made now, unbound, if there is none (`motebot import` into a new
    database); `/motebot opprett` in a channel binds it. Readable by all, as in the one-group set-up."""
    every = installation.bodies()
    if every:
        return every[0]
    return installation.store.bodies.create(
        Body(
            0,
            name,
            unique_short_name(installation, name),
            calendar_token=new_calendar_token(),
            public_channel=True,
            readable=True,
        )
    )
