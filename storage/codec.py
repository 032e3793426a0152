"""Domain objects to TinyDB documents and back: JSON-safe, stable, readable in the file."""

from __future__ import annotations

import dataclasses
import functools
import types
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, Union, get_args, get_origin, get_type_hints

from bot.core.attendance import AttendanceEvent, Presence, Recusal, Ruling, Session
from bot.core.domain import (
    AgendaChange,
    Case,
    CaseType,
    Choice,
    Deadline,
    DeadlineChange,
    DeadlineState,
    Meeting,
    Role,
    Serial,
    StatusUpdate,
    Vote,
    VoteEvent,
    VoteState,
    WorkStream,
)
from bot.core.minutes.document import Block, Bullets, Document, Fields, Heading, Paragraph
from bot.core.minutes.record import Approved, EditKind, Minutes, MinutesEdit, MinutesState, Remark
from bot.core.procedure import profile_named
from bot.core.rules import Body, StandingItem


def _list(doc: dict[str, Any], key: str) -> list[Any]:
    """A list field, strictly: tuple("U123") would quietly make four users of one."""
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"feltet «{key}» skal være en liste")
    return value


def _flag(doc: dict[str, Any], key: str) -> bool:
    """A yes/no field, strictly: bool("nei") is True."""
    value = doc.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"feltet «{key}» skal være true eller false")
    return value


def _time_or_none(text: str | None) -> time | None:
    return time.fromisoformat(text) if text else None


def serial_to_doc(serial: Serial) -> str:
    return f"{serial.seq}/{serial.year}"


def serial_from_doc(text: str) -> Serial:
    seq, year = text.split("/")
    return Serial(year=int(year), seq=int(seq))


def case_to_doc(case: Case) -> dict[str, Any]:
    return {
        "number": serial_to_doc(case.number),
        "title": case.title,
        "start": case.start.isoformat("minutes") if case.start else None,
        "type": case.case_type.value if case.case_type else None,
        "proposal": case.proposal,
        "decision": case.decision,
        **({"label": case.label} if case.label is not None else {}),
        **({"presenter": case.presenter} if case.presenter else {}),
    }


def case_from_doc(doc: dict[str, Any]) -> Case:
    return Case(
        number=serial_from_doc(doc["number"]),
        title=doc["title"],
        start=_time_or_none(doc.get("start")),
        case_type=CaseType(doc["type"]) if doc.get("type") else None,
        proposal=doc.get("proposal"),
        decision=doc.get("decision"),
        label=doc.get("label"),
        presenter=doc.get("presenter"),
    )


