"""Which scheduled message is due when: pure functions over the state and a moment in time.

APScheduler only wakes the bot at `next_wake`; what to do then is decided here, from what is
stored, so a restart re-plans from the same facts and nothing sent is sent again.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.attendance import Attendance, Session, forfall_steps
from bot.core.domain import WORKDAY_MORNING, Deadline, Meeting, Serial, Vote, VoteState
from bot.core.minutes.record import Minutes

LATE_AFTER = timedelta(minutes=5)
_REPEATED = ("deadline-ping", "meeting-notice")  # kinds sent several times before the same event


@dataclass(frozen=True)
class Due:
    """`at` is in the group's zone, for the text; every comparison is of instants (`_utc`): Python
    compares two times of one zone by the wall clock, ignoring fold, so in the hour that repeats in
    October the second 02.30 would count as the first."""

    at: datetime
    key: str  # what is recorded as done; unique per message
    kind: str
    subject: int | str
    expires: datetime | None = None  # past this, sending it is pointless (the event it announces is over)
    body: int = 0  # whose it is: the channel it goes to, the meeting its number is of

    def is_late(self, now: datetime) -> bool:
        return _utc(now) - _utc(self.at) > LATE_AFTER


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def vote_post_key(vote_id: int) -> str:
    """The vote's message, posted once: recorded sent in the same commit as its ts."""
    return f"vote:{vote_id}:post"


def vote_result_key(vote_id: int) -> str:
    """The result of a closed vote, posted once as a new message (an edit of the vote notifies no one)."""
    return f"vote:{vote_id}:result"


RESULT_WITHIN = timedelta(days=1)  # a result not posted by then (Slack was away that long) is left to the record


def plan_votes(votes: Iterable[Vote], remind_before: timedelta, body: int = 0) -> list[Due]:
    """An open vote without a message (its post failed, or the bot died before it) is due to be posted now;
    before the meeting, those who have not voted are reminded; a closed vote's result is posted once."""
    planned: list[Due] = []
    for vote in votes:
        if vote.state is VoteState.CLOSED and vote.closed_at is not None and vote.message_ts and vote.posts_result:
            expires = vote.closed_at + RESULT_WITHIN
            planned.append(Due(vote.closed_at, vote_result_key(vote.id), "vote-result", vote.id, expires, body))
        if not vote.is_open:
            continue
        if vote.message_ts is None and vote.channel:
            planned.append(Due(vote.opened_at, vote_post_key(vote.id), "vote-post", vote.id, vote.closes_at, body))
        if vote.remind_by is not None:
            reminder = reminder_time(vote, remind_before)
            planned.append(Due(reminder, f"vote:{vote.id}:reminder", "vote-reminder", vote.id, vote.remind_by, body))
        if vote.closes_at is not None:
            planned.append(Due(vote.closes_at, f"vote:{vote.id}:close", "vote-close", vote.id, None, body))
    return planned


def ping_time(due_at: datetime, offset: timedelta) -> datetime:
    """Whole days before: at 08.00 on that day, by the wall clock (a day is a calendar day, DST or not).
    Hours and minutes before: that much elapsed time before the moment it falls due."""
    tz = due_at.tzinfo
    if offset % timedelta(days=1) == timedelta(0):
        return datetime.combine(due_at.date() - offset, WORKDAY_MORNING, tzinfo=tz)
    return (due_at.astimezone(UTC) - offset).astimezone(tz)


