"""/avstemning and the vote's buttons: a click is stored durably, acknowledged, then the message updates."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import views, voting
from bot.blocks import escape
from bot.domain import Choice, Serial
from bot.errors import UserError
from handlers.context import HELP_WORDS, Context, reply

log = logging.getLogger(__name__)

COMMAND = "/avstemning"
VOTE_HELP = (
    "*Slik bruker du /avstemning* (lederen og sekretariatet)\n"
    "• `/avstemning` – start en avstemning om innkalling og dagsorden for neste møte\n"
    "• `/avstemning 18/20` – start en avstemning om forslaget til vedtak i sak 18/20\n"
    "• `/avstemning protokoll 18/20` – hvem som stemte hva, og når (til protokollen)\n"
    "Avstemningen stenges når møtet begynner, eller med knappen «Avslutt avstemning»."
)


def post_vote(ctx: Context, client: WebClient, vote_id: int, respond: Any = None) -> None:
    """Post the vote in its channel (after the ack), and remember where, so clicks can update it."""
    vote = ctx.services.store.vote(vote_id)
    assert vote is not None and vote.channel
    message = ctx.vote_messages.render(vote)
    try:
        posted = client.chat_postMessage(channel=vote.channel, **message.as_kwargs())
    except SlackApiError as error:
        voting.cancel(ctx.services, vote_id, str(error.response.get("error")))
        if respond:
            respond(
                text="Kunne ikke poste avstemningen i kanalen. Er Møtebot invitert dit? (/invite @Møtebot)",
                response_type="ephemeral", replace_original=False,
            )  # fmt: skip
        return
    voting.posted(ctx.services, vote_id, posted["channel"], posted["ts"])


def _record(ctx: Context, words: list[str], user_id: str) -> views.Message:
    services = ctx.services
    if not services.store.roster(services.settings.motebot_admins).can_manage(user_id):
        raise UserError("Bare lederen og sekretariatet kan se protokollen.")
    number = Serial.parse(words[0]) if len(words) == 1 else None
    if number is None:
        raise UserError("Skriv slik: `/avstemning protokoll 17/20`.")
    votes = [v for v in services.store.votes() if v.case == number]
    if not votes:
        raise UserError(f"Det har ikke vært noen avstemning om sak {number}.")
    return views.vote_record(votes[-1], services.store.vote_events(votes[-1].id))


def register(app: App, ctx: Context) -> None:
    services = ctx.services

    @app.command(COMMAND)
    def vote_command(command: dict[str, Any], client: WebClient, respond: Any) -> BoltResponse:
        words = (command.get("text") or "").split()
        user_id = command["user_id"]
        try:
            if words and words[0].casefold() in HELP_WORDS:
                return reply(views.notice(VOTE_HELP))
            if words and words[0].casefold() == "protokoll":
                return reply(_record(ctx, words[1:], user_id))
            number = None
            if words:
                number = Serial.parse(words[0])
                if number is None or len(words) > 1:
                    raise UserError(
                        f"«{' '.join(words)[:40]}» er ikke et saksnummer. Skriv for eksempel `/avstemning 17/20`."
                    )
            vote = voting.open_vote(services, user_id, number, command["channel_id"])
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
            ctx.background.submit(lambda: respond(text=explanation, response_type="ephemeral", replace_original=False))
        else:
            ctx.vote_messages.refresh_later(vote_id)

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
        channel = (body.get("channel") or {}).get("id") or services.settings.motebot_channel or ""
        meeting = services.store.meeting(
            Serial.parse((body.get("actions") or [{}])[0].get("value", "")) or Serial(0, 0)
        )
        try:
            approval = meeting.approval_case() if meeting else None
            if approval is None:
                raise UserError("Møtet har ingen sak «Godkjenning av innkalling og dagsorden».")
            vote = voting.open_vote(services, user_id, approval.number, channel)
        except UserError as error:
            ack()
            text = escape(str(error))  # it may quote a decision: text from a notice
            ctx.background.submit(lambda: respond(text=text, response_type="ephemeral", replace_original=False))
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
            ctx.background.submit(lambda: respond(text=text, response_type="ephemeral", replace_original=False))
            return
        ack()
        ctx.vote_messages.refresh_later(old.id)
        ctx.background.submit(lambda: post_vote(ctx, client, new.id, respond))
