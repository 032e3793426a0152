"""Time comes from here and nowhere else, so tests and the console can set it."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    tz: ZoneInfo

    def now(self) -> datetime:
        """An aware datetime in the group's time zone."""
        ...


class SystemClock:
    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(self.tz)


class ManualClock:
    """A clock that stands still until told to move: the console's `--now` and the tests."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None or not isinstance(start.tzinfo, ZoneInfo):
            raise ValueError("ManualClock needs an aware datetime with a ZoneInfo zone")
        self.tz = start.tzinfo
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward in elapsed time, then read the wall clock in the zone (correct across DST)."""
        with self._lock:
            self._now = (self._now.astimezone(ZoneInfo("UTC")) + delta).astimezone(self.tz)
            return self._now
