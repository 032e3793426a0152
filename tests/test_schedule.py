"""The ticker plans only what is still to come: the same posts, and the same next wake, as planning every
meeting and deadline a body ever had."""

from __future__ import annotations

from datetime import date, time, timedelta

from bot.core.domain import Deadline, Meeting, Serial
from bot.core.planner import due_now, next_wake, plan_deadlines, plan_meetings
from bot.usecases.schedule import plan_body
from tests.support import RunningBot


def test_planning_what_is_ahead_sends_what_planning_everything_would(empty_bot: RunningBot) -> None:
    bot = empty_bot
    store, rules = bot.store, bot.services.rules
    first = date(2020, 5, 1)
    meetings = [
        Meeting(Serial(2020, n), f"Møte {n}", first + timedelta(days=3 * n), start=time(9) if n % 2 else None)
        for n in range(1, 40)
    ]
    store.meetings.save(meetings)
    for n in range(1, 30):
        store.deadlines.add(
            Deadline(0, f"Frist {n}", first + timedelta(days=4 * n), due_time=time(12) if n % 3 else None)
        )
    body = bot.services.body.id
    for _ in range(0, 24 * 80, 7):  # 24 June to mid September, every seven hours
        now = bot.clock.advance(timedelta(hours=7))
        planned = plan_body(bot.services)
        everything = plan_deadlines(store.deadlines.all(), list(rules.deadline_pings), rules.tz, body)
        everything += plan_meetings(store.meetings.all(), list(rules.meeting_notices), rules.tz, body)
        assert len(planned) < len(everything)  # the meetings and deadlines behind it are left out
        sent: set[str] = set()
        assert due_now(planned, sent, now) == due_now(everything, sent, now)
        assert next_wake(planned, sent, now) == next_wake(everything, sent, now)
