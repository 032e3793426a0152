"""What the bot posts on its own when the planner says it is due: vote reminders and closings."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

from bot import blocks, voting
from bot.formatting import clock_time, long_date
from bot.planner import Due
from handlers.context import Context

Runner = Callable[[Due], None]


def runner(ctx: Context, client: WebClient) -> Runner:
    services = ctx.services

    def run(due: Due) -> None:
        store = services.store
        if due.kind == "vote-close":
            voting.close(services, "motebot", int(due.subject), automatic=True)
            store.mark_sent(due.key, services.clock.now())
            ctx.vote_messages.refresh_later(int(due.subject))
        elif due.kind == "vote-reminder":
            vote = store.vote(int(due.subject))
            message = ctx.vote_messages.render(int(due.subject))
            if vote is not None and vote.is_open and message is not None:
                closes = f"{long_date(vote.closes_at.date())} kl. {clock_time(vote.closes_at.time())}"
                lead = blocks.section(
                    f":bell: *Påminnelse:* du har ikke stemt over sak {vote.case}. Avstemningen stenges {closes}."
                )
                for user in vote.not_voted():
                    # One record per person: a crash halfway repeats at most one reminder.
                    if store.was_sent(f"{due.key}:{user}"):
                        continue
                    client.chat_postMessage(channel=user, text=f"Påminnelse: stem over sak {vote.case}",
                                            blocks=[lead, *message.blocks])  # fmt: skip
                    store.mark_sent(f"{due.key}:{user}", services.clock.now())
            store.mark_sent(due.key, services.clock.now())

    return run
