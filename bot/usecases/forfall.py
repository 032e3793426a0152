"""/forfall: a member says they cannot come to a meeting; the secretariat is told, and for a member with a seat
the next vara is asked, who on saying yes holds the seat and its vote for that meeting. The grammar first, then
what each step does.

The order of varas is the roster's (bot.core.domain.Roster.substitutes: personal, then the group's, then the
body's shared ones); a vara who says no, or does not fit, makes way for the next.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import limits
from bot.core.attendance import Attendance, AttendanceEvent, Presence, forfall_steps, next_substitute
from bot.core.domain import Meeting, Roster, Serial
from bot.core.errors import UserError, clip, one_line
from bot.core.i18n import N_, _
from bot.usecases.grammar import PICKED, Asker, keyword, meeting_number
from bot.usecases.services import Services, may_manage

COMMAND = "/forfall"
USAGE = N_(
    "*How to use /forfall*\n"
    "• `/forfall 4/20 reason` – you cannot come to meeting 4/20; the secretariat is told, and your vara is asked\n"
    "• `/forfall 4/20 trekk` – you can come after all\n"
    "• `/forfall 4/20 oversikt` – who has sent forfall, and which varas are asked and who meet\n"
    "• `/forfall 4/20 @Kari reason` – the secretariat or the leader, for a member\n"
    "`/forfall` alone shows the next meeting's list. The button «Send forfall» on the notice sends it with one click."
)
_WITHDRAW_WORDS = frozenset({"trekk", "angre", "kommer"})
_LIST_WORDS = frozenset({"oversikt", "liste", "vis"})


@dataclass(frozen=True)
class Report:
    meeting: Serial | None  # None: the next meeting
    user: str | None  # None: the one who writes it
    reason: str


@dataclass(frozen=True)
class Withdraw:
    meeting: Serial | None
    user: str | None


@dataclass(frozen=True)
class Overview:
    meeting: Serial | None


Command = Report | Withdraw | Overview


def parse(text: str) -> Command:
    words = text.split()
    number = Serial.parse(words[0]) if words else None
    if number is None and words and "/" in words[0] and any(ch.isdigit() for ch in words[0]):
        meeting_number(words[0])  # "4-20", "4/": says how a meeting number is written
    rest = words[1:] if number is not None else words
    if not words or (rest and keyword(rest[0]) in _LIST_WORDS and len(rest) == 1):
        return Overview(number)
    user = None
    if rest and rest[0].startswith("@"):
        if not (match := PICKED.match(rest[0])):
            raise UserError(_("«{word}» is not a person. Type @ and pick the person.", word=clip(rest[0], 40)))
        user, rest = match[1], rest[1:]
    if rest and keyword(rest[0]) in _WITHDRAW_WORDS and len(rest) <= 2:
        if len(rest) == 2:  # "trekk @Kari"
            if not (match := PICKED.match(rest[1])) or user is not None:
                raise UserError(_("Write it like this: `/forfall 4/20 trekk`, or `/forfall 4/20 trekk @Kari`."))
            user = match[1]
        return Withdraw(number, user)
    if number is None:  # a reason alone is too easily a slip: forfall names its meeting
        raise UserError(
            _("Write the meeting's number first: `/forfall 4/20 reason`. `/forfall` shows the next meeting.")
        )
    reason = " ".join(rest)
    if reason:
        reason = one_line(
            reason,
            limits.REASON,
            missing="",
            too_long=_("The reason is {length} characters; at most {limit} fit. Say it in short."),
        )
    return Report(number, user, reason)


@dataclass(frozen=True)
class Absences:
    """A meeting's forfall as it stands: who, why, which varas are asked and who meets for whom."""

    meeting: Meeting
    roster: Roster
    attendance: Attendance
    reasons_shown: bool  # the reasons are for the secretariat and the chair
    body_id: int = 0


@dataclass(frozen=True)
class Reported:
    absences: Absences
    user: str
    by: str
    reason: str
    changed: bool  # False: already reported with this reason
    first: bool  # the first report (not a new reason for it)
    asked: str | None  # the vara asked now
    no_vara: bool  # a member with a seat, and no vara left to ask
    secretariat: tuple[str, ...]  # who is told
    event: int  # the attendance line it made: what tells its messages apart


@dataclass(frozen=True)
class Withdrawn:
    absences: Absences
    user: str
    by: str
    released: tuple[str, ...]  # varas asked or meeting for the member, told they are not needed
    secretariat: tuple[str, ...]
    event: int


