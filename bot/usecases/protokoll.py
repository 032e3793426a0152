"""/protokoll: the minutes of a meeting, drafted from what Møtebot recorded of it (bot.core.minutes.draft), edited
per case by the secretariat, listed with their state. The grammar first, then what each step does."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core import limits
from bot.core.domain import Serial, Vote
from bot.core.errors import UserError, one_line
from bot.core.formatting import case_name, short_datetime
from bot.core.i18n import N_, _
from bot.core.minutes.document import Document
from bot.core.minutes.draft import MeetingRecord, Names, document, undecided
from bot.core.minutes.markdown import fingerprint, to_markdown
from bot.core.minutes.record import Approved, EditKind, Minutes, MinutesEdit, MinutesState
from bot.core.minutes.record import Remark as RemarkRecord
from bot.usecases.grammar import PICKED, Asker, keyword, meeting_number, without_case_prefix
from bot.usecases.services import Services, may_manage, require_manager

COMMAND = "/protokoll"
USAGE = N_(
    "*How to use /protokoll*\n"
    "• `/protokoll` – the body's minutes, with their state (draft / for approval / approved)\n"
    "• `/protokoll 4/20` – the minutes of meeting 4/20; the secretariat makes the draft from what was recorded, "
    "and it is posted in the channel as PDF and Markdown\n"
    "• `/protokoll 4/20 vedtak 18/20 text` – the decision in a case no vote decided\n"
    "• `/protokoll 4/20 notat 18/20 text` – a note on the discussion of a case\n"
    "• `/protokoll 4/20 send @Lise @Ola` – to the signatories for approval, each by DM with «Approve the minutes»\n"
    "• `/protokoll 4/20 merknad text` – a signatory's remarks, for the secretariat\n"
    "• `/protokoll 4/20 rett` – a correction of approved minutes: a new version, the approved one kept\n"
    "The votes' counts come from the record and cannot be edited. Minutes are approved by their signatories, or "
    "by the next meeting's vote on «Approval of the minutes»; approved minutes are locked."
)
_REFUSAL = N_("Only the secretariat and the leader write the minutes.")
_KINDS = {"vedtak": EditKind.DECISION, "notat": EditKind.NOTE}


@dataclass(frozen=True)
class List:
    pass


@dataclass(frozen=True)
class Show:
    meeting: Serial


@dataclass(frozen=True)
class Edit:
    meeting: Serial
    case: Serial
    kind: EditKind
    text: str


@dataclass(frozen=True)
class Send:
    meeting: Serial
    signatories: tuple[str, ...]


@dataclass(frozen=True)
class AddRemark:
    meeting: Serial
    text: str


@dataclass(frozen=True)
class Correct:
    meeting: Serial


Command = List | Show | Edit | Send | AddRemark | Correct


def parse(text: str) -> Command:
    words = text.split()
    if not words:
        return List()
    meeting = meeting_number(words[0])
    if len(words) == 1:
        return Show(meeting)
    action = keyword(words[1])
    if action == "send":
        people = [PICKED.match(word) for word in words[2:]]
        if not people or not all(people):
            raise UserError(_("Write it like this: `/protokoll 4/20 send @Lise @Ola` – pick each signatory with @."))
        return Send(meeting, tuple(dict.fromkeys(match[1] for match in people if match)))
    if action == "merknad":
        return AddRemark(meeting, _text(words[2:], _("Write the remark: `/protokoll 4/20 merknad Vedtaket i 18/20 "
                                                  "mangler en setning.`")))  # fmt: skip
    if action in ("rett", "korriger") and len(words) == 2:
        return Correct(meeting)
    kind = _KINDS.get(action)
    rest = without_case_prefix(words[2:])
    case = Serial.parse(rest[0]) if kind and rest else None
    if kind is None or case is None:
        raise UserError(
            _("Write it like this: `/protokoll 4/20 vedtak 18/20 text`, or `/protokoll 4/20 notat 18/20 text`.")
        )
    missing = _("The text is missing: `/protokoll 4/20 vedtak 18/20 Styringsgruppen tok saken til orientering.`")
    return Edit(meeting, case, kind, _text(rest[1:], missing))


def _text(words: list[str], missing: str) -> str:
    return one_line(
        " ".join(words),
        limits.TEXT,
        missing=missing,
        too_long=_("The text is {length} characters; at most {limit} fit."),
    )


@dataclass(frozen=True)
class Listing:
    minutes: tuple[Minutes, ...]
    held: tuple[Serial, ...]  # meetings held (ended) without minutes yet


@dataclass(frozen=True)
class Drafted:
    """The minutes as they read now, and what the secretariat still has to write."""

    minutes: Minutes
    document: Document
    markdown: str
    undecided: tuple[str, ...]  # the cases without a decision yet, as named
    body_id: int
    channel: str | None
    made: bool  # made or brought up to date now (posted to the channel); False: shown to the one who asked
    cases: tuple[Serial, ...] = ()  # the cases, in order: what the secretariat may edit


@dataclass(frozen=True)
class Edited:
    drafted: Drafted
    case: Serial
    kind: EditKind


@dataclass(frozen=True)
class Sent:
    drafted: Drafted
    signatories: tuple[str, ...]


@dataclass(frozen=True)
class Approval:
    """A signatory's approval; `complete`: theirs was the last, and the minutes are now approved and locked."""

    drafted: Drafted
    complete: bool


