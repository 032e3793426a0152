"""/avstemning and the vote's buttons: a click is stored durably, acknowledged, then the message updates."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltResponse
from slack_sdk import WebClient

from bot.core.domain import Choice, Serial
from bot.core.errors import UserError
from bot.slack import views
from bot.slack.blocks import escape
from bot.usecases import avstemning as voting
from bot.usecases.grammar import HELP_WORDS
from handlers.context import Context, reply
from handlers.vote_messages import transient

log = logging.getLogger(__name__)

COMMAND = "/avstemning"
VOTE_HELP = (
    "*Slik bruker du /avstemning* (lederen og sekretariatet)\n"
    "• `/avstemning` – start en avstemning om innkalling og dagsorden for neste møte\n"
    "• `/avstemning 18/20` – start en avstemning om forslaget til vedtak i sak 18/20\n"
    "• `/avstemning protokoll 18/20` – hvem som stemte hva, og når (til protokollen)\n"
    "• `/avstemning avbryt 18/20` – stopp den åpne avstemningen om sak 18/20, uten resultat\n"
    "Avstemningen stenges når møtet begynner, eller med knappen «Avslutt avstemning»."
)


def post_vote(ctx: Context, client: WebClient, vote_id: int, respond: Any = None) -> None:
    """Post the vote in its channel (after the ack), once; if Slack is away, the ticker posts it later."""
    vote = ctx.services.store.vote(vote_id)
    assert vote is not None
    try:
        posted = ctx.vote_messages.post(vote_id)
    except Exception as error:
        if not transient(error):
            raise
        log.warning("Avstemning %s ble ikke postet nå (%s); prøver igjen senere", vote_id, error)
        text = (
            f"Slack svarte ikke da avstemningen om sak {vote.case} skulle postes. Den postes så snart Slack svarer "
            f"igjen. Du kan også prøve selv med `/avstemning {vote.case}`, eller avbryte med "
            f"`/avstemning avbryt {vote.case}`."
        )
    else:
        if posted:
            return
        text = "Kunne ikke poste avstemningen i kanalen. Er Møtebot invitert dit? (/invite @Møtebot)"
    if respond:
        respond(text=text, response_type="ephemeral", replace_original=False)


def _abort(ctx: Context, words: list[str], user_id: str) -> views.Message:
    number = Serial.parse(words[0]) if len(words) == 1 else None
    if number is None:
        raise UserError("Skriv slik: `/avstemning avbryt 17/20`.")
    vote = voting.abort(ctx.services, user_id, number)
    ctx.vote_messages.refresh_later(vote.id)
    return views.outcome(
        f"Avstemningen om sak {vote.case} er avbrutt, uten resultat. Meldingen i kanalen sier det.", []
    )


def _record(ctx: Context, words: list[str], user_id: str) -> views.Message:
    services = ctx.services
    if not services.store.roster(services.rules.admins).can_manage(user_id):
        raise UserError("Bare lederen og sekretariatet kan se protokollen.")
    number = Serial.parse(words[0]) if len(words) == 1 else None
    if number is None:
        raise UserError("Skriv slik: `/avstemning protokoll 17/20`.")
    votes = [v for v in services.store.votes() if v.case == number]
    if not votes:
        raise UserError(f"Det har ikke vært noen avstemning om sak {number}.")
    return views.vote_record(votes[-1], services.store.vote_events(votes[-1].id))


def _clicked_message(body: dict[str, Any]) -> tuple[str, str] | None:
    """The message a click came from, if it is one all can see (the vote's own, or a reminder with its buttons)."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("type") != "message" or container.get("is_ephemeral") or not channel or not ts:
        return None
    return str(channel), str(ts)


def register(app: App, ctx: Context) -> None:
    services = ctx.services
    ctx.stoppers.append(ctx.vote_messages.stop)

    @app.command(COMMAND)
    def vote_command(command: dict[str, Any], client: WebClient, respond: Any) -> BoltResponse:
        words = (command.get("text") or "").split()
        user_id = command["user_id"]
        try:
            if words and words[0].casefold() in HELP_WORDS:
                return reply(views.notice(VOTE_HELP))
            if words and words[0].casefold() == "protokoll":
                return reply(_record(ctx, words[1:], user_id))
            if words and words[0].casefold() == "avbryt":
                return reply(_abort(ctx, words[1:], user_id))
            number = None
            if words:
                number = Serial.parse(words[0])
                if number is None or len(words) > 1:
                    raise UserError(
                        f"«{' '.join(words)[:40]}» er ikke et saksnummer. Skriv for eksempel `/avstemning 17/20`."
                    )
            vote = voting.open_vote(services, user_id, number, command["channel_id"])
        except voting.AlreadyOpen as already:
            if already.vote.message_ts:
                return reply(views.problem(str(already)))
            unposted = already.vote.id  # its post failed, or the bot died before it: try again now
            ctx.background.submit(lambda: post_vote(ctx, client, unposted, respond))
            return reply(views.outcome(f"Avstemningen om sak {already.vote.case} postes i kanalen nå.", []))
        except UserError as error:
            return reply(views.problem(str(error)))
        ctx.background.submit(lambda: post_vote(ctx, client, vote.id, respond))
        return reply(views.outcome(f"Avstemningen om sak {vote.case} er startet i kanalen.", []))

    def _click(choice: Choice | None, body: dict[str, Any], ack: Ack, respond: Any) -> None:
        """Store the ballot (or the closing) durably, then ack; Slack calls follow in the background."""
        user_id = body["user"]["id"]
        value = (body.get("actions") or [{}])[0].get("value", "")
        explanation = None
        try:
            vote_id = int(value)
            if choice is None:
                voting.close(services, user_id, vote_id)
            else:
                voting.cast(services, vote_id, user_id, choice)
        except ValueError:
            vote_id, explanation = 0, "Ukjent avstemning."
        except UserError as error:
            explanation = str(error)
        ack()
        if explanation:
            ctx.background.prompt(lambda: respond(text=explanation, response_type="ephemeral", replace_original=False))
        else:
            ctx.vote_messages.refresh_later(vote_id, seen=_clicked_message(body))

    def _vote_listener(choice: Choice | None) -> Any:
        def clicked(ack: Ack, body: dict[str, Any], respond: Any) -> None:
            _click(choice, body, ack, respond)

        return clicked

    for choice, action_id in views.VOTE_ACTIONS.items():
        app.action(action_id)(_vote_listener(choice))
    app.action(views.VOTE_CLOSE_ACTION)(_vote_listener(None))

    @app.action(views.OPEN_APPROVAL_ACTION)
    def open_from_notice(ack: Ack, body: dict[str, Any], respond: Any, client: WebClient) -> None:
        """The button on a meeting notice: the leder opens the agenda's approval vote in that channel."""
        user_id = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id") or services.rules.channel or ""
        meeting = services.store.meeting(
            Serial.parse((body.get("actions") or [{}])[0].get("value", "")) or Serial(0, 0)
        )
        try:
            approval = meeting.approval_case() if meeting else None
            if approval is None:
                raise UserError("Møtet har ingen sak «Godkjenning av innkalling og dagsorden».")
            vote = voting.open_vote(services, user_id, approval.number, channel)
        except voting.AlreadyOpen as already:
            if already.vote.message_ts:
                ack()
                text = escape(str(already))
                ctx.background.prompt(lambda: respond(text=text, response_type="ephemeral", replace_original=False))
                return
            vote = already.vote  # never posted: post it now
        except UserError as error:
            ack()
            text = escape(str(error))  # it may quote a decision: text from a notice
            ctx.background.prompt(lambda: respond(text=text, response_type="ephemeral", replace_original=False))
            return
        ack()
        ctx.background.submit(lambda: post_vote(ctx, client, vote.id, respond))

    @app.action(views.VOTE_RESTART_ACTION)
    def restart_clicked(ack: Ack, body: dict[str, Any], respond: Any, client: WebClient) -> None:
        try:
            old, new = voting.restart(services, body["user"]["id"], int(body["actions"][0]["value"]))
        except (UserError, ValueError) as error:
            ack()
            text = str(error) if isinstance(error, UserError) else "Ukjent avstemning."
            ctx.background.prompt(lambda: respond(text=text, response_type="ephemeral", replace_original=False))
            return
        ack()
        ctx.vote_messages.refresh_later(old.id)
        ctx.background.submit(lambda: post_vote(ctx, client, new.id, respond))
