"""Votes in the channel: opening, casting, closing, restarting. Each step checked and stored in one commit.

Each step also adds a line to the vote's record (who, what, when), so the secretariat can write the
minutes from it and defend the result afterwards.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC

from bot.core.domain import (
    AgendaChange,
    Case,
    Choice,
    Meeting,
    Role,
    Serial,
    Vote,
    VoteEvent,
    VoteState,
)
from bot.core.errors import UserError
from bot.usecases.services import Services, require_manager

CHAIR = "lederen og sekretariatet"


class AlreadyOpen(UserError):
    """The case has an open vote: the chair is told, or, if it has no message yet, it is posted again."""

    def __init__(self, vote: Vote) -> None:
        super().__init__(
            f"Det er allerede en åpen avstemning om sak {vote.case}. "
            f"Vil du avbryte den, skriv `/avstemning avbryt {vote.case}`."
        )
        self.vote = vote


def _vote(services: Services, vote_id: int) -> Vote:
    vote = services.store.vote(vote_id)
    if vote is None:
        raise UserError("Fant ikke avstemningen.")
    return vote


def _find_case(services: Services, number: Serial | None) -> tuple[Meeting, Case]:
    store, now = services.store, services.clock.now()
    if number is None:
        meeting, ahead = store.next_meeting(now)
        if meeting is None or not ahead:
            raise UserError("Det er ikke noe kommende møte å godkjenne dagsordenen for.")
        case = meeting.approval_case()
        if case is None:
            raise UserError(
                f"Møte {meeting.number} har ingen sak «Godkjenning av innkalling og dagsorden». "
                "Skriv saksnummeret, for eksempel `/avstemning 18/20`."
            )
        return meeting, case
    meeting = store.meeting_with_case(number)
    if meeting is None:
        raise UserError(f"Fant ikke sak {number} på noen dagsorden.")
    case = meeting.case(number)
    assert case is not None
    return meeting, case


def stale_reason(vote: Vote, meeting: Meeting | None) -> str | None:
    """Why an open vote no longer matches what it was opened on, if it does not."""
    case = meeting.case(vote.case) if meeting else None
    if meeting is None or case is None:
        return "Saken er fjernet fra dagsordenen etter at avstemningen startet."
    if case.proposal != vote.proposal:
        return "Forslaget til vedtak er endret etter at avstemningen startet."
    if vote.approval and meeting.version != vote.agenda_version:
        return (
            f"Dagsordenen er endret etter at avstemningen startet (versjon {vote.agenda_version} → {meeting.version})."
        )
    return None


def open_vote(services: Services, actor: str, number: Serial | None, channel: str) -> Vote:
    require_manager(services, actor, "Bare lederen og sekretariatet kan starte en avstemning.")
    store, now = services.store, services.clock.now()
    with store.transaction():
        meeting, case = _find_case(services, number)
        if case.decision:
            raise UserError(f"Sak {case.number} har allerede et vedtak: «{case.decision}»")
        if not case.proposal:
            raise UserError(
                f"Sak {case.number} har ikke noe forslag til vedtak å stemme over. "
                f"Legg det inn med `/dagsorden endre {case.number} forslag …`."
            )
        if existing := next((v for v in store.votes(open_only=True) if v.case == case.number), None):
            raise AlreadyOpen(existing)
        closes_at = meeting.starts_at(services.clock.tz)
        if closes_at <= now:
            raise UserError(f"Møte {meeting.number} har allerede begynt; avstemningen må holdes i møtet.")
        roster = store.roster()
        electorate = frozenset(user for user in roster.roles if roster.can_vote(user))
        if not electorate:
            raise UserError("Ingen i medlemslisten har stemmerett ennå. Legg til med `/medlemmer leggtil`.")
        vote = Vote(
            id=0, meeting=meeting.number, case=case.number, proposal=case.proposal,
            agenda_version=meeting.version, electorate=electorate, opened_by=actor, opened_at=now,
            closes_at=closes_at, channel=channel,
            approval=case == meeting.approval_case(),
        )  # fmt: skip
        vote = store.create_vote(vote, VoteEvent(now, actor, "åpnet"))
    services.wakeup()
    return vote


def posted(services: Services, vote_id: int, channel: str, message_ts: str) -> None:
    with services.store.transaction():
        services.store.save_vote(replace(_vote(services, vote_id), channel=channel, message_ts=message_ts))


def cancel(services: Services, vote_id: int, why: str, actor: str = "motebot") -> Vote:
    """The vote ends without a result: Slack refused its message for good, or the chair stopped it."""
    now = services.clock.now()
    with services.store.transaction():
        vote = replace(_vote(services, vote_id), state=VoteState.CANCELLED, closed_at=now)
        services.store.save_vote(vote, VoteEvent(now, actor, f"avbrutt: {why}"))
    services.wakeup()
    return vote


def abort(services: Services, actor: str, number: Serial) -> Vote:
    """The chair stops the open vote on a case (no result); a new one may then be started."""
    require_manager(services, actor, "Bare lederen og sekretariatet kan avbryte en avstemning.")
    with services.store.transaction():
        vote = next((v for v in services.store.votes(open_only=True) if v.case == number), None)
        if vote is None:
            raise UserError(f"Det er ingen åpen avstemning om sak {number}.")
        return cancel(services, vote.id, "stoppet med /avstemning avbryt", actor)


def cast(services: Services, vote_id: int, voter: str, choice: Choice) -> Vote:
    """Record one member's ballot; a second click replaces the first. Durable when this returns."""
    store, now = services.store, services.clock.now()
    vote = _vote(services, vote_id)
    if vote.is_open and now.astimezone(UTC) >= vote.closes_at.astimezone(UTC):
        close(services, "motebot", vote_id, automatic=True)  # the meeting has begun; its own commit
    with store.transaction():
        vote = _vote(services, vote_id)
        if not vote.is_open:
            raise UserError("Avstemningen er avsluttet. Stemmen ble ikke registrert.")
        if voter not in vote.electorate:
            roles = store.roster().roles_of(voter)
            if Role.OBSERVATOR in roles:
                raise UserError("Observatører har ikke stemmerett.")
            if roles:
                raise UserError("Sekretariatet har ikke stemmerett, med mindre du også er medlem.")
            raise UserError("Du står ikke på styringsgruppens medlemsliste og kan ikke stemme.")
        vote = replace(vote, ballots={**vote.ballots, voter: choice})
        store.save_vote(vote, VoteEvent(now, voter, choice.value))
    services.wakeup(replan=False)  # a ballot changes no plan; only what the Home tabs show
    return vote