@dataclass(frozen=True)
class Remarked:
    drafted: Drafted
    user: str
    text: str
    secretariat: tuple[str, ...]


@dataclass(frozen=True)
class Corrected:
    drafted: Drafted


Facts = Listing | Drafted | Edited | Sent | Approval | Remarked | Corrected


def record(services: Services, number: Serial, minutes: Minutes | None) -> MeetingRecord:
    store = services.store
    meeting = store.meetings.get(number)
    if meeting is None:
        raise UserError(_("Meeting {meeting} was not found.", meeting=number))
    votes = tuple(v for v in store.votes.all() if v.meeting == number)
    return MeetingRecord(
        services.body.name, services.body.rules, meeting, store.sessions.get(number),
        store.roster.get(services.rules.admins), store.attendance.of(number), votes, store.recusals.of(number),
        minutes.case_edits() if minutes else {},
    )  # fmt: skip


def _drafted(services: Services, minutes: Minutes, names: Names, *, made: bool) -> Drafted:
    """The minutes as they read: approved ones exactly as approved; a draft from the record as it is now."""
    if minutes.locked and (approved := minutes.latest) is not None:
        doc = approved.document
        return Drafted(minutes, doc, to_markdown(doc), (), services.body.id, services.rules.channel, made)
    found = record(services, minutes.meeting, minutes)
    with services.in_body_language():  # the minutes are the body's
        footer = _("Draft, version {version}", version=minutes.version)
        if minutes.state is MinutesState.SENT:
            footer = _("For approval, version {version}", version=minutes.version)
        doc = document(found, {**minutes.names, **names}, footer=footer)
    missing = tuple(f"{c.number}" for c in undecided(found))
    cases = tuple(c.number for c in found.meeting.cases)
    return Drafted(minutes, doc, to_markdown(doc), missing, services.body.id, services.rules.channel, made, cases)


def run(services: Services, asker: Asker, command: Command, names: Names | None = None) -> Facts:
    names = names or {}
    store = services.store
    if isinstance(command, List):
        minutes = store.minutes.all()
        have = {m.meeting for m in minutes}
        held = tuple(s.meeting for s in store.sessions.all() if s.ended_at and s.meeting not in have)
        return Listing(minutes, held)
    if isinstance(command, Show):
        existing = store.minutes.get(command.meeting)
        if not may_manage(services, asker.user):
            if existing is None:
                raise UserError(_("Meeting {meeting} has no minutes yet.", meeting=command.meeting))
            return _drafted(services, existing, names, made=False)
        return draft(services, asker.user, command.meeting, names)
    if isinstance(command, Send):
        return send(services, asker.user, command, names)
    if isinstance(command, AddRemark):
        return remark(services, asker.user, command, names)
    if isinstance(command, Correct):
        return correct(services, asker.user, command.meeting, names)
    return edit(services, asker.user, command, names)


