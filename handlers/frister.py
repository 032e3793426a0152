"""/frister: open deadlines at a glance; the secretariat adds, postpones and finishes them."""

from __future__ import annotations

import re
from datetime import date

from slack_bolt import App

from bot.core.dates import parse_clock, parse_date
from bot.core.errors import UserError
from bot.slack import views
from bot.slack.blocks import Message, fit
from bot.usecases import frister as deadlines
from bot.usecases.grammar import HELP_WORDS
from handlers.context import Context, register_text_command

COMMAND = "/frister"
_MENTION = re.compile(r"(?<![\w@])@([UW][A-Z0-9]{2,})\b")  # a picked person, as bot.slack.input decodes <@U…|name>
_BODY = re.compile(r"\bansvar(?:lig)?:\s*", re.IGNORECASE)
_DATE_HELP = "Skriv datoen som 03.07.2020, 3.7.2020, 3. juli 2020 eller 2020-07-03."


def take_date(words: list[str], default_year: int | None = None) -> tuple[date, list[str]]:
    """The date at the start of `words` (one to three words), and the words after it."""
    for size in (3, 2, 1):
        if len(words) >= size and (day := parse_date(" ".join(words[:size]), default_year)) is not None:
            return day, words[size:]
    if len(words) >= 2 and re.fullmatch(r"\d{1,2}\.", words[0]) and parse_date(" ".join(words[:2]), 2000):
        raise UserError(f"Datoen mangler år: skriv for eksempel «{words[0]} {words[1]} 2025». {_DATE_HELP}")
    if words and any(ch.isdigit() for ch in words[0]):
        raise UserError(f"«{fit(words[0], 30)}» er ikke en gyldig dato. {_DATE_HELP}")
    raise UserError(f"Det mangler en dato. {_DATE_HELP}")


def _number(word: str) -> int:
    if not word.isdigit():
        raise UserError(f"«{fit(word, 20)}» er ikke et fristnummer. `/frister alle` viser numrene.")
    return int(word)


def _add(ctx: Context, user_id: str, words: list[str]) -> Message:
    day, rest = take_date(words)
    at = parse_clock(rest[0]) if rest else None
    if at is not None:
        rest = rest[1:]
    elif rest and re.fullmatch(r"\d{1,2}[.:]\d{1,2}", rest[0]):
        raise UserError(f"«{fit(rest[0], 20)}» er ikke et klokkeslett. Skriv det som 09.00 eller 09:00.")
    text = " ".join(rest)
    users = tuple(dict.fromkeys(_MENTION.findall(text)))
    text = _MENTION.sub("", text)
    what, body = text, ""
    if match := _BODY.search(text):
        what, body = text[: match.start()], text[match.end() :]
    deadline = deadlines.add(ctx.services, user_id, day, at, what, users, " ".join(body.split()) or None)
    return views.outcome(f"Frist nr. {deadline.id} er lagt inn: {deadline.what} – {views.deadline_due(deadline)}.", [])


def answer(ctx: Context, user_id: str, text: str) -> Message:
    services = ctx.services
    words = text.split()
    action = words[0].casefold() if words else ""
    today = services.clock.now().date()
    if action in ("", "alle"):
        key = ("frister", services.store.version("deadlines"), today, action)
        if key not in ctx.rendered:  # the list as rendered, until a deadline or the day changes
            ctx.rendered[key] = views.deadline_list(services.store.deadlines(), today, everything=action == "alle")
        return ctx.rendered[key]
    if action in HELP_WORDS:
        return views.notice(views.DEADLINES_HELP)
    if action == "ny":
        return _add(ctx, user_id, words[1:])
    if action == "utsett":
        if len(words) < 3:
            raise UserError("Skriv slik: `/frister utsett 3 1.11.2020` (fristnummeret og den nye datoen).")
        number = _number(words[1])
        day, rest = take_date(words[2:])
        at = parse_clock(rest[0]) if len(rest) == 1 else None
        if rest and at is None:
            raise UserError(f"Forstod ikke «{fit(' '.join(rest), 30)}». Et klokkeslett skrives 09.00 eller 09:00.")
        deadline = deadlines.postpone(services, user_id, number, day, at)
        return views.outcome(f"Frist nr. {number} er utsatt til {views.deadline_due(deadline)}.", [])
    if action == "ferdig":
        if len(words) != 2:
            raise UserError("Skriv slik: `/frister ferdig 3`.")
        deadline = deadlines.finish(services, user_id, _number(words[1]))
        return views.outcome(f"Frist nr. {deadline.id} er ferdig: {deadline.what}.", [])
    raise UserError(f"Forstod ikke «{fit(words[0], 30)}». Skriv `/frister hjelp` for bruken.")


def register(app: App, ctx: Context) -> None:
    register_text_command(app, COMMAND, ctx, answer)
