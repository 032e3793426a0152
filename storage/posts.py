"""What the bot has posted on its own (reminders, notices), by key: claimed (pending) before the post, sent
after it. A claim names the process that made it, so that of several processes on one database only one
posts, and a claim whose process died is taken over (and the channel looked in first)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType

from storage.documents import Documents
from storage.protocol import Claim, Claimed

CLAIM_HELD_AT_MOST = timedelta(minutes=10)  # a live process's claim older than this is taken over (a stuck post)


class Posts:
    def __init__(self, db: Documents) -> None:
        self._db = db

    def _by_key(self) -> Mapping[str, tuple[int, str, str, str | None]]:
        """Each key's document id, time, state and claimant, shared until a post is marked: hold the lock."""
        table = self._db.table("sent")
        return self._db.derived(
            "sent",
            "by key",
            lambda: MappingProxyType(
                {d["key"]: (d.doc_id, d["at"], d.get("state", "sent"), d.get("owner")) for d in table.every()}
            ),
        )

    def claim(self, key: str, at: datetime) -> Claim:
        """Begin a post, or say why not, in one transaction: of several processes asking at once one gets
        FREE (or STALE), the others TAKEN; this process's own earlier claim counts as STALE (a failed try)."""
        with self._db.transaction():
            found = self._by_key().get(key)
            if found is not None and found[2] == "sent":
                return Claim(Claimed.DONE)
            if found is not None:
                since, owner = datetime.fromisoformat(found[1]), found[3]
                held = owner and owner != self._db.owner and self._db.alive(owner)
                if held and at - since < CLAIM_HELD_AT_MOST:
                    return Claim(Claimed.TAKEN, since)
            self._mark(key, at, "pending")
            return Claim(Claimed.FREE) if found is None else Claim(Claimed.STALE, since)

    def sent_keys(self) -> frozenset[str]:
        with self._db.lock:
            return self._db.derived(
                "sent",
                "keys",
                lambda: frozenset(key for key, (_, _, state, _) in self._by_key().items() if state == "sent"),
            )

    def was_sent(self, key: str) -> bool:
        return key in self.sent_keys()

    def mark_sent(self, key: str, at: datetime) -> None:
        self._mark(key, at, "sent")

    def _mark(self, key: str, at: datetime, state: str) -> None:
        """By document id, not by a query on the key: a query-based write would journal every post it looked at."""
        doc = {"key": key, "at": at.isoformat(), "state": state, "owner": self._db.owner}
        with self._db.transaction():
            table = self._db.table("sent")
            found = self._by_key().get(key)
            if found is None:
                table.add(doc)
            else:
                table.put(found[0], doc)