def _offset_label(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    return f"{minutes // 1440}d" if minutes % 1440 == 0 else f"{minutes}m"


PASSED_WITHIN = timedelta(days=7)  # the ping that a deadline has passed, if the bot was away when it did


def plan_deadlines(deadlines: Iterable[Deadline], offsets: list[timedelta], tz: ZoneInfo, body: int = 0) -> list[Due]:
    """A ping per offset before each open deadline, and one when it passes; a postponed one gets fresh keys
    for its new date. A ping whose time came before the deadline got its date was never due: not planned."""
    planned: list[Due] = []
    for deadline in deadlines:
        if not deadline.is_open:
            continue
        due_at = deadline.due_at(tz)
        for offset in offsets:
            at = ping_time(due_at, offset)
            if deadline.since is not None and _utc(at) < _utc(deadline.since):
                continue
            key = f"deadline:{deadline.id}:{due_at.isoformat()}:{_offset_label(offset)}"
            planned.append(Due(at, key, "deadline-ping", deadline.id, due_at, body))
        if deadline.since is not None and _utc(deadline.since) < _utc(due_at):  # not one made passed (imported),
            key = f"deadline:{deadline.id}:{due_at.isoformat()}:passed"  # nor one from before this ping existed
            planned.append(Due(due_at, key, "deadline-ping", deadline.id, due_at + PASSED_WITHIN, body))
    return planned


def meeting_post_key(body: int, rest: str) -> str:
    """Meeting numbers run per body, so a post about one is keyed by both."""
    return f"organ:{body}:meeting:{rest}"


def session_post_key(body: int, meeting: Serial, rest: str) -> str:
    """A message of the meeting in session: "roll", "case:17/20", "ended"."""
    return meeting_post_key(body, f"{meeting}:session:{rest}")


def attendance_post_key(body: int, meeting: Serial, end: int) -> str:
    """The DMs of one forfall step (bot.core.attendance.forfall_steps): the vara asked, the secretariat told."""
    return meeting_post_key(body, f"{meeting}:attendance:{end}")


FORFALL_GRACE = timedelta(minutes=2)  # the DMs go right after the ack; the ticker sends what did not get through


def plan_forfall(meeting: Meeting, attendance: Attendance, tz: ZoneInfo, body: int = 0) -> list[Due]:
    """Each forfall step's DMs, until the meeting is over (after it, asking a vara is pointless)."""
    expires = meeting.ends_at(tz)
    return [
        Due(attendance.events[first].at + FORFALL_GRACE, attendance_post_key(body, meeting.number, end),
            "forfall-messages", f"{meeting.number}#{end}", expires, body)
        for first, end in forfall_steps(attendance)
    ]  # fmt: skip


def minutes_post_key(body: int, meeting: Serial, version: int) -> str:
    """Approved minutes in the channel, once per approved version (their files: this key + ":files")."""
    return meeting_post_key(body, f"{meeting}:minutes:approved:v{version}")


def plan_minutes(minutes: Iterable[Minutes], body: int = 0) -> list[Due]:
    """Approved minutes are posted with their files once, right away; the ticker posts what did not get there."""
    planned = []
    for kept in minutes:
        if kept.locked and (approved := kept.latest) is not None:
            key = minutes_post_key(body, kept.meeting, approved.version) + ":files"
            planned.append(Due(approved.at + FORFALL_GRACE, key, "minutes-approved", str(kept.meeting),
                               approved.at + RESULT_WITHIN, body))  # fmt: skip
    return planned


def plan_meetings(meetings: Iterable[Meeting], offsets: list[timedelta], tz: ZoneInfo, body: int = 0) -> list[Due]:
    """Notices before each meeting, keyed by its start (a moved meeting gets fresh ones), and for a
    cancelled one a single cancellation notice while it is still ahead."""
    planned: list[Due] = []
    for meeting in meetings:
        starts_at = meeting.starts_at(tz) if meeting.start else datetime.combine(meeting.day, WORKDAY_MORNING, tz)
        if meeting.cancelled_at is not None:
            key = meeting_post_key(body, f"{meeting.number}:cancelled")
            planned.append(Due(meeting.cancelled_at, key, "meeting-cancelled", str(meeting.number), starts_at, body))
            continue
        if meeting.moved_at is not None:
            key = meeting_post_key(body, f"{meeting.number}:moved:{meeting.rescheduled}")
            planned.append(Due(meeting.moved_at, key, "meeting-moved", str(meeting.number), starts_at, body))
        for offset in offsets:
            if meeting.start is None and offset % timedelta(days=1):
                continue  # "an hour before" means nothing until the meeting has a time
            key = meeting_post_key(body, f"{meeting.number}:{starts_at.isoformat()}:{_offset_label(offset)}")
            at = ping_time(starts_at, offset)
            planned.append(Due(at, key, "meeting-notice", str(meeting.number), starts_at, body))
    return planned


SESSION_KINDS = ("session-roll", "session-case", "session-ended")
ENDED_WITHIN = timedelta(days=1)  # a closing message not posted by then (Slack was away that long) is left out


def plan_sessions(sessions: Iterable[Session], body: int = 0) -> list[Due]:
    """A meeting in session whose "Møtet er satt" message, or whose case under way's message, has no ts (Slack
    was away, or the bot died between storing the step and posting it) is due to be posted now; so is the
    closing message of a meeting ended. Each is posted once (its key is the post's own)."""
    planned: list[Due] = []
    for session in sessions:
        meeting = str(session.meeting)
        if session.in_session and session.message_ts is None:
            key = session_post_key(body, session.meeting, "roll")
            planned.append(Due(session.started_at, key, "session-roll", meeting, None, body))
        if session.in_session and session.current is not None and session.current not in session.threads:
            key = session_post_key(body, session.meeting, f"case:{session.current}")
            planned.append(Due(session.started_at, key, "session-case", meeting, None, body))
        if session.ended_at is not None:
            key, expires = session_post_key(body, session.meeting, "ended"), session.ended_at + ENDED_WITHIN
            planned.append(Due(session.ended_at, key, "session-ended", meeting, expires, body))
    return planned


def due_now(planned: Iterable[Due], done: Set[str], now: datetime) -> list[Due]:
    """What should happen now, oldest first: due, not done, and not expired."""
    now = _utc(now)
    due = [d for d in planned if d.key not in done and _utc(d.at) <= now and not (d.expires and now >= _utc(d.expires))]
    return sorted(due, key=lambda d: (_utc(d.at), d.key))


def newest_only(due: list[Due]) -> tuple[list[Due], list[Due]]:
    """Several pings for one deadline due at once (the bot was down): send the newest, not a pile.

    Returns what to send and what it supersedes (to be recorded as done, not sent).
    """
    newest: dict[tuple[int, str, int | str], Due] = {}
    for item in due:
        group = (item.body, item.kind, item.subject)
        if item.kind in _REPEATED and (group not in newest or _utc(newest[group].at) < _utc(item.at)):
            newest[group] = item
    keep = [item for item in due if item.kind not in _REPEATED or newest[(item.body, item.kind, item.subject)] is item]
    return keep, [item for item in due if item not in keep]


def next_wake(planned: Iterable[Due], done: Set[str], now: datetime) -> datetime | None:
    upcoming = [due.at for due in planned if due.key not in done and _utc(due.at) > _utc(now)]
    return min(upcoming, key=_utc, default=None)


def reminder_time(vote: Vote, before: timedelta) -> datetime:
    """When those who have not voted are reminded: `before` the meeting, or halfway if that is already past."""
    assert vote.remind_by is not None
    at = vote.remind_by - before
    return at if at > vote.opened_at else vote.opened_at + (vote.remind_by - vote.opened_at) / 2
