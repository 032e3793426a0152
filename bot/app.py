"""Assembling the Bolt app: one client, one error handler, every listener."""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

import handlers
from bot import request_guard
from bot.services import Services
from bot.ticker import Ticker
from handlers.context import Context

log = logging.getLogger(__name__)

SORRY = "Beklager, noe gikk galt hos Møtebot. Ingenting ble endret. Prøv igjen, eller si fra til sekretariatet."


def _on_error(error: Exception, body: dict) -> BoltResponse:
    """Log the trace for the operator; the member gets a plain Norwegian sentence, never a stack trace."""
    log.exception("Feil i lytter for %s", body.get("command") or body.get("type"), exc_info=error)
    return BoltResponse(
        status=200,
        body=json.dumps({"response_type": "ephemeral", "text": SORRY}),
        headers={"content-type": "application/json;charset=utf-8"},
    )


class _QuietClientWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN from the environment is unused when a client is given:
    we give the client (it carries SLACK_API_URL), and it holds that very token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_bolt_log = logging.getLogger("motebot.slack_bolt")
_bolt_log.addFilter(_QuietClientWarning())


@dataclass
class Motebot:
    """The assembled bot: the Bolt app, what its listeners share, and the scheduler's ticker."""

    app: App
    context: Context
    ticker: Ticker

    def start_scheduler(self) -> None:
        self.ticker.start()

    def stop(self) -> None:
        """Stop waking, then let what was acknowledged finish reaching Slack."""
        self.ticker.stop()
        for stop in self.context.stoppers:
            stop()
        self.context.background.wait_idle()
        self.context.background.shutdown()


def build_bot(services: Services, *, socket_mode: bool = False) -> Motebot:
    """The same app serves HTTP, Socket Mode and the console.

    `process_before_response=True`: the listener runs in the request's own thread and the ack leaves
    when it returns, instead of Bolt's default of polling for the ack every 10 ms from another thread.
    Socket Mode needs no signing secret (Slack's own connection carries the requests); HTTP does.
    """
    settings = services.settings
    settings.require("slack_bot_token", *(() if socket_mode else ("slack_signing_secret",)))
    assert settings.slack_bot_token is not None
    # Never an empty secret: HMAC with an empty key is a key anyone has.
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else secrets.token_hex(32)
    )
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        # Retries sleep in the calling thread: every Web API call is made after the ack.
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )
    app = App(
        client=client,
        signing_secret=secret,
        process_before_response=True,
        logger=_bolt_log,
    )
    app.error(_on_error)
    app.use(request_guard.RequestGuard())
    context, run = handlers.register_all(app, services)
    return Motebot(app=app, context=context, ticker=Ticker(services, run))
