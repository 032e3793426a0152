"""The meeting as it is held: whether it is set, who has sent forfall, which vara holds whose seat, who is
in the room from when to when, who is inhabil in which case, and from that who may vote at a moment.

Attendance is a log of events (one line each, kept for the minutes), folded here into what holds now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from bot.core.domain import Roster, Serial


@dataclass(frozen=True)
class Session:
    """A meeting set by its chair (`/mote start`) and ended (`/mote hev`); the case under way, each case's
    thread in the channel, and the "Møtet er satt" message that shows the roll and the running agenda."""

    meeting: Serial
    started_at: datetime
    started_by: str
    chair: str | None  # who chairs: the leder, or the nestleder when the leder is away
    channel: str | None = None
    message_ts: str | None = None  # "Møtet er satt", updated as the meeting goes on
    current: Serial | None = None  # the case under way
    threads: Mapping[Serial, str] = field(default_factory=dict)  # each case taken up: its message's ts
    ended_at: datetime | None = None
    ended_by: str | None = None

    @property
    def in_session(self) -> bool:
        return self.ended_at is None


class Presence(StrEnum):
    """What a line of the attendance log says."""

    ABSENT = "absent"  # forfall; `reason` may say why
    ABSENCE_WITHDRAWN = "absence-withdrawn"
    ARRIVED = "arrived"  # til stede
    LEFT = "left"
    VARA_ASKED = "vara-asked"  # `seat`: whose seat
    VARA_ACCEPTED = "vara-accepted"
    VARA_DECLINED = "vara-declined"
    VARA_RELEASED = "vara-released"  # the member withdrew their forfall: the vara is not needed after all


_VARA_ANSWERS = (Presence.VARA_ASKED, Presence.VARA_ACCEPTED, Presence.VARA_DECLINED, Presence.VARA_RELEASED)


@dataclass(frozen=True)
class AttendanceEvent:
    at: datetime
    user: str
    what: Presence
    by: str  # who recorded it: the member, or the secretariat for them
    reason: str = ""
    seat: str | None = None  # a vara's events: the member whose seat


@dataclass(frozen=True)
class Attendance:
    """One meeting's attendance log, folded."""

    events: tuple[AttendanceEvent, ...] = ()

    def absent(self) -> dict[str, str]:
        """Who has sent forfall (and not withdrawn it), with the reason given."""
        absent: dict[str, str] = {}
        for event in self.events:
            if event.what is Presence.ABSENT:
                absent[event.user] = event.reason
            elif event.what is Presence.ABSENCE_WITHDRAWN:
                absent.pop(event.user, None)
        return absent

    def calls(self) -> dict[tuple[str, str], Presence]:
        """Each vara's standing for each seat they were asked for: (vara, member) -> the last word on it."""
        state: dict[tuple[str, str], Presence] = {}
        for event in self.events:
            if event.seat and event.what in _VARA_ANSWERS:
                state[(event.user, event.seat)] = event.what
        return state

    def substitutes(self) -> dict[str, str]:
        """The varas holding a seat for this meeting: vara -> member (while the member's forfall stands)."""
        absent = self.absent()
        return {v: m for (v, m), s in self.calls().items() if s is Presence.VARA_ACCEPTED and m in absent}

    def asked(self) -> dict[str, str]:
        """Varas asked who have not answered yet: vara -> member (while the member's forfall stands)."""
        absent = self.absent()
        return {v: m for (v, m), s in self.calls().items() if s is Presence.VARA_ASKED and m in absent}

    def was_asked(self, vara: str) -> bool:
        """Asked for a seat and not released since: waiting, holding it, or having said no."""
        return any(v == vara and s is not Presence.VARA_RELEASED for (v, _m), s in self.calls().items())

    def called_for(self, member: str) -> tuple[str, ...]:
        """The varas asked for `member`'s seat and not released: those to tell when the forfall is withdrawn."""
        wanted = (Presence.VARA_ASKED, Presence.VARA_ACCEPTED)
        return tuple(v for (v, m), s in self.calls().items() if m == member and s in wanted)

    def present_at(self, at: datetime) -> frozenset[str]:
        """Who was in the meeting at `at`: their last arrival or departure before it was an arrival."""
        last: dict[str, Presence] = {}
        for event in self.events:
            if event.what in (Presence.ARRIVED, Presence.LEFT) and _utc(event.at) <= _utc(at):
                last[event.user] = event.what
        return frozenset(user for user, what in last.items() if what is Presence.ARRIVED)

    def periods(self, user: str) -> tuple[tuple[datetime, datetime | None], ...]:
        """From when to when `user` was present: late arrivals and early departures, for the minutes."""
        periods: list[tuple[datetime, datetime | None]] = []
        for event in self.events:
            if event.user != user:
                continue
            if event.what is Presence.ARRIVED and (not periods or periods[-1][1] is not None):
                periods.append((event.at, None))
            elif event.what is Presence.LEFT and periods and periods[-1][1] is None:
                periods[-1] = (periods[-1][0], event.at)
        return tuple(periods)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# What begins a step of forfall (and the varas asked or released with it follow in the same step).
