"""/avstemning: the vote's message in the channel, open or closed, its reminder, and its record for the minutes."""

from __future__ import annotations

from bot.core.domain import Choice, Serial, Vote, VoteState
from bot.core.formatting import moment, short_datetime
from bot.core.i18n import _, ngettext
from bot.core.procedure import may_abstain
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import _logged, done, mention, notice
from bot.usecases.avstemning import Aborted, Opened, Record, Shown, Stale

VOTE_ACTIONS = {Choice.FOR: "vote_for", Choice.MOT: "vote_mot", Choice.AVSTAR: "vote_avstar"}
VOTE_CLOSE_ACTION = "vote_close"
VOTE_RESTART_ACTION = "vote_restart"
SHOWN_WAITING = 40  # members named under "not voted yet"; the rest are counted


def _label(choice: Choice) -> str:
    """One word per choice, on the buttons, in the tally and in the record."""
    return {Choice.FOR: _("For"), Choice.MOT: _("Against"), Choice.AVSTAR: _("Abstain")}[choice]


def _choices(vote: Vote) -> list[Choice]:
    return [choice for choice in Choice if choice is not Choice.AVSTAR or may_abstain(vote.rules)]


def _state(state: VoteState) -> str:
    return {
        VoteState.OPEN: _("open"),
        VoteState.CLOSED: _("closed"),
        VoteState.SUPERSEDED: _("replaced"),
        VoteState.CANCELLED: _("cancelled"),
    }[state]


def _counts(vote: Vote) -> str:
    """«For: 3   Mot: 1   Avstår: 0   ·   4 av 5 har stemt»; without «Avstår» where no one may abstain."""
    tally = vote.tally()
    if not may_abstain(vote.rules):
        return ngettext(
            "*For:* {yes}   *Against:* {no}   ·   {count} of {electorate} has voted",
            "*For:* {yes}   *Against:* {no}   ·   {count} of {electorate} have voted",
            tally.voted,
            yes=tally.for_, no=tally.mot, electorate=tally.electorate,
        )  # fmt: skip
    return ngettext(
        "*For:* {yes}   *Against:* {no}   *Abstained:* {abstained}   ·   {count} of {electorate} has voted",
        "*For:* {yes}   *Against:* {no}   *Abstained:* {abstained}   ·   {count} of {electorate} have voted",
        tally.voted,
        yes=tally.for_, no=tally.mot, abstained=tally.avstar, electorate=tally.electorate,
    )  # fmt: skip


def _result(vote: Vote) -> str:
    tally = vote.tally()
    if vote.state is VoteState.SUPERSEDED:
        replaced = _("*Replaced by a new vote.* The votes here do not count.")
        return f":arrows_counterclockwise: {replaced}"
    if vote.state is VoteState.CANCELLED:
        cancelled = _("*The vote was cancelled.*")
        return f":x: {cancelled}"
    if not tally.quorum and not tally.voted:
        no_quorum = ngettext(
            "*No quorum:* The one entitled to vote did not vote. No decision was made.",
            "*No quorum:* None of the {count} entitled to vote voted. No decision was made.",
            tally.seats or tally.electorate,
        )
        return f":x: {no_quorum}"
    if not tally.quorum:
        no_quorum = _(
            "*No quorum:* only {voted} of {seats} seats took part (at least {need} are needed). "
            "No decision was made.",
            voted=tally.voted, seats=tally.seats or tally.electorate, need=tally.needed,
        )  # fmt: skip
        return f":x: {no_quorum}"
    casting = " " + _("The chair’s casting vote decided the tie.") if tally.by_casting_vote else ""
    if vote.recusal_of is not None:
        found = (
            _("*Inhabil:* {person} does not take part in case {case}.", person=mention(vote.recusal_of), case=vote.case)
            if tally.adopted
            else _(
                "*Not inhabil:* {person} takes part in case {case}.", person=mention(vote.recusal_of), case=vote.case
            )
        )
        return f"{':no_entry:' if tally.adopted else ':white_check_mark:'} {found}{casting}"  # fmt: skip
    if tally.adopted:
        adopted = _("*Adopted:* {proposal}", proposal=escape(vote.proposal))
        return f":white_check_mark: {adopted}{casting}"
    not_adopted = _("*Not adopted:* the proposal did not get a majority.")
    return f":x: {not_adopted}{casting}"