def meeting_to_doc(meeting: Meeting) -> dict[str, Any]:
    return {
        "number": serial_to_doc(meeting.number),
        "title": meeting.title,
        "day": meeting.day.isoformat(),
        "start": meeting.start.isoformat() if meeting.start else None,
        "end": meeting.end.isoformat() if meeting.end else None,
        "body": meeting.body,
        "location": meeting.location,
        "web": meeting.web,
        "cases": [case_to_doc(case) for case in meeting.cases],
        "version": meeting.version,
        "duration_minutes": int(meeting.duration.total_seconds() // 60) if meeting.duration else None,
        "cancelled_at": meeting.cancelled_at.isoformat() if meeting.cancelled_at else None,
        "rescheduled": meeting.rescheduled,
        "moved_at": meeting.moved_at.isoformat() if meeting.moved_at else None,
        "moved_from": _moved_from_to_doc(meeting.moved_from),
    }


def _moved_from_to_doc(moved_from: tuple[date, time | None] | None) -> dict[str, Any] | None:
    if moved_from is None:
        return None
    day, start = moved_from
    return {"day": day.isoformat(), "start": start.isoformat() if start else None}


def _moved_from(doc: Any) -> tuple[date, time | None] | None:
    if not isinstance(doc, dict) or not doc.get("day"):
        return None
    return date.fromisoformat(doc["day"]), _time_or_none(doc.get("start"))


def meeting_from_doc(doc: dict[str, Any]) -> Meeting:
    return Meeting(
        number=serial_from_doc(doc["number"]),
        title=doc["title"],
        day=date.fromisoformat(doc["day"]),
        start=_time_or_none(doc.get("start")),
        end=_time_or_none(doc.get("end")),
        body=doc.get("body"),
        location=doc.get("location"),
        web=_flag(doc, "web"),
        cases=tuple(case_from_doc(case) for case in _list(doc, "cases")),
        version=int(doc.get("version", 1)),
        duration=timedelta(minutes=doc["duration_minutes"]) if doc.get("duration_minutes") else None,
        cancelled_at=datetime.fromisoformat(doc["cancelled_at"]) if doc.get("cancelled_at") else None,
        rescheduled=int(doc.get("rescheduled", 0)),
        moved_at=_dt(doc.get("moved_at")),
        moved_from=_moved_from(doc.get("moved_from")),
    )


def change_to_doc(change: AgendaChange) -> dict[str, Any]:
    return {
        "meeting": serial_to_doc(change.meeting),
        "version": change.version,
        "at": change.at.isoformat(),
        "actor": change.actor,
        "summary": change.summary,
    }


def change_from_doc(doc: dict[str, Any]) -> AgendaChange:
    return AgendaChange(
        meeting=serial_from_doc(doc["meeting"]),
        version=doc["version"],
        at=datetime.fromisoformat(doc["at"]),
        actor=doc["actor"],
        summary=doc["summary"],
    )


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def vote_to_doc(vote: Vote) -> dict[str, Any]:
    return {
        "id": vote.id,
        "meeting": serial_to_doc(vote.meeting),
        "case": serial_to_doc(vote.case),
        "proposal": vote.proposal,
        "agenda_version": vote.agenda_version,
        "electorate": sorted(vote.electorate),
        "opened_by": vote.opened_by,
        "opened_at": vote.opened_at.isoformat(),
        "closes_at": vote.closes_at.isoformat() if vote.closes_at else None,
        "state": vote.state.value,
        "ballots": {user: choice.value for user, choice in sorted(vote.ballots.items())},
        "channel": vote.channel,
        "message_ts": vote.message_ts,
        "closed_at": vote.closed_at.isoformat() if vote.closed_at else None,
        "approval": vote.approval,
        "remind_by": vote.remind_by.isoformat() if vote.remind_by else None,
        "seats": vote.seats,
        "profile": vote.profile,
        "chair": vote.chair,
        "in_session": vote.in_session,
        "thread_ts": vote.thread_ts,
        "recusal_of": vote.recusal_of,
    }


def vote_from_doc(doc: dict[str, Any]) -> Vote:
    return Vote(
        id=doc["id"],
        meeting=serial_from_doc(doc["meeting"]),
        case=serial_from_doc(doc["case"]),
        proposal=doc["proposal"],
        agenda_version=doc["agenda_version"],
        electorate=frozenset(_list(doc, "electorate")),
        opened_by=doc["opened_by"],
        opened_at=datetime.fromisoformat(doc["opened_at"]),
        closes_at=_dt(doc["closes_at"]),
        state=VoteState(doc["state"]),
        ballots={user: Choice(choice) for user, choice in doc["ballots"].items()},
        channel=doc.get("channel"),
        message_ts=doc.get("message_ts"),
        closed_at=_dt(doc.get("closed_at")),
        approval=_flag(doc, "approval"),
        # Votes from before the meeting could be held closed at its start, and were reminded before it.
        remind_by=_dt(doc["remind_by"]) if "remind_by" in doc else _dt(doc["closes_at"]),
        seats=doc.get("seats", 0),
        profile=doc.get("profile", "administrativt"),
        chair=doc.get("chair"),
        in_session=_flag(doc, "in_session"),
        thread_ts=doc.get("thread_ts"),
        recusal_of=doc.get("recusal_of"),
    )


def session_to_doc(session: Session) -> dict[str, Any]:
    return {
        "meeting": serial_to_doc(session.meeting),
        "started_at": session.started_at.isoformat(),
        "started_by": session.started_by,
        "chair": session.chair,
        "channel": session.channel,
        "message_ts": session.message_ts,
        "current": serial_to_doc(session.current) if session.current else None,
        "threads": {serial_to_doc(case): ts for case, ts in session.threads.items()},
        "ended_at": session.ended_at.isoformat() if session.ended_at else None,
        "ended_by": session.ended_by,
    }


def session_from_doc(doc: dict[str, Any]) -> Session:
    return Session(
        meeting=serial_from_doc(doc["meeting"]),
        started_at=datetime.fromisoformat(doc["started_at"]),
        started_by=doc["started_by"],
        chair=doc.get("chair"),
        channel=doc.get("channel"),
        message_ts=doc.get("message_ts"),
        current=serial_from_doc(doc["current"]) if doc.get("current") else None,
        threads={serial_from_doc(case): str(ts) for case, ts in (doc.get("threads") or {}).items()},
        ended_at=_dt(doc.get("ended_at")),
        ended_by=doc.get("ended_by"),
    )


def document_to_doc(document: Document) -> dict[str, Any]:
    """The minutes' document as approved, block by block: read back, it renders the same bytes."""
    blocks: list[dict[str, Any]] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            blocks.append({"heading": block.text, "level": block.level})
        elif isinstance(block, Paragraph):
            blocks.append({"paragraph": block.text, "emphasis": block.emphasis})
        elif isinstance(block, Bullets):
            blocks.append({"bullets": list(block.items)})
        else:
            blocks.append({"fields": [list(pair) for pair in block.pairs]})
    return {"title": document.title, "header": document.header, "footer": document.footer, "blocks": blocks}


def document_from_doc(doc: dict[str, Any]) -> Document:
    blocks: list[Block] = []
    for block in _list(doc, "blocks"):
        if "heading" in block:
            blocks.append(Heading(str(block["heading"]), int(block.get("level", 2))))
        elif "paragraph" in block:
            blocks.append(Paragraph(str(block["paragraph"]), bool(block.get("emphasis"))))
        elif "bullets" in block:
            blocks.append(Bullets(tuple(str(item) for item in _list(block, "bullets"))))
        else:
            blocks.append(Fields(tuple((str(a), str(b)) for a, b in _list(block, "fields"))))
    return Document(str(doc["title"]), str(doc["header"]), tuple(blocks), str(doc.get("footer", "")))


def minutes_to_doc(minutes: Minutes) -> dict[str, Any]:
    return {
        "meeting": serial_to_doc(minutes.meeting),
        "made_at": minutes.made_at.isoformat(),
        "made_by": minutes.made_by,
        "version": minutes.version,
        "state": minutes.state.value,
        "edits": [
            {"at": e.at.isoformat(), "actor": e.actor, "case": serial_to_doc(e.case), "kind": e.kind.value,
             "text": e.text}
            for e in minutes.edits
        ],
        "signatories": list(minutes.signatories),
        "approvals": {user: at.isoformat() for user, at in minutes.approvals.items()},
        "remarks": [{"at": r.at.isoformat(), "user": r.user, "text": r.text} for r in minutes.remarks],
        "approved": [
            {"version": a.version, "at": a.at.isoformat(), "document": document_to_doc(a.document),
             "fingerprint": a.fingerprint, "by_vote": a.by_vote}
            for a in minutes.approved
        ],
        "names": dict(minutes.names),
    }  # fmt: skip


def minutes_from_doc(doc: dict[str, Any]) -> Minutes:
    return Minutes(
        meeting=serial_from_doc(doc["meeting"]),
        made_at=datetime.fromisoformat(doc["made_at"]),
        made_by=doc["made_by"],
        version=doc.get("version", 1),
        state=MinutesState(doc.get("state", MinutesState.DRAFT.value)),
        edits=tuple(
            MinutesEdit(datetime.fromisoformat(e["at"]), e["actor"], serial_from_doc(e["case"]), EditKind(e["kind"]),
                        e["text"])
            for e in _list(doc, "edits")
        ),
        signatories=tuple(_list(doc, "signatories")),
        approvals={str(u): datetime.fromisoformat(at) for u, at in (doc.get("approvals") or {}).items()},
        remarks=tuple(Remark(datetime.fromisoformat(r["at"]), r["user"], r["text"]) for r in _list(doc, "remarks")),
        approved=tuple(
            Approved(a["version"], datetime.fromisoformat(a["at"]), document_from_doc(a["document"]),
                     a["fingerprint"], a.get("by_vote"))
            for a in _list(doc, "approved")
        ),
        names={str(u): str(n) for u, n in (doc.get("names") or {}).items()},
    )  # fmt: skip


def attendance_to_doc(meeting: Serial, event: AttendanceEvent) -> dict[str, Any]:
    return {
        "meeting": serial_to_doc(meeting),
        "at": event.at.isoformat(),
        "user": event.user,
        "what": event.what.value,
        "by": event.by,
        "reason": event.reason,
        "seat": event.seat,
    }


def attendance_from_doc(doc: dict[str, Any]) -> AttendanceEvent:
    return AttendanceEvent(
        at=datetime.fromisoformat(doc["at"]),
        user=doc["user"],
        what=Presence(doc["what"]),
        by=doc["by"],
        reason=doc.get("reason", ""),
        seat=doc.get("seat"),
    )


def recusal_to_doc(recusal: Recusal) -> dict[str, Any]:
    return {
        "id": recusal.id,
        "meeting": serial_to_doc(recusal.meeting),
        "case": serial_to_doc(recusal.case),
        "user": recusal.user,
        "reason": recusal.reason,
        "declared_at": recusal.declared_at.isoformat(),
        "declared_by": recusal.declared_by,
        "vote": recusal.vote,
        "ruling": recusal.ruling.value if recusal.ruling else None,
        "ruled_at": recusal.ruled_at.isoformat() if recusal.ruled_at else None,
    }


def recusal_from_doc(doc: dict[str, Any]) -> Recusal:
    return Recusal(
        id=doc["id"],
        meeting=serial_from_doc(doc["meeting"]),
        case=serial_from_doc(doc["case"]),
        user=doc["user"],
        reason=doc.get("reason", ""),
        declared_at=datetime.fromisoformat(doc["declared_at"]),
        declared_by=doc["declared_by"],
        vote=doc.get("vote"),
        ruling=Ruling(doc["ruling"]) if doc.get("ruling") else None,
        ruled_at=_dt(doc.get("ruled_at")),
    )


def vote_event_to_doc(vote_id: int, event: VoteEvent) -> dict[str, Any]:
    return {"vote": vote_id, "at": event.at.isoformat(), "actor": event.actor, "action": event.action}


def vote_event_from_doc(doc: dict[str, Any]) -> VoteEvent:
    return VoteEvent(datetime.fromisoformat(doc["at"]), doc["actor"], doc["action"])


def deadline_to_doc(deadline: Deadline) -> dict[str, Any]:
    return {
        "id": deadline.id,
        "what": deadline.what,
        "due": deadline.due.isoformat(),
        "due_time": deadline.due_time.isoformat() if deadline.due_time else None,
        "users": list(deadline.users),
        "body": deadline.body,
        "case": serial_to_doc(deadline.case) if deadline.case else None,
        "meeting": serial_to_doc(deadline.meeting) if deadline.meeting else None,
        "earlier": [day.isoformat() for day in deadline.earlier],
        "postponed": deadline.postponed,
        "state": deadline.state.value,
        "since": deadline.since.isoformat() if deadline.since else None,
        "history": [{"at": c.at.isoformat(), "actor": c.actor, "summary": c.summary} for c in deadline.history],
    }


def deadline_from_doc(doc: dict[str, Any]) -> Deadline:
    return Deadline(
        id=doc["id"],
        what=doc["what"],
        due=date.fromisoformat(doc["due"]),
        due_time=_time_or_none(doc.get("due_time")),
        users=tuple(_list(doc, "users")),
        body=doc.get("body"),
        case=serial_from_doc(doc["case"]) if doc.get("case") else None,
        meeting=serial_from_doc(doc["meeting"]) if doc.get("meeting") else None,
        earlier=tuple(date.fromisoformat(day) for day in _list(doc, "earlier")),
        postponed=_flag(doc, "postponed"),
        state=DeadlineState(doc.get("state", DeadlineState.OPEN.value)),
        since=_dt(doc.get("since")),
        history=tuple(
            DeadlineChange(datetime.fromisoformat(c["at"]), c["actor"], c["summary"]) for c in _list(doc, "history")
        ),
    )


def stream_to_doc(stream: WorkStream) -> dict[str, Any]:
    return {
        "number": stream.number,
        "title": stream.title,
        "updates": [{"at": u.at.isoformat(), "actor": u.actor, "text": u.text} for u in stream.updates],
    }


def stream_from_doc(doc: dict[str, Any]) -> WorkStream:
    return WorkStream(
        number=doc["number"],
        title=doc["title"],
        updates=tuple(
            StatusUpdate(datetime.fromisoformat(u["at"]), u["actor"], u["text"]) for u in _list(doc, "updates")
        ),
    )


def roles_from_doc(doc: dict[str, Any]) -> tuple[str, frozenset[Role]]:
    """A member of the roster: Slack user ID and their one role. A member stored with two (from before a
    member had one) keeps the first in the listing order, a seat before a vara's place; and a secretariat
    stays one, so no body loses the rights its secretariat had (a new role set replaces both)."""
    stored = frozenset(Role(role) for role in _list(doc, "roles"))
    role = Role.first(stored)
    kept = {role} if role else set()
    return doc["user"], frozenset(kept | (stored & {Role.SEKRETARIAT}))


def _minutes(value: timedelta | None) -> int | None:
    return int(value.total_seconds() // 60) if value is not None else None


def _offsets_to_doc(offsets: tuple[timedelta, ...] | None) -> list[int] | None:
    return None if offsets is None else [int(offset.total_seconds() // 60) for offset in offsets]


def _offsets_from_doc(doc: dict[str, Any], key: str) -> tuple[timedelta, ...] | None:
    return None if doc.get(key) is None else tuple(timedelta(minutes=m) for m in _list(doc, key))


def body_to_doc(body: Body) -> dict[str, Any]:
    """Settings left to the installation's default are null."""
    items = body.standing_items
    return {
        "name": body.name,
        "short_name": body.short_name,
        "channel": body.channel,
        "language": body.language,
        "profile": body.profile,
        "standing_items": None if items is None else [dataclasses.asdict(item) for item in items],
        "vote_reminder_minutes": _minutes(body.vote_reminder),
        "deadline_pings_minutes": _offsets_to_doc(body.deadline_pings),
        "meeting_notices_minutes": _offsets_to_doc(body.meeting_notices),
        "calendar_token": body.calendar_token,
        "public_channel": body.public_channel,
        "readable": body.readable,
        "deadline_pings_in_channel": body.deadline_pings_in_channel,
    }


def body_from_doc(doc: dict[str, Any], body_id: int) -> Body:
    items = doc.get("standing_items")
    reminder = doc.get("vote_reminder_minutes")
    return Body(
        id=body_id,
        name=doc["name"],
        short_name=doc["short_name"],
        channel=doc.get("channel"),
        language=doc.get("language", "nb"),
        profile=profile_named(doc.get("profile", "administrativt")).name,  # "kommunalt" is now "folkevalgt"
        standing_items=None if items is None else tuple(StandingItem(**item) for item in _list(doc, "standing_items")),
        vote_reminder=None if reminder is None else timedelta(minutes=reminder),
        deadline_pings=_offsets_from_doc(doc, "deadline_pings_minutes"),
        meeting_notices=_offsets_from_doc(doc, "meeting_notices_minutes"),
        calendar_token=doc.get("calendar_token", ""),
        public_channel=_flag(doc, "public_channel"),
        readable=_flag(doc, "readable"),
        deadline_pings_in_channel=bool(doc.get("deadline_pings_in_channel", True)),
    )


def _sent_from_doc(doc: dict[str, Any]) -> tuple[str, datetime, str]:
    if doc.get("state", "sent") not in ("pending", "sent"):
        raise ValueError("feltet «state» skal være pending eller sent")
    at = datetime.fromisoformat(doc["at"])
    if at.utcoffset() is None:
        raise ValueError("feltet «at» mangler tidssone")
    return doc["key"], at, doc.get("state", "sent")


def _counters_from_doc(doc: dict[str, Any]) -> dict[str, int]:
    """The year's last numbers handed out, by kind ("meeting", "case")."""
    if not all(map(_fits(int), doc.values())):
        raise ValueError("tellerne skal være heltall")
    return doc


# How each table's documents are read; a document that does not read back as what it claims to be is
# refused when the store opens, rather than failing every read later. Tables not named here are not ours.
DECODERS: dict[str, Callable[[dict[str, Any]], object]] = {
    "meetings": meeting_from_doc,
    "agenda_history": change_from_doc,
    "votes": lambda doc: (vote_from_doc(doc), *(vote_event_from_doc(e) for e in _list(doc, "events"))),
    "vote_events": lambda doc: (doc["vote"], vote_event_from_doc(doc)),
    "deadlines": lambda doc: (deadline_from_doc(doc), doc.get("origin")),
    "status": stream_from_doc,
    "sent": _sent_from_doc,
    "home_viewers": lambda doc: doc["user"],
    "roster": roles_from_doc,
    "counters": _counters_from_doc,
    "bodies": lambda doc: body_from_doc(doc, 0),
    "sessions": session_from_doc,
    "attendance": attendance_from_doc,
    "recusals": recusal_from_doc,
    "minutes": minutes_from_doc,
    "preferences": lambda doc: (doc["user"], doc["language"]),
}
# The JSON types of the fields read above that the domain's type hints do not describe.
_RAW_TYPES: dict[str, dict[str, Any]] = {
    "vote_events": {"vote": int},
    "votes": {"organ": int},
    "agenda_history": {"organ": int},
    "deadlines": {"origin": str | None, "organ": int},
    "sent": {"key": str, "state": str},
    "home_viewers": {"user": str},
    "roster": {"user": str, "organ": int, "vara_for": str | None, "group": str | None},
    "sessions": {"organ": int},
    "attendance": {"organ": int, "meeting": str},
    "recusals": {"organ": int, "meeting": str, "case": str},
    "minutes": {"organ": int},
    "preferences": {"user": str, "language": str},
}


def record_problem(table: str, doc: object) -> str | None:
    """What is wrong with a stored document, in a few words; None if it reads as Møtebot's."""
    if not isinstance(doc, dict):
        return f"er ikke et objekt (men {type(doc).__name__})"
    try:
        decoded = DECODERS[table](doc)
    except KeyError as error:
        return f"mangler feltet «{error.args[0]}»"
    except (ValueError, TypeError, AttributeError) as error:
        return f"kan ikke leses ({' '.join(str(error).split())})"
    for key, hint in _RAW_TYPES.get(table, {}).items():
        if key in doc and not _fits(hint)(doc[key]):
            return f"har feil type i feltet «{key}»"
    parts = decoded if isinstance(decoded, tuple) else (decoded,)
    wrong = next(filter(None, map(_misfit, parts)), None)
    return f"har feil type i feltet «{wrong}»" if wrong else None


def _misfit(value: object, where: str = "") -> str | None:
    """The first field (a path like cases[0].title) whose value is not of its declared type."""
    if isinstance(value, tuple):
        return next(filter(None, (_misfit(item, f"{where}[{n}]") for n, item in enumerate(value))), None)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return None
    for name, fits, nested in _fields_of(type(value)):
        field = getattr(value, name)
        if not fits(field) or (nested and _misfit(field)):
            path = f"{where}.{name}" if where else name
            return path if not fits(field) else _misfit(field, path)
    return None


@functools.cache
def _fields_of(cls: type) -> list[tuple[str, Callable[[object], bool], bool]]:
    """Each field's name, its type check, and whether it holds dataclasses to look into."""
    hints = get_type_hints(cls)
    return [(f.name, _fits(hints[f.name]), _holds_dataclasses(hints[f.name])) for f in dataclasses.fields(cls)]


def _holds_dataclasses(hint: Any) -> bool:
    return dataclasses.is_dataclass(hint) or any(_holds_dataclasses(arg) for arg in get_args(hint))


@functools.cache
def _fits(hint: Any) -> Callable[[object], bool]:
    """A check that a value decoded from JSON is of a type hint: the domain's own types, strictly (a
    bool is no int, a date no datetime, and a moment has a zone). Built once per hint: start-up
    checks every record."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        alternatives = [_fits(arg) for arg in args]
        return lambda value: any(fits(value) for fits in alternatives)
    if origin in (tuple, frozenset):
        item = _fits(args[0])
        return lambda value: isinstance(value, origin) and all(map(item, value))
    if origin in (dict, Mapping):
        key, val = _fits(args[0]), _fits(args[1])
        return lambda value: isinstance(value, Mapping) and all(key(k) and val(v) for k, v in value.items())
    if hint is None or hint is type(None):
        return lambda value: value is None
    if hint is datetime:
        return lambda value: isinstance(value, datetime) and value.utcoffset() is not None
    if hint is date:
        return lambda value: isinstance(value, date) and not isinstance(value, datetime)
    if hint is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    return lambda value: isinstance(value, hint)
