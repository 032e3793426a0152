"""Persistence: the only package that knows TinyDB."""

from storage.atomic_json import DatabaseUnreadable
from storage.process_lock import DatabaseBusy
from storage.store import BodyRecords, Store

__all__ = ["BodyRecords", "DatabaseBusy", "DatabaseUnreadable", "Store"]
