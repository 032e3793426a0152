"""Votes in the channel: opening, casting, closing, restarting. Each step checked and stored in one commit.

Each step also adds a line to the vote's record (who, what, when), so the secretariat can write the
minutes from it and defend the result afterwards. The record and the decision are written once, in the
group's language when they happen: they are the minutes, and must read the same afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC
from typing import Literal

from bot.core.attendance import Ruling, Session, recused, seat_holders, voters
from bot.core.domain import (
    AgendaChange,
    Case,
    Choice,
    Meeting,
    Role,
    Serial,
    Tally,
    Vote,
    VoteEvent,
    VoteState,
)
from bot.core.errors import NotAllowed, UserError
from bot.core.formatting import short_datetime
from bot.core.i18n import N_, _
from bot.core.planner import vote_post_key
from bot.core.procedure import may_abstain, may_open
from bot.usecases import protokoll
from bot.usecases.grammar import Asker, keyword, without_case_prefix
from bot.usecases.services import Services, require_manager

COMMAND = "/avstemning"
_RECORD_WORDS = ("stemmeliste", "røystingsliste", "protokoll")  # protokoll: the word before, which means the minutes
USAGE = N_(
    "*How to use /avstemning* (the leader and the secretariat)\n"
    "• `/avstemning` – start a vote on the notice and agenda of the next meeting\n"
    "• `/avstemning 18/20` – start a vote on the proposed decision in case 18/20\n"
    "• `/avstemning stemmeliste 18/20` – who voted what, and when (for the minutes)\n"
    "• `/avstemning avbryt 18/20` – stop the open vote on case 18/20, without a result\n"
    "In the meeting the vote is held in the case's thread and stays open until the chair closes it. "
    "A vote before the meeting (administrative bodies) may run into it."
)


@dataclass(frozen=True)
class OpenVote:
    case: Serial | None  # None: the approval of the next meeting's notice and agenda


@dataclass(frozen=True)
class ShowRecord:
    case: Serial


@dataclass(frozen=True)
class AbortVote:
    case: Serial


Command = OpenVote | ShowRecord | AbortVote


def _case_number(words: list[str], how: str) -> Serial:
    words = without_case_prefix(words)
    number = Serial.parse(words[0]) if len(words) == 1 else None
    if number is None:
        raise UserError(how)
    return number


def parse(text: str) -> Command:
    words = text.split()
    action = keyword(words[0]) if words else ""
    if action in _RECORD_WORDS:
        return ShowRecord(_case_number(words[1:], _("Write it like this: `/avstemning stemmeliste 17/20`.")))
    if action == "avbryt":
        return AbortVote(_case_number(words[1:], _("Write it like this: `/avstemning avbryt 17/20`.")))
    if not words:
        return OpenVote(None)
    words = without_case_prefix(words)
    number = Serial.parse(words[0])
    if number is None or len(words) > 1:
        raise UserError(
            _("«{text}» is not a case number. Write for example `/avstemning 17/20`.", text=" ".join(words)[:40])
        )
    return OpenVote(number)


@dataclass(frozen=True)
class Opened:
    """A vote to post in the channel: new, or (`again`) one already open whose post never arrived."""

    vote: Vote
    again: bool = False


@dataclass(frozen=True)
class Aborted:
    vote: Vote


@dataclass(frozen=True)
class Record:
    """The latest vote on a case and every line of its record, for the minutes."""

    vote: Vote
    events: tuple[VoteEvent, ...]


@dataclass(frozen=True)
class Stale:
    """Why an open vote no longer matches what it was opened on: its case left the agenda, its proposal
    changed, or (a vote on the agenda itself) the agenda's version moved on from `was` to `now`."""

    why: Literal["removed", "proposal", "agenda"]
    was: int = 0
    now: int = 0


@dataclass(frozen=True)
class Shown:
    """What a vote's message in the channel shows: the vote, its case's title, and whether it is stale."""

    vote: Vote
    case_title: str
    stale: Stale | None
    recused: tuple[str, ...] = ()  # found inhabil in the case, and so not in this vote (forvaltningsloven § 6)


class AlreadyOpen(UserError):
    """The case has an open vote: the chair is told, or, if it has no message yet, it is posted again."""

    def __init__(self, vote: Vote) -> None:
        super().__init__(
            _(
                "There is already an open vote on case {case}. To stop it, write `/avstemning avbryt {case}`.",
                case=vote.case,
            )
        )
        self.vote = vote


