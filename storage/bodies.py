"""The bodies (organ) of the installation, and who is in which: every other part belongs to one body."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from bot.core.rules import Body
from storage.codec import body_from_doc, body_to_doc
from storage.documents import Document, Documents


class Bodies:
    def __init__(self, db: Documents) -> None:
        self._db = db

    def all(self) -> tuple[Body, ...]:
        """Every body, by number."""
        with self._db.lock:
            table = self._db.table("bodies")
            return self._db.derived(
                "bodies", "all", lambda: tuple(sorted((body_from_doc(d, d.doc_id) for d in table.every()), key=_id))
            )

    def get(self, body_id: int) -> Body | None:
        return next((body for body in self.all() if body.id == body_id), None)

    def in_channel(self, channel: str | None) -> Body | None:
        return next((body for body in self.all() if channel and body.channel == channel), None)

    def named(self, short_name: str) -> Body | None:
        wanted = short_name.casefold()
        return next((body for body in self.all() if body.short_name == wanted), None)

    def with_calendar_token(self, token: str) -> Body | None:
        return next((body for body in self.all() if token and body.calendar_token == token), None)

    def create(self, body: Body) -> Body:
        """Store a new body under the next number (the `id` given is replaced)."""
        with self._db.transaction():
            table = self._db.table("bodies")
            body = replace(body, id=table.add(body_to_doc(body)))
        return body

    def save(self, body: Body) -> None:
        with self._db.transaction():
            self._db.table("bodies").put(body.id, body_to_doc(body))

    def of_member(self, user_id: str) -> frozenset[int]:
        """The bodies `user_id` is on the roster of, in any role."""
        with self._db.lock:
            table = self._db.table("roster")
            by_user = self._db.derived("roster", "bodies by user", lambda: _bodies_by_user(table.every()))
        return by_user.get(user_id, frozenset())


def _id(body: Body) -> int:
    return body.id


def _bodies_by_user(docs: list[Document]) -> Mapping[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for doc in docs:
        found.setdefault(doc["user"], set()).add(doc["organ"])
    return MappingProxyType({user: frozenset(bodies) for user, bodies in found.items()})
