"""What runs once as a database opens, after every record is checked: older layouts brought up to date.

Each step is one transaction: a crash in the middle leaves the database as it was, and the step runs
again at the next start."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from bot.core.planner import meeting_post_key
from bot.core.rules import Body
from storage.codec import body_to_doc
from storage.documents import Document
from storage.errors import DatabaseUnreadable
from storage.ids import BODY_SPAN, COUNTER_SPAN, STREAM_SPAN, counter_id, stream_id
from storage.tinydb_engine.database import Database

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


# Where body 1's documents keyed by id go: meeting 4/20 from 2020004 to 12020004, and so on.
_NEW_IDS: dict[str, Callable[[int], int]] = {
    "meetings": lambda doc_id: FIRST_BODY * BODY_SPAN + doc_id,
    "counters": lambda year: counter_id(FIRST_BODY, year),
    "status": lambda number: stream_id(FIRST_BODY, number),
}


def make_one_body(db: Database) -> None:
    """Databases written for one group, before there were bodies: everything becomes body 1's, unbound
    until start-up binds it to MOTEBOT_CHANNEL (or `/motebot opprett` to a channel). The sent-post records
    of its meetings are renamed with it, so no notice goes out twice. Only records from before are moved."""
    spans = {"meetings": BODY_SPAN, "counters": COUNTER_SPAN, "status": STREAM_SPAN}
    with db.lock:
        unowned = {name: [d.doc_id for d in db.table(name).all() if "organ" not in d] for name in _OWNED_BY_FIELD}
        unnumbered = {name: [d.doc_id for d in db.table(name).all() if d.doc_id < span] for name, span in spans.items()}
        old_keys = [(d.doc_id, d["key"]) for d in db.table("sent").all() if d["key"].startswith("meeting:")]
        bodies = [doc.doc_id for doc in db.table("bodies").all()]
        taken = {name: {doc.doc_id for doc in db.table(name).all()} for name in spans}
    if not any(unowned.values()) and not any(unnumbered.values()) and not old_keys:
        return
    _refuse_mixed(db, bodies, {**unowned, **unnumbered}, taken)
    # Unnamed: the notice's heading may name another body (its plan's), so start-up names it from
    # MOTEBOT_BODY_NAME (bot.usecases.motebot.name_unnamed). Readable by all, as every group was before.
    body = Body(FIRST_BODY, "", "", calendar_token=secrets.token_urlsafe(24), public_channel=True, readable=True)
    with db.transaction():
        if not bodies:
            db.table("bodies").insert(Document(body_to_doc(body), doc_id=FIRST_BODY))
        for table_name, doc_ids in unowned.items():
            db.table(table_name).update({"organ": FIRST_BODY}, doc_ids=doc_ids)
        for name, doc_ids in unnumbered.items():
            _renumber(db, name, doc_ids, _NEW_IDS[name])
        sent = db.table("sent")
        for doc_id, key in old_keys:
            sent.update({"key": meeting_post_key(FIRST_BODY, key.removeprefix("meeting:"))}, doc_ids=[doc_id])


def _refuse_mixed(db: Database, bodies: list[int], old: dict[str, list[int]], taken: dict[str, set[int]]) -> None:
    """Records from before bodies in a database that has them already: an older Møtebot ran on it after the
    upgrade (a rolled-back deploy). Which body they are is not known, and they may clash with records that
    moved: refused, naming one, rather than guessed. `old`: each table's documents from before."""
    for name, doc_ids in old.items():
        mixed = bool(doc_ids) and bool(bodies) and bodies != [FIRST_BODY]
        new_id = _NEW_IDS.get(name)
        clash = next((doc_id for doc_id in doc_ids if new_id and new_id(doc_id) in taken[name]), None)
        if clash is not None or mixed:
            raise DatabaseUnreadable(
                f"{db.path}: tabellen «{name}», dokument {clash or doc_ids[0]} er skrevet av en Møtebot fra før det "
                "fantes organ, etter at databasen ble oppgradert; ta i bruk sikkerhetskopien fra før nedgraderingen"
            )


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
