"""/mote: the "Møtet er satt" message with the roll and the running agenda, each case's message (its thread),
the closing message, and the ephemeral answers."""

from __future__ import annotations

from bot.core.formatting import case_name, case_type_name, clock_time, meeting_when
from bot.core.i18n import _, ngettext
from bot.core.procedure import quorate_meeting
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import carrying, carrying_case, done, meeting_place, mention
from bot.slack.views.habilitet import declare_button
from bot.usecases.mote import Ended, Facts, Registered, Roll, Started, TakenUp

ATTEND_ACTION = "meeting_attend"
NEXT_CASE_ACTION = "meeting_next_case"
END_MEETING_ACTION = "meeting_end"
OPEN_CASE_VOTE_ACTION = "meeting_case_vote"  # value: carrying_case


def _people(users: list[str], roll: Roll) -> str:
    """Mentions, with the time for those who came late."""
    start = roll.session.started_at if roll.session else None
    shown = []
    for user in users:
        periods = roll.attendance.periods(user)
        late = periods and start is not None and periods[0][0] > start
        when = clock_time(periods[0][0].time()) if periods else ""
        shown.append(_("{person} (from {time})", person=mention(user), time=when) if late else mention(user))
    return ", ".join(shown) or "–"


def roll_lines(roll: Roll) -> list[str]:
    """Who is there and who is not, and whether the meeting can decide."""
    roster, attendance = roll.roster, roll.attendance
    absent, substitutes = attendance.absent(), attendance.substitutes()
    listed = roster.by_role()  # as roles are listed; anyone else after
    present = [u for u in listed if u in roll.now_present] + sorted(roll.now_present - set(listed))
    left = sorted({u for u in roster.roles if attendance.periods(u)} - roll.now_present)
    lines = [_("*Present:* {people}", people=_people(present, roll))]
    if absent:
        reasons = [f"{mention(u)}" + (f" ({escape(why)})" if why else "") for u, why in sorted(absent.items())]
        lines.append(_("*Forfall:* {people}", people=", ".join(reasons)))
    if substitutes:
        seats = [_("{vara} for {member}", vara=mention(v), member=mention(m)) for v, m in sorted(substitutes.items())]
        lines.append(_("*Vara:* {people}", people=", ".join(seats)))
    if left:
        lines.append(_("*Left:* {people}", people=", ".join(mention(u) for u in left)))
    missing = sorted(set(roll.holders) - roll.now_present - set(absent) - set(left))
    if missing:
        lines.append(_("*Not registered:* {people}", people=", ".join(mention(u) for u in missing)))
    size = len(roster.seats())
    if quorate_meeting(roll.present_seats, size):
        lines.append(_(":white_check_mark: Quorate: {present} of {seats} seats present.", present=roll.present_seats,
                       seats=size))  # fmt: skip
    else:
        lines.append(_(":warning: Not quorate: {present} of {seats} seats present; at least half are needed.",
                       present=roll.present_seats, seats=size))  # fmt: skip
    return lines


def roll_message(roll: Roll, body: int) -> Message:
    """The meeting's message in the channel, kept up to date as people come and go and cases are taken up."""
    meeting, session = roll.meeting, roll.session
    ended = session is not None and not session.in_session
    if session is None:
        title = _("Meeting {meeting} is not in session", meeting=meeting.number)
    elif ended:
        title = _("Meeting {meeting} has been ended", meeting=meeting.number)
    else:
        title = _("Meeting {meeting} is in session", meeting=meeting.number)
    where = meeting_place(meeting, elected=roll.elected)
    lead = f"*{escape(meeting.title)}* · {meeting_when(meeting)}" + (f" · {where}" if where else "")
    chair = session.chair if session else None
    lines = [lead, _("*Chair:* {person}", person=mention(chair)) if chair else ""]
    if session is None:
        lines.append(_("It is set on the day of the meeting with `/mote start {meeting}`.", meeting=meeting.number))
    agenda = []
    for case in meeting.cases:
        marker = ":arrow_forward: " if session and session.current == case.number and not ended else "• "
        decided = " :white_check_mark:" if case.decision else ""
        agenda.append(f"{marker}{escape(case_name(case))} {escape(case.title)}{decided}")
    body_blocks: list[blocks.Block] = [
        blocks.header(title),
        blocks.section("\n".join(line for line in lines if line)),
        blocks.section("\n".join(roll_lines(roll))),
    ]
    if agenda:
        body_blocks.append(blocks.section("*" + _("Agenda") + "*\n" + "\n".join(agenda[:40])))
    if not ended:
        carried = carrying(body, meeting.number)
        body_blocks.append(blocks.actions(
            blocks.button(_("Present"), ATTEND_ACTION, carried, style="primary"),
            blocks.button(_("Next case"), NEXT_CASE_ACTION, carried),
            blocks.button(_("End the meeting"), END_MEETING_ACTION, carried),
        ))  # fmt: skip
    return Message(text=title, blocks=body_blocks)


