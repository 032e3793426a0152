"""/moteplan: the meetings ahead; the secretariat adds, moves and cancels them."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.dates import parse_clock
from bot.core.domain import Serial
from bot.core.errors import UserError
from bot.core.formatting import meeting_when
from bot.core.ical import calendar
from bot.slack import views
from bot.slack.blocks import Message, fit
from bot.usecases import moteplan as meeting_plan
from bot.usecases.grammar import HELP_WORDS, take_date
from handlers.context import Context, reply

COMMAND = "/moteplan"
_SPAN = re.compile(r"^(?P<start>\d{1,2}[.:]\d{2})\s*[-–]\s*(?P<end>\d{1,2}[.:]\d{2})$")
_PLACE = re.compile(r"\bsted:\s*", re.IGNORECASE)
_SPAN_HELP = "Skriv tiden slik: 09.00-11.00."


def _span(words: list[str]) -> tuple[time, time, list[str]]:
    """'09.00-11.00' (or '09.00 - 11.00') at the start of `words`."""
    for size in (1, 3):
        if len(words) >= size and (match := _SPAN.match(" ".join(words[:size]))):
            start, end = parse_clock(match["start"]), parse_clock(match["end"])
            if start is None or end is None:
                raise UserError(f"«{fit(' '.join(words[:size]), 20)}» er ikke gyldige klokkeslett. {_SPAN_HELP}")
            return start, end, words[size:]
    if words and parse_clock(words[0]):
        raise UserError(f"Det mangler når møtet slutter. {_SPAN_HELP}")
    raise UserError(f"Det mangler når møtet begynner og slutter. {_SPAN_HELP}")


def _number(word: str) -> Serial:
    number = Serial.parse(word)
    if number is None:
        raise UserError(f"«{fit(word, 20)}» er ikke et møtenummer. Skriv det slik: 5/20.")
    return number


def answer(ctx: Context, user_id: str, text: str) -> Message:
    services = ctx.services
    words = text.split()
    action = words[0].casefold() if words else ""
    if action in ("", "alle"):
        return views.meeting_plan(services.store.meetings(), services.clock.now(), everything=action == "alle")
    if action in HELP_WORDS:
        return views.notice(views.MEETING_PLAN_HELP)
    if action == "ny":
        day, rest = take_date(words[1:])
        start, end, rest = _span(rest)
        title, place = " ".join(rest), None
        if match := _PLACE.search(title):
            title, place = title[: match.start()], " ".join(title[match.end() :].split()) or None
        meeting, warnings = meeting_plan.create(services, user_id, day, start, end, title, place)
        cases = ", ".join(f"{c.number} {c.title}" for c in meeting.cases)
        summary = f"Møte {meeting.number} er lagt inn: {meeting_when(meeting)} ({views.meeting_place(meeting)})."
        return views.outcome(summary + (f" Faste saker: {cases}." if cases else ""), warnings)
    if action == "flytt":
        if len(words) < 4:
            raise UserError("Skriv slik: `/moteplan flytt 5/20 24.09.2020 09.00-11.00`.")
        number = _number(words[1])
        day, rest = take_date(words[2:])
        start, end, rest = _span(rest)
        if rest:
            raise UserError(f"Forstod ikke «{fit(' '.join(rest), 30)}» til slutt. {_SPAN_HELP}")
        meeting, warnings = meeting_plan.move(services, user_id, number, day, start, end)
        ctx.vote_messages.refresh_meeting_later(number, every=True)  # their closing time has moved too
        return views.outcome(f"Møte {number} er flyttet til {meeting_when(meeting)}. Kanalen får beskjed.", warnings)
    if action == "avlys":
        if len(words) != 2:
            raise UserError("Skriv slik: `/moteplan avlys 5/20`.")
        meeting = meeting_plan.cancel(services, user_id, _number(words[1]))
        ctx.vote_messages.refresh_meeting_later(meeting.number, every=True)  # cancelled: no buttons left
        return views.outcome(f"Møte {meeting.number} er avlyst. Kanalen får beskjed.", [])
    raise UserError(f"Forstod ikke «{fit(words[0], 30)}». Skriv `/moteplan hjelp` for bruken.")


def share_calendar(ctx: Context, client: WebClient, channel: str, user_id: str) -> None:
    """The same file as `motebot ical`, shared in the channel the command came from."""
    services = ctx.services
    content = calendar(services.store.meetings(), services.clock.now())
    try:
        client.files_upload_v2(
            channel=channel, content=content, filename="moteplan.ics", title="Møteplan (iCalendar)",
            initial_comment="Møteplanen som kalenderfil: åpne den, eller importer den i kalenderen din.",
        )  # fmt: skip
    except SlackApiError:
        client.chat_postEphemeral(
            channel=channel, user=user_id, text="Kunne ikke dele kalenderfilen her. Er Møtebot invitert til kanalen?"
        )


def register(app: App, ctx: Context) -> None:
    @app.command(COMMAND)
    def plan_command(command: dict[str, Any], client: WebClient) -> BoltResponse:
        if (command.get("text") or "").strip().casefold() == "ical":
            channel, user_id = command["channel_id"], command["user_id"]
            ctx.background.submit(lambda: share_calendar(ctx, client, channel, user_id))
            return reply(views.outcome("Kalenderfilen med møteplanen deles i kanalen.", []))
        try:
            message = answer(ctx, command["user_id"], command.get("text") or "")
        except UserError as error:
            message = views.problem(str(error))
        return reply(message)
