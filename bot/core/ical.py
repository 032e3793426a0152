"""The meeting plan as iCalendar: the file shared in Slack, and the feed calendars subscribe to.

Each meeting keeps one UID for life and a SEQUENCE that grows when it is moved or cancelled, so a
calendar that imports the file again, or fetches the feed again, moves the meeting instead of adding a
second one, and shows a cancelled one as cancelled (STATUS:CANCELLED). METHOD:PUBLISH says the file is
a published calendar, not an invitation to answer; DTSTAMP is then when the file was made.

The time zone is written as yearly rules (Europe/Oslo: the last Sunday of March and of October).
icalendar's own VTIMEZONE lists each change as an RDATE up to 2037: Outlook ignores RDATE in a
VTIMEZONE, and a reader that builds the zone from the file put meetings an hour off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration

from bot.core.domain import Meeting
from bot.core.formatting import duration, meeting_place
from bot.core.i18n import _

PRODID = "-//Møtebot//Møteplan//NB"
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
REFRESH = timedelta(hours=1)  # how often a subscribed calendar is asked to fetch the feed again
FIRST_BODY = 1


def meeting_uid(meeting: Meeting, body: int = FIRST_BODY) -> str:
    """Unique across bodies: two bodies each have a "Møte 1/27". The first body's UIDs are those of the
    files shared before there were bodies, so calendars that imported one still move its meetings."""
    suffix = "" if body == FIRST_BODY else f"-organ{body}"
    return f"mote-{meeting.number.year}-{meeting.number.seq}{suffix}@motebot"


def revision(ics: bytes) -> str:
    """What a calendar says, as a short tag: the same for two files that differ only in when they were
    made (DTSTAMP), so a feed fetched again can answer "not modified" (a weak ETag)."""
    said = b"".join(line for line in ics.splitlines(keepends=True) if not line.startswith(b"DTSTAMP"))
    return hashlib.sha256(said).hexdigest()[:24]


def _changes(tz: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta]]:
    """The year's changes of UTC offset: the instant (UTC), the offset before and the offset after."""

    def offset(at: datetime) -> timedelta:
        return at.astimezone(tz).utcoffset() or timedelta(0)

    found = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    while day.year == year:
        before, after = day, day + timedelta(days=1)
        if offset(before) != offset(after):
            while after - before > timedelta(seconds=1):  # the change lies in (before, after]
                middle = before + (after - before) / 2
                before, after = (middle, after) if offset(middle) == offset(before) else (before, middle)
            found.append((after.replace(microsecond=0), offset(before), offset(after)))
        day += timedelta(days=1)
    return found


def _rule(instant: datetime, offset_from: timedelta) -> tuple[int, str, time]:
    """A change as a yearly rule: month, weekday counted from the month's start (or -1, its last), time."""
    local = (instant + offset_from).replace(tzinfo=None)
    month_days = ((local.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day
    nth = -1 if local.day + 7 > month_days else (local.day - 1) // 7 + 1
    return local.month, f"{nth}{_WEEKDAYS[local.weekday()]}", local.time()


def _vtimezone(tz: ZoneInfo, years: range) -> Timezone | None:
    """The zone as yearly rules, when its changes in `years` follow them; None when they do not."""
    by_year = [_changes(tz, year) for year in years]
    shapes = {tuple((_rule(at, before), before, after) for at, before, after in changes) for changes in by_year}
    if len(shapes) != 1:
        return None
    zone = Timezone()
    zone.add("tzid", str(tz))
    first = by_year[0]
    if not first:  # no summer time: one offset all along
        offset = datetime(years.start, 1, 1, tzinfo=tz).utcoffset() or timedelta(0)
        first = [(datetime(1970, 1, 1, tzinfo=UTC), offset, offset)]
    for at, before, after in first:
        part = TimezoneDaylight() if after > before else TimezoneStandard()
        part.add("tzname", at.astimezone(tz).tzname())
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("dtstart", (at + before).replace(tzinfo=None))  # the first onset, in the offset before it
        if by_year[0]:
            month, byday, _ = _rule(at, before)
            part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": byday})
        zone.add_component(part)
    return zone


def _moment(at: datetime) -> datetime:
    """A time as the file gives it: by the zone's wall clock, or in UTC when that wall time is missing
    (the hour skipped in spring) or comes twice (the hour repeated in autumn). RFC 5545 settles both,
    but not every reader follows it (dateutil puts the skipped hour after the change)."""
    wall = at.replace(tzinfo=None)
    skipped = at.astimezone(UTC).astimezone(at.tzinfo).replace(tzinfo=None) != wall
    return at.astimezone(UTC) if skipped or at.replace(fold=1 - at.fold).utcoffset() != at.utcoffset() else at


def calendar(meetings: Sequence[Meeting], now: datetime, *, name: str = "Møteplan", body: int = FIRST_BODY) -> bytes:
    """One body's meetings: `name` is the calendar's name in the member's calendar list (the body's)."""
    tz = now.tzinfo
    assert isinstance(tz, ZoneInfo), "the clock gives times in the group's zone"
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)  # RFC 7986; X-WR-CALNAME is the one Outlook and Google read
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(tz))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})  # RFC 7986
    cal.add("x-published-ttl", vDuration(REFRESH))  # Outlook's name for it
    # From the year before the first meeting (its first onset comes before them all) to the last one's,
    # within 25 years of now: a rule that has held that long is the one readers apply beyond it.
    years = [meeting.day.year for meeting in meetings] + [now.year]
    first, last = max(min(years) - 1, now.year - 25), min(max(years), now.year + 25)
    zone = _vtimezone(tz, range(first, last + 1))
    if zone is not None:
        cal.add_component(zone)
    for meeting in sorted(meetings, key=lambda m: m.number):
        cal.add_component(_event(meeting, tz, now, body))
    if zone is None:
        cal.add_missing_timezones()  # a zone of no yearly rule: its changes listed one by one
    return bytes(cal.to_ical())


def _event(meeting: Meeting, tz: ZoneInfo, now: datetime, body: int) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting, body))
    event.add("sequence", meeting.rescheduled)
    event.add("dtstamp", now)
    event.add("summary", f"Møte {meeting.number}: {meeting.title}")
    if meeting.start:
        start = meeting.starts_at(tz)
        event.add("dtstart", _moment(start))
        if meeting.end:
            event.add("dtend", _moment(meeting.ends_at(tz)))
        else:  # a length is elapsed time, also on the night the clocks change
            event.add(
                "dtend", _moment((start.astimezone(UTC) + (meeting.duration or timedelta(hours=2))).astimezone(tz))
            )
    else:
        event.add("dtstart", meeting.day)
        event.add("dtend", meeting.day + timedelta(days=1))
    lines = [f"{case.shown_number} {case.title}" for case in meeting.cases]
    if meeting.duration and not meeting.start:
        lines.insert(0, _("Length: {length}", length=duration(meeting.duration)))
    if lines:
        event.add("description", "\n".join(lines))
    if place := meeting_place(meeting):  # «Nettmøte», «Nettmøte på Teams», or the place
        event.add("location", place[:1].upper() + place[1:])
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    return event
