"""What the bot has posted on its own (reminders, notices), by key: pending before the post, sent after it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType

from storage.documents import Documents


class Posts:
    def __init__(self, db: Documents) -> None:
        self._db = db

    def _by_key(self) -> Mapping[str, tuple[int, str, str]]:
        """Each key's document id, time and state, shared until a post is marked: hold the lock."""
        table = self._db.table("sent")
        return self._db.derived(
            "sent",
            "by key",
            lambda: MappingProxyType({d["key"]: (d.doc_id, d["at"], d.get("state", "sent")) for d in table.every()}),
        )

    def sent_keys(self) -> frozenset[str]:
        with self._db.lock:
            return self._db.derived(
                "sent",
                "keys",
                lambda: frozenset(key for key, (_, _, state) in self._by_key().items() if state == "sent"),
            )

    def was_sent(self, key: str) -> bool:
        return key in self.sent_keys()

    def pending_since(self, key: str) -> datetime | None:
        """When a post was begun but not known to have reached Slack (a crash in between)."""
        with self._db.lock:
            found = self._by_key().get(key)
        return datetime.fromisoformat(found[1]) if found is not None and found[2] == "pending" else None

    def mark_pending(self, key: str, at: datetime) -> None:
        self._mark(key, at, "pending")

    def mark_sent(self, key: str, at: datetime) -> None:
        self._mark(key, at, "sent")

    def _mark(self, key: str, at: datetime, state: str) -> None:
        """By document id, not by a query on the key: a query-based write would journal every post it looked at."""
        doc = {"key": key, "at": at.isoformat(), "state": state}
        with self._db.transaction():
            table = self._db.table("sent")
            found = self._by_key().get(key)
            if found is None:
                table.add(doc)
            else:
                table.put(found[0], doc)
