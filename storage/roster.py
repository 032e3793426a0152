"""The group's members and their roles, by Slack user ID."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from types import MappingProxyType

from bot.core.domain import Role, Roster
from storage.codec import roles_from_doc
from storage.documents import Documents


class Members:
    """One body's roster."""

    def __init__(self, db: Documents, body: int) -> None:
        self._db = db
        self._body = body

    def get(self, admins: Iterable[str] = ()) -> Roster:
        """The roster, with `admins` (from the settings) added; its parts are shared, and read-only."""
        with self._db.lock:
            roster = self._roster()
        return replace(roster, admins=frozenset(admins)) if admins else roster

    def _roster(self) -> Roster:
        def build() -> Roster:
            docs = sorted(self._db.of_body("roster", self._body), key=lambda doc: doc.doc_id)  # the order added
            return Roster(
                roles=MappingProxyType(dict(map(roles_from_doc, docs))),
                substitute_for=MappingProxyType({d["user"]: d["vara_for"] for d in docs if d.get("vara_for")}),
                groups=MappingProxyType({d["user"]: d["group"] for d in docs if d.get("group")}),
            )

        return self._db.derived("roster", ("roster", self._body), build)

    def set_roles(
        self, user_id: str, roles: Iterable[Role], *, substitute_for: str | None = None, group: str | None = None
    ) -> None:
        """Replace a member's roles (a vara's: whose personal vara, which group); no roles removes the member.
        A member keeps their place in the order (the order varas are asked in) when only the roles change."""
        wanted = sorted(role.value for role in roles)
        with self._db.transaction():
            table = self._db.table("roster")
            found = table.matching({"user": user_id, "organ": self._body})
            doc = {"user": user_id, "roles": wanted, "organ": self._body}
            if substitute_for or group:
                doc |= {"vara_for": substitute_for, "group": group}
            elif found:
                doc |= {key: found[0][key] for key in ("vara_for", "group") if found[0].get(key)}
            if wanted and found:
                table.put(found[0].doc_id, doc)
                table.delete(d.doc_id for d in found[1:])
            else:
                table.delete(d.doc_id for d in found)
                if wanted:
                    table.add(doc)
