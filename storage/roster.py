"""The group's members and their roles, by Slack user ID."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from tinydb import Query

from bot.core.domain import Role, Roster
from storage.codec import roles_from_doc
from storage.database import Database


class Members:
    """One body's roster."""

    def __init__(self, db: Database, body: int) -> None:
        self._db = db
        self._body = body

    def get(self, admins: Iterable[str] = ()) -> Roster:
        """The roster, with `admins` (from the settings) added; its roles are shared, and read-only."""
        with self._db.lock:
            roles = self._roles()
        return Roster(roles=roles, admins=frozenset(admins))

    def _roles(self) -> Mapping[str, frozenset[Role]]:
        return self._db.derived(
            "roster",
            ("roles", self._body),
            lambda: MappingProxyType(dict(map(roles_from_doc, self._db.of_body("roster", self._body)))),
        )

    def set_roles(self, user_id: str, roles: Iterable[Role]) -> None:
        """Replace a member's roles; no roles removes the member."""
        wanted = sorted(role.value for role in roles)
        with self._db.transaction():
            table = self._db.table("roster")
            mine = (Query().user == user_id) & (Query().organ == self._body)
            table.remove(doc_ids=[doc.doc_id for doc in table.search(mine)])
            if wanted:
                table.insert({"user": user_id, "roles": wanted, "organ": self._body})
