"""Persistence: the only package that knows TinyDB."""

from storage.atomic_json import DatabaseUnreadable
from storage.process_lock import DatabaseBusy
from storage.store import Store

__all__ = ["DatabaseBusy", "DatabaseUnreadable", "Store"]
