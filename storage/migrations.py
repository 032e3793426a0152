"""What runs once as a database opens, after every record is checked: older layouts brought up to date.

Each step is one transaction: a crash in the middle leaves the database as it was, and the step runs
again at the next start."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from tinydb.table import Document

from bot.core.planner import meeting_post_key
from bot.core.rules import Body, short_name_for
from storage.codec import body_to_doc
from storage.database import Database
from storage.deadlines import STREAM_SPAN, stream_id
from storage.meetings import BODY_SPAN, counter_id

FIRST_BODY = 1
_OWNED_BY_FIELD = ("votes", "deadlines", "roster", "agenda_history")  # each document says its body ("organ")


def migrate(db: Database) -> None:
    """Each step finds nothing to do in a database it has already brought up to date."""
    move_vote_records(db)
    make_one_body(db)


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


def make_one_body(db: Database) -> None:
    """Databases written for one group, before there were bodies: everything becomes body 1's, unbound
    until start-up binds it to MOTEBOT_CHANNEL (or `/motebot opprett` to a channel). The sent-post records
    of its meetings are renamed with it, so no notice goes out twice. Only records from before are moved."""
    spans = {"meetings": BODY_SPAN, "counters": 10_000, "status": STREAM_SPAN}
    with db.lock:
        unowned = {name: [d.doc_id for d in db.table(name).all() if "organ" not in d] for name in _OWNED_BY_FIELD}
        unnumbered = {name: [d.doc_id for d in db.table(name).all() if d.doc_id < span] for name, span in spans.items()}
        old_keys = [(d.doc_id, d["key"]) for d in db.table("sent").all() if d["key"].startswith("meeting:")]
        meetings = sorted(db.table("meetings").all(), key=lambda doc: (doc.get("day", ""), doc.doc_id))
        has_first = db.table("bodies").contains(doc_id=FIRST_BODY)
    if not any(unowned.values()) and not any(unnumbered.values()) and not old_keys:
        return
    name = next((doc["body"] for doc in reversed(meetings) if doc.get("body")), None) or "Styringsgruppen"
    body = Body(  # readable by all in the workspace, as every group was before there were bodies
        FIRST_BODY, name, short_name_for(name), calendar_token=secrets.token_urlsafe(24), public_channel=True,
        readable=True,
    )  # fmt: skip
    with db.transaction():
        if not has_first:
            db.table("bodies").insert(Document(body_to_doc(body), doc_id=FIRST_BODY))
        for table_name, doc_ids in unowned.items():
            db.table(table_name).update({"organ": FIRST_BODY}, doc_ids=doc_ids)
        _renumber(db, "meetings", unnumbered["meetings"], lambda doc_id: FIRST_BODY * BODY_SPAN + doc_id)
        _renumber(db, "counters", unnumbered["counters"], lambda year: counter_id(FIRST_BODY, year))
        _renumber(db, "status", unnumbered["status"], lambda number: stream_id(FIRST_BODY, number))
        sent = db.table("sent")
        for doc_id, key in old_keys:
            sent.update({"key": meeting_post_key(FIRST_BODY, key.removeprefix("meeting:"))}, doc_ids=[doc_id])


def _renumber(db: Database, table_name: str, doc_ids: list[int], new_id: Callable[[int], int]) -> None:
    """Move documents to new ids (TinyDB has no rename: remove, then insert under the new id)."""
    if not doc_ids:
        return
    table = db.table(table_name)
    moving = set(doc_ids)  # once: built inside the filter, it was built again for every document
    docs = [doc for doc in table.all() if doc.doc_id in moving]
    table.remove(doc_ids=doc_ids)
    for doc in docs:
        table.insert(Document(dict(doc), doc_id=new_id(doc.doc_id)))