def run(services: Services, asker: Asker, command: Command) -> Opened | Aborted | Record:
    if isinstance(command, ShowRecord):
        return record(services, asker.user, command.case)
    if isinstance(command, AbortVote):
        return Aborted(abort(services, asker.user, command.case))
    try:
        return Opened(open_vote(services, asker.user, command.case))
    except AlreadyOpen as already:
        if already.vote.message_ts:
            raise
        return Opened(already.vote, again=True)  # its post failed, or the bot died before it: try again now


def record(services: Services, actor: str, number: Serial) -> Record:
    """Who voted what is open to the body's members once a vote has closed (an open vote's names are the
    secretariat's until then, so no one votes by the list)."""
    roster = services.store.roster.get(services.rules.admins)
    if not roster.roles_of(actor) and not roster.can_manage(actor):
        raise NotAllowed(_("Only the members of {name} have access to this.", name=services.body.name))
    votes = [vote for vote in services.store.votes.all() if vote.case == number and vote.recusal_of is None]
    if not votes:
        raise UserError(_("There has been no vote on case {case}.", case=number))
    if votes[-1].is_open and not roster.can_manage(actor):
        raise NotAllowed(_("The record of an open vote is for the leader and the secretariat; it is open to all "
                           "members when the vote has closed."))  # fmt: skip
    return Record(votes[-1], tuple(services.store.votes.events(votes[-1].id)))


def _vote(services: Services, vote_id: int) -> Vote:
    vote = services.store.votes.get(vote_id)
    if vote is None:
        raise UserError(_("The vote was not found."))
    return vote


def _find_case(services: Services, number: Serial | None) -> tuple[Meeting, Case]:
    store, now = services.store, services.clock.now()
    if number is None:
        meeting, ahead = store.meetings.next(now)
        if meeting is None or not ahead:
            raise UserError(_("There is no coming meeting whose agenda could be approved."))
        case = meeting.approval_case()
        if case is None:
            raise UserError(
                _(
                    "Meeting {meeting} has no case «Approval of the notice and agenda». "
                    "Write the case number, for example `/avstemning 18/20`.",
                    meeting=meeting.number,
                )
            )
        return meeting, case
    meeting = store.meetings.with_case(number)
    if meeting is None:
        raise UserError(_("Case {case} was not found on any agenda.", case=number))
    case = meeting.case(number)
    assert case is not None
    return meeting, case


def stale_reason(vote: Vote, meeting: Meeting | None) -> Stale | None:
    """Why an open vote no longer matches what it was opened on, if it does not."""
    case = meeting.case(vote.case) if meeting else None
    if meeting is None or case is None:
        return Stale("removed")
    if vote.recusal_of is None and case.proposal != vote.proposal:  # a ruling's "proposal" is the reason given
        return Stale("proposal")
    if vote.approval and meeting.version != vote.agenda_version:
        return Stale("agenda", was=vote.agenda_version, now=meeting.version)
    return None


def shown(services: Services, vote: Vote) -> Shown:
    """What the vote's message says now: the stored vote against the agenda as it is."""
    meeting = services.store.meetings.get(vote.meeting)
    case = meeting.case(vote.case) if meeting else None
    out = sorted(recused(services.store.recusals.of(vote.meeting), vote.case) - vote.electorate)
    return Shown(vote, case.title if case else "", stale_reason(vote, meeting) if vote.is_open else None, tuple(out))


def stored(services: Services, vote_id: int) -> Vote | None:
    return services.store.votes.get(vote_id)


def shown_for_meeting(services: Services, meeting: Serial, *, every: bool = False) -> list[Vote]:
    """The votes of a meeting whose messages show it: the open ones, or (`every`) all that have a message."""
    return [
        vote
        for vote in services.store.votes.all(open_only=not every)
        if vote.meeting == meeting and (vote.message_ts or vote.is_open)
    ]


def adopt(services: Services, vote_id: int, channel: str, ts: str) -> Vote | None:
    """A click came from the vote's message in its channel, but its ts was never recorded (the post
    reached Slack; recording it did not): that message is the vote's, and it is not posted again."""
    with services.store.transaction():
        posted(services, vote_id, channel, ts)
        services.store.posts.mark_sent(vote_post_key(vote_id), services.clock.now())
    return services.store.votes.get(vote_id)


