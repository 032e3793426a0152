"""The only code that knows TinyDB. One lock for Bolt's worker threads and the scheduler's thread."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tinydb import TinyDB
from tinydb.table import Document

from bot.domain import Meeting, Serial
from storage.atomic_json import AtomicJSONStorage
from storage.codec import meeting_from_doc, meeting_to_doc
from storage.process_lock import ProcessLock


def _meeting_id(number: Serial) -> int:
    """Meeting 4/20 is document 2020004: a direct key, so reading one meeting costs the same at any size."""
    return number.year * 1000 + number.seq


class Store:
    """Meetings (and later votes, deadlines, notices sent) in one TinyDB file.

    Every public method takes the lock; `transaction()` makes several changes one atomic commit,
    and undoes all of them if anything inside raises.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._process_lock = ProcessLock(self.path)
        self._lock = threading.RLock()
        self._depth = 0
        try:
            self._db = self._open()
        except BaseException:
            self._process_lock.release()
            raise

    def _open(self) -> TinyDB:
        return TinyDB(self.path, storage=AtomicJSONStorage)

    @property
    def _storage(self) -> AtomicJSONStorage:
        storage = self._db.storage
        assert isinstance(storage, AtomicJSONStorage)
        return storage

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._process_lock.release()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            self._depth += 1
            storage = self._storage
            storage.batching = True
            try:
                yield
                if self._depth == 1 and storage.dirty:
                    storage.commit()
            except BaseException:
                if self._depth == 1:
                    # Back to what the file holds: the last committed state.
                    self._db = self._open()
                raise
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._storage.batching = False

    # Meetings

    def save_meetings(self, meetings: Iterable[Meeting]) -> None:
        """Insert or replace by meeting number, all in one commit."""
        with self.transaction():
            table = self._db.table("meetings")
            for meeting in meetings:
                table.upsert(Document(meeting_to_doc(meeting), doc_id=_meeting_id(meeting.number)))

    def meeting(self, number: Serial) -> Meeting | None:
        with self._lock:
            doc = self._db.table("meetings").get(doc_id=_meeting_id(number))
        return meeting_from_doc(doc) if isinstance(doc, dict) else None

    def meetings(self) -> list[Meeting]:
        with self._lock:
            docs = self._db.table("meetings").all()
        return [meeting_from_doc(doc) for doc in docs]