def remember_names(services: Services, number: Serial, names: Names) -> None:
    """The names Slack gave when the minutes were published: an approval by vote, closed where Slack is not asked,
    locks the minutes with them."""
    with services.store.transaction():
        minutes = services.store.minutes.get(number)
        if minutes is not None and not minutes.locked and {**minutes.names, **names} != dict(minutes.names):
            services.store.minutes.save(replace(minutes, names={**minutes.names, **names}))


def people(services: Services, number: Serial) -> frozenset[str]:
    """Everyone the minutes may name: the roster and whoever the attendance log names."""
    store = services.store
    return frozenset(store.roster.get().roles) | {e.user for e in store.attendance.of(number).events}


def current(services: Services, number: Serial, names: Names | None = None) -> Drafted:
    """The minutes as they read now, stored or not (`motebot protokoll 4/20`): nothing is changed."""
    record(services, number, None)  # the meeting exists
    minutes = services.store.minutes.get(number) or Minutes(number, services.clock.now(), "motebot")
    return _drafted(services, minutes, names or {}, made=False)


def draft(services: Services, actor: str, number: Serial, names: Names) -> Drafted:
    """Make the draft (or bring it up to date with the record): the secretariat's, when the meeting is over."""
    require_manager(services, actor, _(_REFUSAL))
    store, now = services.store, services.clock.now()
    with store.transaction():
        record(services, number, None)  # the meeting exists
        minutes = store.minutes.get(number)
        if minutes is None:
            minutes = Minutes(number, now, actor)
            store.minutes.save(minutes)
        elif minutes.locked:
            return _drafted(services, minutes, names, made=False)
    return _drafted(services, minutes, names, made=True)


def edit(services: Services, actor: str, command: Edit, names: Names) -> Edited:
    require_manager(services, actor, _(_REFUSAL))
    store, now = services.store, services.clock.now()
    with store.transaction():
        found = record(services, command.meeting, None)
        if found.meeting.case(command.case) is None:
            raise UserError(_("Case {case} is not on the agenda of meeting {meeting}.", case=command.case,
                              meeting=command.meeting))  # fmt: skip
        minutes = store.minutes.get(command.meeting) or Minutes(command.meeting, now, actor)
        _unlocked(minutes)
        change = MinutesEdit(now, actor, command.case, command.kind, command.text)
        if minutes.state is MinutesState.SENT:  # the signatories saw other words: they approve the new ones anew
            minutes = replace(minutes, version=minutes.version + 1, approvals={})
        minutes = replace(minutes, edits=(*minutes.edits, change), state=MinutesState.DRAFT)
        store.minutes.save(minutes)
    return Edited(_drafted(services, minutes, names, made=True), command.case, command.kind)


def undecided_hint(cases: tuple[str, ...], meeting: Serial) -> str:
    """What the secretariat still has to write, and how."""
    return _(
        "Cases without a decision: {cases}. Write it with `/protokoll {meeting} vedtak {case} …`.",
        cases=", ".join(cases), meeting=meeting, case=cases[0],
    )  # fmt: skip


def _unlocked(minutes: Minutes) -> None:
    if minutes.locked:
        raise UserError(
            _("The minutes of meeting {meeting} are approved and locked. A correction: `/protokoll {meeting} rett`.",
              meeting=minutes.meeting)
        )  # fmt: skip


