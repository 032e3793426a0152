"""/habilitet: a member declares that they may be inhabil in a case (forvaltningsloven § 6), the body rules on
it by a vote without them (forvaltningsloven § 8 andre ledd), and a member found inhabil is out of the case.

A declaration is stored as a Recusal; its ruling vote is an ordinary vote (bot.usecases.avstemning) whose
closing writes the ruling. A declaration withdrawn before it is ruled on is deleted: until the body has
ruled there is nothing for the minutes, and the case's own vote is no longer held back by it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core import limits
from bot.core.attendance import Recusal, Ruling, seat_holders
from bot.core.domain import Case, Meeting, Serial, Vote
from bot.core.errors import NotAllowed, UserError, clip, one_line
from bot.core.i18n import N_, _
from bot.usecases import avstemning
from bot.usecases.grammar import PICKED, Asker, keyword, without_case_prefix
from bot.usecases.services import Services, require_manager

COMMAND = "/habilitet"
USAGE = N_(
    "*How to use /habilitet* (forvaltningsloven §§ 6 and 8)\n"
    "• `/habilitet 18/20 reason` – say that you may be inhabil in case 18/20, and why\n"
    "• `/habilitet 18/20 @Kari reason` – the leader or the secretariat, for a member\n"
    "• `/habilitet 18/20 avgjør @Kari` – the leader or the secretariat: the body votes on it, without Kari\n"
    "• `/habilitet 18/20 trekk` – withdraw your declaration before the body has ruled on it\n"
    "• `/habilitet 18/20` – the declarations in case 18/20 and the rulings; `/habilitet 4/20` – in meeting 4/20\n"
    "Until the body has ruled, the case's own vote cannot be started. "
    "A member found inhabil does not vote in the case."
)
_RULE_WORDS = frozenset({"avgjør", "avgjor", "avgjer"})
_WITHDRAW_WORDS = frozenset({"trekk", "tilbake"})
_MEETING_WORDS = frozenset({"møte", "mote", "møtet"})


@dataclass(frozen=True)
class Declare:
    case: Serial
    user: str | None  # None: the one who writes it
    reason: str


@dataclass(frozen=True)
class Rule:
    case: Serial
    user: str | None  # None: the only declaration in the case still without a ruling


@dataclass(frozen=True)
class Withdraw:
    case: Serial
    user: str | None  # None: one's own


@dataclass(frozen=True)
class List:
    number: Serial | None  # a case or a meeting; None: the next meeting
    meeting: bool = False  # "møte 4/20": the number is a meeting's


Command = Declare | Rule | Withdraw | List


def how_to_declare() -> str:
    return _("Write it like this: `/habilitet 18/20 reason`, or `/habilitet 18/20 @Kari reason` for a member.")


def not_found() -> str:
    return _("The declaration was not found; it may have been withdrawn.")


def _person(word: str) -> str | None:
    match = PICKED.match(word)
    return match[1] if match else None


def _only_person(words: list[str], example: str) -> str | None:
    """At most one picked person after the action word."""
    if not words:
        return None
    user = _person(words[0]) if len(words) == 1 else None
    if user is None:
        raise UserError(
            _(
                "«{word}» is not a person. Type @ and pick the person: `{example}`.",
                word=clip(" ".join(words), 40),
                example=example,
            )
        )
    return user


def _reason(words: list[str]) -> str:
    return one_line(
        " ".join(words),
        limits.REASON,
        missing=how_to_declare(),
        too_long=_("The reason is {length} characters; at most {limit} fit. Say it in short."),
    )


def parse(text: str) -> Command:
    words = text.split()
    if not words:
        return List(None)
    if words[0].casefold() in _MEETING_WORDS and len(words) == 2 and (number := Serial.parse(words[1])):
        return List(number, meeting=True)
    words = without_case_prefix(words)
    number = Serial.parse(words[0])
    if number is None:
        raise UserError(
            _(
                "«{text}» is not a case number. Write for example `/habilitet 18/20 reason`.",
                text=clip(words[0], 40),
            )
        )
    rest = words[1:]
    if not rest:
        return List(number)
    action = keyword(rest[0])
    if action in _RULE_WORDS:
        return Rule(number, _only_person(rest[1:], _("/habilitet {case} avgjør @Kari", case=number)))
    if action in _WITHDRAW_WORDS:
        return Withdraw(number, _only_person(rest[1:], _("/habilitet {case} trekk", case=number)))
    if (user := _person(rest[0])) is not None:
        return Declare(number, user, _reason(rest[1:]) if rest[1:] else "")
    if rest[0].startswith("@"):
        raise UserError(
            _("«{word}» is not a person. Type @ and pick the person, as in `@Kari Nordmann`.", word=clip(rest[0], 40))
        )
    return Declare(number, None, _reason(rest))


@dataclass(frozen=True)
class Declared:
    """A declaration stored (`updated`: an earlier one given a new reason), to confirm and to post."""

    recusal: Recusal
    body: int
    channel: str
    thread_ts: str | None
    title: str
    updated: bool = False


@dataclass(frozen=True)
class RulingOpened:
    """The ruling vote, to post like any vote (`again`: it was opened, but its post never arrived)."""

    recusal: Recusal
    vote: Vote
    again: bool = False


@dataclass(frozen=True)
class Withdrawn:
    recusal: Recusal
    by: str


@dataclass(frozen=True)
class Entry:
    """One declaration as the list shows it: its ruling vote's state, if it has one."""

    recusal: Recusal
    vote: Vote | None


