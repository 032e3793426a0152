"""/habilitet and its buttons: a declaration is stored, acknowledged, then posted once in the channel (in the
case's thread in the meeting); the ruling vote is posted like any vote."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from http.client import HTTPException
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.errors import UserError
from bot.slack.blocks import Message
from bot.slack.views import habilitet as view
from bot.slack.views import problem
from bot.slack.views.common import clicked_case
from bot.usecases import bodies, habilitet
from bot.usecases.grammar import Asker
from handlers.avstemning import post_vote
from handlers.context import Context, Followup, Later, clicked_value, register_command, tell
from handlers.scheduled import PostingElsewhere, post_once

log = logging.getLogger(__name__)

COMMAND = habilitet.COMMAND
Tell = Callable[[Message], None]


def _post_key(declared: habilitet.Declared) -> str:
    """One post per declaration, and one more for each new reason given for it."""
    recusal = declared.recusal
    if not declared.updated:
        return f"recusal:{recusal.id}"
    return f"recusal:{recusal.id}:{hashlib.sha256(recusal.reason.encode()).hexdigest()[:12]}"


def post_declaration(ctx: Context, client: WebClient, declared: habilitet.Declared, tell: Tell) -> None:
    """In the body's channel, once (in the case's thread while the meeting is set)."""
    services = ctx.installation.body(declared.body)
    if services is None:
        return
    with services.in_body_language():
        message = view.declaration_post(declared)
    try:
        post_once(services, client, _post_key(declared), declared.channel, message, thread_ts=declared.thread_ts)
    except PostingElsewhere:
        pass  # another process is posting it this moment
    except (SlackApiError, OSError, HTTPException) as error:
        log.warning("Habilitet %s ble ikke postet i kanalen (%s)", declared.recusal.id, error)
        tell(view.not_posted())


def _answer(ctx: Context) -> Callable[[Any], Message | Later]:
    def answer(
        facts: habilitet.Declared | habilitet.RulingOpened | habilitet.Withdrawn | habilitet.Listing,
    ) -> Message | Later:
        message = view.render(facts)
        if isinstance(facts, habilitet.Declared):
            declared = facts

            def post(client: WebClient, followup: Followup) -> None:
                post_declaration(ctx, client, declared, followup.tell)

            return Later(post, ack=message, lane="bulk")
        if isinstance(facts, habilitet.RulingOpened):
            vote_id = facts.vote.id
            return Later(lambda _client, followup: post_vote(ctx, vote_id, followup.tell), ack=message, lane="bulk")
        return message

    return answer


def register(app: App, ctx: Context) -> None:
    installation = ctx.installation
    register_command(app, ctx, habilitet.COMMAND, habilitet.USAGE, habilitet.parse, habilitet.run, _answer(ctx))

    @app.action(view.DECLARE_RECUSAL_ACTION)
    def declare_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """[I may be inhabil] on a case's message: the clicker declares, without a reason yet."""
        user_id, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
        carried, case = clicked_case(clicked_value(body))
        try:
            services = bodies.carried_or_here(installation, carried, Asker(user_id, channel), habilitet.COMMAND)
            if case is None:
                raise UserError(habilitet.how_to_declare())
            declared = habilitet.declare(services, user_id, case, None, "")
        except UserError as error:
            ack()
            ctx.tell_later(respond, problem(str(error)))
            return
        ack()
        ctx.tell_later(respond, view.declared(declared, clicked=True))
        ctx.background.submit(
            lambda: post_declaration(ctx, ctx.background.bulk_client, declared, lambda m: tell(respond, m))
        )

    @app.action(view.RULE_RECUSAL_ACTION)
    def rule_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """[Avgjør habiliteten] under a declaration: the chair opens the ruling vote."""
        user_id, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
        carried, recusal_id = view.ruled_declaration(clicked_value(body))
        try:
            services = bodies.carried_or_here(installation, carried, Asker(user_id, channel), habilitet.COMMAND)
            if recusal_id is None:
                raise UserError(habilitet.not_found())
            opened = habilitet.rule_declaration(services, user_id, recusal_id)
        except UserError as error:
            ack()
            ctx.tell_later(respond, problem(str(error)))
            return
        ack()
        ctx.tell_later(respond, view.ruling_opened(opened))
        ctx.background.submit(lambda: post_vote(ctx, opened.vote.id, lambda message: tell(respond, message)))
