"""/mote: the meeting as it is held. The chair sets it, takes the roll, takes the cases in order (each in its own
thread, where its vote is held) and ends it. The grammar first, then what each step does."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.attendance import Attendance, AttendanceEvent, Presence, Session, seat_holders
from bot.core.domain import Case, Meeting, Roster, Serial, Vote
from bot.core.errors import UserError
from bot.core.i18n import N_, _
from bot.usecases import avstemning
from bot.usecases.grammar import PICKED, Asker, keyword, meeting_number, not_understood, without_case_prefix
from bot.usecases.services import Services, may_manage, require_manager

COMMAND = "/mote"
USAGE = N_(
    "*How to use /mote*\n"
    "• `/mote [4/20]` – the meeting as it is now: set or not, who is present, the case under way\n"
    "• `/mote start [4/20]` – the chair (or the secretariat) sets the meeting; a message with the roll and the "
    "agenda goes to the channel, with the button «Present»\n"
    "• `/mote neste` – the next case, as a message in the channel: its vote is held in its thread; "
    "`/mote sak 18/20` takes up that case\n"
    "• `/mote tilstede @name …` – the secretariat registers people in the room; `/mote forlater [@name]` – someone "
    "leaves (late arrivals and early departures are recorded with the time)\n"
    "• `/mote hev` – ends the meeting; open votes are closed and counted"
)
_REFUSAL = N_("Only the leader, the deputy leader and the secretariat can chair the meeting.")


@dataclass(frozen=True)
class Show:
    meeting: Serial | None


@dataclass(frozen=True)
class Start:
    meeting: Serial | None


@dataclass(frozen=True)
class NextCase:
    case: Serial | None  # None: the next in the agenda's order


@dataclass(frozen=True)
class Arrive:
    users: tuple[str, ...]  # empty: the one who asks


@dataclass(frozen=True)
class Leave:
    users: tuple[str, ...]


@dataclass(frozen=True)
class End:
    pass


Command = Show | Start | NextCase | Arrive | Leave | End


def _people(words: list[str]) -> tuple[str, ...]:
    users = []
    for word in words:
        if not (match := PICKED.match(word)):
            raise UserError(_("«{word}» is not a person. Type @ and pick the person.", word=word[:40]))
        users.append(match[1])
    return tuple(users)


def parse(text: str) -> Command:
    words = text.split()
    action = keyword(words[0]) if words else ""
    if not words or Serial.parse(words[0]):
        return Show(meeting_number(words[0]) if words else None)
    if action == "start":
        if len(words) > 2:
            raise UserError(_("Write it like this: `/mote start 4/20`."))
        return Start(meeting_number(words[1]) if len(words) == 2 else None)
    if action in ("neste", "sak"):
        rest = without_case_prefix(words[1:])
        if action == "neste" and not rest:
            return NextCase(None)
        number = Serial.parse(rest[0]) if len(rest) == 1 else None
        if number is None:
            raise UserError(_("Write it like this: `/mote neste`, or `/mote sak 18/20`."))
        return NextCase(number)
    if action == "tilstede":
        return Arrive(_people(words[1:]))
    if action == "forlater":
        return Leave(_people(words[1:]))
    if action == "hev":
        return End()
    raise not_understood(COMMAND, words[0])


@dataclass(frozen=True)
class Roll:
    """The meeting as held: its session (None if not set), the roster and the attendance, and what follows."""

    meeting: Meeting
    session: Session | None
    roster: Roster
    attendance: Attendance
    open_votes: tuple[Vote, ...]
    now_present: frozenset[str]
    body_id: int = 0  # whose meeting: what follows in the channel is that body's
    elected: bool = False  # held online, it is a «fjernmøte»

    @property
    def holders(self) -> dict[str, str]:
        return seat_holders(self.roster, self.attendance)

    @property
    def present_seats(self) -> int:
        return len(set(self.holders) & self.now_present)


@dataclass(frozen=True)
class Started:
    roll: Roll


@dataclass(frozen=True)
class TakenUp:
    roll: Roll
    case: Case
    again: bool = False  # taken up before: its message (and thread) is in the channel already


@dataclass(frozen=True)
class Registered:
    roll: Roll
    users: tuple[str, ...]
    arrived: bool  # False: left
    changed: bool
    actor: str = ""  # who registered them

    @property
    def themself(self) -> bool:
        """A member registered themself (not the secretariat someone else)."""
        return self.users == (self.actor,)


@dataclass(frozen=True)
class Ended:
    roll: Roll
    closed: tuple[Vote, ...]


Facts = Roll | Started | TakenUp | Registered | Ended


def roll(services: Services, meeting: Meeting) -> Roll:
    store, now = services.store, services.clock.now()
    attendance = store.attendance.of(meeting.number)
    open_votes = tuple(v for v in store.votes.all(open_only=True) if v.meeting == meeting.number)
    return Roll(
        meeting, store.sessions.get(meeting.number), store.roster.get(services.rules.admins), attendance,
        open_votes, attendance.present_at(now), services.body.id, services.elected,
    )  # fmt: skip


def _meeting(services: Services, number: Serial | None) -> Meeting:
    """The meeting named, or the one in session, or today's / the next one."""
    store, now = services.store, services.clock.now()
    if number is not None:
        meeting = store.meetings.get(number)
        if meeting is None:
            raise UserError(_("Meeting {meeting} was not found.", meeting=number))
        return meeting
    if sessions := store.sessions.in_session():
        found = store.meetings.get(sessions[-1].meeting)
        if found is not None:
            return found
    meeting, ahead = store.meetings.next(now)
    if meeting is None or not ahead:
        raise UserError(_("There is no coming meeting. Name it: `/mote start 4/20`."))
    return meeting


