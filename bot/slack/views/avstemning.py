"""/avstemning: the vote's message in the channel, open or closed, and its record for the minutes."""

from __future__ import annotations

from bot.core.domain import (
    Choice,
    Vote,
    VoteEvent,
    VoteState,
)
from bot.core.formatting import (
    clock_time,
    long_date,
    short_datetime,
)
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import _logged, mention

VOTE_ACTIONS = {Choice.FOR: "vote_for", Choice.MOT: "vote_mot", Choice.AVSTAR: "vote_avstar"}


VOTE_LABELS = {Choice.FOR: "Godkjenn", Choice.MOT: "Ikke godkjenn", Choice.AVSTAR: "Avstår"}


VOTE_CLOSE_ACTION = "vote_close"


VOTE_RESTART_ACTION = "vote_restart"


def _counts(vote: Vote) -> str:
    tally = vote.tally()
    return (
        f"*For:* {tally.for_}   *Mot:* {tally.mot}   *Avstår:* {tally.avstar}   ·   "
        f"{tally.voted} av {tally.electorate} har stemt"
    )


def _result(vote: Vote) -> str:
    tally = vote.tally()
    if vote.state is VoteState.SUPERSEDED:
        return ":arrows_counterclockwise: *Erstattet av en ny avstemning.* Stemmene her teller ikke."
    if vote.state is VoteState.CANCELLED:
        return ":x: *Avbrutt.*"
    if not tally.quorum:
        need = (tally.electorate + 1) // 2
        return (
            f":x: *Ikke vedtaksfør:* bare {tally.voted} av {tally.electorate} stemmeberettigede deltok "
            f"(minst {need} trengs). Ingen vedtak ble fattet."
        )
    if tally.adopted:
        return f":white_check_mark: *Vedtatt:* {escape(vote.proposal)}"
    return ":x: *Ikke vedtatt:* forslaget fikk ikke flertall."


def vote_message(vote: Vote, case_title: str, stale: str | None) -> Message:
    """The vote as the channel sees it, open or closed; the buttons carry the vote's number."""
    body: list[blocks.Block] = [
        blocks.header(f"Avstemning: Sak {vote.case} {case_title}"),
        blocks.section(f"*Forslag til vedtak:* {escape(vote.proposal)}"),
    ]
    when = f"{long_date(vote.closes_at.date())} kl. {clock_time(vote.closes_at.time())}"
    if vote.is_open:
        body.append(blocks.context(
            f"Møte {vote.meeting} · dagsorden versjon {vote.agenda_version} · "
            f"stenges automatisk når møtet begynner, {when}"
        ))  # fmt: skip
        body.append(blocks.section(_counts(vote)))
        waiting = vote.not_voted()
        if waiting:
            shown = ", ".join(mention(u) for u in waiting[:40])
            more = f" og {len(waiting) - 40} til" if len(waiting) > 40 else ""
            body.append(blocks.context(f"Har ikke stemt: {shown}{more}"))
        if stale:
            body.append(blocks.section(f":warning: {escape(stale)} Lederen kan starte avstemningen på nytt."))
        buttons = [blocks.button(VOTE_LABELS[c], VOTE_ACTIONS[c], str(vote.id)) for c in Choice]
        buttons[0]["style"], buttons[1]["style"] = "primary", "danger"
        buttons.append(blocks.button("Avslutt avstemning", VOTE_CLOSE_ACTION, str(vote.id)))
        if stale:
            buttons.append(blocks.button("Start på nytt", VOTE_RESTART_ACTION, str(vote.id)))
        body.append(blocks.actions(*buttons, block_id=f"vote-{vote.id}"))
        text = f"Avstemning om sak {vote.case}: {escape(vote.proposal)}"
    else:
        body.append(blocks.section(_result(vote)))
        body.append(blocks.section(_counts(vote)))
        closed = short_datetime(vote.closed_at) if vote.closed_at else ""
        body.append(blocks.context(f"Møte {vote.meeting} · avsluttet {closed}"))
        text = f"Avstemning om sak {vote.case} er avsluttet"
    return Message(text=text, blocks=body)


def vote_record(vote: Vote, events: list[VoteEvent]) -> Message:
    """The record for the minutes: every opening, ballot and closing, with who and when."""
    lines = [f"*Protokoll for avstemning {vote.id} (sak {vote.case}, {vote.state.value})*", _counts(vote)]
    lines += [_logged(event.at, event.actor, event.action) for event in events[-200:]]
    return Message(text=f"Protokoll for avstemning {vote.id}", blocks=blocks.pack_sections(lines, 45))
