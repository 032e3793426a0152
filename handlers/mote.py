"""/mote and the meeting's buttons: the session is stored, acknowledged, then the channel's messages follow."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.domain import Serial
from bot.core.errors import UserError
from bot.core.i18n import _
from bot.core.planner import SESSION_KINDS, Due, session_post_key
from bot.slack.blocks import Message
from bot.slack.views import mote as view
from bot.slack.views import problem
from bot.slack.views.common import clicked_case, clicked_meeting
from bot.slack.views.moteplan import START_MEETING_ACTION
from bot.usecases import avstemning, bodies, mote
from bot.usecases.grammar import Asker
from bot.usecases.services import Services
from handlers.avstemning import post_vote
from handlers.context import Background, Context, Followup, Later, clicked_value, register_command, tell
from handlers.scheduled import post_once, retry_after, transient

log = logging.getLogger(__name__)
COMMAND = mote.COMMAND
TRIES = 8  # an update of the roll Slack keeps refusing is given up after this many (the next change redraws it)


class RollMessages:
    """Keeps each meeting's "Møtet er satt" message true to what is stored: one update at a time per meeting,
    the latest state last, Slack's 429 and 5xx waited out."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._running: set[tuple[str, int, Serial]] = set()  # workspace, body, meeting
        self._dirty: set[tuple[str, int, Serial]] = set()

    def refresh_later(self, services: Services, meeting: Serial) -> None:
        key = (self._ctx.workspaces.current().team, services.body.id, meeting)
        with self._lock:
            if key in self._running:
                self._dirty.add(key)
                return
            self._running.add(key)
        self._ctx.background.submit(lambda: self._until_clean(services, meeting, key))

    def _until_clean(self, services: Services, meeting: Serial, key: tuple[str, int, Serial]) -> None:
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
        with services.in_body_language():
            message = view.roll_message(mote.roll(services, found), services.body.id)
        self._ctx.background.bulk_client.chat_update(
            channel=session.channel, ts=session.message_ts, **message.as_kwargs()
        )


class SessionPosts:
    """The roll, each case's message and the closing message, each posted once: by the command after its ack,
    or by the ticker (bot.core.planner's session-* kinds) when Slack was away or the bot died in between.
    Both look at what is stored, under one lock, before they post."""

    def __init__(self, background: Background) -> None:
        self._background = background  # its bulk client: the workspace's being served
        self._lock = threading.Lock()

    @property
    def _client(self) -> WebClient:
        return self._background.bulk_client

    def roll(self, services: Services, meeting: Serial) -> None:
        """The "Møtet er satt" message of a meeting in session, unless it has one. Slack away raises."""
        with self._lock, services.in_body_language():
            found, session = services.store.meetings.get(meeting), services.store.sessions.get(meeting)
            channel = services.rules.channel
            if found is None or session is None or not session.in_session or session.message_ts or not channel:
                return
            post_once(
                services, self._client, session_post_key(services.body.id, meeting, "roll"), channel,
                view.roll_message(mote.roll(services, found), services.body.id),
                done=lambda posted_in, ts: mote.roll_posted(services, meeting, posted_in, ts),
            )  # fmt: skip

    def case(self, services: Services, meeting: Serial, case: Serial) -> None:
        """A case's message (its thread), unless it has one: a case taken up again keeps its first."""
        with self._lock, services.in_body_language():
            found, session = services.store.meetings.get(meeting), services.store.sessions.get(meeting)
            channel = services.rules.channel
            taken = found.case(case) if found is not None else None
            if taken is None or found is None or session is None or case in session.threads or not channel:
                return
            post_once(
                services, self._client, session_post_key(services.body.id, meeting, f"case:{case}"), channel,
                view.case_message(mote.TakenUp(mote.roll(services, found), taken), services.body.id),
                done=lambda _channel, ts: mote.case_posted(services, meeting, case, ts),
            )  # fmt: skip

    def ended(self, services: Services, meeting: Serial, *, redraw: bool = False) -> None:
        """The closing message of a meeting ended, once; `redraw`: its roll too (the bot may have died before
        the roll showed the end; after the command, RollMessages does it)."""
        with self._lock, services.in_body_language():
            found, session = services.store.meetings.get(meeting), services.store.sessions.get(meeting)
            channel, key = services.rules.channel, session_post_key(services.body.id, meeting, "ended")
            if found is None or session is None or session.in_session or not channel:
                return
            if services.store.posts.was_sent(key):
                return
            roll = mote.roll(services, found)
            if redraw and session.channel and session.message_ts:
                message = view.roll_message(roll, services.body.id)
                try:
                    self._client.chat_update(channel=session.channel, ts=session.message_ts, **message.as_kwargs())
                except SlackApiError as error:
                    if transient(error):
                        raise
                    log.warning("Møte %s: oppropet kunne ikke oppdateres (%s)", meeting, error.response.get("error"))
            post_once(services, self._client, key, channel, view.ended_message(mote.Ended(roll, ())))

    def due(self, services: Services, due: Due) -> None:
        """The ticker's job: what a step stored did not get into the channel."""
        meeting = Serial.parse(str(due.subject)) or Serial(0, 0)
        if due.kind == "session-ended":
            self.ended(services, meeting, redraw=True)
            return
        self.roll(services, meeting)  # a case's message follows the roll
        session = services.store.sessions.get(meeting)
        if due.kind == "session-case" and session is not None and session.current is not None:
            self.case(services, meeting, session.current)