def _session(services: Services) -> tuple[Meeting, Session]:
    sessions = services.store.sessions.in_session()
    meeting = services.store.meetings.get(sessions[-1].meeting) if sessions else None
    if meeting is None:
        raise UserError(_("No meeting is in session. Set it with `/mote start`."))
    return meeting, sessions[-1]


def run(services: Services, asker: Asker, command: Command) -> Facts:
    if isinstance(command, Show):
        return roll(services, _meeting(services, command.meeting))
    if isinstance(command, Start):
        return start(services, asker.user, command.meeting)
    if isinstance(command, NextCase):
        return take_up(services, asker.user, command.case)
    if isinstance(command, Arrive | Leave):
        return register(services, asker.user, command.users, arrived=isinstance(command, Arrive))
    return end(services, asker.user)


def start(services: Services, actor: str, number: Serial | None) -> Started:
    """Set the meeting: from now on votes are held in it, by those present."""
    require_manager(services, actor, _(_REFUSAL))
    store, now = services.store, services.clock.now()
    with store.transaction():
        meeting = _meeting(services, number)
        if meeting.cancelled:
            raise UserError(_("Meeting {meeting} is cancelled.", meeting=meeting.number))
        if (session := store.sessions.get(meeting.number)) is not None:
            if session.in_session:
                raise UserError(_("Meeting {meeting} is already in session.", meeting=meeting.number))
            raise UserError(_("Meeting {meeting} has been ended.", meeting=meeting.number))
        if abs((meeting.day - now.date()).days) > 1:
            raise UserError(_("Meeting {meeting} is not today; a meeting is set on its day.", meeting=meeting.number))
        roster, attendance = store.roster.get(), store.attendance.of(meeting.number)
        chair = _chair(roster, attendance.absent(), actor)
        store.sessions.save(Session(meeting.number, now, actor, chair, channel=services.rules.channel))
        if actor in roster.roles and actor not in attendance.present_at(now):
            store.attendance.add(meeting.number, AttendanceEvent(now, actor, Presence.ARRIVED, actor))
    services.wakeup()
    return Started(roll(services, meeting))


def _chair(roster: Roster, absent: dict[str, str], actor: str) -> str | None:
    """The leder chairs; with the leder away, the nestleder; with both away, the one who sets the meeting if
    they hold a seat (the body elects a chair for the meeting, and the secretariat records whom)."""
    return roster.chair(absent) or (actor if roster.can_vote(actor) else roster.chair())


