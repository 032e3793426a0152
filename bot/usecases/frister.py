"""/frister: deadlines, listed; the secretariat adds, postpones and finishes them. The grammar first, then what
each command does; and the deadlines of an imported notice."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from bot.core.dates import parse_clock
from bot.core.domain import Deadline, DeadlineState, Serial, StatusUpdate, WorkStream
from bot.core.errors import UserError, clip, one_line
from bot.core.formatting import long_date
from bot.core.i18n import N_, _
from bot.core.notices.reader import ParsedNotice
from bot.usecases.grammar import Asker, keyword, not_understood, take_date
from bot.usecases.services import Services, require_manager

COMMAND = "/frister"
USAGE = N_(
    "*How to use /frister*\n"
    "• `/frister` – open deadlines, the nearest first\n"
    "• `/frister alle` – also past and finished ones\n"
    "*For the secretariat and the leader*\n"
    "• `/frister ny 03.07.2020 [09.00] Notat til HOD @Kari` – the date can also be written 3.7.2020, "
    "3. juli 2020 or 2020-07-03. A responsible body is written at the end: `ansvar: Direktoratet for e-helse`\n"
    "• `/frister utsett 3 1.11.2020 [12.00]` – a new date; the old one is remembered\n"
    "• `/frister ferdig 3` – the task is done"
)
MAX_WHAT = 300
_MENTION = re.compile(r"(?<![\w@])@([UW][A-Z0-9]{2,})\b")  # a picked person, as bot.slack.input decodes <@U…|name>
_BODY = re.compile(r"\bansvar(?:lig)?:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Show:
    everything: bool  # `alle`: also past and finished ones


@dataclass(frozen=True)
class Add:
    day: date
    at: time | None
    what: str
    users: tuple[str, ...]
    body: str | None


@dataclass(frozen=True)
class Postpone:
    number: int
    day: date
    at: time | None


@dataclass(frozen=True)
class Finish:
    number: int


Command = Show | Add | Postpone | Finish


def _number(word: str) -> int:
    if not word.isdigit():
        raise UserError(_("«{word}» is not a deadline number. `/frister alle` shows the numbers.", word=clip(word, 20)))
    return int(word)


def _time_problem(what: str) -> UserError:
    how = _("A time of day is written 09.00 or 09:00.")
    return UserError(f"{what} {how}")


def _add(words: list[str]) -> Add:
    day, rest = take_date(words)
    at = parse_clock(rest[0]) if rest else None
    if at is not None:
        rest = rest[1:]
    elif rest and re.fullmatch(r"\d{1,2}[.:]\d{1,2}", rest[0]):
        raise _time_problem(_("«{word}» is not a time of day.", word=clip(rest[0], 20)))
    text = " ".join(rest)
    users = tuple(dict.fromkeys(_MENTION.findall(text)))
    text = _MENTION.sub("", text)
    what, body = text, ""
    if match := _BODY.search(text):
        what, body = text[: match.start()], text[match.end() :]
    return Add(day, at, what, users, " ".join(body.split()) or None)


def _postpone(words: list[str]) -> Postpone:
    if len(words) < 2:
        raise UserError(
            _("Write it like this: `/frister utsett 3 1.11.2020` (the deadline's number and the new date).")
        )
    number = _number(words[0])
    day, rest = take_date(words[1:])
    at = parse_clock(rest[0]) if len(rest) == 1 else None
    if rest and at is None:
        raise _time_problem(_("Did not understand «{text}».", text=clip(" ".join(rest), 30)))
    return Postpone(number, day, at)


def parse(text: str) -> Command:
    words = text.split()
    action = keyword(words[0]) if words else ""
    if action in ("", "alle"):
        return Show(everything=action == "alle")
    if action == "ny":
        return _add(words[1:])
    if action == "utsett":
        return _postpone(words[1:])
    if action == "ferdig":
        if len(words) != 2:
            raise UserError(_("Write it like this: `/frister ferdig 3`."))
        return Finish(_number(words[1]))
    raise not_understood(COMMAND, words[0])


@dataclass(frozen=True)
class Listing:
    """The deadlines as they are at `version` of the store, seen on `today`."""

    deadlines: Sequence[Deadline]
    today: date
    everything: bool
    version: int
    body: int = 0  # whose: with the version, the key of its rendering


@dataclass(frozen=True)
class Added:
    deadline: Deadline


@dataclass(frozen=True)
class Postponed:
    deadline: Deadline


@dataclass(frozen=True)
class Finished:
    deadline: Deadline


def run(services: Services, asker: Asker, command: Command) -> Listing | Added | Postponed | Finished:
    if isinstance(command, Show):
        store = services.store
        today = services.clock.now().date()
        version = store.version  # before the read: what is cached under it is at least as new
        return Listing(store.deadlines.all(), today, command.everything, version, services.body.id)
    if isinstance(command, Add):
        deadline = add(services, asker.user, command.day, command.at, command.what, command.users, command.body)
        return Added(deadline)
    if isinstance(command, Postpone):
        return Postponed(postpone(services, asker.user, command.number, command.day, command.at))
    return Finished(finish(services, asker.user, command.number))


def _open_deadline(services: Services, number: int) -> Deadline:
    deadline = services.store.deadlines.get(number)
    if deadline is None:
        raise UserError(_("Deadline {number} not found. `/frister alle` shows the numbers.", number=number))
    if not deadline.is_open:
        raise UserError(_("Deadline {number} is already done.", number=number))
    return deadline


def _check_future(services: Services, day: date, at: time | None) -> None:
    now = services.clock.now()
    moment = datetime.combine(day, at or time(23, 59), tzinfo=services.clock.tz)
    if moment <= now:
        raise UserError(_("{day} has passed. A deadline must lie in the future.", day=long_date(day).capitalize()))


def add(
    services: Services, actor: str, day: date, at: time | None, what: str, users: tuple[str, ...], body: str | None
) -> Deadline:
    require_manager(services, actor, _("Only the secretariat, the leader and the administrators can add deadlines."))
    missing = _("The deadline has no text: what is to be done?")
    what = one_line(
        what, MAX_WHAT, missing=missing, too_long=_("The text is too long ({length} characters; at most {limit}).")
    )
    _check_future(services, day, at)
    deadline = services.store.deadlines.add(Deadline(0, what, day, at, users, body or None))
    services.wakeup()
    return deadline


def postpone(services: Services, actor: str, number: int, day: date, at: time | None) -> Deadline:
    require_manager(
        services, actor, _("Only the secretariat, the leader and the administrators can postpone deadlines.")
    )
    with services.store.transaction():
        deadline = _open_deadline(services, number)
        at = at if at is not None else deadline.due_time  # a new date alone keeps the time of day
        if (day, at) == (deadline.due, deadline.due_time):
            raise UserError(_("Deadline {number} is already {day}.", number=number, day=long_date(day)))
        _check_future(services, day, at)
        deadline = replace(deadline, due=day, due_time=at, earlier=(*deadline.earlier, deadline.due), postponed=True)
        services.store.deadlines.save(deadline)
    services.wakeup()
    return deadline


def finish(services: Services, actor: str, number: int) -> Deadline:
    require_manager(
        services, actor, _("Only the secretariat, the leader and the administrators can mark deadlines as done.")
    )
    with services.store.transaction():
        deadline = _open_deadline(services, number)
        deadline = replace(deadline, state=DeadlineState.DONE)
        services.store.deadlines.save(deadline)
    services.wakeup()
    return deadline


def import_prose(services: Services, actor: str, notice: ParsedNotice) -> tuple[list[Deadline], list[WorkStream]]:
    """The deadlines and statuses of an imported notice; a re-import adds nothing twice."""
    store, now = services.store, services.clock.now()
    meeting = notice.meeting.number
    deadlines = [
        store.deadlines.add(
            Deadline(
                0, found.what, found.due, None, (), found.body,
                Serial.parse(found.case) if found.case else None, meeting, found.earlier, found.postponed,
            ),
            origin=f"{meeting}:{found.due.isoformat()}:{found.what.casefold()}",
        )
        for found in notice.deadlines
    ]  # fmt: skip
    streams: list[WorkStream] = []
    existing = {stream.number: stream for stream in store.work_streams.all()}
    for found in notice.streams:
        before = existing.get(found.number)
        stream = replace(before or WorkStream(found.number, found.title), title=found.title)
        if found.status and (stream.latest is None or stream.latest.text != found.status):
            stream = replace(stream, updates=(*stream.updates, StatusUpdate(now, actor, found.status)))
        if stream != before:
            store.work_streams.save(stream)
        streams.append(stream)
    return deadlines, streams
