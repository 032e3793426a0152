"""How dates, times, spans, durations, counts and lists are written: the one place that knows, through Babel
and the catalog, in the reader's written standard (bokmål now; nynorsk has its own Babel locale and catalog).

One phrasing per idea: a meeting's time is `meeting_when`, everywhere it is shown.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from babel import Locale
from babel.dates import format_date, format_time
from babel.lists import format_list

from bot.core.domain import Case, CaseType, Meeting, Role
from bot.core.i18n import _, current_language, ngettext

# nb_NO rather than nb: it carries Norway's territory data (ISO week numbers, first weekday).
_LOCALES = {"nb": Locale.parse("nb_NO"), "nn": Locale.parse("nn_NO")}


def locale() -> Locale:
    """Babel's locale for the current language."""
    return _LOCALES[current_language()]


def long_date(day: date, *, year: bool = True) -> str:
    """'onsdag 1. juli 2020' ('onsdag 1. juli' without the year): weekday and month in lower case, as
    Norwegian is written."""
    return format_date(day, "EEEE d. MMMM y" if year else "EEEE d. MMMM", locale=locale())


def day_and_month(day: date) -> str:
    """'1. juli 2020': for "utsatt fra", where the weekday adds nothing."""
    return format_date(day, "d. MMMM y", locale=locale())


def clock_time(moment: time) -> str:
    """'09.00': the full stop Språkrådet and the seed use, not Babel's default colon."""
    return format_time(moment, "HH.mm", locale=locale())


def at_time(moment: time) -> str:
    """'kl. 09.00'."""
    return _("at {time}", time=clock_time(moment))


def time_span(start: time | None, end: time | None) -> str:
    """'kl. 09.00–10.30', 'kl. 09.00', or '' when the agenda has no times yet."""
    if start is None:
        return ""
    if end is None:
        return at_time(start)
    return _("at {start}–{end}", start=clock_time(start), end=clock_time(end))


def moment(when: datetime) -> str:
    """'onsdag 1. juli 2020 kl. 09.00': a point in time a member acts by (a vote closes, a deadline)."""
    return f"{long_date(when.date())} {at_time(when.time())}"


def duration(length: timedelta) -> str:
    """'2 timer', '1,5 timer', '45 minutter': a meeting's length while the plan gives no times."""
    minutes = int(length.total_seconds() // 60)
    if minutes % 30 == 0 and minutes >= 60:
        hours = minutes / 60
        shown = format(hours, "g").replace(".", locale().number_symbols["latn"]["decimal"])
        return ngettext("{hours} hour", "{hours} hours", 1 if hours == 1 else 2, hours=shown)
    return ngettext("{count} minute", "{count} minutes", minutes)


def ahead(offset: timedelta) -> str:
    """'7 dager', '1 time', '30 minutter', 'samme dag': how long before a meeting or a deadline a notice
    goes out, as the secretariat set it (whole days fall at 08.00 on that day)."""
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return _("the same day")
    if minutes % (24 * 60) == 0:
        return ngettext("{count} day", "{count} days", minutes // (24 * 60))
    if minutes % 60 == 0:
        return ngettext("{count} hour", "{count} hours", minutes // 60)
    return ngettext("{count} minute", "{count} minutes", minutes)


def meeting_time(meeting: Meeting) -> str:
    """'kl. 09.00–11.00', or '2 timer' while the plan gives only a length."""
    if meeting.start:
        return time_span(meeting.start, meeting.end)
    if meeting.duration:
        return duration(meeting.duration)
    return _("time not set")


def meeting_when(meeting: Meeting) -> str:
    """'onsdag 1. juli 2020 kl. 09.00–10.30', or 'onsdag 1. juli 2020 · 2 timer' from the plan."""
    if meeting.start:
        return f"{long_date(meeting.day)} {time_span(meeting.start, meeting.end)}"
    return f"{long_date(meeting.day)} · {meeting_time(meeting)}"


def meeting_place(meeting: Meeting, *, elected: bool = False) -> str:
    """'nettmøte', 'nettmøte på Teams', the place, or '' when it is not given (plain text: the view escapes it).
    An elected body meets online in a «fjernmøte», as kommuneloven § 11-7 calls it."""
    if not meeting.web:
        return meeting.location or ""
    if meeting.location:  # the service it is held on
        if elected:
            return _("remote meeting on {service}", service=meeting.location)
        return _("online meeting on {service}", service=meeting.location)
    return _("remote meeting") if elected else _("online meeting")


def place_or_unknown(meeting: Meeting, *, elected: bool = False) -> str:
    """The place, or 'sted ikke oppgitt' where a place is expected and none was given."""
    return meeting_place(meeting, elected=elected) or _("place not given")


def short_datetime(when: datetime) -> str:
    """'24.06.2020 kl. 08.00': for lists where the weekday would only crowd the line."""
    return f"{format_date(when.date(), 'dd.MM.y', locale=locale())} {at_time(when.time())}"


def days_from_today(day: date, today: date) -> str:
    """'i dag', 'i morgen', 'om 3 dager', 'i går', 'forfalt for 2 dager siden': as a secretary writes it.

    Babel's format_timedelta says 'om 2 døgn' and rounds ten days to a week; this counts days.
    """
    days = (day - today).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days > 1:
        return ngettext("in {count} day", "in {count} days", days)
    if days == -1:
        return _("overdue since yesterday")
    return ngettext("overdue by {count} day", "overdue by {count} days", -days)


def case_name(case: Case) -> str:
    """ "Sak 17/20", or the number as written where it names itself ("Styresak 045-2024", "PS 14/75")."""
    shown = case.shown_number
    return shown if shown[:1].isalpha() else _("Case {number}", number=shown)


def case_type_name(kind: CaseType) -> str:
    """The case type as the reader's målform writes it: «Beslutning» is «Vedtak» in nynorsk, «Innspill»
    «Innspel» (CaseType.parse reads both)."""
    names = {
        CaseType.GODKJENNING: _("Approval"),
        CaseType.ORIENTERING: _("Information"),
        CaseType.BESLUTNING: _("Decision case"),
        CaseType.DROFTING: _("Deliberation"),
        CaseType.DISKUSJON: _("Discussion"),
        CaseType.INNSPILL: _("Input"),
    }
    return names[kind]


def role_name(role: Role, count: int = 1) -> str:
    """A role as a sentence names it: «som medlem», «som medlemmer»."""
    if role is Role.LEDER:
        return ngettext("leader", "leaders", count)
    if role is Role.NESTLEDER:
        return ngettext("deputy leader", "deputy leaders", count)
    if role is Role.MEDLEM:
        return ngettext("member", "members", count)
    if role is Role.VARA:
        return ngettext("substitute", "substitutes", count)
    if role is Role.SEKRETARIAT:
        return ngettext("secretariat", "secretariat", count)
    return ngettext("observer", "observers", count)


def enumeration(items: list[str]) -> str:
    """'Bergen, Bodø og Bærum': people, places, the parts a notice lacks."""
    return format_list(items, locale=locale()) if items else ""
