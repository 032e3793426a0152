"""/frister: open deadlines at a glance, and one's own across bodies; the secretariat adds, postpones, changes
and finishes them. Each reminder goes to the people responsible in a direct message, and to the channel."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http.client import HTTPException

from slack_bolt import App
from slack_bolt.context.respond import Respond
from slack_sdk.errors import SlackApiError

from bot.core.errors import UserError
from bot.core.i18n import current_language
from bot.core.planner import Due
from bot.slack.blocks import Message
from bot.slack.views import frister as view
from bot.usecases import frister, schedule
from bot.usecases.grammar import Asker
from bot.usecases.services import Services
from handlers.context import Context, command_answer, read_by, register_answer
from handlers.scheduled import direct_once, post_once, transient

log = logging.getLogger(__name__)
COMMAND = frister.COMMAND


def _remind(ctx: Context) -> Callable[[Services, Due], None]:
    """The ticker's job for a deadline's ping: a DM to each person responsible (in their own målform), and the
    channel. Each is sent once, under a key of its own; a DM Slack refuses for now is tried again by the next
    tick, and the ping is recorded done when all got through (or were refused for good)."""

    def job(services: Services, due: Due) -> None:
        ping = schedule.deadline_ping(services, due)
        if ping is None:
            return
        client = ctx.background.bulk_client
        again, reached = False, 0
        for user in ping.people:
            with read_by(ctx, user, services.body.language):
                message = view.deadline_reminder(ping.deadline, ping.now, late_from=ping.late_from)
            try:
                direct_once(services, client, f"{due.key}:dm:{user}", user, message)
                reached += 1
            except (SlackApiError, OSError, HTTPException) as error:  # a deactivated account must not stop the rest
                log.warning("Fristpåminnelse til %s kom ikke fram (%s)", user, error)
                again = again or transient(error)
        channel, posted = services.rules.channel, f"{due.key}:channel"
        to_channel = ping.in_channel or not (reached or again)  # no one reached in a DM: the channel has it
        if to_channel and channel and not services.store.posts.was_sent(posted):
            with services.in_body_language():
                message = view.deadline_reminder(ping.deadline, ping.now, late_from=ping.late_from)
            post_once(services, client, posted, channel, message)
        if again:  # the ticker tries again: what got through is not sent twice (each has its own key)
            raise RuntimeError(f"{due.key}: a direct message is to be tried again")
        services.store.posts.mark_sent(due.key, services.clock.now())

    return job


def register(app: App, ctx: Context) -> None:
    ctx.due_jobs["deadline-ping"] = _remind(ctx)

    def render(facts: frister.Facts) -> Message:
        if not isinstance(facts, frister.Listing):
            return view.render(facts)
        minute = facts.now.replace(second=0, microsecond=0)  # a deadline passes at its minute
        key = ("frister", facts.version, facts.body, minute, facts.everything, current_language())
        return ctx.rendered.rendered(key, lambda: view.render(facts))  # the list as rendered, until it changes

    in_a_body = command_answer(ctx, COMMAND, frister.USAGE, frister.parse, frister.run, render)

    def answer(asker: Asker, text: str, trigger_id: str | None, respond: Respond) -> Message | None:
        """`/frister mine` is about every body the member is in; the rest about one."""
        words = text.split()
        if len(words) == 1 and isinstance(_parsed(words[0]), frister.Mine):
            return view.render(frister.mine(ctx.installation, asker))
        return in_a_body(asker, text, trigger_id, respond)

    register_answer(app, ctx, COMMAND, answer)


def _parsed(word: str) -> frister.Command | None:
    try:
        return frister.parse(word)  # it reads the word in either målform (grammar.keyword)
    except UserError:
        return None