def _names(vote: Vote) -> str:
    """Who voted what, by name: in an elected body's result, and in every record."""
    lines = []
    for choice in _choices(vote):
        people = sorted(user for user, given in vote.ballots.items() if given is choice and user in vote.electorate)
        if people:
            lines.append(f"*{_label(choice)}:* {', '.join(mention(user) for user in people)}")
    return "\n".join(lines)


def _stale(stale: Stale) -> str:
    if stale.why == "removed":
        return _("The case has been removed from the agenda since the vote began.")
    if stale.why == "proposal":
        return _("The proposed decision has changed since the vote began.")
    return _("The agenda has changed since the vote began (version {was} → {now}).", was=stale.was, now=stale.now)


def _waiting(waiting: list[str], *, has_voted: bool = False) -> str:
    shown = ", ".join(mention(u) for u in waiting[:SHOWN_WAITING])
    more = len(waiting) - SHOWN_WAITING
    if has_voted:
        if more <= 0:
            return _("Has voted: {people}", people=shown)
        return ngettext("Has voted: {people} and {count} more", "Has voted: {people} and {count} more", more,
                        people=shown)  # fmt: skip
    if more <= 0:
        return _("Not voted yet: {people}", people=shown)
    return ngettext("Not voted yet: {people} and {count} more", "Not voted yet: {people} and {count} more", more,
                    people=shown)  # fmt: skip


def _heading(shown: Shown) -> list[blocks.Block]:
    vote = shown.vote
    if vote.recusal_of is not None:
        return [
            blocks.header(_("Vote on habilitet: Case {case} {title}", case=vote.case, title=shown.case_title)),
            blocks.section(
                _(
                    "*Proposal:* {person} is inhabil in case {case} and does not take part in it.",
                    person=mention(vote.recusal_of),
                    case=vote.case,
                )
            ),
            blocks.context(
                _(
                    "Reason given: {reason} · {person} does not vote on this (forvaltningsloven § 8)",
                    reason=escape(vote.proposal) or "–",
                    person=mention(vote.recusal_of),
                )
            ),
        ]
    return [
        blocks.header(_("Vote: Case {case} {title}", case=vote.case, title=shown.case_title)),
        blocks.section(_("*Proposed decision:* {proposal}", proposal=escape(vote.proposal))),
    ]


def _open_until(vote: Vote) -> str:
    if vote.in_session or vote.closes_at is None:
        return _("Meeting {meeting} · in session · open until the chair closes it", meeting=vote.meeting)
    return _(
        "Meeting {meeting} · agenda version {version} · open until the chair closes it, at the latest when the "
        "meeting is over, {when}",
        meeting=vote.meeting, version=vote.agenda_version, when=moment(vote.closes_at),
    )  # fmt: skip


def vote_message(shown: Shown, *, for_member: bool = False) -> Message:
    """The vote as the channel sees it, open or closed; the buttons carry the vote's number. `for_member`:
    shown to one member (a reminder in their DM), without the chair's buttons."""
    vote = shown.vote
    body = _heading(shown)
    if shown.recused:
        inhabil = _("Inhabil: {people}", people=", ".join(mention(user) for user in shown.recused))
        body.append(blocks.context(f":no_entry: {inhabil}"))
    if vote.is_open:
        body.append(blocks.context(_open_until(vote)))
        body.append(blocks.section(_counts(vote)))
        voted = sorted(vote.ballots.keys() & vote.electorate)
        if voted:
            body.append(blocks.context(_waiting(voted, has_voted=True)))
        waiting = vote.not_voted()
        if waiting:
            body.append(blocks.context(_waiting(waiting)))
        if shown.stale:
            stale = _("{why} The leader can restart the vote.", why=escape(_stale(shown.stale)))
            body.append(blocks.section(f":warning: {stale}"))
        buttons = [blocks.button(_label(c), VOTE_ACTIONS[c], str(vote.id)) for c in _choices(vote)]
        buttons[0]["style"], buttons[1]["style"] = "primary", "danger"
        if not for_member:
            buttons.append(blocks.button(_("Close the vote"), VOTE_CLOSE_ACTION, str(vote.id)))
            if shown.stale:
                buttons.append(blocks.button(_("Start again"), VOTE_RESTART_ACTION, str(vote.id)))
        body.append(blocks.actions(*buttons, block_id=f"vote-{vote.id}"))
        text = _("Vote on case {case}: {proposal}", case=vote.case, proposal=escape(vote.proposal))
    else:
        body.append(blocks.section(_result(vote)))
        body.append(blocks.section(_counts(vote)))
        if vote.state is VoteState.CLOSED and vote.rules.names_in_record and (names := _names(vote)):
            body.append(blocks.section(names))
        closed = short_datetime(vote.closed_at) if vote.closed_at else ""
        body.append(blocks.context(_("Meeting {meeting} · closed {when}", meeting=vote.meeting, when=closed)))
        text = _("The vote on case {case} has closed", case=vote.case)
    return Message(text=text, blocks=body)


