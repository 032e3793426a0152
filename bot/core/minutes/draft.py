"""The draft minutes, from what Møtebot recorded of the meeting: time and place, who attended and who was
absent, the cases with every proposal put forward, habilitet rulings, and each vote's result (kommuneloven
§ 11-4; an administrative body's referat has the same shape). Pure: the use case gathers the facts.

What the secretariat may change per case is the note on the discussion and the wording of a decision it records;
never a vote's count, which comes from the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.core.attendance import Attendance, Recusal, Ruling, Session
from bot.core.domain import Case, Choice, Meeting, Role, Roster, Serial, Vote, VoteState
from bot.core.formatting import case_name, case_type_name, clock_time, enumeration, meeting_when
from bot.core.i18n import _
from bot.core.minutes.document import Block, Bullets, Document, Fields, Heading, Paragraph
from bot.core.procedure import ELECTED, RuleProfile


@dataclass(frozen=True)
class CaseEdit:
    """The secretariat's words for one case: a note on the discussion, and the decision where no vote made it."""

    note: str = ""
    decision: str = ""


@dataclass(frozen=True)
class MeetingRecord:
    """Everything the minutes are written from."""

    body_name: str
    profile: RuleProfile
    meeting: Meeting
    session: Session | None
    roster: Roster
    attendance: Attendance
    votes: tuple[Vote, ...]
    recusals: tuple[Recusal, ...]
    edits: Mapping[Serial, CaseEdit] = field(default_factory=dict)


Names = Mapping[str, str]  # Slack user ID -> the name the minutes print


def _name(names: Names, user: str) -> str:
    return names.get(user) or user


def _people(names: Names, users: list[str]) -> str:
    return enumeration([_name(names, u) for u in users]) or "–"


def title(record: MeetingRecord) -> str:
    meeting = record.meeting
    return _("Minutes – {title}, meeting {meeting}, {when}", title=meeting.title, meeting=meeting.number,
             when=meeting_when(meeting))  # fmt: skip


def _place(record: MeetingRecord) -> str:
    meeting = record.meeting
    if meeting.web:
        return _("Remote meeting") if record.profile is ELECTED else _("Online meeting")
    return meeting.location or _("not given")  # after «Sted:», not «Sted: sted ikke oppgitt»


def _attendance(record: MeetingRecord, names: Names) -> list[Block]:
    roster, attendance, session = record.roster, record.attendance, record.session
    start = session.started_at if session else None
    present: list[str] = []
    observers: list[str] = []
    for user in roster.by_role():
        periods = attendance.periods(user)
        if not periods:
            continue
        shown = _name(names, user)
        first, last = periods[0][0], periods[-1][1]
        if start is not None and first > start:
            shown += " " + _("(from {time})", time=clock_time(first.time()))
        if last is not None:
            shown += " " + _("(left at {time})", time=clock_time(last.time()))
        is_observer = Role.OBSERVATOR in roster.roles_of(user) and not roster.can_vote(user)
        (observers if is_observer else present).append(shown)
    absent = [u for u in attendance.absent() if u in roster.roles]
    substitutes = [
        _("{vara} (for {member})", vara=_name(names, v), member=_name(names, m))
        for v, m in attendance.substitutes().items()
    ]
    secretariat = list(roster.holding(Role.SEKRETARIAT))
    pairs = [
        (_("Present"), enumeration(present) or "–"),
        (_("Forfall"), _people(names, absent)),
    ]
    if substitutes:
        pairs.append((_("Vara"), enumeration(substitutes)))
    chair = session.chair if session else roster.chair(attendance.absent())
    if chair:
        pairs.append((_("Chair"), _name(names, chair)))
    if secretariat:
        pairs.append((_("Secretariat"), _people(names, secretariat)))
    if observers:  # last, as roles are listed
        pairs.append((_("Observers"), enumeration(observers)))
    return [Heading(_("Attendance")), Fields(tuple(pairs))]


def _closed(record: MeetingRecord, case: Serial) -> list[Vote]:
    return [v for v in record.votes if v.case == case and v.state is VoteState.CLOSED]


def _count(vote: Vote) -> str:
    tally = vote.tally()
    if vote.rules.abstain_allowed:
        return _("For {yes}, against {no}, abstained {abstained}.", yes=tally.for_, no=tally.mot,
                 abstained=tally.avstar)  # fmt: skip
    return _("For {yes}, against {no}.", yes=tally.for_, no=tally.mot)


