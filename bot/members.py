"""Changing the roster: who is in the group and in what role."""

from __future__ import annotations

from bot.domain import Role
from bot.errors import NotAllowed, UserError
from bot.services import Services


def _require_manager(services: Services, actor: str) -> None:
    if not services.store.roster(services.settings.motebot_admins).can_manage(actor):
        raise NotAllowed("Bare administratorene, lederen og sekretariatet kan endre medlemslisten.")


def add(services: Services, actor: str, users: list[str], role: Role) -> None:
    _require_manager(services, actor)
    if not users:
        raise UserError("Nevn hvem som skal legges til, for eksempel `/medlemmer leggtil @Kari medlem`.")
    store = services.store
    with store.transaction():
        roster = store.roster()
        for user in users:
            store.set_roles(user, roster.roles_of(user) | {role})


def remove(services: Services, actor: str, user: str) -> None:
    _require_manager(services, actor)
    store = services.store
    with store.transaction():
        if not store.roster().roles_of(user):
            raise UserError("Personen står ikke på medlemslisten.")
        store.set_roles(user, [])
