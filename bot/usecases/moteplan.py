"""/moteplan: the meetings ahead, made in Slack or read from a notice's "Møteplan", moved and cancelled.
The grammar first, then what each command does."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache

import holidays

from bot.core import limits
from bot.core.dates import parse_clock
from bot.core.domain import AgendaChange, Case, CaseType, Meeting, Serial, VoteEvent, VoteState
from bot.core.errors import NotAllowed, UserError, clip, one_line
from bot.core.formatting import long_date, moment
from bot.core.i18n import N_, _
from bot.core.ical import calendar, revision
from bot.core.notices.reader import ParsedNotice
from bot.core.rules import Body
from bot.usecases.grammar import (
    Asker,
    clock_as_written,
    keyword,
    meeting_number,
    not_understood,
    take_date,
    take_time,
    unknown_word,
)
from bot.usecases.motebot import new_calendar_token
from bot.usecases.services import Installation, Services, require_manager

COMMAND = "/moteplan"
USAGE = N_(
    "*How to use /moteplan*\n"
    "• `/moteplan` – upcoming meetings\n"
    "• `/moteplan alle` – also held and cancelled meetings\n"
    "• `/moteplan ical` – the meeting plan as a calendar file in the channel, and the link to subscribe to it\n"
    "*For the secretariat and the leader*\n"
    "• `/moteplan ny 17.09.2020 09.00–11.00 Styringsgruppemøte sted: Oslo` – a new meeting; it gets the standing "
    "items. An online meeting: `nett` at the end, or `sted: Teams` (Zoom, Meet, Webex)\n"
    "• `/moteplan flytt 5/20 24.09.2020 09.00–11.00` – a new date and time (the channel is told)\n"
    "• `/moteplan avlys 5/20` – cancel the meeting (everyone is told)\n"
    "• `/moteplan ical ny` – a new subscription link; the old one stops working at once"
)
SUBCOMMANDS = ("alle", "ical", "ny", "flytt", "avlys", "hjelp")
_CLOCK = r"\d{1,2}(?:[.:]\d{2})?|\d{4}"  # as clock_as_written reads it: 09.00, 09:00, 9, 0900
_SPAN = re.compile(rf"^(?:kl\.?\s*)?(?P<start>{_CLOCK})\s*[-–]\s*(?P<end>{_CLOCK})$", re.IGNORECASE)
_PLACE = re.compile(r"\b(?:sted|stad):\s*", re.IGNORECASE)
_ONLINE = frozenset({"nett", "nettmøte", "fjernmøte", "digitalt", "digital", "web", "webmøte", "web-møte", "video"})
_SERVICES = frozenset({"teams", "zoom", "meet", "google", "webex", "skype", "whereby", "jitsi"})  # "sted: Teams"


@dataclass(frozen=True)
class Show:
    everything: bool  # `alle`: also held and cancelled meetings


@dataclass(frozen=True)
class ShareCalendar:
    pass


@dataclass(frozen=True)
class NewCalendarLink:
    """`ical ny`: a new token for the feed, so a link that has spread too far stops working."""


@dataclass(frozen=True)
class Create:
    day: date
    start: time
    end: time
    title: str
    place: str | None  # where, or the service of an online meeting ("Teams"); None: not given
    web: bool = False  # an online meeting: `nett`, or `sted:` naming a service


@dataclass(frozen=True)
class Move:
    number: Serial
    day: date
    start: time
    end: time


@dataclass(frozen=True)
class Cancel:
    number: Serial


Command = Show | ShareCalendar | NewCalendarLink | Create | Move | Cancel


def _span_problem(what: str) -> UserError:
    how = _("Write the time like this: 09.00–11.00.")
    return UserError(f"{what} {how}")


def _span(words: list[str]) -> tuple[time, time, list[str]]:
    """'09.00–11.00' at the start of `words`, as people write it: '09.00-11.00', '09:00 – 11:00', 'kl. 9–11'."""
    for size in (1, 2, 3, 4):
        if len(words) >= size and (match := _SPAN.match(" ".join(words[:size]))):
            start, end = clock_as_written(match["start"]), clock_as_written(match["end"])
            if start is None or end is None:
                bad = clip(" ".join(words[:size]), 20)
                raise _span_problem(_("«{text}» are not valid times of day.", text=bad))
            return start, end, words[size:]
    if take_time(words)[0] is not None:
        raise _span_problem(_("The end of the meeting is missing."))
    raise _span_problem(_("The start and the end of the meeting are missing."))


def _create(words: list[str]) -> Create:
    day, rest = take_date(words)
    start, end, rest = _span(rest)
    title, place = " ".join(rest), None
    if match := _PLACE.search(title):
        title, place = title[: match.start()], " ".join(title[match.end() :].split()) or None
    words = title.split()
    if place is None and words and words[-1].casefold() == "nett":  # "… Styringsgruppemøte nett"
        return Create(day, start, end, " ".join(words[:-1]), None, web=True)
    if place is not None and place.casefold() in _ONLINE:  # "sted: nett", "sted: digitalt"
        return Create(day, start, end, title, None, web=True)
    web = place is not None and place.split()[0].casefold() in _SERVICES  # "sted: Teams", "sted: Zoom (lenke …)"
    return Create(day, start, end, title, place, web=web)


def _move(words: list[str]) -> Move:
    if len(words) < 3:
        raise UserError(_("Write it like this: `/moteplan flytt 5/20 24.09.2020 09.00–11.00`."))
    number = meeting_number(words[0])
    day, rest = take_date(words[1:])
    start, end, rest = _span(rest)
    if rest:
        raise _span_problem(_("Did not understand «{text}» at the end.", text=clip(" ".join(rest), 30)))
    return Move(number, day, start, end)


def parse(text: str) -> Command:
    words = text.split()
    action = keyword(words[0]) if words else ""
    if action in ("", "alle"):
        return Show(everything=action == "alle")
    if action == "ical":
        if len(words) == 1:
            return ShareCalendar()
        if len(words) == 2 and words[1].casefold() == "ny":
            return NewCalendarLink()
        raise UserError(_("Write it like this: `/moteplan ical`, or `/moteplan ical ny` for a new link."))
    if action == "ny":
        return _create(words[1:])
    if action == "flytt":
        return _move(words[1:])
    if action == "avlys":
        if len(words) != 2:
            raise UserError(_("Write it like this: `/moteplan avlys 5/20`."))
        return Cancel(meeting_number(words[1]))
    if words[0].isalpha() and len(words[0]) <= 20:  # a word, not a meeting number or noise
        raise unknown_word(words[0], SUBCOMMANDS)
    raise not_understood(COMMAND, words[0])


@dataclass(frozen=True)
class Holiday:
    """The meeting falls on a public holiday: most likely a typing error."""

    day: date
    name: str  # the library's Norwegian, in lower case: for a holiday the catalog does not know
    known: str | None = None  # its name in the catalog (an N_ message), in the reader's målform


@dataclass(frozen=True)
class Overlap:
    """Another meeting of the group at the same time: most likely a typing error."""

    other: Meeting


PlanWarning = Holiday | Overlap


@dataclass(frozen=True)
class Plan:
    meetings: Sequence[Meeting]
    now: datetime
    everything: bool
    elected: bool = False  # an online meeting is a «fjernmøte»


@dataclass(frozen=True)
class Calendar:
    """The plan as `motebot ical` writes it, to be shared in the channel the command came from, and the
    feed's link (None when the operator has not said where Møtebot is reached: MOTEBOT_PUBLIC_URL)."""

    meetings: Sequence[Meeting]
    now: datetime
    name: str = "Møteplan"  # the body's: the calendar's name in the member's calendar list
    body: int = 1
    link: str | None = None
    channel: str | None = None  # the body's, when asked there: the file is shared there; None: to the asker alone


