"""What runs once as a database opens, after every record is checked: older layouts brought up to date."""

from __future__ import annotations

from storage.database import Database


def migrate(db: Database) -> None:
    """Each step finds nothing to do in a database it has already brought up to date."""
    move_vote_records(db)


def move_vote_records(db: Database) -> None:
    """Databases written before the record had a table of its own kept it inside each vote: move it."""
    with db.lock:
        older = [doc for doc in db.table("votes").all() if "events" in doc]
    if not older:
        return
    with db.transaction():
        events, votes = db.table("vote_events"), db.table("votes")
        for doc in older:
            events.insert_multiple({"vote": doc.doc_id, **event} for event in doc["events"])
            votes.update(lambda stored: stored.pop("events"), doc_ids=[doc.doc_id])
