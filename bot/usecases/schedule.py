"""What the bot will post on its own, read from the store; the pure planner decides when."""

from __future__ import annotations

from bot.core.planner import Due, plan_deadlines, plan_meetings, plan_votes
from bot.usecases.services import Services


def plan_all(services: Services) -> list[Due]:
    """Everything the bot will post on its own, from what is stored."""
    store, rules = services.store, services.rules
    planned = plan_votes(store.votes.all(open_only=True), rules.vote_reminder)
    if rules.channel:  # without a channel there is nowhere to post (said at start-up)
        planned += plan_deadlines(store.deadlines.all(), list(rules.deadline_pings), rules.tz)
        planned += plan_meetings(store.meetings.all(), list(rules.meeting_notices), rules.tz)
    return planned