@dataclass(frozen=True)
class Listing:
    meeting: Serial
    case: Serial | None  # None: the whole meeting
    entries: tuple[Entry, ...]


def run(services: Services, asker: Asker, command: Command) -> Declared | RulingOpened | Withdrawn | Listing:
    if isinstance(command, Declare):
        return declare(services, asker.user, command.case, command.user, command.reason)
    if isinstance(command, Rule):
        return rule(services, asker.user, command.case, command.user)
    if isinstance(command, Withdraw):
        return withdraw(services, asker.user, command.case, command.user)
    return listing(services, command.number, meeting=command.meeting)


def _find_case(services: Services, number: Serial) -> tuple[Meeting, Case]:
    meeting = services.store.meetings.with_case(number)
    case = meeting.case(number) if meeting is not None else None
    if meeting is None or case is None:
        raise UserError(_("Case {case} was not found on any agenda.", case=number))
    return meeting, case


def _still_open(services: Services, meeting: Meeting, case: Case) -> None:
    """A declaration is made before the case is decided, in a meeting not yet over."""
    if case.decision:
        raise UserError(_("Case {case} already has a decision: «{decision}»", case=case.number, decision=case.decision))
    if meeting.cancelled:
        raise UserError(_("Meeting {meeting} is cancelled.", meeting=meeting.number))
    session = services.store.sessions.get(meeting.number)
    over = meeting.ends_at(services.clock.tz) <= services.clock.now()
    if (session is not None and not session.in_session) or (session is None and over):
        raise UserError(_("Meeting {meeting} is over.", meeting=meeting.number))


def _in_case(services: Services, meeting: Meeting, case: Serial) -> list[Recusal]:
    return [r for r in services.store.recusals.of(meeting.number) if r.case == case]


def _ruling_vote(services: Services, recusal: Recusal) -> Vote | None:
    return services.store.votes.get(recusal.vote) if recusal.vote is not None else None


