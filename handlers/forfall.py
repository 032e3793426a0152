"""/forfall and its buttons: the forfall (or the vara's answer) is stored and acknowledged; then the DMs follow,
each sent once (to the vara asked, to varas released, to the secretariat), and the meeting's roll is redrawn."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from http.client import HTTPException
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.domain import Serial
from bot.core.errors import UserError
from bot.core.planner import Due, attendance_post_key
from bot.slack.blocks import Message
from bot.slack.views import forfall as view
from bot.slack.views import problem
from bot.slack.views.common import clicked_meeting
from bot.slack.views.moteplan import REPORT_ABSENCE_ACTION
from bot.usecases import bodies, forfall
from bot.usecases.grammar import Asker
from bot.usecases.services import Services
from handlers.context import Context, Followup, Later, clicked_value, read_by, register_command, tell
from handlers.scheduled import direct_once

log = logging.getLogger(__name__)
COMMAND = forfall.COMMAND
Told = forfall.Reported | forfall.Withdrawn | forfall.Answered


def _messages(facts: Told) -> list[tuple[str, str, Callable[[], Message]]]:
    """Who is told what: (suffix of the key, user, the message), each rendered in its reader's målform."""
    meeting = facts.absences.meeting
    body = facts.absences.body_id
    told: list[tuple[str, str, Callable[[], Message]]] = []
    if isinstance(facts, forfall.Withdrawn):
        member = facts.user
        told += [("released", vara, lambda: view.released(meeting, member)) for vara in facts.released]
        by = facts.by
    else:
        member, by = (facts.user, facts.by) if isinstance(facts, forfall.Reported) else (facts.member, facts.vara)
        if (asked := facts.asked) is not None:
            told.append(("ask", asked, lambda: view.vara_request(meeting, body, asked, member)))
    told += [("secretariat", user, lambda: view.to_secretariat(facts)) for user in facts.secretariat if user != by]
    return told


# The DMs right after a step and the ticker's second try must not both send: one at a time in the process.
_SENDING = threading.Lock()


def send_messages(ctx: Context, client: WebClient, facts: Told, tell_them: Callable[[Message], None]) -> None:
    """Every DM a step calls for, each once; one that Slack refuses does not stop the others, and the ticker
    sends it again (bot.core.planner.plan_forfall) until the meeting is over."""
    services = ctx.installation.body(facts.absences.body_id)
    if services is None:
        return
    meeting = facts.absences.meeting.number
    step = attendance_post_key(services.body.id, meeting, facts.event)
    failed = False
    with _SENDING:
        for what, user, render in _messages(facts):
            with read_by(ctx, user, services.body.language):
                message = render()
            try:
                direct_once(services, client, f"{step}:{what}:{user}", user, message)
            except (SlackApiError, OSError, HTTPException) as error:  # a deactivated account, Slack away: go on
                log.warning("Møte %s: melding til %s kom ikke fram (%s)", meeting, user, error)
                failed = True
        if not failed:
            services.store.posts.mark_sent(step, services.clock.now())
    if failed:
        tell_them(view.not_delivered())
    ctx.meeting_changed(services, meeting)


def _send_again(ctx: Context) -> Callable[[Services, Due], None]:
    """The ticker's job for a step whose DMs did not all get through."""

    def job(services: Services, due: Due) -> None:
        number, _sep, end = str(due.subject).partition("#")
        meeting = Serial.parse(number)
        facts = forfall.told(services, meeting, int(end)) if meeting and end.isdigit() else None
        if facts is None or meeting is None:
            services.store.posts.mark_sent(due.key, services.clock.now())
            return
        if isinstance(facts, forfall.Reported | forfall.Answered) and facts.asked:
            seat = facts.user if isinstance(facts, forfall.Reported) else facts.member
            if services.store.attendance.of(meeting).asked().get(facts.asked) != seat:
                facts = replace(facts, asked=None)  # answered or released since: the question is not sent late
        send_messages(ctx, ctx.background.bulk_client, facts, lambda _message: None)

    return job


def register(app: App, ctx: Context) -> None:
    installation = ctx.installation
    ctx.due_jobs["forfall-messages"] = _send_again(ctx)

    def answer(facts: forfall.Facts) -> Message | Later:
        message = view.render(facts)
        if isinstance(facts, forfall.Absences) or (isinstance(facts, forfall.Reported) and not facts.changed):
            return message
        told = facts

        def work(client: WebClient, followup: Followup) -> None:
            send_messages(ctx, client, told, followup.tell)

        return Later(work, ack=message, lane="bulk")

    register_command(app, ctx, forfall.COMMAND, forfall.USAGE, forfall.parse, forfall.run, answer)

    @app.action(REPORT_ABSENCE_ACTION)
    def report_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """[Meld forfall] on a notice: forfall without a reason; the answer says how to give one."""
        ack()
        user_id, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
        carried, meeting = clicked_meeting(clicked_value(body))
        try:
            services = bodies.carried_or_here(installation, carried, Asker(user_id, channel), forfall.COMMAND)
            if meeting is None:
                raise UserError(forfall.no_meeting())
            reported = forfall.report(services, user_id, meeting, None, "")
        except UserError as error:
            refusal = problem(str(error))
            ctx.tell_later(respond, refusal)
            return
        ctx.tell_later(respond, view.render(reported))
        if reported.changed:
            ctx.background.submit(
                lambda: send_messages(ctx, ctx.background.bulk_client, reported, lambda m: tell(respond, m))
            )

    def answered(accept: bool) -> Callable[[Ack, dict[str, Any], Respond], None]:
        def listener(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
            """[Jeg kan møte] / [Jeg kan ikke] in the vara's DM: the answer replaces the question."""
            ack()
            user_id = body["user"]["id"]
            carried, meeting, seat = view.clicked_seat(clicked_value(body))
            try:
                services = bodies.carried_or_here(installation, carried, Asker(user_id, None), forfall.COMMAND)
                facts = forfall.answer_call(services, user_id, meeting, seat, accept=accept)
            except UserError as error:
                refusal = problem(str(error))
                ctx.tell_later(respond, refusal)
                return
            shown = view.vara_answered(facts)
            ctx.background.prompt(lambda: respond(**shown.as_kwargs(), replace_original=True))
            if facts.changed:
                ctx.background.submit(
                    lambda: send_messages(ctx, ctx.background.bulk_client, facts, lambda m: tell(respond, m))
                )

        return listener

    app.action(view.VARA_ACCEPT_ACTION)(answered(True))
    app.action(view.VARA_DECLINE_ACTION)(answered(False))