def open_vote(services: Services, actor: str, number: Serial | None) -> Vote:
    """A vote is posted in its body's channel only, wherever it was started from (SECURITY.md); in the
    meeting, in the case's thread."""
    require_manager(services, actor, _("Only the leader and the secretariat can start a vote."))
    with services.store.transaction():
        meeting, case = _find_case(services, number)
        if case.decision:
            raise UserError(
                _("Case {case} already has a decision: «{decision}»", case=case.number, decision=case.decision)
            )
        if not case.proposal:
            raise UserError(
                _(
                    "Case {case} has no proposed decision to vote on. Add it with `/dagsorden endre {case} forslag …`.",
                    case=case.number,
                )
            )
        if pending := [r for r in services.store.recusals.of(meeting.number) if r.case == case.number and not r.ruling]:
            raise UserError(_(
                "The body has not yet ruled on whether <@{user}> is inhabil in case {case}. "
                "Hold that vote first: `/habilitet {case} avgjør <@{user}>`.",
                user=pending[0].user, case=case.number,
            ))  # fmt: skip
        vote = new_vote(services, actor, meeting, case, case.proposal)
    services.wakeup()
    return vote


def in_session(services: Services, meeting: Serial) -> Session | None:
    """The meeting's session, while it is set."""
    session = services.store.sessions.get(meeting)
    return session if session is not None and session.in_session else None


def new_vote(
    services: Services, actor: str, meeting: Meeting, case: Case, proposal: str, *, recusal_of: str | None = None
) -> Vote:
    """Open a vote on `proposal` in `case` under the body's rules: who may vote is fixed now (present and
    entitled, not inhabil, and not the member whose habilitet it is). Call inside a transaction."""
    store, now, profile = services.store, services.clock.now(), services.body.rules
    channel = services.rules.channel
    if channel is None:
        raise UserError(
            _(
                "{name} has no channel yet, so there is nowhere to hold the vote. "
                "Write `/motebot flytt {short_name}` in the body's channel first.",
                name=services.body.name,
                short_name=services.body.short_name,
            )
        )
    if existing := next((v for v in store.votes.all(open_only=True)
                         if v.case == case.number and v.recusal_of == recusal_of), None):  # fmt: skip
        raise AlreadyOpen(existing)
    session = in_session(services, meeting.number)
    if not may_open(profile, in_session=session is not None):
        raise UserError(
            _(
                "Meeting {meeting} is not in session. An elected body votes in the meeting only "
                "(kommuneloven § 11-2); start it with `/mote start {meeting}`.",
                meeting=meeting.number,
            )
        )
    ended = store.sessions.get(meeting.number)
    if session is None and (ended is not None or meeting.ends_at(services.clock.tz) <= now):
        raise UserError(_("Meeting {meeting} is over; the vote can no longer be held.", meeting=meeting.number))
    roster = store.roster.get()
    attendance = store.attendance.of(meeting.number)
    excluded = recused(store.recusals.of(meeting.number), case.number) | {recusal_of or ""}
    electorate = voters(roster, attendance, now, in_session=session is not None, recused=excluded)
    if not electorate:
        if session is not None:
            raise UserError(_("No one entitled to vote is registered as present. Take the roll first: `/mote`."))
        raise UserError(_("No one on the member list has a vote yet. Add them with `/medlemmer leggtil`."))
    starts_at = meeting.starts_at(services.clock.tz)
    chair = session.chair if session is not None else roster.chair(attendance.absent())
    vote = Vote(
        id=0, meeting=meeting.number, case=case.number, proposal=proposal,
        agenda_version=meeting.version, electorate=electorate, opened_by=actor, opened_at=now,
        closes_at=None if session is not None else meeting.ends_at(services.clock.tz),
        channel=channel, approval=case == meeting.approval_case() and recusal_of is None,
        remind_by=starts_at if session is None and starts_at > now else None,
        seats=len(roster.seats()), profile=profile.name, chair=chair, in_session=session is not None,
        thread_ts=session.threads.get(case.number) if session is not None else None, recusal_of=recusal_of,
    )  # fmt: skip
    with services.in_body_language():  # kept in the vote's history: in the body's målform
        opened = VoteEvent(now, actor, _("opened the vote"))
    return store.votes.create(vote, opened)


def posted(services: Services, vote_id: int, channel: str, message_ts: str) -> None:
    with services.store.transaction():
        services.store.votes.save(replace(_vote(services, vote_id), channel=channel, message_ts=message_ts))


def cancel(services: Services, vote_id: int, why: str, actor: str = "motebot") -> Vote:
    """The vote ends without a result: Slack refused its message for good (`why` is Slack's error code),
    or the chair stopped it."""
    now = services.clock.now()
    with services.store.transaction():
        vote = replace(_vote(services, vote_id), state=VoteState.CANCELLED, closed_at=now)
        with services.in_body_language():  # kept in the vote's history: in the body's målform
            event = VoteEvent(now, actor, _("cancelled: {why}", why=why))
        services.store.votes.save(vote, event)
    services.wakeup()
    return vote