def declare(services: Services, actor: str, number: Serial, user: str | None, reason: str) -> Declared:
    """forvaltningsloven § 6: the member says so themselves (or the secretariat for them); one declaration
    per member and case, whose reason may be given again until the body votes on it."""
    store, now = services.store, services.clock.now()
    subject = user or actor
    if subject != actor:
        require_manager(
            services, actor, _("Only the leader and the secretariat can declare someone else inhabil; declare "
                               "your own with `/habilitet {case} reason`.", case=number)
        )  # fmt: skip
    channel = services.rules.channel
    if channel is None:
        raise UserError(
            _(
                "{name} has no channel yet, so there is nowhere to tell the body. "
                "Write `/motebot flytt {short_name}` in the body's channel first.",
                name=services.body.name,
                short_name=services.body.short_name,
            )
        )
    with store.transaction():
        meeting, case = _find_case(services, number)
        _still_open(services, meeting, case)
        holders = seat_holders(store.roster.get(), store.attendance.of(meeting.number))
        if subject not in holders:
            if subject == actor:
                raise NotAllowed(
                    _("Only members with a seat in meeting {meeting}, or a vara holding one, declare themselves "
                      "inhabil: only they vote in case {case}.", meeting=meeting.number, case=number)
                )  # fmt: skip
            raise UserError(
                _("<@{user}> holds no seat in meeting {meeting} and does not vote in case {case}.",
                  user=subject, meeting=meeting.number, case=number)
            )  # fmt: skip
        if open_vote := next((v for v in store.votes.all(open_only=True)
                              if v.case == number and v.recusal_of is None), None):  # fmt: skip
            raise UserError(
                _("The vote on case {case} is open. The leader can stop it with `/avstemning avbryt {case}`; "
                  "then declare, and the body rules on it before the case is voted on.", case=open_vote.case)
            )  # fmt: skip
        session = avstemning.in_session(services, meeting.number)
        thread_ts = session.threads.get(number) if session is not None else None
        earlier = next((r for r in _in_case(services, meeting, number) if r.user == subject), None)
        if earlier is not None:
            declared = _declared_again(services, earlier, reason, channel, thread_ts, case.title)
        else:
            recusal = Recusal(0, meeting.number, number, subject, reason, declared_at=now, declared_by=actor)
            declared = Declared(store.recusals.add(recusal), services.body.id, channel, thread_ts, case.title)
    services.wakeup()
    return declared


def _declared_again(
    services: Services, earlier: Recusal, reason: str, channel: str, thread_ts: str | None, title: str
) -> Declared:
    """The same member in the same case again: a new reason, while the body has not begun to rule."""
    vote = _ruling_vote(services, earlier)
    if earlier.ruling is not None:
        raise UserError(_ruled(earlier))
    if vote is not None and vote.is_open:
        raise UserError(
            _("The body is voting on whether <@{user}> is inhabil in case {case} now.", user=earlier.user,
              case=earlier.case)
        )  # fmt: skip
    if not reason or reason == earlier.reason:
        raise UserError(
            _("<@{user}> has already declared in case {case}. To give the reason, write `/habilitet {case} reason`.",
              user=earlier.user, case=earlier.case)
        )  # fmt: skip
    recusal = replace(earlier, reason=reason)
    services.store.recusals.save(recusal)
    return Declared(recusal, services.body.id, channel, thread_ts, title, updated=True)


def _ruled(recusal: Recusal) -> str:
    if recusal.ruling is Ruling.INHABIL:
        return _("The body has already found <@{user}> inhabil in case {case}.", user=recusal.user, case=recusal.case)
    return _("The body has already found that <@{user}> is not inhabil in case {case}.", user=recusal.user,
             case=recusal.case)  # fmt: skip


def _declaration(services: Services, meeting: Meeting, number: Serial, user: str | None) -> Recusal:
    """The declaration in a case the chair means: the member's, or the only one still without a ruling."""
    found = _in_case(services, meeting, number)
    if user is not None:
        recusal = next((r for r in found if r.user == user), None)
        if recusal is None:
            raise UserError(
                _("<@{user}> has not declared in case {case}. Declare first: `/habilitet {case} <@{user}> reason`.",
                  user=user, case=number)
            )  # fmt: skip
        return recusal
    pending = [r for r in found if r.ruling is None]
    if len(pending) == 1:
        return pending[0]
    if not pending:
        raise UserError(_("No one has a declaration without a ruling in case {case}.", case=number))
    raise UserError(_("Several have declared in case {case}. Name one: `/habilitet {case} avgjør @Kari`.",
                      case=number))  # fmt: skip


