"""/frister: deadlines, listed; the secretariat adds, postpones and finishes them. The grammar first, then what
each command does; and the deadlines of an imported notice."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, tzinfo

from bot.core import limits
from bot.core.domain import Deadline, DeadlineChange, DeadlineState, Serial, StatusUpdate, WorkStream
from bot.core.errors import UserError, clip, one_line
from bot.core.formatting import long_date
from bot.core.i18n import N_, _
from bot.core.notices.reader import ParsedNotice
from bot.usecases.bodies import bodies_of
from bot.usecases.grammar import Asker, keyword, not_understood, take_date, take_time
from bot.usecases.services import Installation, Services, require_manager

COMMAND = "/frister"
USAGE = N_(
    "*How to use /frister*\n"
    "• `/frister` – open deadlines, the nearest first, and those that have passed without being done\n"
    "• `/frister mine` – your own open deadlines, in all your bodies\n"
    "• `/frister alle` – also finished ones\n"
    "• `/frister historikk 3` – who changed deadline 3, and when\n"
    "*For the secretariat and the leader*\n"
    "• `/frister ny 03.07.2020 kl. 12.00 Notat til HOD @Kari` – the date can also be written 3.7.2020, "
    "3. juli 2020 or 2020-07-03, the time 12, 12.00 or 12:00 (without a time: by the end of the working day, "
    "16.00). A responsible body is written at the end: `ansvar: Direktoratet for e-helse`\n"
    "• `/frister utsett 3 1.11.2020 [kl. 12.00]` – a later date; the old one is remembered\n"
    "• `/frister endre 3 tekst|dato|ansvar …` – correct the text, the date or who is responsible\n"
    "• `/frister ferdig 3` – the task is done\n"
    "• `/frister fjern 3` – the deadline was a mistake: it is removed (its history is kept)"
)
_MENTION = re.compile(r"(?<![\w@])@([UW][A-Z0-9]{2,})\b")  # a picked person, as bot.slack.input decodes <@U…|name>
_BODY = re.compile(r"\bansvar(?:lig)?:\s*", re.IGNORECASE)
EDITABLE = ("tekst", "dato", "ansvar")
_FIELD_WORDS = {
    "tekst": "tekst",
    "tittel": "tekst",
    "dato": "dato",
    "tid": "dato",
    "ansvar": "ansvar",
    "ansvarlig": "ansvar",
}


@dataclass(frozen=True)
class Show:
    everything: bool  # `alle`: also finished ones


@dataclass(frozen=True)
class Mine:
    """`/frister mine`: the asker's own, in every body they are in."""


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


@dataclass(frozen=True)
class Edit:
    number: int
    what: str  # one of EDITABLE
    value: str


@dataclass(frozen=True)
class Remove:
    number: int


@dataclass(frozen=True)
class History:
    number: int


Command = Show | Mine | Add | Postpone | Finish | Edit | Remove | History


def _number(word: str) -> int:
    if not word.isdigit():
        raise UserError(_("«{word}» is not a deadline number. `/frister alle` shows the numbers.", word=clip(word, 20)))
    return int(word)


def _when(words: list[str]) -> tuple[date, time | None, list[str]]:
    """The date, and the time of day if one follows it ("kl. 12.00", "12", "12:00"), at the start of `words`."""
    day, rest = take_date(words)
    at, rest = take_time(rest)
    return day, at, rest


def _responsible(text: str) -> tuple[str, tuple[str, ...], str | None]:
    """The text without the people picked in it and without «ansvar: …»; the people; the body responsible."""
    users = tuple(dict.fromkeys(_MENTION.findall(text)))
    text = _MENTION.sub("", text)
    what, body = text, ""
    if match := _BODY.search(text):
        what, body = text[: match.start()], text[match.end() :]
    return what, users, " ".join(body.split()) or None


def _add(words: list[str]) -> Add:
    day, at, rest = _when(words)
    what, users, body = _responsible(" ".join(rest))
    return Add(day, at, what, users, body)