def abort(services: Services, actor: str, number: Serial) -> Vote:
    """The chair stops the open vote on a case (no result); a new one may then be started."""
    require_manager(services, actor, _("Only the leader and the secretariat can stop a vote."))
    with services.store.transaction():
        vote = next((v for v in services.store.votes.all(open_only=True) if v.case == number), None)
        if vote is None:
            raise UserError(_("There is no open vote on case {case}.", case=number))
        with services.in_body_language():  # kept in the vote's history: in the body's målform
            why = _("stopped with /avstemning avbryt")
        return cancel(services, vote.id, why, actor)


@dataclass(frozen=True)
class Cast:
    """A ballot as stored: `changed` is False for a repeated click (recorded once)."""

    vote: Vote
    choice: Choice
    changed: bool


def cast(services: Services, vote_id: int, voter: str, choice: Choice) -> Cast:
    """Record one member's ballot; a second click replaces the first, the same click again changes
    nothing. Durable when this returns."""
    store, now = services.store, services.clock.now()
    vote = _vote(services, vote_id)
    if vote.is_open and vote.closes_at and now.astimezone(UTC) >= vote.closes_at.astimezone(UTC):
        close(services, "motebot", vote_id, automatic=True)  # the meeting is over; its own commit
    with store.transaction():
        vote = _vote(services, vote_id)
        if not vote.is_open:
            raise UserError(_("The vote has closed. Your vote was not recorded."))
        if voter not in vote.electorate:
            if reason := _why_not_entitled(services, vote, voter):
                raise UserError(reason)
            role = store.roster.get().role_of(voter)
            if role is Role.OBSERVATOR:
                raise UserError(_("Observers have no vote."))
            if role is Role.SEKRETARIAT:
                raise UserError(_("You are the secretariat and have no vote."))
            if role is Role.VARA:
                raise UserError(_("You are a vara and vote only in the seat of a member with forfall."))
            if role is not None:  # a seat, taken after the vote opened
                raise UserError(_("You joined the member list after the vote opened, and do not vote in it."))
            raise UserError(_("You are not on the member list of {body} and cannot vote.", body=services.body.name))
        if choice is Choice.AVSTAR and not may_abstain(vote.rules):
            raise UserError(_(
                "In an elected body every member present must vote for or against (kommuneloven § 8-1). "
                "Your vote was not recorded."
            ))  # fmt: skip
        if vote.ballots.get(voter) is choice:
            return Cast(vote, choice, changed=False)
        vote = replace(vote, ballots={**vote.ballots, voter: choice})
        store.votes.save(vote, VoteEvent(now, voter, choice.value))
    services.wakeup(replan=False)  # a ballot changes no plan; only what the Home tabs show
    return Cast(vote, choice, changed=True)


def _why_not_entitled(services: Services, vote: Vote, voter: str) -> str | None:
    """Why someone with a seat is not in this vote's electorate: inhabil, the subject of the ruling, away."""
    if vote.recusal_of == voter:
        return _("You do not take part in the vote on your own habilitet (forvaltningsloven § 8).")
    if voter in recused(services.store.recusals.of(vote.meeting), vote.case):
        return _("You have been found inhabil in case {case} and do not vote in it.", case=vote.case)
    roster = services.store.roster.get()
    attendance = services.store.attendance.of(vote.meeting)
    if voter in attendance.substitutes() or roster.can_vote(voter):
        if vote.in_session:
            return _(
                "Only those present when the vote opened vote in it ({when}). Your vote was not recorded.",
                when=short_datetime(vote.opened_at),
            )
        if voter in attendance.absent() and voter not in seat_holders(roster, attendance):
            return _("A vara holds your seat in meeting {meeting}. Your vote was not recorded.", meeting=vote.meeting)
    return None


