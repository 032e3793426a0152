"""TinyDB tables whose writes cost the same however large the table grows.

TinyDB's `Table._update_table` copies the whole table on every write, converting each key from the
JSON's strings to ints and back, so appending to an ever-growing table (ballots, the agenda's
history, notices sent) costs more with every row. Our storage keeps the state in memory, so a
write can change the table where it lies instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table


class _ById(MutableMapping[int, Mapping[str, Any]]):
    """The stored table (string keys, as in the JSON) seen through TinyDB's int document ids."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw

    def __getitem__(self, doc_id: int) -> Mapping[str, Any]:
        return self._raw[str(doc_id)]  # type: ignore[no-any-return]

    def __setitem__(self, doc_id: int, doc: Mapping[str, Any]) -> None:
        self._raw[str(doc_id)] = doc

    def __delitem__(self, doc_id: int) -> None:
        del self._raw[str(doc_id)]

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(doc_id) for doc_id in list(self._raw))

    def __len__(self) -> int:
        return len(self._raw)

    def clear(self) -> None:  # MutableMapping's own pops one key at a time, iterating afresh each time
        self._raw.clear()


class InPlaceTable(Table):
    """TinyDB's Table, writing in place: TinyDB's own updaters (insert, update, upsert, remove) run
    unchanged against the stored table, through the id view above.

    Unlike TinyDB's copy, an updater that fails halfway leaves what it did so far in memory. The
    store writes only inside `Store.transaction()`, which reloads the committed state on any failure.
    """

    def _update_table(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        tables = self._storage.read()
        if tables is None:  # a storage that has never been written
            tables = {}
        updater(_ById(tables.setdefault(self.name, {})))  # type: ignore[arg-type]
        self._storage.write(tables)
        self.clear_cache()


class InPlaceTinyDB(TinyDB):
    table_class = InPlaceTable