def _postpone(words: list[str]) -> Postpone:
    if len(words) < 2:
        raise UserError(
            _("Write it like this: `/frister utsett 3 1.11.2020` (the deadline's number and the new date).")
        )
    number = _number(words[0])
    day, at, rest = _when(words[1:])
    if rest:
        raise UserError(
            _("Did not understand «{text}». A time of day is written kl. 12.00.", text=clip(" ".join(rest), 30))
        )
    return Postpone(number, day, at)


def _edit(words: list[str]) -> Edit:
    if len(words) < 3:
        raise UserError(_("Write it like this: `/frister endre 3 tekst Ny tekst` (tekst, dato or ansvar)."))
    what = _FIELD_WORDS.get(keyword(words[1]))
    if what is None:
        raise UserError(
            _("Cannot change «{what}». Choose one of: {fields}.", what=clip(words[1], 20), fields=", ".join(EDITABLE))
        )
    return Edit(_number(words[0]), what, " ".join(words[2:]))


def _one_number(action: str, words: list[str]) -> int:
    if len(words) != 1:
        raise UserError(_("Write it like this: `/frister {action} 3`.", action=action))
    return _number(words[0])


def parse(text: str) -> Command:
    words = text.split()
    action = keyword(words[0]) if words else ""
    rest = words[1:]
    if action in ("", "alle"):
        return Show(everything=action == "alle")
    if action in ("mine", "mi", "mitt", "meg"):
        return Mine()
    if action == "ny":
        return _add(rest)
    if action == "utsett":
        return _postpone(rest)
    if action == "endre":
        return _edit(rest)
    if action == "ferdig":
        return Finish(_one_number("ferdig", rest))
    if action == "fjern":
        return Remove(_one_number("fjern", rest))
    if action == "historikk":
        return History(_one_number("historikk", rest))
    raise not_understood(COMMAND, words[0])


@dataclass(frozen=True)
class Listing:
    """The deadlines as they are at `version` of the store, seen at `now`."""

    deadlines: Sequence[Deadline]
    now: datetime
    everything: bool
    version: int
    body: int = 0  # whose: with the version, the key of its rendering


@dataclass(frozen=True)
class Owned:
    """One deadline of the member's own, with the body it belongs to."""

    body: str
    deadline: Deadline


@dataclass(frozen=True)
class MyDeadlines:
    deadlines: Sequence[Owned]  # the nearest first, those that have passed first of all
    now: datetime
    several_bodies: bool  # the member is in more than one: each line names its body


@dataclass(frozen=True)
class Added:
    deadline: Deadline
    outsiders: tuple[str, ...] = ()  # responsible people who are not in the body


@dataclass(frozen=True)
class Postponed:
    deadline: Deadline


@dataclass(frozen=True)
class Unchanged:
    """Postponed to the date it already has: nothing to do."""

    deadline: Deadline


@dataclass(frozen=True)
class Finished:
    deadline: Deadline


@dataclass(frozen=True)
class Edited:
    deadline: Deadline
    what: str
    outsiders: tuple[str, ...] = ()


@dataclass(frozen=True)
class Removed:
    deadline: Deadline


@dataclass(frozen=True)
class Changes:
    deadline: Deadline


Facts = Listing | MyDeadlines | Added | Postponed | Unchanged | Finished | Edited | Removed | Changes


def run(services: Services, asker: Asker, command: Command) -> Facts:
    if isinstance(command, Show):
        store = services.store
        version = store.version  # before the read: what is cached under it is at least as new
        return Listing(store.deadlines.all(), services.clock.now(), command.everything, version, services.body.id)
    if isinstance(command, Add):
        return add(services, asker.user, command.day, command.at, command.what, command.users, command.body)
    if isinstance(command, Postpone):
        return postpone(services, asker.user, command.number, command.day, command.at)
    if isinstance(command, Edit):
        return edit(services, asker.user, command)
    if isinstance(command, Remove):
        return Removed(remove(services, asker.user, command.number))
    if isinstance(command, History):  # a removed one's too: the history is why it is kept
        return Changes(_deadline(services, command.number, removed_too=True))
    if isinstance(command, Mine):
        raise UserError(_("`/frister mine` is about all your bodies: write it without a body's name."))
    return Finished(finish(services, asker.user, command.number))


