"""/mote and the meeting's buttons: the session is stored, acknowledged, then the channel's messages follow."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.core.domain import Serial
from bot.core.errors import UserError
from bot.core.i18n import _
from bot.core.planner import session_post_key
from bot.slack.blocks import Message
from bot.slack.views import mote as view
from bot.slack.views import problem
from bot.slack.views.common import clicked_case, clicked_meeting
from bot.slack.views.moteplan import START_MEETING_ACTION
from bot.usecases import avstemning, bodies, mote
from bot.usecases.grammar import Asker
from bot.usecases.services import Services
from handlers.avstemning import post_vote
from handlers.context import Context, Followup, Later, register_command, tell
from handlers.scheduled import post_case, post_once, post_roll, retry_after, transient

log = logging.getLogger(__name__)
COMMAND = mote.COMMAND
TRIES = 8  # an update of the roll Slack keeps refusing is given up after this many (the next change redraws it)


class RollMessages:
    """Keeps each meeting's "Møtet er satt" message true to what is stored: one update at a time per meeting,
    the latest state last, Slack's 429 and 5xx waited out."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._running: set[tuple[int, Serial]] = set()
        self._dirty: set[tuple[int, Serial]] = set()

    def refresh_later(self, services: Services, meeting: Serial) -> None:
        key = (services.body.id, meeting)
        with self._lock:
            if key in self._running:
                self._dirty.add(key)
                return
            self._running.add(key)
        self._ctx.background.submit(lambda: self._until_clean(services, meeting, key))

    def _until_clean(self, services: Services, meeting: Serial, key: tuple[int, Serial]) -> None:
        try:
            for attempt in range(TRIES):
                try:
                    self._update(services, meeting)
                except Exception as error:
                    if not transient(error) or attempt == TRIES - 1:
                        raise
                    time.sleep(min(retry_after(error) or 2.0**attempt, 30.0))
                    continue
                with self._lock:
                    if key not in self._dirty:
                        return
                    self._dirty.discard(key)
        finally:
            with self._lock:
                self._running.discard(key)
                self._dirty.discard(key)

    def _update(self, services: Services, meeting: Serial) -> None:
        session = services.store.sessions.get(meeting)
        found = services.store.meetings.get(meeting)
        if session is None or found is None or not session.channel or not session.message_ts:
            return
        message = view.roll_message(mote.roll(services, found), services.body.id)
        self._ctx.background.bulk_client.chat_update(
            channel=session.channel, ts=session.message_ts, **message.as_kwargs()
        )


def register(app: App, ctx: Context) -> None:
    rolls = RollMessages(ctx)
    ctx.meeting_watchers.append(rolls.refresh_later)

    def after(services: Services, facts: mote.Started | mote.TakenUp | mote.Registered | mote.Ended,
              tell_them: Any = None) -> None:  # fmt: skip
        """What the channel sees of a step, after the ack."""
        meeting = facts.roll.meeting.number
        channel = services.rules.channel
        client = ctx.background.bulk_client
        try:
            if isinstance(facts, mote.Started):
                post_roll(services, client, meeting)
            elif isinstance(facts, mote.TakenUp) and not facts.again:
                post_case(services, client, meeting, facts.case.number)
            elif isinstance(facts, mote.Ended) and channel:
                post_once(services, client, session_post_key(services.body.id, meeting, "ended"), channel,
                          view.ended_message(facts))  # fmt: skip
                for vote in facts.closed:
                    ctx.vote_messages.refresh_later(vote.id)
                    ctx.vote_messages.result_later(vote.id)
        except Exception as error:
            if not transient(error):
                raise
            log.warning("Møte %s: Slack tok ikke imot meldingen (%s)", meeting, error)
            if tell_them:
                tell_them(problem(_("Slack did not answer. Try again in a moment; nothing was lost.")))
        rolls.refresh_later(services, meeting)

    def answer(facts: mote.Facts) -> Message | Later:
        message = view.render(facts)
        if isinstance(facts, mote.Roll):
            return message
        services = ctx.installation.body(facts.roll.body_id)
        assert services is not None

        def work(_client: WebClient, followup: Followup) -> None:
            after(services, facts, followup.tell)

        return Later(work, ack=message, lane="bulk")

    register_command(app, ctx, mote.COMMAND, mote.USAGE, mote.parse, mote.run, answer)

    def clicked(body: dict[str, Any], respond: Respond, step: Any) -> None:
        user_id, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
        value = str((body.get("actions") or [{}])[0].get("value", ""))
        carried, meeting = clicked_meeting(value)
        try:
            services = bodies.carried_or_here(installation, carried, Asker(user_id, channel), mote.COMMAND)
            facts = step(services, user_id, meeting, value)
        except UserError as error:
            refusal = problem(str(error))
            ctx.background.prompt(lambda: tell(respond, refusal))
            return
        if facts is None:
            return
        ctx.background.prompt(lambda: tell(respond, view.render(facts)))
        ctx.background.submit(lambda: after(services, facts))

    installation = ctx.installation

    def on(action_id: str, step: Any) -> None:
        @app.action(action_id)
        def listener(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
            ack()
            clicked(body, respond, step)

    on(START_MEETING_ACTION, lambda s, user, meeting, _v: mote.start(s, user, meeting))
    on(view.ATTEND_ACTION, lambda s, user, meeting, _v: mote.register(s, user, (), arrived=True, meeting=meeting))
    on(view.NEXT_CASE_ACTION, lambda s, user, _m, _v: mote.take_up(s, user, None))
    on(view.END_MEETING_ACTION, lambda s, user, _m, _v: mote.end(s, user))

    @app.action(view.OPEN_CASE_VOTE_ACTION)
    def open_case_vote(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """[Start avstemning] on a case's message: the vote goes in that case's thread."""
        ack()
        user_id, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
        value = str((body.get("actions") or [{}])[0].get("value", ""))
        carried, _meeting = clicked_meeting(value)
        try:
            services = bodies.carried_or_here(installation, carried, Asker(user_id, channel), mote.COMMAND)
            case = clicked_case(value)[1]
            if case is None:
                raise UserError(_("The button carries no case. Write `/avstemning 18/20`."))
            opened = avstemning.run(services, Asker(user_id, channel), avstemning.OpenVote(case))
        except UserError as error:
            refusal = problem(str(error))
            ctx.background.prompt(lambda: tell(respond, refusal))
            return
        assert isinstance(opened, avstemning.Opened)
        ctx.background.submit(lambda: post_vote(ctx, opened.vote.id, lambda message: tell(respond, message)))