def send(services: Services, actor: str, command: Send, names: Names) -> Sent:
    """To the signatories: each approves in a DM. Every case needs its decision first."""
    require_manager(services, actor, _(_REFUSAL))
    store = services.store
    with store.transaction():
        minutes = store.minutes.get(command.meeting)
        if minutes is None:
            raise UserError(_("Make the draft first: `/protokoll {meeting}`.", meeting=command.meeting))
        _unlocked(minutes)
        missing = undecided(record(services, command.meeting, minutes))
        if missing:
            raise UserError(undecided_hint(tuple(str(c.number) for c in missing), command.meeting))
        roster = store.roster.get()
        strangers = [u for u in command.signatories if not roster.roles_of(u)]
        if strangers:
            raise UserError(_("<@{user}> is not on the member list.", user=strangers[0]))
        minutes = replace(minutes, state=MinutesState.SENT, signatories=command.signatories, approvals={})
        store.minutes.save(minutes)
    return Sent(_drafted(services, minutes, names, made=True), command.signatories)


def require_signatory(services: Services, user: str, number: Serial | None) -> Serial:
    """Only a named signatory's click counts; checked before Slack is asked for names."""
    minutes = services.store.minutes.get(number) if number else None
    if minutes is None or user not in minutes.signatories:
        raise UserError(_("You are not among the signatories of these minutes."))
    return minutes.meeting


def approve(services: Services, user: str, number: Serial | None, version: int, names: Names) -> Approval:
    """A signatory's [Godkjenn protokollen]; the last one's approval locks the minutes."""
    store, now = services.store, services.clock.now()
    with store.transaction():
        minutes = store.minutes.get(number) if number else None
        if minutes is None or user not in minutes.signatories:
            raise UserError(_("You are not among the signatories of these minutes."))
        if minutes.locked:
            return Approval(_drafted(services, minutes, names, made=False), False)
        if minutes.version != version or minutes.state is not MinutesState.SENT:
            raise UserError(
                _("The minutes have changed since they were sent to you; the secretariat sends them again.")
            )
        if user in minutes.approvals:
            return Approval(_drafted(services, minutes, names, made=False), False)
        minutes = replace(minutes, approvals={**minutes.approvals, user: now})
        complete = not minutes.waiting_for()
        if complete:
            minutes = _lock(services, minutes, names, by_vote=None)
        store.minutes.save(minutes)
    return Approval(_drafted(services, minutes, names, made=complete), complete)


def _lock(services: Services, minutes: Minutes, names: Names, *, by_vote: int | None) -> Minutes:
    """Approved: the document as it reads now is kept as it is, with its fingerprint in its footer."""
    now = services.clock.now()
    with services.in_body_language():  # kept as approved: in the body's målform
        doc = document(record(services, minutes.meeting, minutes), {**minutes.names, **names})
        print_ = fingerprint(doc)
        footer = _("Approved {when}, version {version} · SHA-256 {fingerprint}", when=short_datetime(now),
                   version=minutes.version, fingerprint=print_)  # fmt: skip
    approved = Approved(minutes.version, now, replace(doc, footer=footer), print_, by_vote)
    return replace(minutes, state=MinutesState.APPROVED, approved=(*minutes.approved, approved))


def approve_by_vote(services: Services, vote: Vote) -> None:
    """The next meeting's vote on «Godkjenning av protokoll fra forrige møte», adopted: the previous meeting's
    minutes are approved and locked, with the names kept from when they were published. Called as the vote
    closes, in its transaction; the ticker posts them (bot.core.planner.plan_minutes)."""
    store = services.store
    meeting = store.meetings.get(vote.meeting)
    case = meeting.case(vote.case) if meeting else None
    decided = vote.decision()
    if meeting is None or case is None or not is_minutes_approval(case.title) or not (decided and decided.adopted):
        return
    earlier = [m for m in store.meetings.all() if m.day < meeting.day and not m.cancelled]
    previous = store.minutes.get(max(earlier, key=lambda m: m.day).number) if earlier else None
    if previous is None or previous.locked or undecided(record(services, previous.meeting, previous)):
        return  # nothing to approve, or a case without a decision: the secretariat writes it first
    store.minutes.save(_lock(services, previous, {}, by_vote=vote.id))