def case_message(taken: TakenUp, body: int) -> Message:
    """A case taken up: a message of its own in the channel, whose thread holds its votes."""
    case, meeting = taken.case, taken.roll.meeting
    facts = [
        escape(part)
        for part in (case_type_name(case.case_type) if case.case_type else "", case.presenter or "")
        if part
    ]
    if case.start:
        facts.insert(0, clock_time(case.start))
    parts: list[blocks.Block] = [blocks.header(f"{case_name(case)} {case.title}")]
    if facts:
        parts.append(blocks.context(" · ".join(facts)))
    buttons = [declare_button(body, case.number)]
    if case.proposal:
        parts.append(blocks.section(_("*Proposed decision:* {proposal}", proposal=escape(case.proposal))))
        vote = blocks.button(
            _("Start the vote"), OPEN_CASE_VOTE_ACTION, carrying_case(body, case.number, meeting.number)
        )
        buttons.insert(0, vote)
    parts.append(blocks.actions(*buttons))
    parts.append(blocks.context(_("The case's votes are held in this thread.")))
    return Message(text=f"{case_name(case)} {escape(case.title)}", blocks=parts)


def ended_message(ended: Ended) -> Message:
    session = ended.roll.session
    at = clock_time(session.ended_at.time()) if session and session.ended_at else ""
    text = _("Meeting {meeting} was ended at {time}.", meeting=ended.roll.meeting.number, time=at)
    decided = [f"• {escape(case_name(c))}: {escape(c.decision)}" for c in ended.roll.meeting.cases if c.decision]
    lines = [f":checkered_flag: *{text}*"]
    if decided:
        lines.append("*" + _("Decisions") + "*\n" + "\n".join(decided[:40]))
    return Message(text=text, blocks=[blocks.section("\n\n".join(lines))])


def render(facts: Facts) -> Message:
    """The answer to /mote, ephemeral; what the channel sees follows it."""
    if isinstance(facts, Roll):
        message = roll_message(facts, 0)
        return Message(text=message.text, blocks=[b for b in message.blocks if b.get("type") != "actions"])
    if isinstance(facts, Started):
        return done(_("Meeting {meeting} is in session. The roll is in the channel: those present click «Present».",
                      meeting=facts.roll.meeting.number))  # fmt: skip
    if isinstance(facts, TakenUp) and facts.again:
        return done(_("{case} is taken up again; its votes are held in its thread.", case=case_name(facts.case)))
    if isinstance(facts, TakenUp):
        return done(_("{case} is under way; its message is in the channel, and its votes go in its thread.",
                      case=case_name(facts.case)))  # fmt: skip
    if isinstance(facts, Registered):
        who = ", ".join(mention(u) for u in facts.users)
        periods = facts.roll.attendance.periods(facts.users[0])
        last = (periods[-1][0] if facts.arrived else periods[-1][1]) if periods else None
        at = clock_time(last.time()) if last else ""
        if facts.themself and facts.arrived:
            return done(_("You are registered as present at {time}.", time=at))
        if facts.themself:
            return done(_("You are registered as having left at {time}.", time=at))
        if facts.arrived:
            return done(_("{people}: registered as present at {time}.", people=who, time=at))
        return done(_("{people}: registered as having left at {time}.", people=who, time=at))
    closed = len(facts.closed)
    if not closed:
        return done(_("The meeting has been ended."))
    return done(ngettext("The meeting has been ended, and {count} vote was closed.",
                         "The meeting has been ended, and {count} votes were closed.", closed))  # fmt: skip