def register(app: App, ctx: Context) -> None:
    rolls = RollMessages(ctx)
    posts = SessionPosts(ctx.background)
    for kind in SESSION_KINDS:
        ctx.due_jobs[kind] = posts.due
    ctx.meeting_watchers.append(rolls.refresh_later)

    def after(services: Services, facts: mote.Started | mote.TakenUp | mote.Registered | mote.Ended,
              tell_them: Any = None) -> None:  # fmt: skip
        """What the channel sees of a step, after the ack."""
        meeting = facts.roll.meeting.number
        try:
            if isinstance(facts, mote.Started):
                posts.roll(services, meeting)
            elif isinstance(facts, mote.TakenUp) and not facts.again:
                posts.case(services, meeting, facts.case.number)
            elif isinstance(facts, mote.Ended):
                for vote in facts.closed:  # first: they need no closing message to show they are closed
                    ctx.vote_messages.refresh_later(vote.id)
                    ctx.vote_messages.result_later(vote.id)
                posts.ended(services, meeting)
        except Exception as error:
            if not transient(error):
                raise
            log.warning("Møte %s: Slack tok ikke imot meldingen (%s)", meeting, error)
            if tell_them:
                tell_them(problem(_("Slack did not answer. The message is posted in the channel as soon as Slack "
                                    "answers again; nothing was lost.")))  # fmt: skip
        rolls.refresh_later(services, meeting)
        session = facts.roll.session
        if isinstance(facts, mote.Ended) and session and session.ended_by:  # Slack away or not: it is ended
            ctx.meeting_ended(services, meeting, session.ended_by)

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
        value = clicked_value(body)
        carried, meeting = clicked_meeting(value)
        try:
            services = bodies.carried_or_here(installation, carried, Asker(user_id, channel), mote.COMMAND)
            facts = step(services, user_id, meeting, value)
        except UserError as error:
            refusal = problem(str(error))
            ctx.tell_later(respond, refusal)
            return
        if facts is None:
            return
        ctx.tell_later(respond, view.render(facts))
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
        value = clicked_value(body)
        carried, _meeting = clicked_meeting(value)
        try:
            services = bodies.carried_or_here(installation, carried, Asker(user_id, channel), mote.COMMAND)
            case = clicked_case(value)[1]
            if case is None:
                raise UserError(_("The button carries no case. Write `/avstemning 18/20`."))
            opened = avstemning.run(services, Asker(user_id, channel), avstemning.OpenVote(case))
        except UserError as error:
            refusal = problem(str(error))
            ctx.tell_later(respond, refusal)
            return
        assert isinstance(opened, avstemning.Opened)
        ctx.background.submit(lambda: post_vote(ctx, opened.vote.id, lambda message: tell(respond, message)))
