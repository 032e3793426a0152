"""/forfall: the list of forfall for a meeting, the answers, the vara's question in a DM with its two buttons, and
what the secretariat is told."""

from __future__ import annotations

import json

from bot.core.attendance import Presence
from bot.core.domain import Meeting, Serial
from bot.core.formatting import meeting_when
from bot.core.i18n import _
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import done, meeting_place, mention, notice
from bot.usecases.forfall import Absences, Answered, Facts, Reported, Withdrawn

VARA_ACCEPT_ACTION = "vara_accept"  # value: carrying_seat
VARA_DECLINE_ACTION = "vara_decline"


def carrying_seat(body: int, meeting: Serial, member: str) -> str:
    """A vara's buttons: the body, the meeting and whose seat."""
    return json.dumps({"organ": body, "meeting": str(meeting), "seat": member})


def clicked_seat(value: str) -> tuple[object, Serial | None, str | None]:
    try:
        carried = json.loads(value)
    except ValueError:
        return None, None, None
    if not isinstance(carried, dict):
        return None, None, None
    seat = carried.get("seat")
    return carried.get("organ"), Serial.parse(str(carried.get("meeting", ""))), seat if isinstance(seat, str) else None


def _when(meeting: Meeting) -> str:
    where = meeting_place(meeting)
    return meeting_when(meeting) + (f", {where}" if where else "")


def _call_line(vara: str, what: Presence) -> str:
    if what is Presence.VARA_ACCEPTED:
        return _("{vara} meets", vara=mention(vara))
    if what is Presence.VARA_DECLINED:
        return _("{vara} cannot", vara=mention(vara))
    return _("{vara} is asked, no answer yet", vara=mention(vara))


def overview(facts: Absences) -> Message:
    meeting = facts.meeting
    title = _("Forfall to meeting {meeting}", meeting=meeting.number)
    lines = [f"*{title}*", escape(_when(meeting))]
    absent = facts.attendance.absent()
    calls = facts.attendance.calls()
    for user, reason in absent.items():
        line = f"• {mention(user)}"
        if reason and facts.reasons_shown:
            line += f" – {escape(reason)}"
        varas = [_call_line(v, s) for (v, m), s in calls.items() if m == user and s is not Presence.VARA_RELEASED]
        if varas:
            line += "\n    " + _("Vara: {varas}", varas="; ".join(varas))
        elif facts.roster.can_vote(user):
            line += "\n    " + _("Vara: none to ask")
        lines.append(line)
    if not absent:
        lines.append(_("No one has sent forfall."))
    lines.append(_("Send forfall: `/forfall {meeting} reason`.", meeting=meeting.number))
    return Message(text=title, blocks=blocks.pack_sections(lines, 45))


def _vara_said(asked: str | None, no_vara: bool) -> str:
    if asked:
        return _("Your vara {vara} is asked.", vara=mention(asked))
    if no_vara:
        return _("There is no vara left to ask; the secretariat has been told.")
    return ""


def render(facts: Facts) -> Message:
    """The answer to the one who wrote or clicked, ephemeral."""
    if isinstance(facts, Absences):
        return overview(facts)
    meeting = facts.absences.meeting
    if isinstance(facts, Reported):
        own = facts.user == facts.by
        if not facts.changed:
            return notice(_("Forfall to meeting {meeting} was already sent.", meeting=meeting.number))
        if not facts.first:
            return done(_("The reason for the forfall has been changed."))
        if own:
            text = _("Forfall to meeting {meeting} ({when}) is sent, and the secretariat has been told.",
                     meeting=meeting.number, when=escape(_when(meeting)))  # fmt: skip
        else:
            text = _("Forfall for {person} to meeting {meeting} is recorded.", person=mention(facts.user),
                     meeting=meeting.number)  # fmt: skip
        said = _vara_said(facts.asked, facts.no_vara) if own else _vara_for(facts.asked, facts.no_vara)
        lines = [text, said]
        if own and not facts.reason:
            lines.append(_("To give a reason: `/forfall {meeting} reason`.", meeting=meeting.number))
        if own:
            lines.append(_("If you can come after all: `/forfall {meeting} trekk`.", meeting=meeting.number))
        return done(" ".join(line for line in lines if line))
    if isinstance(facts, Withdrawn):
        if facts.user == facts.by:
            text = _("Your forfall to meeting {meeting} is withdrawn: welcome!", meeting=meeting.number)
        else:
            text = _("The forfall for {person} to meeting {meeting} is withdrawn.", person=mention(facts.user),
                     meeting=meeting.number)  # fmt: skip
        return done(text)
    return vara_answered(facts)


