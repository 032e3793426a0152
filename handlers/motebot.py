"""/motebot: a body's settings; an administrator makes a channel a body, its managers change and move it.

It answers before any body is chosen (`opprett` makes one), so it registers its own answer rather than
register_command's; the steps are the same: parse, run, view. `opprett` and `flytt` need Slack to say
whether the bot is in the channel: that is asked after the ack, and the answer follows by response_url.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.errors import UserError
from bot.slack import views
from bot.slack.blocks import Message
from bot.slack.views import motebot as view
from bot.usecases import bodies, motebot
from bot.usecases.grammar import Asker, asks_for_help
from bot.usecases.services import Installation
from handlers.context import Context, Followup, Later, follow, help_for, register_answer

log = logging.getLogger(__name__)

COMMAND = motebot.COMMAND
# Slack describes a public channel to a bot outside it (is_member false), and does not find a private one.
_NOT_THERE = frozenset({"not_in_channel", "channel_not_found"})


def channel_facts(client: WebClient, channel: str) -> motebot.ChannelFacts:
    """What Slack says about `channel` (conversations.info; channels:read and groups:read)."""
    try:
        info = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as error:
        if error.response.get("error") in _NOT_THERE:
            return motebot.ChannelFacts(channel, member=False, private=True)
        raise
    return motebot.ChannelFacts(
        channel,
        member=bool(info.get("is_member")),
        private=bool(info.get("is_private")),
        direct=bool(info.get("is_im") or info.get("is_mpim")),
    )


def _checked(installation: Installation, question: motebot.CheckChannel) -> Callable[[WebClient, Followup], None]:
    """Ask Slack about the channel, then run the command again with what it said, and tell the member."""

    def work(client: WebClient, followup: Followup) -> None:
        try:
            channel = channel_facts(client, question.channel)
        except Exception as error:  # Slack refused (a missing scope) or did not answer: nothing is made
            code = str(error.response.get("error")) if isinstance(error, SlackApiError) else type(error).__name__
            log.warning("Slack svarte ikke på conversations.info for %s: %s", question.channel, code)
            followup.tell(view.channel_unknown(code))
            return
        try:
            facts = motebot.run(installation, followup.asker, question.command, channel)
        except UserError as error:
            followup.tell(views.problem(str(error)))
            return
        except Exception:
            followup.tell(view.not_done())
            raise
        assert not isinstance(facts, motebot.CheckChannel), "given the channel, it does not ask again"
        followup.tell(view.render(facts))

    return work


def register(app: App, ctx: Context) -> None:
    installation = ctx.installation

    def answer(asker: Asker, text: str, trigger_id: str | None, respond: Respond) -> Message | None:
        try:
            if asks_for_help(text):
                return help_for(ctx, asker, COMMAND, motebot.USAGE)
            facts = motebot.run(installation, asker, motebot.parse(text))
        except bodies.WhichBody as question:
            return views.which_body(question)
        except UserError as error:
            return views.problem(str(error))
        if isinstance(facts, motebot.CheckChannel):
            return follow(ctx, Later(_checked(installation, facts)), Followup(asker, trigger_id, respond))
        return view.render(facts)

    register_answer(app, ctx, COMMAND, answer)