@dataclass(frozen=True)
class CalendarLinkRenewed:
    """The feed has a new token: the old link gets 404 from now on."""

    name: str
    link: str | None


@dataclass(frozen=True)
class Created:
    meeting: Meeting
    warnings: list[PlanWarning]
    elected: bool = False  # an online meeting is a «fjernmøte»


@dataclass(frozen=True)
class Moved:
    meeting: Meeting
    warnings: list[PlanWarning]
    body: int = 0  # whose meeting: its votes' messages are refreshed


@dataclass(frozen=True)
class Cancelled:
    meeting: Meeting
    body: int = 0


@dataclass(frozen=True)
class ConfirmCancel:
    """`avlys 5/20` may be done: nothing has changed yet; the [Ja, avlys møtet] click cancels it."""

    meeting: Meeting
    open_votes: int  # they end without a result
    body: int = 0


Facts = Plan | Calendar | CalendarLinkRenewed | Created | Moved | Cancelled | ConfirmCancel


def run(services: Services, asker: Asker, command: Command) -> Facts:
    if isinstance(command, Show):
        return Plan(services.store.meetings.all(), services.clock.now(), command.everything, services.elected)
    if isinstance(command, ShareCalendar):
        return share_calendar(services, asker)
    if isinstance(command, NewCalendarLink):
        body = renew_calendar_token(services, asker.user)
        return CalendarLinkRenewed(body.name, feed_link(services.rules.public_url, body))
    if isinstance(command, Create):
        made = create(
            services, asker.user, command.day, command.start, command.end, command.title, command.place, command.web
        )
        return Created(*made, elected=services.elected)
    if isinstance(command, Move):
        moved, warnings = move(services, asker.user, command.number, command.day, command.start, command.end)
        return Moved(moved, warnings, services.body.id)
    return ask_to_cancel(services, asker.user, command.number)


