"""How one group runs its meetings: who administers it, where it posts, which cases every meeting gets,
and when it is reminded. Built from the settings at start-up; issue 15 makes one per channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class StandingItem:
    """A case every meeting made in Slack starts (or ends, `last`) with."""

    title: str
    type: str | None = None
    proposal: str | None = None
    last: bool = False


@dataclass(frozen=True)
class GroupRules:
    tz: ZoneInfo
    channel: str | None = None  # where notices, reminders and votes go; none: nothing is posted on its own
    admins: frozenset[str] = frozenset()
    standing_items: tuple[StandingItem, ...] = ()
    vote_reminder: timedelta = timedelta(days=1)
    deadline_pings: tuple[timedelta, ...] = ()
    meeting_notices: tuple[timedelta, ...] = ()
