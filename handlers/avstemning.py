"""/avstemning and the vote's buttons: a click is stored durably, acknowledged, then the message updates."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.core.domain import Choice
from bot.core.errors import UserError
from bot.slack.blocks import Message
from bot.slack.views import avstemning as view
from bot.slack.views import problem
from bot.slack.views.common import clicked_meeting
from bot.slack.views.moteplan import OPEN_APPROVAL_ACTION
from bot.usecases import avstemning, bodies
from bot.usecases.grammar import Asker
from handlers.context import Context, Followup, Later, clicked_value, register_command, tell
from handlers.scheduled import PostingElsewhere, transient

log = logging.getLogger(__name__)

COMMAND = avstemning.COMMAND
Tell = Callable[[Message], None]


def post_vote(ctx: Context, vote_id: int, tell: Tell | None = None) -> None:
    """Post the vote in its channel (after the ack), once; if Slack is away, the ticker posts it later."""
    services = ctx.installation.of_vote(vote_id)
    vote = avstemning.stored(services, vote_id) if services is not None else None
    assert vote is not None
    try:
        posted = ctx.vote_messages.post(vote_id)
    except PostingElsewhere:
        return  # another process is posting it this moment
    except Exception as error:
        if not transient(error):
            raise
        log.warning("Avstemning %s ble ikke postet nå (%s); prøver igjen senere", vote_id, error)
        message = view.not_posted_yet(vote.case)
    else:
        if posted:
            return
        message = view.not_posted()
    if tell:
        tell(message)


def _answer(ctx: Context) -> Callable[[avstemning.Opened | avstemning.Aborted | avstemning.Record], Message | Later]:
    """The view's answer in the ack; the vote's post, or its message's update, follow it in the bulk lane."""

    def answer(facts: avstemning.Opened | avstemning.Aborted | avstemning.Record) -> Message | Later:
        message = view.render(facts)
        if isinstance(facts, avstemning.Opened):
            vote_id = facts.vote.id

            def post(_client: WebClient, followup: Followup) -> None:
                post_vote(ctx, vote_id, followup.tell)

            return Later(post, ack=message, lane="bulk")
        if isinstance(facts, avstemning.Aborted):
            aborted = facts.vote.id
            return Later(lambda _client, _followup: ctx.vote_messages.refresh_later(aborted), ack=message, lane="bulk")
        return message

    return answer


def _clicked_message(body: dict[str, Any]) -> tuple[str, str] | None:
    """The message a click came from, if it is one all can see (the vote's own, or a reminder with its buttons)."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("type") != "message" or container.get("is_ephemeral") or not channel or not ts:
        return None
    return str(channel), str(ts)


def register(app: App, ctx: Context) -> None:
    installation = ctx.installation
    register_command(app, ctx, avstemning.COMMAND, avstemning.USAGE, avstemning.parse, avstemning.run, _answer(ctx))

    def tell_later(respond: Respond) -> Tell:
        """A click's ack is shown to no one: what it has to say goes through response_url, after the ack."""

        def after_the_ack(message: Message) -> None:
            ctx.tell_later(respond, message)

        return after_the_ack

    def _click(choice: Choice | None, body: dict[str, Any], ack: Ack, respond: Respond) -> None:
        """Store the ballot (or the closing) durably, then ack; Slack calls follow in the background."""
        user_id = body["user"]["id"]
        explanation = cast = None
        try:
            vote_id = int(clicked_value(body))
            services = bodies.of_vote(installation, vote_id, user_id)
            if services is None:
                raise ValueError(vote_id)
            if choice is None:
                avstemning.close(services, user_id, vote_id)
            else:
                cast = avstemning.cast(services, vote_id, user_id, choice)
        except ValueError:
            vote_id, explanation = 0, view.unknown_vote()
        except UserError as error:
            explanation = problem(str(error))
        ack()
        if explanation:
            tell_later(respond)(explanation)
            return
        if cast is not None:
            tell_later(respond)(view.ballot_recorded(cast.choice))
            if not cast.changed:
                return  # the same click again: recorded once, and the message already shows it
        ctx.vote_messages.refresh_later(vote_id, seen=_clicked_message(body), by=body["user"]["id"])
        if choice is None:
            ctx.vote_messages.result_later(vote_id)

    def _vote_listener(choice: Choice | None) -> Any:
        def clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
            _click(choice, body, ack, respond)

        return clicked

    for choice, action_id in view.VOTE_ACTIONS.items():
        app.action(action_id)(_vote_listener(choice))
    app.action(view.VOTE_CLOSE_ACTION)(_vote_listener(None))

    @app.action(OPEN_APPROVAL_ACTION)
    def open_from_notice(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """The button on a meeting notice: the leder opens the agenda's approval vote in that channel."""
        user_id, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
        carried, meeting = clicked_meeting(clicked_value(body))
        try:  # a notice from before bodies carries no body: it is in its body's channel
            services = bodies.carried_or_here(installation, carried, Asker(user_id, channel), avstemning.COMMAND)
            opened = avstemning.open_approval(services, user_id, meeting)
        except UserError as error:
            ack()
            tell_later(respond)(problem(str(error)))  # it may quote a decision: text from a notice
            return
        ack()
        ctx.background.submit(lambda: post_vote(ctx, opened.vote.id, lambda message: tell(respond, message)))

    @app.action(view.VOTE_RESTART_ACTION)
    def restart_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        try:
            vote_id, user_id = int(clicked_value(body)), body["user"]["id"]
            services = bodies.of_vote(installation, vote_id, user_id)
            if services is None:
                raise ValueError(vote_id)
            old, new = avstemning.restart(services, user_id, vote_id)
        except (UserError, ValueError) as error:
            ack()
            tell_later(respond)(problem(str(error)) if isinstance(error, UserError) else view.unknown_vote())
            return
        ack()
        ctx.vote_messages.refresh_later(old.id)
        ctx.background.submit(lambda: post_vote(ctx, new.id, lambda message: tell(respond, message)))