def share_calendar(services: Services, asker: Asker) -> Calendar:
    """The plan as a file, and the link to subscribe to, for the body's members only: the link is the feed's
    only guard. The file goes to the body's channel when asked there, else to the asker alone."""
    body = services.body
    roster = services.store.roster.get(services.rules.admins)
    if not roster.roles_of(asker.user) and asker.user not in roster.admins:
        raise NotAllowed(_("Only the members of {name} can get its meeting plan as a calendar.", name=body.name))
    link = feed_link(services.rules.public_url, body)
    here = body.channel if asker.channel is not None and asker.channel == body.channel else None
    return Calendar(services.store.meetings.all(), services.clock.now(), body.name, body.id, link, here)


def feed_link(public_url: str | None, body: Body) -> str | None:
    """Where calendars subscribe to the body's plan: `motebot serve` answers it (bot/slack/server.py)."""
    if not public_url or not body.calendar_token:
        return None
    return f"{public_url}/ical/{body.calendar_token}.ics"


def renew_calendar_token(services: Services, actor: str) -> Body:
    """A new secret in the feed's link; the old link is unknown from the moment this returns."""
    require_manager(
        services, actor, _("Only the secretariat, the leader and the administrators can make a new calendar link.")
    )
    store = services.store
    with store.transaction():  # read again inside it: a change to the body's settings since is kept
        current = store.own_body()
        if current is None:
            raise UserError(_("That body no longer exists in Møtebot."))
        renewed = replace(current, calendar_token=new_calendar_token())
        store.save_own_body(renewed)
    return renewed


@dataclass(frozen=True)
class Feed:
    """A body's plan as a subscribed calendar fetches it, with a tag that changes only when the plan does."""

    content: bytes
    tag: str


def feed(installation: Installation, token: str) -> Feed | None:
    """The plan of the body whose feed `token` is; None for a token no body has (unknown or renewed).
    The token is all that guards the feed: it gives that body's meetings and nothing else."""
    body = installation.store.bodies.with_calendar_token(token) if token else None
    if body is None:
        return None
    services = installation.services(body)
    with services.in_body_language():
        content = calendar(services.store.meetings.all(), services.clock.now(), name=body.name, body=body.id)
    return Feed(content, revision(content))


# The holidays library's English names, as Språkrådet writes them in running text: lower case but for
# «Kristi», «grunnlovsdagen» with its article (the library's Norwegian says «Grunnlovsdag»).
_HOLIDAY_NAMES = {
    "New Year's Day": N_("New Year's Day"), "Maundy Thursday": N_("Maundy Thursday"),
    "Good Friday": N_("Good Friday"), "Easter Sunday": N_("Easter Sunday"), "Easter Monday": N_("Easter Monday"),
    "Labor Day": N_("Labour Day"), "Constitution Day": N_("Constitution Day"), "Ascension Day": N_("Ascension Day"),
    "Pentecost": N_("Whit Sunday"), "Pentecost Monday": N_("Whit Monday"), "Christmas Day": N_("Christmas Day"),
    "Second Day of Christmas": N_("Boxing Day"),
}  # fmt: skip


@cache
def _norwegian_holidays(year: int) -> dict[date, tuple[str, str]]:
    """Each holiday's English name (the key to the catalog) and the library's Norwegian one."""
    english = holidays.country_holidays("NO", years=year, language="en_US")
    norwegian = holidays.country_holidays("NO", years=year, language="no")
    return {day: (name, norwegian.get(day, name)) for day, name in english.items()}