def _vara_for(asked: str | None, no_vara: bool) -> str:
    if asked:
        return _("The vara {vara} is asked.", vara=mention(asked))
    if no_vara:
        return _("There is no vara left to ask.")
    return ""


def vara_request(meeting: Meeting, body: int, vara: str, member: str) -> Message:
    """The DM that asks a vara to meet: the meeting, whose seat, two buttons."""
    del vara  # the DM is theirs; the words say "you"
    text = _("Can you meet for {member} in meeting {meeting}?", member=mention(member), meeting=meeting.number)
    carried = carrying_seat(body, meeting.number, member)
    return Message(
        text=text,
        blocks=[
            blocks.section(f"*{text}*\n{escape(meeting.title)}\n{escape(_when(meeting))}"),
            blocks.context(
                _(
                    "{member} has sent forfall. If you say yes, you hold the seat and its vote in this meeting.",
                    member=mention(member),
                )
            ),
            blocks.actions(
                blocks.button(_("I can meet"), VARA_ACCEPT_ACTION, carried, style="primary"),
                blocks.button(_("I cannot"), VARA_DECLINE_ACTION, carried),
            ),
        ],
    )


def vara_answered(facts: Answered) -> Message:
    """What replaces the vara's question once answered."""
    meeting = facts.absences.meeting
    if facts.accepted:
        text = _("Thank you! You meet for {member} in meeting {meeting} ({when}). When the meeting is set, "
                 "click «Present».", member=mention(facts.member), meeting=meeting.number,
                 when=escape(_when(meeting)))  # fmt: skip
    else:
        text = _("Thank you for answering. You do not meet for {member} in meeting {meeting}.",
                 member=mention(facts.member), meeting=meeting.number)  # fmt: skip
    return done(text)


def released(meeting: Meeting, member: str) -> Message:
    """The DM to a vara whose member comes after all."""
    return notice(_("<@{member}> comes to meeting {meeting} after all; you are not needed this time. Thank you!",
                    member=member, meeting=meeting.number))  # fmt: skip


def to_secretariat(facts: Reported | Withdrawn | Answered) -> Message:
    """What the secretariat is told in a DM."""
    meeting = facts.absences.meeting
    if isinstance(facts, Reported):
        reason = f" ({escape(facts.reason)})" if facts.reason else ""
        text = _("{person} has sent forfall to meeting {meeting}{reason}.", person=mention(facts.user),
                 meeting=meeting.number, reason=reason)  # fmt: skip
        text = " ".join(part for part in (text, _vara_for(facts.asked, facts.no_vara)) if part)
    elif isinstance(facts, Withdrawn):
        text = _("{person} comes to meeting {meeting} after all; the forfall is withdrawn.",
                 person=mention(facts.user), meeting=meeting.number)  # fmt: skip
        if facts.released:
            text += " " + _("Told that they are not needed: {varas}.",
                            varas=", ".join(mention(v) for v in facts.released))  # fmt: skip
    elif facts.accepted:
        text = _("{vara} meets for {member} in meeting {meeting}.", vara=mention(facts.vara),
                 member=mention(facts.member), meeting=meeting.number)  # fmt: skip
    else:
        text = _("{vara} cannot meet for {member} in meeting {meeting}.", vara=mention(facts.vara),
                 member=mention(facts.member), meeting=meeting.number)  # fmt: skip
        text = " ".join(part for part in (text, _vara_for(facts.asked, facts.no_vara)) if part)
    return Message(
        text=text,
        blocks=[
            blocks.section(text),
            blocks.context(_("`/forfall {meeting} oversikt` shows the list.", meeting=meeting.number)),
        ],
    )


def not_delivered() -> Message:
    return notice(
        _(
            "Slack did not deliver every message about it; the secretariat can see the list with "
            "`/forfall oversikt`. Nothing was lost."
        )
    )