@dataclass(frozen=True)
class Answered:
    """A vara's answer to being asked: yes holds the seat; no asks the next."""

    absences: Absences
    vara: str
    member: str
    accepted: bool
    changed: bool  # False: the same answer again
    asked: str | None  # the next vara, after a no
    no_vara: bool
    secretariat: tuple[str, ...]
    event: int


Facts = Absences | Reported | Withdrawn | Answered


def absences(services: Services, meeting: Meeting, actor: str) -> Absences:
    store = services.store
    roster = store.roster.get(services.rules.admins)
    return Absences(
        meeting, roster, store.attendance.of(meeting.number), roster.can_manage(actor), services.body.id
    )  # fmt: skip


def no_meeting() -> str:
    return _("The button carries no meeting. Write `/forfall 4/20 reason`.")


def _meeting(services: Services, number: Serial | None) -> Meeting:
    """The meeting named, or the next one; forfall is for a meeting still to be held."""
    store, now = services.store, services.clock.now()
    if number is None:
        meeting, ahead = store.meetings.next(now)
        if meeting is None or not ahead:
            raise UserError(_("There is no coming meeting. Name it: `/forfall 4/20 reason`."))
    else:
        found = store.meetings.get(number)
        if found is None:
            raise UserError(_("Meeting {meeting} was not found.", meeting=number))
        meeting = found
    if meeting.cancelled:
        raise UserError(_("Meeting {meeting} is cancelled.", meeting=meeting.number))
    session = store.sessions.get(meeting.number)
    if (session is not None and not session.in_session) or now > meeting.ends_at(services.rules.tz):
        raise UserError(_("Meeting {meeting} has been held.", meeting=meeting.number))
    return meeting


def _whom(services: Services, actor: str, user: str | None, roster: Roster) -> str:
    if user is not None and user != actor and not may_manage(services, actor):
        raise UserError(_("Only the secretariat and the leader send forfall for others; for yourself, write no name."))
    who = user or actor
    if not roster.roles_of(who):
        if who == actor:
            raise UserError(_("You are not on the member list of this body."))
        raise UserError(_("<@{user}> is not on the member list.", user=who))
    return who


def _concerned(
    services: Services, actor: str, number: Serial | None, user: str | None
) -> tuple[Meeting, Roster, str, Attendance]:
    """The meeting, the roster, whose forfall it is, and the meeting's attendance so far."""
    meeting = _meeting(services, number)
    roster = services.store.roster.get()
    who = _whom(services, actor, user, roster)
    return meeting, roster, who, services.store.attendance.of(meeting.number)


def run(services: Services, asker: Asker, command: Command) -> Facts:
    if isinstance(command, Overview):
        return absences(services, _meeting(services, command.meeting), asker.user)
    if isinstance(command, Report):
        return report(services, asker.user, command.meeting, command.user, command.reason)
    return withdraw(services, asker.user, command.meeting, command.user)


def report(services: Services, actor: str, number: Serial | None, user: str | None, reason: str) -> Reported:
    """Forfall recorded; for a member with a seat, the next vara asked (the handler sends the DMs)."""
    store, now = services.store, services.clock.now()
    with store.transaction():
        meeting, roster, who, attendance = _concerned(services, actor, number, user)
        if who in attendance.present_at(now):
            raise UserError(_("<@{user}> is registered as present. Leaving the meeting is `/mote forlater`.", user=who))
        before = attendance.absent()
        if who in before and (before[who] == reason or not reason):  # a click without a reason keeps the one given
            return Reported(
                absences(services, meeting, actor), who, actor, reason, False, False, None, False,
                roster.secretariat(), len(attendance.events),
            )  # fmt: skip
        store.attendance.add(meeting.number, AttendanceEvent(now, who, Presence.ABSENT, actor, reason=reason))
        if who not in before and roster.can_vote(who):
            _ask_next(services, meeting.number, who, actor)
        found = told(services, meeting.number, len(store.attendance.of(meeting.number).events), actor)
    services.wakeup()
    assert isinstance(found, Reported)
    return found


