"""Assembling the Bolt app: one client, one error handler, every listener."""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryState
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

import handlers
from bot.core.clock import Clock
from bot.core.i18n import N_, _, set_reader
from bot.run.settings import Settings
from bot.run.ticker import Ticker
from bot.slack import request_guard
from bot.slack.input import ReadBody
from bot.slack.views import VOTE_ACTIONS
from bot.usecases import moteplan
from bot.usecases.services import Installation
from handlers.context import Background, Context, own_language
from handlers.workspaces import workspace_middleware
from storage.protocol import LeadershipP, RecentRequestsP, StoreP

if TYPE_CHECKING:
    from bot.slack.server import FeedSource  # waitress is imported by `motebot serve` alone

log = logging.getLogger(__name__)

# What a member is told when something failed or is unknown; translated where sent, in the reader's language.
SORRY = N_("Sorry, something went wrong in Møtebot. Nothing was changed. Try again, or tell the secretariat.")
VOTE_NOT_STORED = N_(
    "Sorry, something went wrong in Møtebot: your vote was not stored. Try again, or tell the secretariat."
)
FORM_NOT_STORED = N_(
    "Sorry, something went wrong in Møtebot: the form was not stored. Try again, or tell the secretariat."
)
UNKNOWN_BUTTON = N_("Møtebot does not know that button (any more). Use the command again, for example `/dagsorden`.")
UNKNOWN_FORM = N_("Møtebot does not know this form (any more). Close it, and open it again with the command.")


def _in_the_form(body: dict[str, Any], text: str) -> BoltResponse:
    """A modal's answer is `errors` on one of its inputs (the modal stays open and says why), or, with no
    input to put it on, an empty ack; never chat text, which Slack rejects as an invalid answer."""
    blocks = (body.get("view") or {}).get("blocks") or []
    field = next((b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("type") == "input"), None)
    if not isinstance(field, str):
        return BoltResponse(status=200, body="")
    return BoltResponse(
        status=200,
        body=json.dumps({"response_action": "errors", "errors": {field: text}}),
        headers={"content-type": "application/json;charset=utf-8"},
    )


def _tell_later(background: Background, respond: Respond | None, text: str) -> BoltResponse:
    """A click's ack body is shown to no one: say it ephemerally through response_url, after the ack."""
    if respond is not None:
        background.prompt(lambda: respond(text=text, response_type="ephemeral", replace_original=False))
    return BoltResponse(status=200, body="")


def _reader_language(ctx: Context) -> Callable[..., BoltResponse]:
    """Each request is answered in its reader's own målform (chosen, or Slack's guess), else the body's once
    it is known (bodies.readable). Slack is asked about a person not seen before after the answer, in the
    background, so their next answer can use its guess."""

    def middleware(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        user = context.user_id
        set_reader(own_language(ctx, user) if user else None)
        if user and not ctx.people.knows(user) and ctx.installation.store.preferences.language(user) is None:
            ctx.background.submit(lambda: ctx.people.learn(ctx.background.bulk_client, user))
        return next()

    return middleware


def _error_handler(background: Background) -> Callable[..., BoltResponse]:
    def on_error(error: Exception, body: dict[str, Any], respond: Respond | None) -> BoltResponse:
        """Log the trace for the operator; the member gets a plain sentence in their language where Slack
        shows it to them, never a stack trace."""
        log.exception("Feil i lytter for %s", body.get("command") or body.get("type"), exc_info=error)
        if body.get("type") == "view_submission":
            return _in_the_form(body, _(FORM_NOT_STORED))
        if body.get("type") == "block_actions":
            clicked = {action.get("action_id") for action in body.get("actions") or []}
            sorry = VOTE_NOT_STORED if clicked & set(VOTE_ACTIONS.values()) else SORRY
            return _tell_later(background, respond, _(sorry))
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": _(SORRY)}),
            headers={"content-type": "application/json;charset=utf-8"},
        )

    return on_error


def _answer_the_unknown(app: App, background: Background) -> None:
    """Registered last, so they answer only what no listener knows: a button or a form from an older version."""
    anything = re.compile(".*")

    @app.action(anything)
    def unknown_button(respond: Respond) -> BoltResponse:
        return _tell_later(background, respond, _(UNKNOWN_BUTTON))

    @app.view(anything)
    def unknown_form(body: dict[str, Any]) -> BoltResponse:
        return _in_the_form(body, _(UNKNOWN_FORM))


class _QuietClientWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN from the environment is unused when a client is given:
    we give the client (it carries SLACK_API_URL), and it holds that very token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_bolt_log = logging.getLogger("motebot.slack_bolt")
_bolt_log.addFilter(_QuietClientWarning())


