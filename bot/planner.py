"""Which scheduled message is due when: pure functions over the state and a moment in time.

APScheduler only wakes the bot at `next_wake`; what to do then is decided here, from what is
stored, so a restart re-plans from the same facts and nothing sent is sent again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import Vote
from bot.settings import Settings
from bot.voting import reminder_time
from storage import Store

LATE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True, order=True)
class Due:
    at: datetime
    key: str  # what is recorded as done; unique per message
    kind: str
    subject: int | str
    expires: datetime | None = None  # past this, sending it is pointless (the event it announces is over)

    def is_late(self, now: datetime) -> bool:
        return now - self.at > LATE_AFTER


def plan_votes(votes: Iterable[Vote], remind_before: timedelta) -> list[Due]:
    planned: list[Due] = []
    for vote in votes:
        if not vote.is_open:
            continue
        planned.append(
            Due(
                reminder_time(vote, remind_before), f"vote:{vote.id}:reminder", "vote-reminder", vote.id, vote.closes_at
            )
        )
        planned.append(Due(vote.closes_at, f"vote:{vote.id}:close", "vote-close", vote.id))
    return planned


def due_now(planned: Iterable[Due], done: set[str], now: datetime) -> list[Due]:
    """What should happen now, oldest first: due, not done, and not expired."""
    return sorted(
        due for due in planned if due.key not in done and due.at <= now and (due.expires is None or now < due.expires)
    )


def next_wake(planned: Iterable[Due], done: set[str], now: datetime) -> datetime | None:
    upcoming = [due.at for due in planned if due.key not in done and due.at > now]
    return min(upcoming, default=None)


def plan_all(store: Store, settings: Settings) -> list[Due]:
    """Everything the bot will post on its own, from what is stored."""
    return plan_votes(store.votes(open_only=True), settings.vote_reminder)