def vote_result(shown: Shown) -> Message:
    """The result as a new message in the vote's thread, so that those following it are told."""
    vote = shown.vote
    lines = [_result(vote), _counts(vote)]
    if vote.rules.names_in_record and (names := _names(vote)):
        lines.append(names)
    title = _("The vote on case {case} has closed", case=vote.case)
    return Message(text=title, blocks=[blocks.section("\n".join(lines))])


def vote_reminder(shown: Shown) -> Message:
    """To a member who has not voted, before the meeting: the vote's own message, with a member's buttons."""
    vote = shown.vote
    when = moment(vote.remind_by) if vote.remind_by else ""
    lead = _("*Reminder:* you have not voted on case {case}. The meeting begins {when}.", case=vote.case, when=when)
    return Message(
        text=_("Reminder: vote on case {case}", case=vote.case),
        blocks=[blocks.section(f":bell: {lead}"), *vote_message(shown, for_member=True).blocks],
    )


def ballot_recorded(choice: Choice) -> Message:
    """The member's own confirmation of a click, ephemeral: a vote's message shows only the count."""
    return done(_("You have voted: {choice}. You can change your vote until the vote closes.", choice=_label(choice)))


def vote_record(record: Record) -> Message:
    """The record for the minutes: every opening, ballot and closing, with who and when."""
    vote = record.vote
    heading = _("*Vote record for case {case} ({state})*", case=vote.case, state=_state(vote.state))
    lines = [heading, _counts(vote)]
    if vote.state is VoteState.CLOSED and (names := _names(vote)):
        lines.append(names)
    lines += [_logged(event.at, event.actor, _action(event.action)) for event in record.events[-200:]]
    return Message(text=_("Vote record for case {case}", case=vote.case), blocks=blocks.pack_sections(lines, 45))


def _action(action: str) -> str:
    """A ballot's line says the choice in the buttons' word; other lines are stored as written."""
    choice = next((c for c in Choice if c.value == action), None)
    return _label(choice) if choice else action


def render(facts: Opened | Aborted | Record) -> Message:
    """The answer to /avstemning, in its ack (the vote itself is posted after it)."""
    if isinstance(facts, Record):
        return vote_record(facts)
    case = facts.vote.case
    if isinstance(facts, Aborted):
        return done(_("The vote on case {case} is stopped, without a result. The message in the channel says so.",
                      case=case))  # fmt: skip
    if facts.again:
        return done(_("The vote on case {case} is being posted in the channel now.", case=case))
    return done(_("The vote on case {case} has started in the channel.", case=case))


def not_posted_yet(case: Serial) -> Message:
    """Slack was away when the vote was to be posted: the ticker posts it when Slack answers."""
    return notice(_(
        "Slack did not answer when the vote on case {case} was to be posted. It is posted as soon as Slack "
        "answers again. You can also try yourself with `/avstemning {case}`, or stop it with "
        "`/avstemning avbryt {case}`.",
        case=case,
    ))  # fmt: skip


def not_posted() -> Message:
    return notice(_("Could not post the vote in the channel. Is Møtebot invited there? (/invite @Møtebot)"))


def unknown_vote() -> Message:
    return notice(_("Unknown vote."))
