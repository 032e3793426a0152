"""Møtebot's database: one part per aggregate, over one Database (the lock, the transaction, the version).

    with Store(path) as store:
        meeting = store.meetings.get(Serial(2020, 4))

Every part's method takes the lock; `store.transaction()` makes several changes one atomic commit, and
undoes all of them if anything inside raises.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Self

from storage.atomic_json import DatabaseUnreadable, journal_path
from storage.codec import DECODERS, record_problem
from storage.database import Database
from storage.deadlines import Deadlines, WorkStreams
from storage.meetings import Meetings
from storage.migrations import migrate
from storage.posts import Posts
from storage.roster import Members
from storage.votes import Votes


def _check(db: Database) -> None:
    """A database that is not Møtebot's is refused here, naming the record, rather than answering
    "Beklager" to every read that meets it."""
    storage = db.storage
    for table, docs in storage.read().items():
        for doc_id, doc in docs.items() if table in DECODERS else ():
            problem = record_problem(table, doc) if doc_id.isdecimal() else "har ikke et tall som id"
            if problem:
                line = storage.origins.get((table, doc_id))
                where = f"{journal_path(db.path)} linje {line}" if line else str(db.path)
                raise DatabaseUnreadable(
                    f"{where}: tabellen «{table}», dokument {doc_id} {problem}; "
                    "rett det i filen eller ta i bruk en sikkerhetskopi"
                )


class Store:
    def __init__(self, path: Path) -> None:
        self.database = db = Database(path)
        try:
            _check(db)
            migrate(db)
        except BaseException:
            db.close()
            raise
        self.meetings = Meetings(db)  # with the agenda's history and the numbers handed out
        self.votes = Votes(db)  # with each vote's record
        self.deadlines = Deadlines(db)
        self.work_streams = WorkStreams(db)
        self.posts = Posts(db)  # what the bot has posted on its own
        self.roster = Members(db)
        self.transaction = db.transaction
        self.snapshot = db.snapshot  # the whole state written now, the journal started over
        self.unjournaled_tables = db.unjournaled_tables

    @property
    def path(self) -> Path:
        return self.database.path

    @property
    def version(self) -> int:
        """Changes with every write: the key for caching what is rendered from the store."""
        return self.database.version

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