def is_minutes_approval(title: str) -> bool:
    """The standing case that approves the previous meeting's minutes ("Godkjenning av protokoll fra forrige
    møte", "Godkjenning av referat")."""
    words = title.casefold()
    return "godkjenning" in words and ("protokoll" in words or "referat" in words)


def remark(services: Services, actor: str, command: AddRemark, names: Names) -> Remarked:
    store, now = services.store, services.clock.now()
    with store.transaction():
        minutes = store.minutes.get(command.meeting)
        if minutes is None or actor not in minutes.signatories:
            raise UserError(_("You are not among the signatories of these minutes."))
        _unlocked(minutes)
        minutes = replace(minutes, remarks=(*minutes.remarks, RemarkRecord(now, actor, command.text)))
        store.minutes.save(minutes)
        roster = store.roster.get()
    return Remarked(_drafted(services, minutes, names, made=False), actor, command.text, roster.secretariat())


def correct(services: Services, actor: str, number: Serial, names: Names) -> Corrected:
    """Approved minutes corrected: a new version, a draft again; the approved one stays as it was."""
    require_manager(services, actor, _(_REFUSAL))
    store = services.store
    with store.transaction():
        minutes = store.minutes.get(number)
        if minutes is None or not minutes.locked:
            raise UserError(_("Only approved minutes are corrected; a draft is edited as it is."))
        minutes = replace(minutes, version=minutes.version + 1, state=MinutesState.DRAFT, signatories=(),
                          approvals={})  # fmt: skip
        store.minutes.save(minutes)
    return Corrected(_drafted(services, minutes, names, made=False))


def no_case() -> str:
    return _("The form names no case. Write `/protokoll 4/20 notat 18/20 text`.")


@dataclass(frozen=True)
class CaseForm:
    """What the secretariat's edit form for one case shows: its name, and the words written so far."""

    meeting: Serial
    case: Serial
    name: str
    note: str
    decision: str
    decided_by_vote: bool  # the decision comes from a vote: the form does not offer to change it
    body_id: int


def case_form(services: Services, actor: str, number: Serial | None, case: Serial | None) -> CaseForm:
    require_manager(services, actor, _(_REFUSAL))
    minutes = services.store.minutes.get(number) if number else None
    if minutes is None or case is None:
        raise UserError(_("Make the draft first: `/protokoll {meeting}`.", meeting=number or "4/20"))
    _unlocked(minutes)
    found = record(services, minutes.meeting, minutes)
    item = found.meeting.case(case)
    if item is None:
        raise UserError(_("Case {case} is not on the agenda of meeting {meeting}.", case=case, meeting=number))
    edit = minutes.case_edits().get(case)
    by_vote = any(v.case == case and v.recusal_of is None and v.closed_at for v in found.votes)
    return CaseForm(
        minutes.meeting, case, f"{case_name(item)} {item.title}", edit.note if edit else "",
        edit.decision if edit else "", by_vote, services.body.id,
    )  # fmt: skip


def save_case_form(
    services: Services, actor: str, number: Serial, case: Serial, note: str, decision: str | None
) -> Edited | None:
    """The form's words, each kept as an edit where it changed; None when nothing did."""
    form = case_form(services, actor, number, case)
    changes = [(EditKind.NOTE, " ".join(note.split()), form.note)]
    if decision is not None and not form.decided_by_vote:
        changes.append((EditKind.DECISION, " ".join(decision.split()), form.decision))
    for kind, text, _before in changes:  # all checked before any is saved
        if len(text) > limits.TEXT:
            field = "note" if kind is EditKind.NOTE else "decision"
            raise UserError(_("The text is {length} characters; at most {limit} fit.", length=len(text),
                              limit=limits.TEXT), field)  # fmt: skip
    last = None
    for kind, text, before in changes:
        if text != before:
            last = edit(services, actor, Edit(number, case, kind, text), {})
    return last