def mine(installation: Installation, asker: Asker) -> MyDeadlines:
    """The member's own open deadlines, nearest first: in every body, also one they are not in (they are
    reminded of it all the same, and warned about when it was made)."""
    owned = {
        deadline.id: Owned(body.name, deadline)
        for body in installation.bodies()
        for deadline in installation.store.body(body.id).deadlines.all()
        if deadline.is_open and asker.user in deadline.users
    }
    ordered = in_order([o.deadline for o in owned.values()], installation.clock.tz)
    several = len({o.body for o in owned.values()}) > 1 or len(bodies_of(installation, asker.user)) > 1
    return MyDeadlines(tuple(owned[d.id] for d in ordered), installation.clock.now(), several)


def in_order(deadlines: Sequence[Deadline], tz: tzinfo | None) -> list[Deadline]:
    """By the moment each falls due (a date alone: by 16.00); on the same moment, the one with a time first."""
    return sorted(deadlines, key=lambda d: (d.due_at(tz), d.due_time is None, d.id))


def _deadline(services: Services, number: int, *, removed_too: bool = False) -> Deadline:
    deadline = services.store.deadlines.get(number)
    if deadline is None or (deadline.state is DeadlineState.REMOVED and not removed_too):
        raise UserError(_("Deadline {number} not found. `/frister alle` shows the numbers.", number=number))
    return deadline


def _open_deadline(services: Services, number: int) -> Deadline:
    deadline = _deadline(services, number)
    if not deadline.is_open:
        raise UserError(_("Deadline {number} is already done.", number=number))
    return deadline


def _check_future(services: Services, day: date, at: time | None) -> None:
    """A date alone falls due at the end of the working day (Deadline.due_at): at 17.00, today has passed."""
    if Deadline(0, "", day, at).due_at(services.clock.tz) <= services.clock.now():
        raise UserError(_("{day} has passed. A deadline must lie in the future.", day=long_date(day).capitalize()))


def _text(what: str) -> str:
    return one_line(
        what,
        limits.TITLE,
        missing=_("The deadline has no text: what is to be done?"),
        too_long=_("The text is too long ({length} characters; at most {limit})."),
    )


def _outsiders(services: Services, users: tuple[str, ...]) -> tuple[str, ...]:
    roster = services.store.roster.get(services.rules.admins)
    return tuple(user for user in users if not roster.roles_of(user))


def _changed(services: Services, actor: str, deadline: Deadline, summary: Callable[[], str]) -> Deadline:
    """The deadline with one more history line, written in the body's målform."""
    with services.in_body_language():
        line = DeadlineChange(services.clock.now(), actor, summary())
    return replace(deadline, history=(*deadline.history, line))


_REFUSALS = {
    "add": N_("Only the secretariat, the leader and the administrators can add deadlines."),
    "postpone": N_("Only the secretariat, the leader and the administrators can postpone deadlines."),
    "finish": N_("Only the secretariat, the leader and the administrators can mark deadlines as done."),
    "edit": N_("Only the secretariat, the leader and the administrators can change deadlines."),
    "remove": N_("Only the secretariat, the leader and the administrators can remove deadlines."),
}


def _refusal(what: str) -> str:
    """The refusal of `what`, in the reader's målform: only that one is translated."""
    return _(_REFUSALS[what])


def add(
    services: Services, actor: str, day: date, at: time | None, what: str, users: tuple[str, ...], body: str | None
) -> Added:
    require_manager(services, actor, _refusal("add"))
    what = _text(what)
    _check_future(services, day, at)
    made = Deadline(0, what, day, at, users, body or None, since=services.clock.now())
    made = _changed(services, actor, made, lambda: _("added"))
    deadline = services.store.deadlines.add(made)
    services.wakeup()
    return Added(deadline, _outsiders(services, users))


