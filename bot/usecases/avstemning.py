"""Votes in the channel: opening, casting, closing, restarting. Each step checked and stored in one commit.

Each step also adds a line to the vote's record (who, what, when), so the secretariat can write the
minutes from it and defend the result afterwards. The record and the decision are written once, in the
group's language when they happen: they are the minutes, and must read the same afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC
from typing import Literal

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
from bot.core.errors import UserError
from bot.core.i18n import N_, _
from bot.core.planner import vote_post_key
from bot.usecases.grammar import Asker, without_case_prefix
from bot.usecases.services import Services, require_manager

COMMAND = "/avstemning"
USAGE = N_(
    "*How to use /avstemning* (the leader and the secretariat)\n"
    "• `/avstemning` – start a vote on the notice and agenda of the next meeting\n"
    "• `/avstemning 18/20` – start a vote on the proposed decision in case 18/20\n"
    "• `/avstemning protokoll 18/20` – who voted what, and when (for the minutes)\n"
    "• `/avstemning avbryt 18/20` – stop the open vote on case 18/20, without a result\n"
    "The vote closes when the meeting begins, or with the button «Close the vote»."
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
    action = words[0].casefold() if words else ""
    if action == "protokoll":
        return ShowRecord(_case_number(words[1:], _("Write it like this: `/avstemning protokoll 17/20`.")))
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
    require_manager(services, actor, _("Only the leader and the secretariat can see the record."))
    votes = [vote for vote in services.store.votes.all() if vote.case == number]
    if not votes:
        raise UserError(_("There has been no vote on case {case}.", case=number))
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
    if case.proposal != vote.proposal:
        return Stale("proposal")
    if vote.approval and meeting.version != vote.agenda_version:
        return Stale("agenda", was=vote.agenda_version, now=meeting.version)
    return None


def shown(services: Services, vote: Vote) -> Shown:
    """What the vote's message says now: the stored vote against the agenda as it is."""
    meeting = services.store.meetings.get(vote.meeting)
    case = meeting.case(vote.case) if meeting else None
    return Shown(vote, case.title if case else "", stale_reason(vote, meeting) if vote.is_open else None)


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
    """A vote is posted in its body's channel only, wherever it was started from (SECURITY.md)."""
    require_manager(services, actor, _("Only the leader and the secretariat can start a vote."))
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
    store, now = services.store, services.clock.now()
    with store.transaction():
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
        if existing := next((v for v in store.votes.all(open_only=True) if v.case == case.number), None):
            raise AlreadyOpen(existing)
        closes_at = meeting.starts_at(services.clock.tz)
        if closes_at <= now:
            raise UserError(
                _("Meeting {meeting} has already begun; the vote must be held in the meeting.", meeting=meeting.number)
            )
        roster = store.roster.get()
        electorate = frozenset(user for user in roster.roles if roster.can_vote(user))
        if not electorate:
            raise UserError(_("No one on the member list has a vote yet. Add them with `/medlemmer leggtil`."))
        vote = Vote(
            id=0, meeting=meeting.number, case=case.number, proposal=case.proposal,
            agenda_version=meeting.version, electorate=electorate, opened_by=actor, opened_at=now,
            closes_at=closes_at, channel=channel,
            approval=case == meeting.approval_case(),
        )  # fmt: skip
        vote = store.votes.create(vote, VoteEvent(now, actor, _("opened the vote")))
    services.wakeup()
    return vote


def posted(services: Services, vote_id: int, channel: str, message_ts: str) -> None:
    with services.store.transaction():
        services.store.votes.save(replace(_vote(services, vote_id), channel=channel, message_ts=message_ts))


def cancel(services: Services, vote_id: int, why: str, actor: str = "motebot") -> Vote:
    """The vote ends without a result: Slack refused its message for good (`why` is Slack's error code),
    or the chair stopped it."""
    now = services.clock.now()
    with services.store.transaction():
        vote = replace(_vote(services, vote_id), state=VoteState.CANCELLED, closed_at=now)
        services.store.votes.save(vote, VoteEvent(now, actor, _("cancelled: {why}", why=why)))
    services.wakeup()
    return vote


def abort(services: Services, actor: str, number: Serial) -> Vote:
    """The chair stops the open vote on a case (no result); a new one may then be started."""
    require_manager(services, actor, _("Only the leader and the secretariat can stop a vote."))
    with services.store.transaction():
        vote = next((v for v in services.store.votes.all(open_only=True) if v.case == number), None)
        if vote is None:
            raise UserError(_("There is no open vote on case {case}.", case=number))
        return cancel(services, vote.id, _("stopped with /avstemning avbryt"), actor)


def cast(services: Services, vote_id: int, voter: str, choice: Choice) -> Vote:
    """Record one member's ballot; a second click replaces the first. Durable when this returns."""
    store, now = services.store, services.clock.now()
    vote = _vote(services, vote_id)
    if vote.is_open and now.astimezone(UTC) >= vote.closes_at.astimezone(UTC):
        close(services, "motebot", vote_id, automatic=True)  # the meeting has begun; its own commit
    with store.transaction():
        vote = _vote(services, vote_id)
        if not vote.is_open:
            raise UserError(_("The vote has closed. Your vote was not recorded."))
        if voter not in vote.electorate:
            roles = store.roster.get().roles_of(voter)
            if Role.OBSERVATOR in roles:
                raise UserError(_("Observers have no vote."))
            if roles:
                raise UserError(_("The secretariat has no vote, unless you are also a member."))
            raise UserError(_("You are not on the steering group's member list and cannot vote."))
        vote = replace(vote, ballots={**vote.ballots, voter: choice})
        store.votes.save(vote, VoteEvent(now, voter, choice.value))
    services.wakeup(replan=False)  # a ballot changes no plan; only what the Home tabs show
    return vote


def close(services: Services, actor: str, vote_id: int, *, automatic: bool = False) -> Vote:
    """Close and count. With quorum, the result becomes the case's decision (and shows in /dagsorden)."""
    if not automatic:
        require_manager(services, actor, _("Only the leader and the secretariat can close a vote."))
    store, now = services.store, services.clock.now()
    with store.transaction():
        vote = _vote(services, vote_id)
        if not vote.is_open:
            if automatic:
                return vote
            raise UserError(_("The vote has already closed."))
        how = _("closed automatically when the meeting began") if automatic else _("closed the vote")
        vote = replace(vote, state=VoteState.CLOSED, closed_at=now)
        store.votes.save(vote, VoteEvent(now, actor, how))
        tally = vote.decision()
        meeting = store.meetings.get(vote.meeting)
        case = meeting.case(vote.case) if meeting else None
        if tally and meeting and case:
            decision = decision_text(vote, tally)
            store.meetings.save([replace(meeting, cases=tuple(
                replace(c, decision=decision) if c.number == vote.case else c for c in meeting.cases
            ))])  # fmt: skip
            summary = _("Decision in case {case}: {decision}", case=vote.case, decision=decision)
            store.meetings.add_change(AgendaChange(meeting.number, meeting.version, now, actor, summary))
    services.wakeup()
    return vote


def decision_text(vote: Vote, tally: Tally) -> str:
    """The case's decision as the vote made it, stored on the case: the proposal, or that it fell, with the count."""
    counts = {"yes": tally.for_, "no": tally.mot, "abstained": tally.avstar}
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
        store.votes.save(old, VoteEvent(now, actor, _("replaced by a new vote")))
        new = open_vote(services, actor, old.case)
    return old, new
