"""/status: each work stream's latest status; the secretariat adds updates, and the history is kept."""

from __future__ import annotations

from slack_bolt import App

from bot.core.errors import UserError
from bot.slack import views
from bot.slack.blocks import Message, fit
from bot.usecases import frister as deadlines
from bot.usecases.grammar import HELP_WORDS
from handlers.context import Context, register_text_command

COMMAND = "/status"


def answer(ctx: Context, user_id: str, text: str) -> Message:
    services = ctx.services
    words = text.split()
    action = words[0].casefold() if words else ""
    if not words:
        return views.status_list(services.store.work_streams())
    if action in HELP_WORDS:
        return views.notice(views.STATUS_HELP)
    if action in ("oppdater", "historikk"):
        if len(words) < 2 or not words[1].isdigit():
            raise UserError(
                "Skriv nummeret på arbeidsområdet, for eksempel `/status oppdater 2 Nå har 80 prosent signert`."
            )
        number = int(words[1])
        if action == "historikk":
            stream = next((s for s in services.store.work_streams() if s.number == number), None)
            if stream is None:
                raise UserError(f"Fant ikke arbeidsområde nr. {number}.")
            return views.status_history(stream)
        stream = deadlines.update_status(services, user_id, number, " ".join(words[2:]))
        return views.outcome(f"Status for {stream.number}. {stream.title} er oppdatert.", [])
    raise UserError(f"Forstod ikke «{fit(words[0], 30)}». Skriv `/status hjelp` for bruken.")


def register(app: App, ctx: Context) -> None:
    register_text_command(app, COMMAND, ctx, answer)
