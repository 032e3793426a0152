"""Changing the roster: who is in the group and in what role."""

from __future__ import annotations

from bot.core.domain import Role
from bot.core.errors import UserError
from bot.usecases.services import Services, require_manager

ROSTER_KEEPERS = "administratorene, lederen og sekretariatet"


def add(services: Services, actor: str, users: list[str], role: Role) -> None:
    require_manager(services, actor, "endre medlemslisten", who=ROSTER_KEEPERS)
    if not users:
        raise UserError("Nevn hvem som skal legges til, for eksempel `/medlemmer leggtil @Kari medlem`.")
    store = services.store
    with store.transaction():
        roster = store.roster()
        for user in users:
            store.set_roles(user, roster.roles_of(user) | {role})


def remove(services: Services, actor: str, user: str) -> None:
    require_manager(services, actor, "endre medlemslisten", who=ROSTER_KEEPERS)
    store = services.store
    with store.transaction():
        if not store.roster().roles_of(user):
            raise UserError("Personen står ikke på medlemslisten.")
        store.set_roles(user, [])