_STEP_HEADS = (Presence.ABSENT, Presence.ABSENCE_WITHDRAWN, Presence.VARA_ACCEPTED, Presence.VARA_DECLINED)
_STEP_TAILS = (Presence.VARA_ASKED, Presence.VARA_RELEASED)


def forfall_steps(attendance: Attendance) -> tuple[tuple[int, int], ...]:
    """Each forfall step as written, (first, end) in the log: a forfall with the vara it asked, a withdrawal
    with the varas it released, a vara's answer with the next one asked. Each step's messages are sent once,
    keyed by its end, so one that Slack did not take is sent again later (bot.core.planner)."""
    steps: list[tuple[int, int]] = []
    events = attendance.events
    for index, event in enumerate(events):
        if event.what in _STEP_HEADS:
            end = index + 1
            while end < len(events) and events[end].what in _STEP_TAILS:
                end += 1
            steps.append((index, end))
    return tuple(steps)


def seat_holders(roster: Roster, attendance: Attendance) -> dict[str, str]:
    """Who holds each seat for this meeting: holder -> the seat's member (a vara in an absent member's seat)."""
    lent = {member: vara for vara, member in attendance.substitutes().items()}
    return {lent.get(member, member): member for member in roster.seats()}


def voters(
    roster: Roster, attendance: Attendance, at: datetime, *, in_session: bool, recused: Iterable[str] = ()
) -> frozenset[str]:
    """Who may vote in a vote opened at `at`: the seats' holders (a vara in place of a member with forfall);
    in the meeting, only those present then; never a member found inhabil in the case."""
    holders = set(seat_holders(roster, attendance))
    if in_session:
        holders &= attendance.present_at(at)
    return frozenset(holders - set(recused))


def next_substitute(roster: Roster, attendance: Attendance, member: str) -> str | None:
    """The next vara to ask for `member`'s seat: in the roster's order, skipping those already asked for any
    seat, those holding one, and those who have sent forfall themselves."""
    absent = attendance.absent()
    return next((v for v in roster.substitutes(member) if not attendance.was_asked(v) and v not in absent), None)


class Ruling(StrEnum):
    INHABIL = "inhabil"
    HABIL = "habil"


@dataclass(frozen=True)
class Recusal:
    """A member's declaration that they may be inhabil in a case, and the body's ruling on it (by a vote of
    the others, forvaltningsloven § 8 andre ledd)."""

    id: int
    meeting: Serial
    case: Serial
    user: str
    reason: str
    declared_at: datetime
    declared_by: str
    vote: int | None = None  # the ruling vote
    ruling: Ruling | None = None
    ruled_at: datetime | None = None


def recused(recusals: Iterable[Recusal], case: Serial) -> frozenset[str]:
    """Those found inhabil in `case`."""
    return frozenset(r.user for r in recusals if r.case == case and r.ruling is Ruling.INHABIL)
