"""TinyDB tables that write in place and say which documents each write touched.

TinyDB's `Table._update_table` copies the whole table on every write, converting each key from the
JSON's strings to ints and back, so appending to an ever-growing table (ballots, the agenda's
history, notices sent) costs more with every row. Our storage keeps the state in memory, so a
write can change the table where it lies instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import Any, cast

from tinydb import Query, TinyDB
from tinydb.table import Table

from storage.documents import Document
from storage.tinydb_engine.atomic_json import AtomicJSONStorage


class _ById(MutableMapping[int, Mapping[str, Any]]):
    """The stored table (string keys, as in the JSON) seen through TinyDB's int document ids, noting
    every id an updater sets, deletes or is handed (TinyDB's `update` changes the document it gets)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw
        self.written: dict[int, None] = {}  # in order, once each

    def __getitem__(self, doc_id: int) -> Mapping[str, Any]:
        doc: Mapping[str, Any] = self._raw[str(doc_id)]
        self.written[doc_id] = None
        return doc

    def __setitem__(self, doc_id: int, doc: Mapping[str, Any]) -> None:
        self._raw[str(doc_id)] = doc
        self.written[doc_id] = None

    def __delitem__(self, doc_id: int) -> None:
        del self._raw[str(doc_id)]
        self.written[doc_id] = None

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(doc_id) for doc_id in list(self._raw))

    def __len__(self) -> int:
        return len(self._raw)

    def clear(self) -> None:  # MutableMapping's own pops one key at a time, iterating afresh each time
        self.written.update(dict.fromkeys(map(int, self._raw)))
        self._raw.clear()


class InPlaceTable(Table):
    document_class = Document  # type: ignore[assignment]  # a dict with its doc_id, as TinyDB's; what the repositories read (storage.documents), made by TinyDB itself

    # storage.documents.Table, in TinyDB's words

    def by_id(self, doc_id: int) -> Document | None:
        return cast(Document | None, self.get(doc_id=doc_id))

    def every(self) -> list[Document]:
        return cast(list[Document], self.all())

    def matching(self, fields: Mapping[str, object]) -> list[Document]:
        return cast(list[Document], self.search(Query().fragment(fields)))

    def first(self, fields: Mapping[str, object]) -> Document | None:
        return cast(Document | None, self.get(Query().fragment(fields)))

    def add(self, doc: Mapping[str, Any]) -> int:
        return self.insert(doc)

    def put(self, doc_id: int, doc: Mapping[str, Any]) -> None:
        self.upsert(Document(doc, doc_id))

    def patch(self, doc_ids: Iterable[int], fields: Mapping[str, Any]) -> None:
        self.update(fields, doc_ids=list(doc_ids))

    def delete(self, doc_ids: Iterable[int]) -> None:
        if ids := list(doc_ids):
            self.remove(doc_ids=ids)

    def _update_table(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        """Every write to a table comes through here, and only here are writes observed.

        This overrides a private method of TinyDB because no public one fits: TinyDB's storages are
        handed the whole database on each write, and its tables copy the whole table to change one
        document, so neither says which documents changed without a cost that grows with the table.
        TinyDB's own updaters (insert, update, upsert, remove, truncate) run unchanged against the
        stored table through the id view; the documents they touch are told to the storage, which
        journals them and tells the store's caches. A document handed to an updater counts as
        written: query-based writes (`update(fields, cond)`) journal every document they look at,
        so the store writes by document id.

        Unlike TinyDB's copy, an updater that fails halfway leaves what it did so far in memory. The
        store writes only inside `Database.transaction()`, which reloads the committed state on any failure.
        """
        tables = self._storage.read()
        if tables is None:  # a storage that has never been written
            tables = {}
        view = _ById(tables.setdefault(self.name, {}))
        try:
            updater(view)  # type: ignore[arg-type]  # TinyDB's hint says dict; it uses only MutableMapping's methods
        finally:
            if isinstance(self._storage, AtomicJSONStorage):
                self._storage.touch(self.name, view.written)
        self._storage.write(tables)
        self.clear_cache()


class InPlaceTinyDB(TinyDB):
    table_class = InPlaceTable
