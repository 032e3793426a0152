"""Votes, and the record of each: one document per line, so a ballot writes and journals one line, not
the whole record again (the fiftieth click costs what the first did)."""

from __future__ import annotations

from dataclasses import replace

from bot.core.domain import Vote, VoteEvent, VoteState
from storage.codec import vote_event_from_doc, vote_event_to_doc, vote_from_doc, vote_to_doc
from storage.documents import Documents


def body_of_vote(db: Documents, vote_id: int) -> int | None:
    """The body a vote belongs to (a button carries only the vote's number)."""
    with db.lock:
        doc = db.table("votes").by_id(vote_id)
    return doc.get("organ") if doc is not None else None


class Votes:
    """One body's votes; vote numbers run across bodies, so a vote's number alone finds it."""

    def __init__(self, db: Documents, body: int) -> None:
        self._db = db
        self._body = body

    def _doc(self, vote: Vote) -> dict[str, object]:
        return {**vote_to_doc(vote), "organ": self._body}

    def create(self, vote: Vote, opened: VoteEvent) -> Vote:
        """Store a new vote under the next vote number (the `id` given is replaced), with the first line
        of its record; votes are never deleted."""
        with self._db.transaction():
            table = self._db.table("votes")
            vote = replace(vote, id=table.add(self._doc(vote)))
            table.put(vote.id, self._doc(vote))
            self._add_event(vote.id, opened)
        return vote

    def save(self, vote: Vote, event: VoteEvent | None = None) -> None:
        """The vote as it is now, and the line its change adds to the record."""
        with self._db.transaction():
            self._db.table("votes").put(vote.id, self._doc(vote))
            if event is not None:
                self._add_event(vote.id, event)

    def _add_event(self, vote_id: int, event: VoteEvent) -> None:
        self._db.table("vote_events").add(vote_event_to_doc(vote_id, event))

    def get(self, vote_id: int) -> Vote | None:
        """Decoded afresh: a vote's ballots are a dict, so a shared one could be changed under the cache."""
        with self._db.lock:
            doc = self._db.table("votes").by_id(vote_id)
        return vote_from_doc(doc) if doc is not None and doc.get("organ") == self._body else None

    def all(self, *, open_only: bool = False) -> tuple[Vote, ...]:
        """Decoded afresh, as `get`."""
        with self._db.lock:
            docs = self._db.of_body("votes", self._body)
        return tuple(vote_from_doc(doc) for doc in docs if not open_only or doc["state"] == VoteState.OPEN.value)

    def events(self, vote_id: int) -> tuple[VoteEvent, ...]:
        """A vote's record, oldest first."""
        with self._db.lock:
            docs = self._db.table("vote_events").matching({"vote": vote_id})
        return tuple(map(vote_event_from_doc, docs))
