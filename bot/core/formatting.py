"""How Norwegians write dates and times: the one place that knows, through Babel (bokmål)."""

from __future__ import annotations

from datetime import date, datetime, time

from babel import Locale
from babel.dates import format_date, format_time
from babel.lists import format_list

from bot.core.domain import Meeting

# nb_NO rather than nb: it carries Norway's territory data (ISO week numbers, first weekday).
LOCALE = Locale.parse("nb_NO")


def long_date(day: date) -> str:
    """'onsdag 1. juli 2020': weekday and month in lower case, as Norwegian is written."""
    return format_date(day, "EEEE d. MMMM y", locale=LOCALE)


def clock_time(moment: time) -> str:
    """'09.00': the full stop Språkrådet and the seed use, not Babel's default colon."""
    return format_time(moment, "HH.mm", locale=LOCALE)


def time_span(start: time | None, end: time | None) -> str:
    """'kl. 09.00–10.30', 'kl. 09.00', or '' when the agenda has no times yet."""
    if start is None:
        return ""
    if end is None:
        return f"kl. {clock_time(start)}"
    return f"kl. {clock_time(start)}–{clock_time(end)}"


def meeting_when(meeting: Meeting) -> str:
    """'onsdag 1. juli 2020 kl. 09.00–10.30'."""
    return " ".join(part for part in (long_date(meeting.day), time_span(meeting.start, meeting.end)) if part)


def short_datetime(moment: datetime) -> str:
    """'24.06.2020 kl. 08.00': for lists where the weekday would only crowd the line."""
    return f"{format_date(moment.date(), 'dd.MM.y', locale=LOCALE)} kl. {clock_time(moment.time())}"


def days_from_today(day: date, today: date) -> str:
    """'i dag', 'i morgen', 'om 3 dager', 'i går', 'forfalt for 2 dager siden': as a secretary writes it.

    Babel's format_timedelta says 'om 2 døgn' and rounds ten days to a week; this counts days.
    """
    days = (day - today).days
    if days == 0:
        return "i dag"
    if days == 1:
        return "i morgen"
    if days > 1:
        return f"om {days} dager"
    if days == -1:
        return "forfalt i går"
    return f"forfalt for {-days} dager siden"


def people_list(items: list[str]) -> str:
    """'Bergen, Bodø og Bærum'."""
    return format_list(items, locale=LOCALE) if items else ""
