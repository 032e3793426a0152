"""The meeting plan as iCalendar, so members can subscribe in Outlook or their phone's calendar.

Each meeting keeps one UID for life and a SEQUENCE that grows when it is moved or cancelled, so a
calendar that imports the file again moves the meeting instead of adding a second one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from bot.domain import Meeting

PRODID = "-//Møtebot//Møteplan//NB"


def meeting_uid(meeting: Meeting) -> str:
    return f"mote-{meeting.number.year}-{meeting.number.seq}@motebot"


def calendar(meetings: list[Meeting], now: datetime, *, name: str = "Møteplan") -> bytes:
    tz = now.tzinfo
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(tz))
    for meeting in sorted(meetings, key=lambda m: m.number):
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("sequence", meeting.rescheduled)
        event.add("dtstamp", now)
        event.add("summary", f"Møte {meeting.number}: {meeting.title}")
        if meeting.start:
            start = meeting.starts_at(tz)  # type: ignore[arg-type]
            event.add("dtstart", start)
            end = meeting.ends_at(tz) if meeting.end else start + (meeting.duration or timedelta(hours=2))  # type: ignore[arg-type]
            event.add("dtend", end)
        else:
            event.add("dtstart", meeting.day)
            event.add("dtend", meeting.day + timedelta(days=1))
        lines = [f"{case.number} {case.title}" for case in meeting.cases]
        if meeting.duration and not meeting.start:
            lines.insert(0, f"Varighet: {meeting.duration.total_seconds() / 3600:g} timer".replace(".", ","))
        if lines:
            event.add("description", "\n".join(lines))
        event.add("location", "Web-møte" if meeting.web else (meeting.location or ""))
        event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
