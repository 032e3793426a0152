"""What each person has chosen for themselves, across bodies: the målform they read their own answers in."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from storage.documents import Documents

BODYS = "organ"  # chosen: the body's målform, whatever Slack's language is


class Preferences:
    def __init__(self, db: Documents) -> None:
        self._db = db

    def language(self, user: str) -> str | None:
        """ "nb", "nn", BODYS (the body's, chosen), or None: no choice made."""
        with self._db.lock:
            return self._chosen().get(user)

    def set_language(self, user: str, language: str | None) -> None:
        """`None`: the body's målform again, whatever Slack's language says."""
        with self._db.transaction():
            table = self._db.table("preferences")
            table.delete(doc.doc_id for doc in table.matching({"user": user}))
            table.add({"user": user, "language": language or BODYS})

    def _chosen(self) -> Mapping[str, str]:
        """Everyone's, read once until the table is written: asked at the start of every request."""
        table = self._db.table("preferences")
        return self._db.derived(
            "preferences",
            "by user",
            lambda: MappingProxyType(
                {str(doc["user"]): str(doc["language"]) for doc in table.every() if doc.get("language")}
            ),
        )
