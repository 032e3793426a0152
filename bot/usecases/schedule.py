"""What the bot will post on its own, read from the store; the pure planner decides when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.domain import Deadline, Meeting, Serial
from bot.core.planner import (
    PASSED_WITHIN,
    Due,
    plan_deadlines,
    plan_forfall,
    plan_meetings,
    plan_minutes,
    plan_sessions,
    plan_votes,
)
from bot.usecases.services import Installation, Services


def plan_all(installation: Installation) -> list[Due]:
    """Everything the bot will post on its own, for every body, from what is stored."""
    return [due for body in installation.bodies() for due in plan_body(installation.services(body))]


def plan_body(services: Services) -> list[Due]:
    """A body's posts still to come. Only meetings and deadlines from yesterday on: every post about one
    expires when it begins or falls due, so the years of history behind a body cost nothing here."""
    store, rules, body = services.store, services.rules, services.body.id
    since = services.clock.now().date() - timedelta(days=1)
    votes = [v for v in store.votes.all() if v.is_open or (v.closed_at and v.closed_at.date() >= since)]
    planned = plan_votes(votes, rules.vote_reminder, body)
    ahead = [deadline for deadline in store.deadlines.all() if deadline.due >= since - PASSED_WITHIN]
    planned += plan_deadlines(ahead, list(rules.deadline_pings), rules.tz, body)  # DMs need no channel
    if rules.channel:  # without a channel there is nowhere to post (said at start-up)
        planned += plan_meetings(store.meetings.since(since), list(rules.meeting_notices), rules.tz, body)
        held = [s for s in store.sessions.all() if s.in_session or (s.ended_at and s.ended_at.date() >= since)]
        planned += plan_sessions(held, body)
    if rules.channel:
        planned += plan_minutes((m for m in store.minutes.all() if m.latest and m.latest.at.date() >= since), body)
    for meeting in store.meetings.since(since):  # DMs, so without a channel too
        if not meeting.cancelled:
            planned += plan_forfall(meeting, store.attendance.of(meeting.number), rules.tz, body)
    return planned


@dataclass(frozen=True)
class MeetingNotice:
    meeting: Meeting
    deadlines: Sequence[Deadline]  # all stored; the notice shows the open ones due before the meeting
    now: datetime
    late_from: datetime | None  # when it should have gone out, if it is late
    can_open_vote: bool  # the approval case has a proposal, no decision and no open vote
    body: int = 0  # whose meeting: its button carries it
    elected: bool = False  # an online meeting is a «fjernmøte»


@dataclass(frozen=True)
class MeetingCancelled:
    meeting: Meeting


@dataclass(frozen=True)
class MeetingMoved:
    meeting: Meeting


@dataclass(frozen=True)
class DeadlineReminder:
    deadline: Deadline
    now: datetime
    late_from: datetime | None
    people: tuple[str, ...]  # who get it in a direct message: the people responsible
    in_channel: bool  # and the channel: a body or a group is responsible, or the body wants both


ChannelPost = MeetingNotice | MeetingCancelled | MeetingMoved


def deadline_ping(services: Services, due: Due) -> DeadlineReminder | None:
    """A deadline's reminder (or that it has passed): to the people responsible in a direct message, and to the
    channel unless the body has asked for the person alone. None when there is no one to tell (it is done,
    gone, or the body has no channel and no person is responsible), and it is recorded done."""
    store, now = services.store, services.clock.now()
    deadline = store.deadlines.get(int(due.subject))
    if deadline is None or not deadline.is_open:
        store.posts.mark_sent(due.key, now)
        return None
    in_channel = bool(services.rules.channel) and (not deadline.users or services.body.deadline_pings_in_channel)
    if not in_channel and not deadline.users:
        store.posts.mark_sent(due.key, now)
        return None
    late_from = due.at if due.is_late(now) else None
    return DeadlineReminder(deadline, now, late_from, deadline.users, in_channel)


def channel_post(services: Services, due: Due) -> ChannelPost | None:
    """What a due post to the body's channel says, from what is stored now; None when there is nothing
    left to say (the meeting or deadline is gone or done, or there is no channel), and it is recorded done."""
    store, now = services.store, services.clock.now()
    late_from = due.at if due.is_late(now) else None
    post: ChannelPost | None = None
    if due.kind.startswith("meeting-") and (
        meeting := store.meetings.get(Serial.parse(str(due.subject)) or Serial(0, 0))
    ):
        if due.kind == "meeting-cancelled":
            post = MeetingCancelled(meeting)
        elif due.kind == "meeting-moved":
            post = MeetingMoved(meeting)
        else:
            approval = meeting.approval_case()
            can_open = (  # a body that votes in the meeting only (folkevalgt) gets no button in the notice
                services.body.rules.votes_before_meeting
                and approval is not None
                and bool(approval.proposal and not approval.decision)
                and not any(vote.case == approval.number for vote in store.votes.all(open_only=True))
            )
            post = MeetingNotice(
                meeting, store.deadlines.all(), now, late_from, can_open, services.body.id, services.elected
            )
    if post is None or not services.rules.channel:
        store.posts.mark_sent(due.key, now)
        return None
    return post