def close(services: Services, actor: str, vote_id: int, *, automatic: bool = False, why: str | None = None) -> Vote:
    """Close and count. With quorum, the result becomes the case's decision (and shows in /dagsorden); a
    vote on habilitet becomes the ruling. On its own (`automatic`) a vote closes when its meeting is over,
    never while the meeting is in session: the chair closes it there."""
    if not automatic:
        require_manager(services, actor, _("Only the leader and the secretariat can close a vote."))
    store, now = services.store, services.clock.now()
    with store.transaction():
        vote = _vote(services, vote_id)
        if not vote.is_open:
            if automatic:
                return vote
            raise UserError(_("The vote has already closed."))
        if automatic and why is None and in_session(services, vote.meeting) is not None:
            return vote  # the meeting is set and runs over its planned end: the chair closes the vote
        with services.in_body_language():  # kept in the vote's history: in the body's målform
            how = why or (_("closed automatically when the meeting was over") if automatic else _("closed the vote"))
        vote = replace(vote, state=VoteState.CLOSED, closed_at=now)
        store.votes.save(vote, VoteEvent(now, actor, how))
        tally = vote.decision()
        if vote.recusal_of is not None:
            _rule(services, vote, tally)
            services.wakeup()
            return vote
        meeting = store.meetings.get(vote.meeting)
        case = meeting.case(vote.case) if meeting else None
        if tally and meeting and case:
            with services.in_body_language():  # the decision is kept on the case, and read in the minutes
                decision = decision_text(vote, tally)
                summary = _("Decision in case {case}: {decision}", case=vote.case, decision=decision)
            store.meetings.save([replace(meeting, cases=tuple(
                replace(c, decision=decision) if c.number == vote.case else c for c in meeting.cases
            ))])  # fmt: skip
            store.meetings.add_change(AgendaChange(meeting.number, meeting.version, now, actor, summary))
            protokoll.approve_by_vote(services, vote)  # «Godkjenning av protokoll fra forrige møte»
    services.wakeup()
    return vote


def _rule(services: Services, vote: Vote, tally: Tally | None) -> None:
    """A closed vote on habilitet is the body's ruling; without quorum there is none, and it is voted on again."""
    recusal = services.store.recusals.by_vote(vote.id)
    if recusal is None or tally is None:
        return
    ruling = Ruling.INHABIL if tally.adopted else Ruling.HABIL
    services.store.recusals.save(replace(recusal, ruling=ruling, ruled_at=vote.closed_at))


def decision_text(vote: Vote, tally: Tally) -> str:
    """The case's decision as the vote made it, stored on the case: the proposal, or that it fell, with the count."""
    counts = {"yes": tally.for_, "no": tally.mot, "abstained": tally.avstar}
    if tally.by_casting_vote:
        if tally.adopted:
            return _("{proposal} (For {yes}, against {no}; adopted by the chair's casting vote.)",
                     proposal=vote.proposal, yes=tally.for_, no=tally.mot)  # fmt: skip
        return _("The proposal was not adopted. (For {yes}, against {no}; the chair's casting vote decided.)",
                 yes=tally.for_, no=tally.mot)  # fmt: skip
    if not vote.rules.abstain_allowed:
        if tally.adopted:
            return _("{proposal} (For {yes}, against {no}.)", proposal=vote.proposal, yes=tally.for_, no=tally.mot)
        return _("The proposal was not adopted. (For {yes}, against {no}.)", yes=tally.for_, no=tally.mot)
    if tally.adopted:
        return _("{proposal} (For {yes}, against {no}, abstained {abstained}.)", proposal=vote.proposal, **counts)
    return _("The proposal was not adopted. (For {yes}, against {no}, abstained {abstained}.)", **counts)


def open_approval(services: Services, actor: str, meeting_number: Serial | None) -> Opened:
    """The button on a meeting notice: the agenda's approval vote, in the body's channel."""
    meeting = services.store.meetings.get(meeting_number) if meeting_number else None
    approval = meeting.approval_case() if meeting else None
    if approval is None:
        raise UserError(_("The meeting has no case «Approval of the notice and agenda»."))
    try:
        return Opened(open_vote(services, actor, approval.number))
    except AlreadyOpen as already:
        if already.vote.message_ts:
            raise
        return Opened(already.vote, again=True)  # never posted: post it now


def restart(services: Services, actor: str, vote_id: int) -> tuple[Vote, Vote]:
    """A new vote on the agenda as it is now; the old one is kept in the record as superseded."""
    require_manager(services, actor, _("Only the leader and the secretariat can restart a vote."))
    store, now = services.store, services.clock.now()
    with store.transaction():
        old = _vote(services, vote_id)
        if not old.is_open:
            raise UserError(_("The vote has closed and cannot be restarted."))
        if stale_reason(old, store.meetings.get(old.meeting)) is None:
            raise UserError(_("The agenda has not changed; the vote can go on as it is."))
        old = replace(old, state=VoteState.SUPERSEDED, closed_at=now)
        with services.in_body_language():  # kept in the vote's history: in the body's målform
            replaced = VoteEvent(now, actor, _("replaced by a new vote"))
        store.votes.save(old, replaced)
        new = open_vote(services, actor, old.case)
    return old, new