def told(services: Services, number: Serial, end: int, actor: str = "") -> Reported | Withdrawn | Answered | None:
    """What the forfall step ending at `end` in the log did: what its DMs are made of, right after it and
    again when the ticker sends what Slack did not take (bot.core.attendance.forfall_steps)."""
    store = services.store
    meeting = store.meetings.get(number)
    events = store.attendance.of(number).events
    step = next((first for first, last in forfall_steps(Attendance(events[:end])) if last == end), None)
    if meeting is None or step is None:
        return None
    head, tail = events[step], events[step + 1 : end]
    roster = store.roster.get(services.rules.admins)
    before, after = Attendance(events[:step]), Attendance(events[:end])
    shown = Absences(meeting, roster, after, roster.can_manage(actor) if actor else True, services.body.id)
    asked = next((e.user for e in tail if e.what is Presence.VARA_ASKED), None)
    secretariat = roster.secretariat()
    if head.what is Presence.ABSENCE_WITHDRAWN:
        released = tuple(e.user for e in tail if e.what is Presence.VARA_RELEASED)
        return Withdrawn(shown, head.user, head.by, released, secretariat, end)
    seat = head.user if head.what is Presence.ABSENT else (head.seat or "")
    unfilled = asked is None and roster.can_vote(seat) and seat not in after.substitutes().values()
    unfilled = unfilled and not _waiting(after, seat)
    if head.what is Presence.ABSENT:
        first = head.user not in before.absent()
        return Reported(
            shown, head.user, head.by, head.reason, True, first, asked, unfilled and first, secretariat, end
        )
    accepted = head.what is Presence.VARA_ACCEPTED
    return Answered(shown, head.user, seat, accepted, True, asked, unfilled and not accepted, secretariat, end)


def _waiting(attendance: Attendance, member: str) -> bool:
    return member in attendance.asked().values()


def _ask_next(services: Services, meeting: Serial, member: str, actor: str) -> None:
    store = services.store
    vara = next_substitute(store.roster.get(), store.attendance.of(meeting), member)
    if vara is not None:
        event = AttendanceEvent(services.clock.now(), vara, Presence.VARA_ASKED, actor, seat=member)
        store.attendance.add(meeting, event)


def withdraw(services: Services, actor: str, number: Serial | None, user: str | None) -> Withdrawn:
    """The member comes after all: the forfall is withdrawn, and any vara called for the seat is released."""
    store, now = services.store, services.clock.now()
    with store.transaction():
        meeting, _roster, who, attendance = _concerned(services, actor, number, user)
        if who not in attendance.absent():
            if who == actor:
                raise UserError(_("You have not sent forfall to meeting {meeting}.", meeting=meeting.number))
            raise UserError(_("<@{user}> has not sent forfall to meeting {meeting}.", user=who,
                              meeting=meeting.number))  # fmt: skip
        store.attendance.add(meeting.number, AttendanceEvent(now, who, Presence.ABSENCE_WITHDRAWN, actor))
        for vara in attendance.called_for(who):
            store.attendance.add(meeting.number, AttendanceEvent(now, vara, Presence.VARA_RELEASED, actor, seat=who))
        found = told(services, meeting.number, len(store.attendance.of(meeting.number).events), actor)
    services.wakeup()
    assert isinstance(found, Withdrawn)
    return found


def answer_call(services: Services, vara: str, number: Serial | None, member: str | None, *, accept: bool) -> Answered:
    """A vara's [Jeg kan møte] / [Jeg kan ikke] in their DM."""
    store, now = services.store, services.clock.now()
    if number is None or member is None:
        raise UserError(no_meeting())
    with store.transaction():
        meeting = _meeting(services, number)
        roster = store.roster.get()
        attendance = store.attendance.of(meeting.number)
        state = attendance.calls().get((vara, member))
        if member not in attendance.absent() or state in (None, Presence.VARA_RELEASED):
            raise UserError(_("<@{member}> comes to meeting {meeting} after all; you are not needed this time. "
                              "Thank you!", member=member, meeting=meeting.number))  # fmt: skip
        held = attendance.substitutes()
        if accept and held.get(vara) not in (None, member):
            raise UserError(_("You already meet for <@{member}> in meeting {meeting}.", member=held[vara],
                              meeting=meeting.number))  # fmt: skip
        taken = next((v for v, m in held.items() if m == member and v != vara), None)
        if accept and taken is not None:
            raise UserError(_("<@{vara}> already meets for <@{member}>. Thank you all the same!", vara=taken,
                              member=member))  # fmt: skip
        wanted = Presence.VARA_ACCEPTED if accept else Presence.VARA_DECLINED
        if state is wanted:
            return Answered(
                absences(services, meeting, vara), vara, member, accept, False, None, False, roster.secretariat(),
                len(attendance.events),
            )  # fmt: skip
        store.attendance.add(meeting.number, AttendanceEvent(now, vara, wanted, vara, seat=member))
        if not accept:
            _ask_next(services, meeting.number, member, vara)
        found = told(services, meeting.number, len(store.attendance.of(meeting.number).events), vara)
    services.wakeup()
    assert isinstance(found, Answered)
    return found