def rule(services: Services, actor: str, number: Serial, user: str | None) -> RulingOpened:
    """forvaltningsloven § 8 andre ledd: in a collegial body the body decides, without the member; the vote
    follows the body's rules (an elected body votes in the meeting only, kommuneloven § 11-2)."""
    require_manager(services, actor, _("Only the leader and the secretariat can have the body rule on habilitet."))
    store = services.store
    with store.transaction():
        meeting, case = _find_case(services, number)
        return _open_ruling(services, actor, meeting, case, _declaration(services, meeting, number, user))


def rule_declaration(services: Services, actor: str, recusal_id: int) -> RulingOpened:
    """The button under a declaration: the same as `/habilitet 18/20 avgjør @Kari`."""
    require_manager(services, actor, _("Only the leader and the secretariat can have the body rule on habilitet."))
    store = services.store
    with store.transaction():
        recusal = store.recusals.get(recusal_id)
        if recusal is None:
            raise UserError(not_found())
        meeting, case = _find_case(services, recusal.case)
        return _open_ruling(services, actor, meeting, case, recusal)


def _open_ruling(services: Services, actor: str, meeting: Meeting, case: Case, recusal: Recusal) -> RulingOpened:
    """Call inside a transaction."""
    if recusal.ruling is not None:
        raise UserError(_ruled(recusal))
    _still_open(services, meeting, case)
    try:
        vote = avstemning.new_vote(services, actor, meeting, case, recusal.reason, recusal_of=recusal.user)
    except avstemning.AlreadyOpen as already:
        if already.vote.message_ts:
            raise UserError(
                _("The body is voting on whether <@{user}> is inhabil in case {case} now.", user=recusal.user,
                  case=case.number)
            ) from None  # fmt: skip
        return RulingOpened(recusal, already.vote, again=True)  # its post failed: post it now
    recusal = replace(recusal, vote=vote.id)
    services.store.recusals.save(recusal)
    services.wakeup()
    return RulingOpened(recusal, vote)


def withdraw(services: Services, actor: str, number: Serial, user: str | None) -> Withdrawn:
    """One's own declaration, or (the secretariat) a member's, before the body has begun to rule on it."""
    subject = user or actor
    if subject != actor:
        require_manager(services, actor, _("Only the leader and the secretariat can withdraw someone else's "
                                           "declaration."))  # fmt: skip
    store = services.store
    with store.transaction():
        meeting, _case = _find_case(services, number)
        recusal = next((r for r in _in_case(services, meeting, number) if r.user == subject), None)
        if recusal is None:
            if subject == actor:
                raise UserError(_("You have no declaration in case {case}.", case=number))
            raise UserError(_("<@{user}> has no declaration in case {case}.", user=subject, case=number))
        if recusal.ruling is not None:
            raise UserError(_ruled(recusal) + " " + _("A ruling cannot be withdrawn."))
        vote = _ruling_vote(services, recusal)
        if vote is not None and vote.is_open:
            raise UserError(
                _("The body is voting on it now. The leader can stop that vote with `/avstemning avbryt {case}`.",
                  case=number)
            )  # fmt: skip
        store.recusals.remove(recusal.id)
    services.wakeup()
    return Withdrawn(recusal, actor)


def listing(services: Services, number: Serial | None, *, meeting: bool = False) -> Listing:
    """The declarations in a case, or in a meeting (the next one without a number), each with its ruling."""
    store = services.store
    case: Serial | None = None
    found: Meeting | None
    if number is None:
        found, _ahead = store.meetings.next(services.clock.now())
        if found is None:
            raise UserError(_("There is no meeting. Write the case number, for example `/habilitet 18/20`."))
    elif not meeting and (found := store.meetings.with_case(number)) is not None:
        case = number
    else:
        found = store.meetings.get(number)
        if found is None:
            raise UserError(_("Found neither a case nor a meeting {number}.", number=number))
    recusals = [r for r in store.recusals.of(found.number) if case is None or r.case == case]
    order = {c.number: n for n, c in enumerate(found.cases)}
    recusals.sort(key=lambda r: (order.get(r.case, len(order)), r.declared_at, r.id))
    return Listing(found.number, case, tuple(Entry(r, _ruling_vote(services, r)) for r in recusals))
