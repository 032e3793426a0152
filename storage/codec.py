"""Domain objects to TinyDB documents and back: JSON-safe, stable, readable in the file."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from bot.domain import (
    AgendaChange,
    Case,
    CaseType,
    Choice,
    Deadline,
    DeadlineState,
    Meeting,
    Serial,
    StatusUpdate,
    Vote,
    VoteEvent,
    VoteState,
    WorkStream,
)


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
    }


def case_from_doc(doc: dict[str, Any]) -> Case:
    return Case(
        number=serial_from_doc(doc["number"]),
        title=doc["title"],
        start=_time_or_none(doc.get("start")),
        case_type=CaseType(doc["type"]) if doc.get("type") else None,
        proposal=doc.get("proposal"),
        decision=doc.get("decision"),
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
    }


def meeting_from_doc(doc: dict[str, Any]) -> Meeting:
    return Meeting(
        number=serial_from_doc(doc["number"]),
        title=doc["title"],
        day=date.fromisoformat(doc["day"]),
        start=_time_or_none(doc.get("start")),
        end=_time_or_none(doc.get("end")),
        body=doc.get("body"),
        location=doc.get("location"),
        web=bool(doc.get("web", False)),
        cases=tuple(case_from_doc(case) for case in doc.get("cases", [])),
        version=int(doc.get("version", 1)),
        duration=timedelta(minutes=doc["duration_minutes"]) if doc.get("duration_minutes") else None,
        cancelled_at=datetime.fromisoformat(doc["cancelled_at"]) if doc.get("cancelled_at") else None,
        rescheduled=int(doc.get("rescheduled", 0)),
        moved_at=_dt(doc.get("moved_at")),
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
        "closes_at": vote.closes_at.isoformat(),
        "state": vote.state.value,
        "ballots": {user: choice.value for user, choice in sorted(vote.ballots.items())},
        "channel": vote.channel,
        "message_ts": vote.message_ts,
        "closed_at": vote.closed_at.isoformat() if vote.closed_at else None,
        "approval": vote.approval,
    }


def vote_from_doc(doc: dict[str, Any]) -> Vote:
    return Vote(
        id=doc["id"],
        meeting=serial_from_doc(doc["meeting"]),
        case=serial_from_doc(doc["case"]),
        proposal=doc["proposal"],
        agenda_version=doc["agenda_version"],
        electorate=frozenset(doc["electorate"]),
        opened_by=doc["opened_by"],
        opened_at=datetime.fromisoformat(doc["opened_at"]),
        closes_at=datetime.fromisoformat(doc["closes_at"]),
        state=VoteState(doc["state"]),
        ballots={user: Choice(choice) for user, choice in doc["ballots"].items()},
        channel=doc.get("channel"),
        message_ts=doc.get("message_ts"),
        closed_at=_dt(doc.get("closed_at")),
        approval=bool(doc.get("approval", False)),
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
    }


def deadline_from_doc(doc: dict[str, Any]) -> Deadline:
    return Deadline(
        id=doc["id"],
        what=doc["what"],
        due=date.fromisoformat(doc["due"]),
        due_time=_time_or_none(doc.get("due_time")),
        users=tuple(doc.get("users", [])),
        body=doc.get("body"),
        case=serial_from_doc(doc["case"]) if doc.get("case") else None,
        meeting=serial_from_doc(doc["meeting"]) if doc.get("meeting") else None,
        earlier=tuple(date.fromisoformat(day) for day in doc.get("earlier", [])),
        postponed=bool(doc.get("postponed", False)),
        state=DeadlineState(doc.get("state", DeadlineState.OPEN.value)),
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
        updates=tuple(StatusUpdate(datetime.fromisoformat(u["at"]), u["actor"], u["text"]) for u in doc["updates"]),
    )
