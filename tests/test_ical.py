"""The meeting plan as every calendar reads it: checked with vobject, which builds each zone from the
file's own VTIMEZONE (icalendar's reader looks the TZID up in tzdata instead, and hides a bad one)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from dateutil.tz.tz import _tzicalvtz

from bot.core.domain import Meeting, Serial
from bot.core.ical import calendar, meeting_uid
from tests.support import OSLO

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=OSLO)


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def _around_every_change() -> list[Meeting]:
    """Meetings at 02.30 and 09.00 on, the day before and the day after each change, 2020–2045;
    02.30 falls in the gap in March (read with the offset before it, RFC 5545 3.3.5) and twice in
    October (the first time)."""
    meetings = []
    for year in range(2020, 2046):
        for change in (_last_sunday(year, 3), _last_sunday(year, 10)):
            for day in (change - timedelta(days=1), change, change + timedelta(days=1)):
                for start in (time(2, 30), time(9, 0)):
                    number = Serial(year, len([m for m in meetings if m.number.year == year]) + 1)
                    meetings.append(Meeting(number, "Styremøte", day, start=start, end=time(start.hour + 1)))
    return meetings


def _read(ics: bytes) -> dict[str, vobject.base.Component]:
    parsed = vobject.readOne(ics.decode("utf-8"))
    return {event.uid.value: event for event in parsed.vevent_list}


def test_a_strict_reader_puts_every_meeting_at_zoneinfos_instant_around_every_change_2020_2045() -> None:
    meetings = _around_every_change()
    events = _read(calendar(meetings, NOW))
    wrong = []
    for meeting in meetings:
        event = events[meeting_uid(meeting)]
        start, end = event.dtstart.value, event.dtend.value
        if meeting.start == time(9):  # read through the file's VTIMEZONE, not looked up in tzdata
            assert isinstance(start.tzinfo, _tzicalvtz)  # (02.30 on the night of a change is in UTC)
        if (start.astimezone(UTC), end.astimezone(UTC)) != (
            meeting.starts_at(OSLO).astimezone(UTC),
            meeting.ends_at(OSLO).astimezone(UTC),
        ):
            wrong.append(f"{meeting.day} {meeting.start}: {start.astimezone(UTC)}")
    assert wrong == []


def test_the_zone_is_written_as_yearly_rules_and_an_empty_place_is_left_out() -> None:
    meeting = Meeting(Serial(2026, 1), "Styremøte", date(2026, 6, 10), start=time(9))
    text = calendar([meeting], NOW).decode("utf-8").replace("\r\n ", "")
    zone = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert "RDATE" not in zone
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in zone and "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in zone
    assert "TZID:Europe/Oslo" in zone and "LOCATION" not in text
    placed = calendar([Meeting(Serial(2026, 1), "Styremøte", date(2026, 6, 10), location="Rom 3")], NOW)
    assert b"LOCATION:Rom 3" in placed


def test_a_meeting_with_a_length_but_no_end_lasts_that_long_across_the_change() -> None:
    meeting = Meeting(Serial(2026, 1), "Nattmøte", date(2026, 10, 25), start=time(1, 30), duration=timedelta(hours=2))
    ics = calendar([meeting], NOW)
    [event] = _read(ics).values()
    assert event.dtend.value.astimezone(UTC) - event.dtstart.value.astimezone(UTC) == timedelta(hours=2)
    [tzdata] = icalendar.Calendar.from_ical(ics).walk("VEVENT")  # the same, read with zoneinfo
    assert tzdata["DTEND"].dt.astimezone(UTC) - tzdata["DTSTART"].dt.astimezone(UTC) == timedelta(hours=2)


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Sydney", "Asia/Tokyo", "UTC"])
def test_other_zones_are_read_at_zoneinfos_instants_too(zone: str) -> None:
    tz = ZoneInfo(zone)
    days = [date(2026, month, day) for month in range(1, 13) for day in (1, 8, 15, 22, 29) if (month, day) != (2, 29)]
    meetings = [Meeting(Serial(2026, n + 1), "Møte", day, start=time(2, 30)) for n, day in enumerate(days)]
    events = _read(calendar(meetings, NOW.astimezone(tz)))
    for meeting in meetings:
        start = events[meeting_uid(meeting)].dtstart.value
        assert start.astimezone(UTC) == meeting.starts_at(tz).astimezone(UTC), meeting.day
