"""What each person has chosen for themselves, across bodies: the målform they read their own answers in."""

from __future__ import annotations

from tinydb import Query

from storage.database import Database


class Preferences:
    def __init__(self, db: Database) -> None:
        self._db = db

    def language(self, user: str) -> str | None:
        with self._db.lock:
            found = self._db.table("preferences").get(Query().user == user)
        return str(found["language"]) if found and found.get("language") else None

    def set_language(self, user: str, language: str | None) -> None:
        """`None`: no choice of one's own; the body's målform again."""
        with self._db.transaction():
            table = self._db.table("preferences")
            table.remove(Query().user == user)
            if language:
                table.insert({"user": user, "language": language})