def close(services: Services, actor: str, vote_id: int, *, automatic: bool = False) -> Vote:
    """Close and count. With quorum, the result becomes the case's decision (and shows in /dagsorden)."""
    if not automatic:
        require_manager(services, actor, "Bare lederen og sekretariatet kan avslutte en avstemning.")
    store, now = services.store, services.clock.now()
    with store.transaction():
        vote = _vote(services, vote_id)
        if not vote.is_open:
            if automatic:
                return vote
            raise UserError("Avstemningen er allerede avsluttet.")
        how = "avsluttet automatisk da møtet begynte" if automatic else "avsluttet"
        vote = replace(vote, state=VoteState.CLOSED, closed_at=now)
        store.save_vote(vote, VoteEvent(now, actor, how))
        decision = vote.decision()
        meeting = store.meeting(vote.meeting)
        case = meeting.case(vote.case) if meeting else None
        if decision and meeting and case:
            store.save_meetings([replace(meeting, cases=tuple(
                replace(c, decision=decision) if c.number == vote.case else c for c in meeting.cases
            ))])  # fmt: skip
            store.add_agenda_change(
                AgendaChange(meeting.number, meeting.version, now, actor, f"Vedtak i sak {vote.case}: {decision}")
            )
    services.wakeup()
    return vote


def restart(services: Services, actor: str, vote_id: int) -> tuple[Vote, Vote]:
    """A new vote on the agenda as it is now; the old one is kept in the record as superseded."""
    require_manager(services, actor, "Bare lederen og sekretariatet kan starte avstemningen på nytt.")
    store, now = services.store, services.clock.now()
    with store.transaction():
        old = _vote(services, vote_id)
        if not old.is_open:
            raise UserError("Avstemningen er avsluttet og kan ikke startes på nytt.")
        if stale_reason(old, store.meeting(old.meeting)) is None:
            raise UserError("Dagsordenen er ikke endret; avstemningen kan fortsette som den er.")
        old = replace(old, state=VoteState.SUPERSEDED, closed_at=now)
        store.save_vote(old, VoteEvent(now, actor, "erstattet av ny avstemning"))
        new = open_vote(services, actor, old.case, old.channel or "")
    return old, new