def holiday_warning(day: date) -> list[PlanWarning]:
    """From a maintained calendar of Norway's public holidays (17. mai, Kristi himmelfartsdag, …), named in
    the reader's målform."""
    found = _norwegian_holidays(day.year).get(day)
    if found is None:
        return []
    english, norwegian = found
    return [Holiday(day, norwegian[:1].lower() + norwegian[1:], _HOLIDAY_NAMES.get(english))]


def overlap_warning(services: Services, day: date, start: time, end: time, number: Serial | None) -> list[PlanWarning]:
    """Another meeting that day whose times overlap, or whose time of day is not set (a plan's «2 timer»):
    then no one can tell that they do not."""
    clashes = [
        m for m in services.store.meetings.all()
        if m.day == day and m.number != number and not m.cancelled
        and (m.start is None or (m.start < end and (m.end or m.start) > start))
    ]  # fmt: skip
    return [Overlap(m) for m in clashes]


def _meeting(services: Services, number: Serial) -> Meeting:
    meeting = services.store.meetings.get(number)
    if meeting is None:
        raise UserError(_("Meeting {number} not found. `/moteplan alle` shows the meetings.", number=number))
    return meeting


def _check_times(services: Services, day: date, start: time, end: time) -> None:
    if end <= start:
        raise _span_problem(_("The meeting must end after it begins."))
    when = datetime.combine(day, start, tzinfo=services.clock.tz)
    if when <= services.clock.now():
        raise UserError(_("{moment} has passed. Choose a time in the future.", moment=moment(when).capitalize()))


def _log(services: Services, actor: str, meeting: Meeting, summary: str) -> None:
    change = AgendaChange(meeting.number, meeting.version, services.clock.now(), actor, summary)
    services.store.meetings.add_change(change)


def _refusal() -> str:
    return _("Only the secretariat, the leader and the administrators can change the meeting plan.")


def create(
    services: Services,
    actor: str,
    day: date,
    start: time,
    end: time,
    title: str,
    location: str | None = None,
    web: bool = False,
) -> tuple[Meeting, list[PlanWarning]]:
    """A new meeting, numbered next in its year, starting with the standing items."""
    require_manager(services, actor, _refusal())
    missing = _(
        "The meeting has no title. Write it like this: `/moteplan ny 17.09.2020 09.00–11.00 Styringsgruppemøte`."
    )
    title = one_line(
        title,
        limits.TITLE,
        missing=missing,
        too_long=_("The title is too long ({length} characters; at most {limit})."),
    )
    _check_times(services, day, start, end)
    store = services.store
    warnings = holiday_warning(day) + overlap_warning(services, day, start, end, None)
    with store.transaction():
        number = store.meetings.allocate_number(day.year)
        cases = []
        for item in sorted(services.rules.standing_items, key=lambda item: item.last):
            case_type = CaseType.parse(item.type) if item.type else None
            cases.append(
                Case(store.meetings.allocate_case_number(day.year), item.title, None, case_type, item.proposal)
            )
        meeting = Meeting(number, title, day, start, end, body=None, location=location, web=web, cases=tuple(cases))
        store.meetings.save([meeting])
        with services.in_body_language():  # kept in the history: in the body's målform
            _log(services, actor, meeting, _("The meeting was added ({day})", day=long_date(day)))
    services.wakeup()
    return meeting, warnings


def votes_follow(services: Services, meeting: Meeting) -> None:
    """A moved meeting's votes opened before it: reminded before its new start, closed by its new end."""
    tz = services.clock.tz
    for vote in services.store.votes.all(open_only=True):
        if vote.meeting == meeting.number and not vote.in_session:
            services.store.votes.save(replace(vote, closes_at=meeting.ends_at(tz), remind_by=meeting.starts_at(tz)))


