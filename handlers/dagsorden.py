"""/dagsorden: the agenda of the next meeting, or of the meeting named."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot import views
from bot.blocks import Message, escape, fit
from bot.domain import Serial, next_meeting
from bot.services import Services

COMMAND = "/dagsorden"
_HELP_WORDS = {"hjelp", "help", "?"}


def answer(services: Services, text: str) -> Message:
    text = " ".join(text.split())
    store = services.store
    if text.casefold() in _HELP_WORDS:
        return views.notice(views.AGENDA_HELP)
    if not text:
        meeting, ahead = next_meeting(store.meetings(), services.clock.now())
        if meeting is None:
            return views.notice(
                "Ingen møter er registrert ennå. Sekretariatet kan legge inn en innkalling med `motebot import`."
            )
        return views.agenda(meeting, ahead=ahead, latest_instead=not ahead)
    number = Serial.parse(text)
    if number is None:
        return views.notice(
            f"Forstod ikke «{escape(fit(text, 60))}». Skriv møtenummeret slik: `/dagsorden 4/20`.\n\n"
            + views.AGENDA_HELP
        )
    meeting = store.meeting(number)
    if meeting is None:
        known = ", ".join(str(m.number) for m in sorted(store.meetings(), key=lambda m: m.number)[-10:])
        hint = f" Møtene som finnes: {known}." if known else ""
        return views.notice(f"Fant ikke møte {number}.{hint}")
    ahead = meeting.ends_at(services.clock.tz) >= services.clock.now()
    return views.agenda(meeting, ahead=ahead)


def register(app: App, services: Services) -> None:
    @app.command(COMMAND)
    def agenda_command(ack: Ack, command: dict) -> None:
        ack(**answer(services, command.get("text") or "").as_kwargs())
