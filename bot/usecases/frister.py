"""Deadlines and work-stream status: what the secretariat sets, postpones, finishes and updates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

from bot.core.domain import Deadline, DeadlineState, Serial, StatusUpdate, WorkStream
from bot.core.errors import UserError, one_line
from bot.core.formatting import long_date
from bot.core.notices.reader import ParsedNotice
from bot.usecases.services import Services, require_manager

MAX_WHAT = 300
MAX_STATUS = 1000


def _open_deadline(services: Services, number: int) -> Deadline:
    deadline = services.store.deadline(number)
    if deadline is None:
        raise UserError(f"Fant ikke frist nr. {number}. `/frister alle` viser numrene.")
    if not deadline.is_open:
        raise UserError(f"Frist nr. {number} er allerede ferdig.")
    return deadline


def _check_future(services: Services, day: date, at: time | None) -> None:
    now = services.clock.now()
    moment = datetime.combine(day, at or time(23, 59), tzinfo=services.clock.tz)
    if moment <= now:
        raise UserError(f"{long_date(day).capitalize()} er passert. En frist må ligge fram i tid.")


def add(
    services: Services, actor: str, day: date, at: time | None, what: str, users: tuple[str, ...], body: str | None
) -> Deadline:
    require_manager(services, actor, "Bare sekretariatet, lederen og administratorene kan legge inn frister.")
    what = one_line(what, MAX_WHAT, missing="Fristen mangler tekst: hva skal gjøres?", name="Teksten")
    _check_future(services, day, at)
    deadline = services.store.add_deadline(Deadline(0, what, day, at, users, body or None))
    services.wakeup()
    return deadline


def postpone(services: Services, actor: str, number: int, day: date, at: time | None) -> Deadline:
    require_manager(services, actor, "Bare sekretariatet, lederen og administratorene kan utsette frister.")
    with services.store.transaction():
        deadline = _open_deadline(services, number)
        at = at if at is not None else deadline.due_time  # a new date alone keeps the time of day
        if (day, at) == (deadline.due, deadline.due_time):
            raise UserError(f"Frist nr. {number} er allerede {long_date(day)}.")
        _check_future(services, day, at)
        deadline = replace(deadline, due=day, due_time=at, earlier=(*deadline.earlier, deadline.due), postponed=True)
        services.store.save_deadline(deadline)
    services.wakeup()
    return deadline


def finish(services: Services, actor: str, number: int) -> Deadline:
    require_manager(services, actor, "Bare sekretariatet, lederen og administratorene kan merke frister som ferdige.")
    with services.store.transaction():
        deadline = _open_deadline(services, number)
        deadline = replace(deadline, state=DeadlineState.DONE)
        services.store.save_deadline(deadline)
    services.wakeup()
    return deadline


def update_status(services: Services, actor: str, number: int, text: str) -> WorkStream:
    require_manager(services, actor, "Bare sekretariatet, lederen og administratorene kan oppdatere status.")
    missing = "Statusen mangler tekst. Skriv slik: `/status oppdater 2 Nå har 80 prosent signert`."
    text = one_line(text, MAX_STATUS, missing=missing, name="Statusen")
    with services.store.transaction():
        stream = next((s for s in services.store.work_streams() if s.number == number), None)
        if stream is None:
            known = ", ".join(str(s.number) for s in services.store.work_streams())
            raise UserError(f"Fant ikke arbeidsområde nr. {number}." + (f" Numrene er {known}." if known else ""))
        stream = replace(stream, updates=(*stream.updates, StatusUpdate(services.clock.now(), actor, text)))
        services.store.save_work_stream(stream)
    return stream


def import_prose(services: Services, actor: str, notice: ParsedNotice) -> tuple[list[Deadline], list[WorkStream]]:
    """The deadlines and statuses of an imported notice; a re-import adds nothing twice."""
    store, now = services.store, services.clock.now()
    meeting = notice.meeting.number
    deadlines = [
        store.add_deadline(
            Deadline(
                0, found.what, found.due, None, (), found.body,
                Serial.parse(found.case) if found.case else None, meeting, found.earlier, found.postponed,
            ),
            origin=f"{meeting}:{found.due.isoformat()}:{found.what.casefold()}",
        )
        for found in notice.deadlines
    ]  # fmt: skip
    streams: list[WorkStream] = []
    existing = {stream.number: stream for stream in store.work_streams()}
    for found in notice.streams:
        before = existing.get(found.number)
        stream = replace(before or WorkStream(found.number, found.title), title=found.title)
        if found.status and (stream.latest is None or stream.latest.text != found.status):
            stream = replace(stream, updates=(*stream.updates, StatusUpdate(now, actor, found.status)))
        if stream != before:
            store.save_work_stream(stream)
        streams.append(stream)
    return deadlines, streams