def take_up(services: Services, actor: str, number: Serial | None) -> TakenUp:
    """The next case (or the one named) is under way; its message in the channel is its thread."""
    require_manager(services, actor, _(_REFUSAL))
    store = services.store
    with store.transaction():
        meeting, session = _session(services)
        if number is None:
            order = [case.number for case in meeting.cases]
            at = order.index(session.current) + 1 if session.current in order else 0
            if at >= len(order):
                raise UserError(_("That was the last case. End the meeting with `/mote hev`."))
            number = order[at]
        case = meeting.case(number)
        if case is None:
            raise UserError(_("Case {case} is not on the agenda of meeting {meeting}.", case=number,
                              meeting=meeting.number))  # fmt: skip
        again = case.number in session.threads
        store.sessions.save(replace(session, current=case.number))
    services.wakeup()
    return TakenUp(roll(services, meeting), case, again)


def case_posted(services: Services, meeting: Serial, case: Serial, ts: str) -> None:
    """The case's message is in the channel: its thread is where the case's votes go. The first one stays
    its thread: votes already held there must not be left behind."""
    with services.store.transaction():
        session = services.store.sessions.get(meeting)
        if session is not None and case not in session.threads:
            services.store.sessions.save(replace(session, threads={**session.threads, case: ts}))


def roll_posted(services: Services, meeting: Serial, channel: str, ts: str) -> None:
    with services.store.transaction():
        session = services.store.sessions.get(meeting)
        if session is not None and session.message_ts is None:
            services.store.sessions.save(replace(session, channel=channel, message_ts=ts))


def _attended(services: Services, number: Serial | None) -> Meeting:
    """The meeting an arrival or a departure is of: the one named (its button's), the one in session, or
    today's not yet set (those in the room before the chair sets it). Never one that has been ended, and
    never, once today's is ended, the next one."""
    store, now = services.store, services.clock.now()
    if number is None and not store.sessions.in_session():
        ahead, coming = store.meetings.next(now)
        ended = [s for s in store.sessions.all() if s.ended_at and s.ended_at.date() == now.date()]
        if ended and (ahead is None or not coming or ahead.day != now.date()):
            last = max(ended, key=lambda s: s.ended_at or now)
            raise UserError(_("Meeting {meeting} has been ended.", meeting=last.meeting))
    meeting = _meeting(services, number)
    session = store.sessions.get(meeting.number)
    if session is not None and not session.in_session:
        raise UserError(_("Meeting {meeting} has been ended.", meeting=meeting.number))
    return meeting


def register(
    services: Services, actor: str, users: tuple[str, ...], *, arrived: bool, meeting: Serial | None = None
) -> Registered:
    """Arrivals and departures, with the time. A member for themselves; the secretariat for anyone."""
    store, now = services.store, services.clock.now()
    if (users and users != (actor,)) and not may_manage(services, actor):
        raise UserError(_("Only the secretariat and the chair register others; for yourself, write it without a name."))
    people = users or (actor,)
    with store.transaction():
        found = _attended(services, meeting)
        roster = store.roster.get()
        strangers = [user for user in people if not roster.roles_of(user)]
        if strangers:
            raise UserError(_("<@{user}> is not on the member list.", user=strangers[0]))
        attendance = store.attendance.of(found.number)
        absent = [user for user in people if user in attendance.absent()] if arrived else []
        if absent:  # their vara may hold the seat: the forfall is withdrawn first, and the vara told
            raise UserError(_("<@{user}> has sent forfall to meeting {meeting}. Coming after all: "
                              "`/forfall {meeting} trekk`.", user=absent[0], meeting=found.number))  # fmt: skip
        present = attendance.present_at(now)
        what = Presence.ARRIVED if arrived else Presence.LEFT
        changed = [user for user in people if (user in present) != arrived]
        for user in changed:
            store.attendance.add(found.number, AttendanceEvent(now, user, what, actor))
    if changed:
        services.wakeup(replan=False)
    return Registered(roll(services, found), people, arrived, bool(changed), actor)


def end(services: Services, actor: str) -> Ended:
    """End the meeting: open votes are closed and counted, and no more are held in it."""
    require_manager(services, actor, _(_REFUSAL))
    store, now = services.store, services.clock.now()
    with store.transaction():
        meeting, session = _session(services)
        store.sessions.save(replace(session, ended_at=now, ended_by=actor, current=None))
        with services.in_body_language():  # kept in the vote's history: in the body's målform
            why = _("closed when the meeting was ended")
        closed = tuple(
            avstemning.close(services, actor, vote.id, automatic=True, why=why)
            for vote in store.votes.all(open_only=True)
            if vote.meeting == meeting.number
        )
    services.wakeup()
    return Ended(roll(services, meeting), closed)