def _vote_lines(vote: Vote, names: Names, groups: Mapping[str, str] | None = None) -> list[str]:
    """The count, the outcome, and the names per choice where the profile or a split calls for it, each with
    their group ("Ola Berg (Ap)") where the roster has one (kommuneloven § 11-4: by party group)."""
    tally = vote.tally()
    lines = [_count(vote)]
    if not tally.quorum:
        lines.append(_("Not quorate: nothing was decided."))
    elif tally.by_casting_vote:
        lines.append(_("Decided by the chair's casting vote."))
    split = len({c for u, c in vote.ballots.items() if u in vote.electorate}) > 1
    if vote.rules is ELECTED or split:
        labels = {Choice.FOR: _("For"), Choice.MOT: _("Against"), Choice.AVSTAR: _("Abstained")}
        for choice in Choice:
            voters = sorted(u for u, c in vote.ballots.items() if c is choice and u in vote.electorate)
            shown = [_name(names, u) + (f" ({groups[u]})" if groups and groups.get(u) else "") for u in voters]
            if shown:
                lines.append(f"{labels[choice]}: {enumeration(shown)}")
    return lines


def _adopted(vote: Vote) -> bool:
    decided = vote.decision()
    return bool(decided and decided.adopted)


def _decision(record: MeetingRecord, case: Case, votes: list[Vote]) -> str:
    """The decision as adopted: the proposal a vote adopted, else what the secretariat recorded."""
    edit = record.edits.get(case.number)
    if edit and edit.decision:
        return edit.decision
    main = [v for v in votes if v.recusal_of is None]
    if main:
        last = main[-1]
        return last.proposal if _adopted(last) else _("The proposal was not adopted.")
    if case.decision:
        return case.decision
    return ""


def _rulings(record: MeetingRecord, case: Case, names: Names) -> list[str]:
    lines = []
    for recusal in record.recusals:
        if recusal.case != case.number:
            continue
        who = _name(names, recusal.user)
        reason = recusal.reason.rstrip() or "–"
        reason += "" if reason[-1] in ".!?–" else "."
        line = _("{person} said they might be inhabil: {reason}", person=who, reason=reason)
        if recusal.ruling is Ruling.INHABIL:
            line += " " + _("The body found {person} inhabil, and {person} took no part in the case.", person=who)
        elif recusal.ruling is Ruling.HABIL:
            line += " " + _("The body found {person} not inhabil.", person=who)
        vote = next((v for v in record.votes if v.id == recusal.vote), None)
        if vote is not None and vote.state is VoteState.CLOSED:
            line += " (" + " ".join(_vote_lines(vote, names)) + ")"
        lines.append(line)
    return lines


def _case(record: MeetingRecord, case: Case, names: Names) -> list[Block]:
    blocks: list[Block] = [Heading(f"{case_name(case)} {case.title}", 3)]
    votes = _closed(record, case.number)
    fields = []
    if case.case_type:
        fields.append((_("Case type"), case_type_name(case.case_type)))
    if case.presenter:
        fields.append((_("Presented by"), case.presenter))
    if case.proposal:
        fields.append((_("Proposed decision"), case.proposal))
    others = list(dict.fromkeys(v.proposal for v in votes if v.recusal_of is None and v.proposal != case.proposal))
    for other in others:
        fields.append((_("Other proposal"), other))
    if fields:
        blocks.append(Fields(tuple(fields)))
    edit = record.edits.get(case.number)
    if edit and edit.note:
        blocks.append(Paragraph(edit.note))
    rulings = _rulings(record, case, names)
    if rulings:
        blocks += [Paragraph(_("Habilitet")), Bullets(tuple(rulings))]
    for vote in (v for v in votes if v.recusal_of is None):
        blocks += [
            Paragraph(_("Vote on: {proposal}", proposal=vote.proposal)),
            Bullets(tuple(_vote_lines(vote, names))),
        ]
    decision = _decision(record, case, votes)
    if decision:
        blocks.append(Paragraph(_("Decision: {decision}", decision=decision), emphasis=True))
    else:
        blocks.append(Paragraph(_("No decision recorded yet.")))
    return blocks


def undecided(record: MeetingRecord) -> tuple[Case, ...]:
    """Cases the draft has no decision for: the secretariat records one (`/protokoll 4/20 vedtak 18/20 …`)."""
    return tuple(c for c in record.meeting.cases if not _decision(record, c, _closed(record, c.number)))


def document(record: MeetingRecord, names: Names, footer: str = "") -> Document:
    """The minutes as one document: the Markdown, the PDF and the fingerprint are all made from it."""
    meeting, session = record.meeting, record.session
    when = meeting_when(meeting)
    if session and session.ended_at:
        held = _("set at {start}, ended at {end}", start=clock_time(session.started_at.time()),
                 end=clock_time(session.ended_at.time()))  # fmt: skip
        when = f"{when} ({held})"
    head = Fields((
        (_("Body"), record.body_name),
        (_("Meeting"), str(meeting.number)),
        (_("Date and time"), when),
        (_("Place"), _place(record)),
    ))  # fmt: skip
    blocks: list[Block] = [head, *_attendance(record, names), Heading(_("Cases"))]
    for case in meeting.cases:
        blocks += _case(record, case, names)
    return Document(title(record), record.body_name, tuple(blocks), footer)
