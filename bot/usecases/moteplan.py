"""The meeting plan: meetings made in Slack or read from a notice's "Møteplan", moved and cancelled."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import cache

import holidays

from bot.core.dates import parse_clock
from bot.core.domain import AgendaChange, Case, CaseType, Meeting, Serial, VoteEvent, VoteState
from bot.core.errors import UserError, one_line
from bot.core.formatting import clock_time, long_date, time_span
from bot.core.notices.reader import ParsedNotice
from bot.usecases.services import Services, require_manager

MAX_MEETING_TITLE = 150  # a header's limit in Block Kit


@cache
def _norwegian_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("NO", years=year, language="no"))


def holiday_warning(day: date) -> list[str]:
    """From a maintained calendar of Norway's public holidays (17. mai, Kristi himmelfartsdag, …)."""
    name = _norwegian_holidays(day.year).get(day)
    return [f"{long_date(day).capitalize()} er en helligdag ({name}). Er datoen riktig?"] if name else []


def overlap_warning(services: Services, day: date, start: time, end: time, number: Serial | None) -> list[str]:
    """Another meeting of the group at the same time is most likely a typing error."""
    clashes = [
        m for m in services.store.meetings()
        if m.day == day and m.number != number and not m.cancelled and m.start
        and m.start < end and (m.end or m.start) > start
    ]  # fmt: skip
    return [f"Møte {m.number} er samme dag {time_span(m.start, m.end)}; tidene overlapper." for m in clashes]


def _meeting(services: Services, number: Serial) -> Meeting:
    meeting = services.store.meeting(number)
    if meeting is None:
        raise UserError(f"Fant ikke møte {number}. `/moteplan alle` viser møtene.")
    return meeting


def _check_times(services: Services, day: date, start: time, end: time) -> None:
    if end <= start:
        raise UserError("Møtet må slutte etter at det begynner. Skriv tiden slik: 09.00-11.00.")
    if datetime.combine(day, start, tzinfo=services.clock.tz) <= services.clock.now():
        raise UserError(f"{long_date(day).capitalize()} kl. {clock_time(start)} er passert. Velg en tid fram i tid.")


def _log(services: Services, actor: str, meeting: Meeting, summary: str) -> None:
    change = AgendaChange(meeting.number, meeting.version, services.clock.now(), actor, summary)
    services.store.add_agenda_change(change)


def create(
    services: Services, actor: str, day: date, start: time, end: time, title: str, location: str | None = None
) -> tuple[Meeting, list[str]]:
    """A new meeting, numbered next in its year, starting with the standing items."""
    require_manager(services, actor, "Bare sekretariatet, lederen og administratorene kan endre møteplanen.")
    missing = "Møtet mangler tittel. Skriv slik: `/moteplan ny 17.09.2020 09.00-11.00 Styringsgruppemøte`."
    title = one_line(title, MAX_MEETING_TITLE, missing=missing, name="Tittelen")
    _check_times(services, day, start, end)
    store = services.store
    warnings = holiday_warning(day) + overlap_warning(services, day, start, end, None)
    with store.transaction():
        number = store.allocate_meeting_number(day.year)
        cases = []
        for item in sorted(services.rules.standing_items, key=lambda item: item.last):
            case_type = CaseType.parse(item.type) if item.type else None
            cases.append(Case(store.allocate_case_number(day.year), item.title, None, case_type, item.proposal))
        meeting = Meeting(
            number, title, day, start, end, body=None, location=location, web=location is None, cases=tuple(cases)
        )
        store.save_meetings([meeting])
        _log(services, actor, meeting, f"Møtet ble lagt inn ({long_date(day)})")
    services.wakeup()
    return meeting, warnings


def move(
    services: Services, actor: str, number: Serial, day: date, start: time, end: time
) -> tuple[Meeting, list[str]]:
    """A moved meeting gets fresh notices for its new time (they are keyed by it) and none for the old."""
    require_manager(services, actor, "Bare sekretariatet, lederen og administratorene kan endre møteplanen.")
    store = services.store
    with store.transaction():
        meeting = _meeting(services, number)
        if meeting.cancelled:
            raise UserError(f"Møte {number} er avlyst.")
        _check_times(services, day, start, end)
        meeting = replace(
            meeting, day=day, start=start, end=end, duration=None,
            rescheduled=meeting.rescheduled + 1, moved_at=services.clock.now(),
        )  # fmt: skip
        store.save_meetings([meeting])
        closes_at = meeting.starts_at(services.clock.tz)
        for vote in store.votes(open_only=True):
            if vote.meeting == number:
                store.save_vote(replace(vote, closes_at=closes_at))
        _log(services, actor, meeting, f"Møtet ble flyttet til {long_date(day)} kl. {clock_time(start)}")
    services.wakeup()
    return meeting, holiday_warning(day) + overlap_warning(services, day, start, end, number)


def cancel(services: Services, actor: str, number: Serial) -> Meeting:
    """One cancellation notice goes out; open votes for the meeting end without a result."""
    require_manager(services, actor, "Bare sekretariatet, lederen og administratorene kan endre møteplanen.")
    store, now = services.store, services.clock.now()
    with store.transaction():
        meeting = _meeting(services, number)
        if meeting.cancelled:
            raise UserError(f"Møte {number} er allerede avlyst.")
        if meeting.ends_at(services.clock.tz) < now:
            raise UserError(f"Møte {number} er allerede holdt.")
        meeting = replace(meeting, cancelled_at=now, rescheduled=meeting.rescheduled + 1)
        store.save_meetings([meeting])
        for vote in store.votes(open_only=True):
            if vote.meeting == number:
                event = VoteEvent(now, actor, "avbrutt: møtet ble avlyst")
                store.save_vote(replace(vote, state=VoteState.CANCELLED, closed_at=now), event)
        _log(services, actor, meeting, "Møtet ble avlyst")
    services.wakeup()
    return meeting


def import_plan(services: Services, actor: str, notice: ParsedNotice) -> list[Meeting]:
    """The notice's "Møteplan" as meetings, once each: a date that already has a meeting is left alone.

    They get no standing items: their agenda comes with their own notice, or is built in Slack.
    """
    store = services.store
    added: list[Meeting] = []
    taken = {meeting.day for meeting in store.meetings() if not meeting.cancelled}
    for entry in notice.plan:
        if entry.day in taken:
            continue
        start, end = (
            (parse_clock(entry.start) if entry.start else None),
            (parse_clock(entry.end) if entry.end else None),
        )
        duration = timedelta(minutes=entry.duration_minutes) if entry.duration_minutes else None
        meeting = Meeting(
            store.allocate_meeting_number(entry.day.year), notice.meeting.title, entry.day, start, end,
            body=notice.meeting.body, web=entry.web, duration=duration,
        )  # fmt: skip
        store.save_meetings([meeting])
        _log(services, actor, meeting, f"Fra møteplanen i innkallingen til møte {notice.meeting.number}")
        taken.add(entry.day)
        added.append(meeting)
    return added