def move(
    services: Services, actor: str, number: Serial, day: date, start: time, end: time
) -> tuple[Meeting, list[PlanWarning]]:
    """A moved meeting gets fresh notices for its new time (they are keyed by it) and none for the old."""
    require_manager(services, actor, _refusal())
    store = services.store
    with store.transaction():
        meeting = _meeting(services, number)
        if meeting.cancelled:
            raise UserError(_("Meeting {number} is cancelled.", number=number))
        if meeting.ends_at(services.clock.tz) < services.clock.now() or store.sessions.get(number) is not None:
            raise UserError(_("Meeting {number} has already been held.", number=number))  # its minutes say when
        _check_times(services, day, start, end)
        meeting = replace(
            meeting, day=day, start=start, end=end, duration=None,
            rescheduled=meeting.rescheduled + 1, moved_at=services.clock.now(), moved_from=(meeting.day, meeting.start),
        )  # fmt: skip
        store.meetings.save([meeting])
        votes_follow(services, meeting)
        with services.in_body_language():  # kept in the history: in the body's målform
            _log(
                services,
                actor,
                meeting,
                _("The meeting was moved to {moment}", moment=moment(datetime.combine(day, start))),
            )
    services.wakeup()
    return meeting, holiday_warning(day) + overlap_warning(services, day, start, end, number)


def _cancellable(services: Services, actor: str, number: Serial, as_of: int | None = None) -> Meeting:
    """The meeting, if `actor` may cancel it and it can be; `as_of`: its `rescheduled` when the question was
    asked, so a meeting moved since is not cancelled on an answer about its old time."""
    require_manager(services, actor, _refusal())
    meeting = _meeting(services, number)
    if as_of is not None and meeting.rescheduled != as_of and not meeting.cancelled:
        raise UserError(
            _("Meeting {number} has been moved since you asked. Write `/moteplan avlys {number}` again.", number=number)
        )
    if meeting.cancelled:
        raise UserError(_("Meeting {number} is already cancelled.", number=number))
    if meeting.ends_at(services.clock.tz) < services.clock.now():
        raise UserError(_("Meeting {number} has already been held.", number=number))
    return meeting


def ask_to_cancel(services: Services, actor: str, number: Serial) -> ConfirmCancel:
    """Whether `avlys` may be done, checked as the click will check it again; nothing changes."""
    meeting = _cancellable(services, actor, number)
    votes = [vote for vote in services.store.votes.all(open_only=True) if vote.meeting == number]
    return ConfirmCancel(meeting, len(votes), services.body.id)


def cancelled(services: Services, actor: str, number: Serial, as_of: int | None) -> Cancelled:
    """[Ja, avlys møtet]: the meeting cancelled, checked again as `avlys` checked it."""
    return Cancelled(cancel(services, actor, number, as_of), services.body.id)


def cancel(services: Services, actor: str, number: Serial, as_of: int | None = None) -> Meeting:
    """One cancellation notice goes out; open votes for the meeting end without a result."""
    store, now = services.store, services.clock.now()
    with store.transaction():
        meeting = _cancellable(services, actor, number, as_of)
        meeting = replace(meeting, cancelled_at=now, rescheduled=meeting.rescheduled + 1)
        store.meetings.save([meeting])
        for vote in store.votes.all(open_only=True):
            if vote.meeting == number:
                with services.in_body_language():  # kept in the history: in the body's målform
                    event = VoteEvent(now, actor, _("cancelled: the meeting was cancelled"))
                store.votes.save(replace(vote, state=VoteState.CANCELLED, closed_at=now), event)
        with services.in_body_language():  # kept in the history: in the body's målform
            _log(services, actor, meeting, _("The meeting was cancelled"))
    services.wakeup()
    return meeting


def import_plan(services: Services, actor: str, notice: ParsedNotice, title: str | None = None) -> list[Meeting]:
    """The notice's "Møteplan" as meetings, once each: a date that already has a meeting is left alone.

    They get no standing items: their agenda comes with their own notice, or is built in Slack. They are
    called as the notice's meeting is, or `title` (the plan of another body than the notice's).
    """
    store = services.store
    added: list[Meeting] = []
    taken = {meeting.day for meeting in store.meetings.all() if not meeting.cancelled}
    for entry in notice.plan:
        if entry.day in taken:
            continue
        start, end = (
            (parse_clock(entry.start) if entry.start else None),
            (parse_clock(entry.end) if entry.end else None),
        )
        duration = timedelta(minutes=entry.duration_minutes) if entry.duration_minutes else None
        meeting = Meeting(
            store.meetings.allocate_number(entry.day.year), title or notice.meeting.title, entry.day, start, end,
            body=notice.plan_body, web=entry.web, duration=duration,
        )  # fmt: skip
        store.meetings.save([meeting])
        with services.in_body_language():  # kept in the history: in the body's målform
            summary = _("From the meeting plan in the notice of meeting {number}", number=notice.meeting.number)
        _log(services, actor, meeting, summary)
        taken.add(entry.day)
        added.append(meeting)
    return added
