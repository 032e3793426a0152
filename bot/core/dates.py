"""Reading dates and times the way Norwegians write them. Strict formats only: a guess is worse than a no."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
_MONTH_ABBREVIATIONS = {name[:3]: number for number, name in enumerate(MONTHS, start=1)}

_MONTH_NAME = r"(?P<month_name>" + "|".join(MONTHS) + r"|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|des)\.?)"
DATE_RE = re.compile(
    r"\b(?:"
    r"(?P<day1>\d{1,2})\.\s*" + _MONTH_NAME + r"(?:\s+(?P<year1>\d{4}))?"
    r"|(?P<day2>\d{1,2})\.(?P<month2>\d{1,2})\.(?P<year2>\d{4}|\d{2})\b"
    r"|(?P<year3>\d{4})-(?P<month3>\d{2})-(?P<day3>\d{2})\b"
    r")",
    re.IGNORECASE,
)
TIME_RE = re.compile(r"\b(?P<hour>\d{1,2})[.:](?P<minute>\d{2})\b")


def _month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    if name in MONTHS:
        return MONTHS.index(name) + 1
    return _MONTH_ABBREVIATIONS[name[:3]]


def date_from_match(match: re.Match[str], default_year: int | None = None) -> date | None:
    """A date from a DATE_RE match; None when it is impossible (31.02) or has no year to take."""
    if match["day1"]:
        day, month, year_text = int(match["day1"]), _month_number(match["month_name"]), match["year1"]
    elif match["day2"]:
        day, month, year_text = int(match["day2"]), int(match["month2"]), match["year2"]
    else:
        day, month, year_text = int(match["day3"]), int(match["month3"]), match["year3"]
    if year_text:
        year = int(year_text) if len(year_text) == 4 else 2000 + int(year_text)
    elif default_year is not None:
        year = default_year
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, default_year: int | None = None) -> date | None:
    """The whole text as one date: '03.07.2020', '3.7.2020', '3. juli 2020', '2020-07-03'."""
    match = DATE_RE.fullmatch(text.strip())
    return date_from_match(match, default_year) if match else None


def parse_clock(text: str) -> time | None:
    """'09.00' or '9:00' (the whole text); None for anything else, 24.00 included."""
    match = TIME_RE.fullmatch(text.strip())
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


_DURATION_RE = re.compile(r"^\s*(\d{1,4})\s*(d|t|h|m)\s*$", re.IGNORECASE)
_UNITS = {"d": "days", "t": "hours", "h": "hours", "m": "minutes"}


def parse_duration(text: str) -> timedelta | None:
    """'7d', '1d', '2h' (or '2t', for timer), '30m'."""
    match = _DURATION_RE.match(text)
    if not match:
        return None
    return timedelta(**{_UNITS[match[2].lower()]: int(match[1])})


def parse_offsets(text: str) -> list[timedelta] | None:
    """'7d,1d,2h,30m' as a list, longest first; None if any part is not a duration."""
    parts = [part for part in text.split(",") if part.strip()]
    offsets = [parse_duration(part) for part in parts]
    if not offsets or any(offset is None for offset in offsets):
        return None
    return sorted((o for o in offsets if o is not None), reverse=True)
