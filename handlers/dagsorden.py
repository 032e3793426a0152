"""/dagsorden: read the agenda; for the secretariat, build it (commands, the "Ny sak" modal and its button)."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.dates import parse_clock
from bot.core.domain import Meeting, Serial
from bot.core.errors import UserError
from bot.slack import views
from bot.slack.blocks import Message, escape, fit, submitted_value
from bot.usecases import dagsorden as secretariat
from bot.usecases.grammar import HELP_WORDS
from bot.usecases.services import Services, require_manager
from handlers.context import Context, reply

log = logging.getLogger(__name__)

COMMAND = "/dagsorden"
_NEW_USAGE = "Skriv slik: `/dagsorden ny 4/20 10.00 Orientering Tittel på saken` (klokkeslettet kan sløyfes)."


def _serial(text: str, what: str, example: str) -> Serial:
    number = Serial.parse(text)
    if number is None:
        raise UserError(f"«{fit(text, 40)}» er ikke et {what}. Skriv det slik: {example}.")
    return number


def _can_edit(services: Services, user_id: str) -> bool:
    return services.store.roster(services.rules.admins).can_manage(user_id)


def _is_ahead(services: Services, meeting: Meeting) -> bool:
    return meeting.ends_at(services.clock.tz) >= services.clock.now()


def show(services: Services, text: str, user_id: str) -> Message:
    store = services.store
    can_edit = _can_edit(services, user_id)
    if not text:
        meeting, ahead = store.next_meeting(services.clock.now())
        if meeting is None:
            return views.notice(
                "Ingen møter er registrert ennå. "
                "Sekretariatet kan sende Møtebot innkallingen som fil i en direktemelding."
            )
        return views.agenda(meeting, ahead=ahead, latest_instead=not ahead, can_edit=can_edit)
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
    return views.agenda(meeting, ahead=_is_ahead(services, meeting), can_edit=can_edit)


def _add_from_text(services: Services, user_id: str, words: list[str]) -> secretariat.Changed:
    if len(words) < 3:
        raise UserError("Saken mangler møtenummer, sakstype eller tittel. " + _NEW_USAGE)
    meeting = _serial(words[0], "møtenummer", "4/20")
    rest = words[1:]
    start = parse_clock(rest[0])
    if start is not None:
        rest = rest[1:]
    elif any(ch.isdigit() for ch in rest[0]) and any(ch in ".:" for ch in rest[0]):
        raise UserError(f"Forstod ikke klokkeslettet «{fit(rest[0], 20)}». Skriv det som 10.00 eller 10:00.")
    if not rest:
        raise UserError("Saken mangler sakstype og tittel. " + _NEW_USAGE)
    case_type = secretariat.parse_case_type(rest[0])
    return secretariat.add_case(services, user_id, meeting, start, case_type, " ".join(rest[1:]))


def change(services: Services, user_id: str, action: str, words: list[str]) -> tuple[Message, Meeting]:
    """The editing sub-commands; every refusal and mistake raises UserError before anything is stored."""
    require_manager(services, user_id, "Bare sekretariatet, lederen og administratorene kan endre dagsordenen.")
    if action == "ny":
        done = _add_from_text(services, user_id, words)
    elif action == "endre":
        if len(words) < 3:
            raise UserError("Skriv slik: `/dagsorden endre 18/20 tittel Ny tittel` (tittel, kl, type eller forslag).")
        number = _serial(words[0], "saksnummer", "18/20")
        done = secretariat.change_case(services, user_id, number, words[1].casefold(), " ".join(words[2:]))
    elif action == "flytt":
        if len(words) != 2 or not words[1].isdigit():
            raise UserError("Skriv slik: `/dagsorden flytt 18/20 2` (saken og plassen den skal stå på).")
        done = secretariat.move_case(services, user_id, _serial(words[0], "saksnummer", "18/20"), int(words[1]))
    else:
        if len(words) != 1:
            raise UserError("Skriv slik: `/dagsorden fjern 18/20`.")
        done = secretariat.remove_case(services, user_id, _serial(words[0], "saksnummer", "18/20"))
    message = views.changed(done.meeting, done.summary, done.warnings, ahead=_is_ahead(services, done.meeting))
    return message, done.meeting


def _history(services: Services, words: list[str]) -> Message:
    if len(words) != 1:
        raise UserError("Skriv slik: `/dagsorden historikk 4/20`.")
    number = _serial(words[0], "møtenummer", "4/20")
    meeting = services.store.meeting(number)
    if meeting is None:
        raise UserError(f"Fant ikke møte {number}.")
    return views.agenda_history(meeting, services.store.agenda_history(number))


def _open_new_case_modal(
    services: Services, client: WebClient, user_id: str, trigger_id: str, channel_id: str | None, selected: str = ""
) -> None:
    require_manager(services, user_id, "Bare sekretariatet, lederen og administratorene kan endre dagsordenen.")
    meetings = services.store.meetings()
    if not meetings:
        raise UserError("Det finnes ingen møter å legge saker til ennå.")
    upcoming, _ = services.store.next_meeting(services.clock.now())
    chosen = Serial.parse(selected) or (upcoming.number if upcoming else None)
    client.views_open(trigger_id=trigger_id, view=views.new_case_modal(meetings, chosen, channel_id))


def register(app: App, ctx: Context) -> None:
    services = ctx.services

    def after_change(meeting: Meeting) -> None:
        ctx.vote_messages.refresh_meeting_later(meeting.number)

    def open_modal_later(
        respond: Any, user_id: str, trigger_id: str, channel_id: str | None, selected: str = ""
    ) -> None:
        """The modal opens after the ack; if it cannot, the member hears why, or how to add the case in text."""

        def open_modal() -> None:
            try:
                _open_new_case_modal(services, ctx.background.prompt_client, user_id, trigger_id, channel_id, selected)
                return
            except UserError as error:
                problem = str(error)
            except (SlackApiError, OSError) as error:  # e.g. the trigger expired while Slack was slow
                log.warning("Kunne ikke åpne skjemaet for ny sak: %s", error)
                problem = f"Kunne ikke åpne skjemaet for ny sak. {_NEW_USAGE}"
            respond(**views.problem(problem).as_kwargs(), response_type="ephemeral", replace_original=False)

        ctx.background.prompt(open_modal)

    @app.command(COMMAND)
    def agenda_command(ack: Ack, command: dict[str, Any], respond: Any) -> BoltResponse | None:
        text = " ".join((command.get("text") or "").split())
        words = text.split(" ") if text else []
        action = words[0].casefold() if words else ""
        user_id = command["user_id"]
        try:
            if action in HELP_WORDS:
                message = views.notice(views.AGENDA_HELP)
            elif action == "ny" and len(words) == 1:
                require_manager(
                    services, user_id, "Bare sekretariatet, lederen og administratorene kan endre dagsordenen."
                )
                ack()
                open_modal_later(respond, user_id, command["trigger_id"], command.get("channel_id"))
                return None
            elif action in ("ny", "endre", "flytt", "fjern"):
                message, changed_meeting = change(services, user_id, action, words[1:])
                after_change(changed_meeting)
            elif action == "historikk":
                message = _history(services, words[1:])
            else:
                message = show(services, text, user_id)
        except UserError as error:
            message = views.problem(str(error))
        return reply(message)

    @app.action(views.NEW_CASE_ACTION)
    def new_case_button(ack: Ack, body: dict[str, Any], respond: Any) -> None:
        ack()
        channel_id = (body.get("channel") or {}).get("id")
        selected = (body.get("actions") or [{}])[0].get("value", "")
        open_modal_later(respond, body["user"]["id"], body["trigger_id"], channel_id, selected)

    @app.view(views.NEW_CASE_VIEW)
    def new_case_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user_id = body["user"]["id"]
        errors: dict[str, str] = {}
        meeting = Serial.parse(submitted_value(view, "meeting") or "")
        raw_time = submitted_value(view, "start")
        start = parse_clock(raw_time) if raw_time else None
        if raw_time and start is None:
            errors["start"] = "Velg et klokkeslett mellom 00.00 og 23.59."
        try:
            case_type = secretariat.parse_case_type(submitted_value(view, "type") or "")
        except UserError as error:
            errors["type"] = str(error)
        if meeting is None:
            errors["meeting"] = "Velg møtet saken skal stå på."
        if errors:
            ack(response_action="errors", errors=errors)
            return
        assert meeting is not None
        try:
            done = secretariat.add_case(
                services, user_id, meeting, start, case_type, submitted_value(view, "title") or "",
                submitted_value(view, "proposal"),
            )  # fmt: skip
        except UserError as error:
            ack(response_action="errors", errors={error.field or "meeting": str(error)})
            return
        ack()
        after_change(done.meeting)
        channel = json.loads(view.get("private_metadata") or "{}").get("channel")
        message = views.outcome(done.summary, done.warnings).as_kwargs()
        prompt = ctx.background.prompt_client
        if channel:
            ctx.background.prompt(lambda: prompt.chat_postEphemeral(channel=channel, user=user_id, **message))
        else:
            ctx.background.prompt(lambda: prompt.chat_postMessage(channel=user_id, **message))
