"""APScheduler only wakes the bot; the planner decides what is due, and `run` does it.

One job, "tick", always set to the next moment anything falls due. A tick does everything due
and not yet done (oldest first), then sets the next one. At start-up a tick runs at once, so what
fell due while the bot was down is done late rather than never.

With many workspaces a tick goes through each installed one in turn (`each`), as that workspace: its records,
its token; the next wake is the soonest of theirs. One workspace whose records cannot be read now does not
hold back the others.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger

from bot.core.planner import Due, due_now, newest_only, next_wake
from bot.usecases.schedule import plan_all
from bot.usecases.services import Installation
from handlers.scheduled import PostingElsewhere

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(minutes=1)  # after a failed tick; doubled after each one that fails again
RETRY_AT_MOST = timedelta(minutes=15)


class Ticker:
    def __init__(
        self,
        installation: Installation,
        run: Callable[[Due], None],
        each: Callable[[], Iterable[AbstractContextManager[Installation]]] | None = None,
    ) -> None:
        """`each`: every workspace to tick, each entered as that workspace (handlers.workspaces); by default
        `installation`, the only one."""
        self._installation = installation
        self._run = run
        self._each = each or (lambda: [nullcontext(installation)])
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._scheduler: BackgroundScheduler | None = None
        self._listening = False
        self._failed_ticks = 0  # in a row: Slack has been away this long, so ask it less often

    def start(self) -> None:
        """Wake by APScheduler in its own thread; without start(), call tick() yourself (the console)."""
        self._stopping.clear()
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
        self._stopping.set()  # a tick in flight leaves what it has not begun (another leader does it)
        with self._lock:
            scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=True)

    def poke(self) -> None:
        """Plans changed: tick now (in the scheduler's thread), which also sets the next wake."""
        scheduler = self._scheduler  # once: stop() may set it to None meanwhile
        if scheduler is not None:
            with contextlib.suppress(SchedulerNotRunningError):  # stopping: the next leader plans afresh
                scheduler.add_job(self.tick, id="tick-now", replace_existing=True)

    def tick(self) -> list[Due]:
        """Do what is due; returns what was done. Safe to call from any thread."""
        done: list[Due] = []
        failed = False
        with self._lock:
            now = self._installation.clock.now()
            wakes: list[datetime] = []
            try:
                workspaces = list(self._each())
            except Exception:
                log.exception("Planleggeren fant ikke arbeidsområdene; prøver igjen om litt")
                workspaces, failed = [], True
            for workspace in workspaces:
                try:
                    with workspace as installation:
                        wake, failed_here = self._tick_one(installation, now, done)
                except Exception:
                    log.exception("Planleggeren kunne ikke lese et arbeidsområde; prøver igjen om litt")
                    wake, failed_here = None, True
                failed = failed or failed_here
                if wake is not None:
                    wakes.append(wake)
            wake = min(wakes, key=lambda at: at.astimezone(UTC)) if wakes else None
            self._failed_ticks = self._failed_ticks + 1 if failed else 0
            if failed:
                retry = min(RETRY_AFTER * 2 ** min(self._failed_ticks - 1, 10), RETRY_AT_MOST)
                wake = min(filter(None, (wake, now.astimezone(UTC) + retry)), key=lambda at: at.astimezone(UTC))
            if self._scheduler is not None and wake is not None:
                # In UTC: APScheduler sleeps for the run time minus its own now, by the wall clock if both
                # are in one zone, and October's repeated hour would then be slept through as 30 minutes.
                trigger = DateTrigger(run_date=wake.astimezone(UTC), timezone=self._installation.clock.tz)
                self._scheduler.add_job(self.tick, trigger, id="tick", replace_existing=True)
        return done

    def _tick_one(self, installation: Installation, now: datetime, done: list[Due]) -> tuple[datetime | None, bool]:
        """One workspace's part of a tick: what is due done (added to `done`); its next wake, and whether a
        post failed."""
        failed = False
        planned = plan_all(installation)
        send, superseded = newest_only(due_now(planned, installation.store.posts.sent_keys(), now))
        for due in superseded:
            log.info("Hopper over %s: en nyere påminnelse om det samme sendes nå", due.key)
            installation.store.posts.mark_sent(due.key, now)
        for due in send:
            if self._stopping.is_set():
                break
            try:
                self._run(due)
                done.append(due)
            except PostingElsewhere:
                log.info("%s postes nå av en annen prosess", due.key)
                failed = True  # looked at again within a minute, and found done
            except Exception:
                log.exception("Planlagt utsending %s feilet; prøver igjen om litt", due.key)
                failed = True
        # From the tick's own start: what fell due while it was sending must wake it again at once. With
        # nothing sent, the plan is the one just made (a change meanwhile pokes another tick).
        replanned = plan_all(installation) if send or superseded else planned
        return next_wake(replanned, installation.store.posts.sent_keys(), now), failed