def postpone(services: Services, actor: str, number: int, day: date, at: time | None) -> Postponed | Unchanged:
    require_manager(services, actor, _refusal("postpone"))
    tz = services.clock.tz
    with services.store.transaction():
        deadline = _open_deadline(services, number)
        at = at if at is not None else deadline.due_time  # a new date alone keeps the time of day
        if (day, at) == (deadline.due, deadline.due_time):
            return Unchanged(deadline)
        later = replace(deadline, due=day, due_time=at)
        if later.due_at(tz) < deadline.due_at(tz):
            raise UserError(
                _(
                    "To postpone is to give a later deadline; {day} is earlier than {due}. To correct the date, "
                    "write `/frister endre {number} dato {written}`.",
                    day=long_date(day),
                    due=long_date(deadline.due),
                    number=number,
                    written=day.strftime("%d.%m.%Y"),
                )
            )
        _check_future(services, day, at)
        before = deadline.due
        deadline = replace(later, earlier=(*deadline.earlier, deadline.due), postponed=True, since=services.clock.now())
        deadline = _changed(
            services,
            actor,
            deadline,
            lambda: _("postponed from {before} to {day}", before=long_date(before), day=long_date(day)),
        )
        services.store.deadlines.save(deadline)
    services.wakeup()
    return Postponed(deadline)


def edit(services: Services, actor: str, command: Edit) -> Edited:
    require_manager(services, actor, _refusal("edit"))
    outsiders: tuple[str, ...] = ()
    with services.store.transaction():
        deadline = _open_deadline(services, command.number)
        if command.what == "tekst":
            deadline = replace(deadline, what=_text(command.value))
            deadline = _changed(services, actor, deadline, lambda: _("the text was changed"))
        elif command.what == "dato":
            day, at, rest = _when(command.value.split())
            at = at if at is not None else deadline.due_time  # as `utsett`: a date alone keeps the time of day
            if rest:
                raise UserError(
                    _("Write the date, and the time if it has one: `/frister endre 3 dato 1.9.2020 kl. 12`.")
                )
            _check_future(services, day, at)
            before = deadline.due
            deadline = replace(deadline, due=day, due_time=at, since=services.clock.now())
            deadline = _changed(
                services,
                actor,
                deadline,
                lambda: _(
                    "the date was corrected from {before} to {day}", before=long_date(before), day=long_date(day)
                ),
            )
        else:
            _rest, users, body = _responsible(command.value)
            body = body or (" ".join(_rest.split()) or None)
            if not users and not body:
                raise UserError(_("Write who is responsible: `/frister endre 3 ansvar @Kari` or a body's name."))
            deadline = replace(deadline, users=users, body=body)
            outsiders = _outsiders(services, users)
            deadline = _changed(services, actor, deadline, lambda: _("the responsibility was changed"))
        services.store.deadlines.save(deadline)
    services.wakeup()
    return Edited(deadline, command.what, outsiders)


def finish(services: Services, actor: str, number: int) -> Deadline:
    require_manager(services, actor, _refusal("finish"))
    with services.store.transaction():
        deadline = _open_deadline(services, number)
        deadline = _changed(services, actor, replace(deadline, state=DeadlineState.DONE), lambda: _("marked done"))
        services.store.deadlines.save(deadline)
    services.wakeup()
    return deadline


def remove(services: Services, actor: str, number: int) -> Deadline:
    require_manager(services, actor, _refusal("remove"))
    with services.store.transaction():
        deadline = _deadline(services, number)
        deadline = _changed(services, actor, replace(deadline, state=DeadlineState.REMOVED), lambda: _("removed"))
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
                0,
                found.what,
                found.due,
                None,
                (),
                found.body,
                Serial.parse(found.case) if found.case else None,
                meeting,
                found.earlier,
                found.postponed,
                since=now,
            ),
            origin=f"{meeting}:{found.due.isoformat()}:{found.what.casefold()}",
        )
        for found in notice.deadlines
    ]
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
