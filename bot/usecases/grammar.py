"""What every command's grammar shares: the words that ask for help, the answer to a word it does not know,
and a date and a time of day at the start of the words."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, time

from bot.core.dates import parse_clock, parse_date
from bot.core.domain import Serial
from bot.core.errors import UserError, clip
from bot.core.i18n import _


@dataclass(frozen=True)
class Asker:
    """Who gave a command, and in which channel (the group it concerns, once there are many: issue 15)."""

    user: str
    channel: str | None = None


PICKED = re.compile(r"^@([UW][A-Z0-9]{2,})$")  # a person picked in Slack, as bot.slack.input decodes <@U…|name>
HELP_WORDS = frozenset({"hjelp", "help", "?"})  # the first word that asks any command for its usage


# The nynorsk (and other common) spellings of the sub-commands, read as the words the grammars know:
# Møtebot understands both målformer whichever its readers write (språklova § 14).
_SPELLINGS = {
    "endra": "endre", "utset": "utsett", "utsetj": "utsett", "historikk": "historikk", "innstillingar": "innstillinger",
    "innstilling": "innstillinger", "tilstades": "tilstede", "forlet": "forlater", "legg": "leggtil",
    "leggtill": "leggtil", "avgjer": "avgjør", "avgjere": "avgjør", "ferdig": "ferdig", "vis": "vis",
    "trekkje": "trekk", "korriger": "rett", "send": "send", "framlegg": "forslag", "klokka": "kl",
}  # fmt: skip


def keyword(word: str) -> str:
    """A sub-command as its grammar knows it, in either målform: «endra» is «endre», «utset» is «utsett»."""
    folded = word.casefold()
    return _SPELLINGS.get(folded, folded)


# Words a member may try for a sub-command, read as the one meant: English, and Norwegian synonyms.
_MEANT = {
    "new": "ny", "add": "ny", "edit": "endre", "change": "endre", "move": "flytt", "remove": "fjern",
    "delete": "fjern", "slett": "fjern", "history": "historikk", "cancel": "avlys", "all": "alle",
    "calendar": "ical", "kalender": "ical", "ics": "ical", "done": "ferdig", "postpone": "utsett",
}  # fmt: skip


class UnknownWord(UserError):
    """A sub-command the command does not have: answered with the one most like it, if any, and the usage
    (handlers.context adds it, as it knows each command's)."""

    def __init__(self, word: str, suggestion: str | None) -> None:
        shown = clip(word, 30)
        if suggestion:
            text = _("Unknown sub-command «{word}». Did you mean «{suggestion}»?", word=shown, suggestion=suggestion)
        else:
            text = _("Unknown sub-command «{word}».", word=shown)
        super().__init__(text)
        self.word = word
        self.suggestion = suggestion


def unknown_word(word: str, known: Collection[str]) -> UnknownWord:
    """The answer to a first word that is none of `known` (the command's sub-commands, as `keyword` gives
    them): «new» and «slett» are read as «ny» and «fjern», a misspelling as the nearest known word."""
    folded = keyword(word)
    meant = _MEANT.get(folded)
    if meant not in known:
        words = [*known, *(other for other, target in _MEANT.items() if target in known)]
        close = difflib.get_close_matches(folded, words, n=1, cutoff=0.7)
        meant = _MEANT.get(close[0], close[0]) if close else None
    return UnknownWord(word, meant)


def asks_for_help(text: str) -> bool:
    words = text.split()
    return bool(words) and words[0].casefold() in HELP_WORDS


def not_understood(command: str, word: str) -> UserError:
    return UserError(
        _("Did not understand «{word}». Write `{command} hjelp` for how to use it.", word=word[:40], command=command)
    )


# The word some bodies write before a case number: "Sak 17/20", "PS 14/75" (politisk sak), "ST 4/2020" (styresak).
_CASE_PREFIX = re.compile(r"^(?:sak|saksnr\.?|saknr\.?|ps|st|sst|rs|os|fs|ds|ks)$", re.IGNORECASE)


def without_case_prefix(words: list[str]) -> list[str]:
    """`PS 14/75 …` read as `14/75 …`: the case number as the notice writes it finds the same case."""
    if len(words) >= 2 and _CASE_PREFIX.match(words[0]) and Serial.parse(words[1]) is not None:
        return words[1:]
    return words


def meeting_number(text: str) -> Serial:
    """A meeting's number as the member wrote it ("4/20"), or how to write one."""
    number = Serial.parse(text)
    if number is None:
        raise UserError(_("«{text}» is not a meeting number. Write it like this: 4/20.", text=clip(text, 40)))
    return number


def _date_problem(what: str) -> UserError:
    how = _("Write the date as 03.07.2020, 3.7.2020, 3. juli 2020 or 2020-07-03.")
    return UserError(f"{what} {how}")


_CLOCK_WORD = re.compile(r"^kl\.?(?P<glued>\d[\d.:]*)?$", re.IGNORECASE)  # "kl.", "kl", or "kl.12" glued


def clock_as_written(text: str) -> time | None:
    """A time of day as people write it: 12.00, 12:00, 1200, or an hour alone (9 is 09.00)."""
    if (at := parse_clock(text)) is not None:
        return at
    if re.fullmatch(r"\d{1,2}", text) and int(text) < 24:
        return time(int(text))
    if re.fullmatch(r"\d{4}", text) and int(text[:2]) < 24 and int(text[2:]) < 60:
        return time(int(text[:2]), int(text[2:]))
    return None


def take_time(words: list[str]) -> tuple[time | None, list[str]]:
    """The time of day at the start of `words` ("kl. 12.00", "kl 12", "12:00", "1200", "9"), and the words
    after it; none there, None and the words as they were. After «kl.» a time must follow."""
    if not words:
        return None, words
    if match := _CLOCK_WORD.match(words[0]):
        written, rest = (match["glued"], words[1:]) if match["glued"] else (" ".join(words[1:2]), words[2:])
        at = clock_as_written(written)
        if at is None:
            raise UserError(
                _("«{text}» is not a time of day. Write it as kl. 12.00 or kl. 12.", text=clip(written or "kl.", 20))
            )
        return at, rest
    at = clock_as_written(words[0])
    if at is None or (words[0].isdigit() and not _a_working_hour(at)):
        return None, words  # «3 innspill», «2021 budsjett»: a number that begins the text
    return at, words[1:]


def _a_working_hour(at: time) -> bool:
    """A bare number read as a time only where a meeting or a deadline could be: 06.00–22.55, in whole
    five minutes (a year such as 2021 is not 20.21). With «kl.» any time is read."""
    return 6 <= at.hour <= 22 and at.minute % 5 == 0


def take_date(words: list[str], default_year: int | None = None) -> tuple[date, list[str]]:
    """The date at the start of `words` (one to three words), and the words after it."""
    for size in (3, 2, 1):
        if len(words) >= size and (day := parse_date(" ".join(words[:size]), default_year)) is not None:
            return day, words[size:]
    if len(words) >= 2 and re.fullmatch(r"\d{1,2}\.", words[0]) and parse_date(" ".join(words[:2]), 2000):
        example = f"{words[0]} {words[1]} 2025"
        raise _date_problem(_("The date has no year: write for example «{example}».", example=example))
    if words and any(ch.isdigit() for ch in words[0]):
        raise _date_problem(_("«{word}» is not a valid date.", word=clip(words[0], 30)))
    raise _date_problem(_("The date is missing."))