class NoBlindRepost(ConnectionErrorRetryHandler):
    """A dropped connection may come after Slack posted the message: re-sending it blindly posts it twice.

    chat.postMessage is not retried here; the posts that must not repeat look for their metadata in the
    channel before they post again (handlers.scheduled.post_once). Every other call is safe to repeat.
    """

    def _can_retry(
        self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:  # fmt: skip
        if request.url.rstrip("/").endswith("/chat.postMessage"):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


@dataclass
class Motebot:
    """The assembled bot: the Bolt app, what its listeners share, the scheduler's ticker, and the bodies'
    calendar feeds for the HTTP server (`motebot serve`)."""

    app: App
    context: Context
    ticker: Ticker
    feed: FeedSource
    leadership: LeadershipP | None = None
    # where the scheduler is elected and re-plans are announced: the installation's store, or with many
    # workspaces the database's, for all of them (storage.postgres.leader: team "")
    store: StoreP | None = None

    def start_scheduler(self) -> None:
        """The ticker runs while this process leads: always on TinyDB (one process per file); on
        PostgreSQL while it holds the scheduler's lock, of all the processes on the database."""
        ticker = self.ticker
        store = self.store or self.context.installation.store
        self.leadership = store.leadership(elected=ticker.start, deposed=ticker.stop, replan=ticker.poke)
        self.leadership.start()

    def stop(self) -> None:
        """Stop waking, then let what was acknowledged finish reaching Slack."""
        if self.leadership is not None:
            self.leadership.stop()
        self.ticker.stop()
        for stop in self.context.stoppers:
            stop()
        self.context.background.wait_idle()
        self.context.background.shutdown()


def _client(settings: Settings, token: str | None) -> WebClient:
    """The app's client: Slack's address and the retries; with many workspaces no token (Bolt gives each
    request its workspace's, and handlers.workspaces each workspace's own clients)."""
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        # Retries sleep in the calling thread: every Web API call is made after the ack.
        retry_handlers=[
            NoBlindRepost(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def _signing_secret(settings: Settings) -> str:
    # Never an empty secret: HMAC with an empty key is a key anyone has.
    return settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else secrets.token_hex(32)


def build_bot(settings: Settings, installation: Installation, *, socket_mode: bool = False) -> Motebot:
    """The same app serves HTTP, Socket Mode and the console.

    `process_before_response=True`: the listener runs in the request's own thread and the ack leaves
    when it returns, instead of Bolt's default of polling for the ack every 10 ms from another thread.
    Socket Mode needs no signing secret (Slack's own connection carries the requests); HTTP does.
    """
    settings.require("slack_bot_token", *(() if socket_mode else ("slack_signing_secret",)))
    assert settings.slack_bot_token is not None
    app = App(
        name="motebot",  # without one, Bolt reads the whole call stack (inspect.stack) to name the app
        client=_client(settings, settings.slack_bot_token.get_secret_value()),
        signing_secret=_signing_secret(settings),
        process_before_response=True,
        logger=_bolt_log,
        before_authorize=ReadBody(),  # right after the signature check
    )
    recent = installation.store.recent_requests()
    context, run = handlers.register_all(app, installation)
    _single_workspace_uninstall(app)
    _use_common(app, context, recent)
    installation.wakeup.listen(installation.store.announce_replan, plans_only=True)  # to the leader, wherever
    return Motebot(
        app=app,
        context=context,
        ticker=Ticker(installation, run),
        feed=lambda token: moteplan.feed(installation, token),
    )


NO_LONGER_INSTALLED = N_(
    "Møtebot is no longer installed in this workspace. Ask an administrator of the workspace to install it again."
)


def build_many(settings: Settings, clock: Clock) -> Motebot:
    """`motebot serve` for many workspaces (SLACK_CLIENT_ID): Bolt's OAuth flow at /slack/install and
    /slack/oauth_redirect (bot.slack.server), each request its workspace's (handlers.workspaces), the ticker
    through every installed workspace, and the uninstall events. As build_bot otherwise."""
    from bot.run.oauth import each_installed, many_workspaces, register_uninstall
    from storage import open_postgres

    settings.require("slack_client_id", "slack_client_secret", "slack_signing_secret", "motebot_database_url")
    assert settings.database_url is not None
    client = _client(settings, None)
    many = many_workspaces(settings, clock, client)
    app = App(
        name="motebot",
        client=client,
        signing_secret=_signing_secret(settings),
        process_before_response=True,
        logger=_bolt_log,
        before_authorize=ReadBody(),
        oauth_flow=many.flow,
        user_facing_authorize_error_message=_(NO_LONGER_INSTALLED),  # in bokmål: no workspace, no målform
    )
    every = open_postgres(settings.database_url, "")  # no workspace's: the requests seen, the scheduler's election
    recent = every.recent_requests()
    context, run = handlers.register_all(app, many.installation)
    workspaces = context.workspaces
    many.flow.installed = workspaces.forget
    register_uninstall(app, many, workspaces)
    app.use(workspace_middleware(workspaces))  # first, right after authorize: everything below is that workspace's
    _use_common(app, context, recent)
    many.installation.wakeup.listen(every.announce_replan, plans_only=True)  # to the leader, wherever

    def feed(token: str) -> moteplan.Feed | None:
        """A calendar's request names no workspace: the token tells which installed one has the body."""
        team = many.records.with_calendar_token(token)
        if team is None:
            return None
        with workspaces.serving(team):
            return moteplan.feed(many.installation, token)

    ticker = Ticker(many.installation, run, each_installed(many, workspaces))
    return Motebot(app=app, context=context, ticker=ticker, feed=feed, store=every)


def _use_common(app: App, context: Context, recent: RecentRequestsP) -> None:
    app.use(_reader_language(context))  # first: even a refusal below is in the reader's målform
    app.use(request_guard.RequestGuard(recent))
    context.stoppers.append(recent.close)
    app.error(_error_handler(context.background))
    _answer_the_unknown(app, context.background)


def _single_workspace_uninstall(app: App) -> None:
    """With one workspace, an uninstall is said in the log: the token is dead, and the operator stops the bot."""

    @app.event("app_uninstalled")
    def app_uninstalled() -> None:
        log.warning("Møtebot ble avinstallert fra arbeidsområdet; SLACK_BOT_TOKEN virker ikke lenger.")

    @app.event("tokens_revoked")
    def tokens_revoked(event: dict[str, Any]) -> None:
        if (event.get("tokens") or {}).get("bot"):
            log.warning("Slack trakk tilbake bot-tokenet; SLACK_BOT_TOKEN virker ikke lenger.")
