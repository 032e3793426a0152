"""What the bot has posted on its own (reminders, notices), by key: claimed (pending) before the post, sent
after it. A claim names the process that made it, so that of several processes on one database only one
posts, and a claim whose process died is taken over (and the channel looked in first)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime, timedelta

from storage.documents import Document, Documents
from storage.protocol import Claim, Claimed

CLAIM_HELD_AT_MOST = timedelta(minutes=10)  # a live process's claim older than this is taken over (a stuck post)


class Posts:
    def __init__(self, db: Documents) -> None:
        self._db = db
        self._posting: set[str] = set()  # claimed by a thread of this process and not yet sent or released
        self._posting_lock = threading.Lock()

    def _found(self, key: str) -> Document | None:
        return self._db.unique("sent", "key", key)

    def claim(self, key: str, at: datetime) -> Claim:
        """Begin a post, or say why not, in one transaction: of several processes (or threads) asking at once
        one gets FREE (or STALE), the others TAKEN. A claim taken over keeps the time of the first try, so
        the look in the channel starts from there."""
        with self._posting_lock:
            if key in self._posting:
                return Claim(Claimed.TAKEN)
            self._posting.add(key)
        try:
            with self._db.transaction():
                found = self._found(key)
                if found is not None and found.get("state", "sent") == "sent":
                    self._done_posting(key)
                    return Claim(Claimed.DONE)
                if found is None:
                    self._write(found, {"key": key, "at": at.isoformat(), "state": "pending", "owner": self._db.owner})
                    return Claim(Claimed.FREE)
                since, owner = datetime.fromisoformat(found["at"]), found.get("owner")
                held = owner and owner != self._db.owner and self._db.alive(owner)
                if held and at - since < CLAIM_HELD_AT_MOST:
                    self._done_posting(key)
                    return Claim(Claimed.TAKEN, since)
                self._write(found, {**found, "owner": self._db.owner})
                return Claim(Claimed.STALE, since)
        except BaseException:
            self._done_posting(key)
            raise

    def release(self, key: str) -> None:
        """A try that failed: the claim stays (the post may have reached Slack), owned by no one, so the next
        try, in any process, looks in the channel first."""
        try:
            with self._db.transaction():
                found = self._found(key)
                if found is not None and found.get("state") == "pending":
                    self._write(found, {**found, "owner": None})
        finally:
            self._done_posting(key)

    def _done_posting(self, key: str) -> None:
        with self._posting_lock:
            self._posting.discard(key)

    def sent_keys(self) -> frozenset[str]:
        """Every key sent: the planner asks twice a tick (TinyDB keeps it until a post is marked)."""
        with self._db.lock:
            return self._db.derived(
                "sent",
                "keys",
                lambda: frozenset(d["key"] for d in self._db.table("sent").every() if d.get("state", "sent") == "sent"),
            )

    def was_sent(self, key: str) -> bool:
        found = self._found(key)
        return found is not None and found.get("state", "sent") == "sent"

    def mark_sent(self, key: str, at: datetime) -> None:
        try:
            with self._db.transaction():
                doc = {"key": key, "at": at.isoformat(), "state": "sent", "owner": self._db.owner}
                self._write(self._found(key), doc)
        finally:
            self._done_posting(key)

    def _write(self, found: Document | None, doc: Mapping[str, object]) -> None:
        """Over the key's record as found in this transaction, by its document id (a query-based write would
        journal every post it looked at), or as a new one."""
        table = self._db.table("sent")
        if found is None:
            table.add(doc)
        else:
            table.put(found.doc_id, doc)
