"""APScheduler only wakes the bot; the planner decides what is due, and `run` does it.

One job, "tick", always set to the next moment anything falls due. A tick does everything due
and not yet done (oldest first), then sets the next one. At start-up a tick runs at once, so what
fell due while the bot was down is done late rather than never.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger

from bot.core.planner import Due, due_now, newest_only, next_wake
from bot.usecases.schedule import plan_all
from bot.usecases.services import Installation

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(minutes=1)  # after a failed tick; doubled after each one that fails again
RETRY_AT_MOST = timedelta(minutes=15)


class Ticker:
    def __init__(self, installation: Installation, run: Callable[[Due], None]) -> None:
        self._installation = installation
        self._run = run
        self._lock = threading.Lock()
        self._scheduler: BackgroundScheduler | None = None
        self._listening = False
        self._failed_ticks = 0  # in a row: Slack has been away this long, so ask it less often

    def start(self) -> None:
        """Wake by APScheduler in its own thread; without start(), call tick() yourself (the console)."""
        self._scheduler = BackgroundScheduler(
            timezone=self._installation.clock.tz,
            # A late wake-up (restart, busy machine) must still run, once.
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self._scheduler.start()
        if not self._listening:  # started again after a stop (a leader deposed and elected again): once
            self._listening = True
            self._installation.wakeup.listen(self.poke, plans_only=True)
        self.poke()

    def stop(self) -> None:
        """A tick in flight finishes first: shutdown holds APScheduler's job store lock while it waits for
        running jobs, and a tick ends by adding its next wake (which takes that lock)."""
        with self._lock:
            scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=True)

    def poke(self) -> None:
        """Plans changed: tick now (in the scheduler's thread), which also sets the next wake."""
        if self._scheduler is not None:
            self._scheduler.add_job(self.tick, id="tick-now", replace_existing=True)

    def tick(self) -> list[Due]:
        """Do what is due; returns what was done. Safe to call from any thread."""
        installation = self._installation
        done: list[Due] = []
        failed = False
        with self._lock:
            now = installation.clock.now()
            planned = plan_all(installation)
            send, superseded = newest_only(due_now(planned, installation.store.posts.sent_keys(), now))
            for due in superseded:
                log.info("Hopper over %s: en nyere påminnelse om det samme sendes nå", due.key)
                installation.store.posts.mark_sent(due.key, now)
            for due in send:
                try:
                    self._run(due)
                    done.append(due)
                except Exception:
                    log.exception("Planlagt utsending %s feilet; prøver igjen om litt", due.key)
                    failed = True
            # From the tick's own start: what fell due while it was sending must wake it again at once. With
            # nothing sent, the plan is the one just made (a change meanwhile pokes another tick).
            replanned = plan_all(installation) if send or superseded else planned
            wake = next_wake(replanned, installation.store.posts.sent_keys(), now)
            self._failed_ticks = self._failed_ticks + 1 if failed else 0
            if failed:
                retry = min(RETRY_AFTER * 2 ** min(self._failed_ticks - 1, 10), RETRY_AT_MOST)
                wake = min(filter(None, (wake, now.astimezone(UTC) + retry)), key=lambda at: at.astimezone(UTC))
            if self._scheduler is not None and wake is not None:
                # In UTC: APScheduler sleeps for the run time minus its own now, by the wall clock if both
                # are in one zone, and October's repeated hour would then be slept through as 30 minutes.
                trigger = DateTrigger(run_date=wake.astimezone(UTC), timezone=installation.clock.tz)
                self._scheduler.add_job(self.tick, trigger, id="tick", replace_existing=True)
        return done
