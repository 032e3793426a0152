"""Many workspaces, each installed through Slack's OAuth flow (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET): Bolt's
flow with slack_sdk's SQLAlchemy installation and state stores in Møtebot's PostgreSQL, the workspace of each
request and of each tick, and what an uninstall does.

Imported only in that mode (bot.run.app): it needs the `postgresql` extra.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.error import BoltError
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation as SlackInstallation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.core.clock import Clock
from bot.run.settings import Settings
from bot.slack import install_pages
from bot.usecases.services import Installation, Wakeup
from handlers.workspaces import EachWorkspace, Workspaces, team_key
from storage import open_postgres
from storage.postgres.oauth import Workspaces as WorkspaceRecords
from storage.postgres.oauth import oauth_engine

log = logging.getLogger(__name__)

# manifest.json's oauth_config.scopes.bot: what Møtebot asks each workspace for (tests/test_oauth.py checks
# that the two agree; the manifest is not installed with the package).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:history",
    "files:read",
    "files:write",
    "channels:history",
    "groups:history",
    "channels:read",
    "groups:read",
    "im:write",
    "users:read",
)
STATE_EXPIRES = 600  # seconds an install link lasts, from /slack/install to Slack's redirect back


@dataclass
class ManyWorkspaces:
    """What build_bot needs to serve many workspaces."""

    installation: EachWorkspace  # ctx.installation: the current workspace's
    flow: Flow
    installation_store: SQLAlchemyInstallationStore
    records: WorkspaceRecords


def _accept_language(request: BoltRequest) -> str | None:
    found = request.headers.get("accept-language")
    return found[0] if found else None


class Flow(OAuthFlow):
    """Bolt's flow, with Møtebot's record of each workspace and its own install page (in the reader's målform)."""

    def __init__(self, *, client: WebClient, settings: OAuthSettings, records: WorkspaceRecords) -> None:
        super().__init__(client=client, settings=settings)
        self._records = records
        # told each workspace stored: its part of the bot is made afresh (its installer, its token)
        self.installed: Callable[[str], None] = lambda _team: None

    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return install_pages.install_page(url, _accept_language(request))

    def store_installation(self, request: BoltRequest, installation: SlackInstallation) -> None:
        """slack_sdk's installation, then Møtebot's row for the workspace; a failure of either is the flow's
        storage_error (its failure page)."""
        team = team_key(installation.enterprise_id, installation.team_id, installation.is_enterprise_install)
        if team is None:
            raise BoltError("installasjonen nevner verken team eller enterprise")
        try:
            super().store_installation(request, installation)
            self._records.installed(
                team, enterprise_id=installation.enterprise_id, team_id=installation.team_id,
                installed_by=installation.user_id,
            )  # fmt: skip
        except BoltError:
            raise
        except Exception as error:
            log.exception("Kunne ikke lagre installasjonen i arbeidsområdet %s", team)
            raise BoltError(str(error)) from error
        log.info("Møtebot ble installert i arbeidsområdet %s av %s", team, installation.user_id)
        self.installed(team)


def _success(args: SuccessArgs) -> BoltResponse:
    installation = args.installation
    page = install_pages.success_page(
        installation.team_name or installation.enterprise_name, installation.app_id,
        installation.team_id, _accept_language(args.request),
    )  # fmt: skip
    return _page(200, page, args.settings)


def _failure(args: FailureArgs) -> BoltResponse:
    log.warning("Installasjonen ble ikke fullført: %s", args.reason)
    page = install_pages.failure_page(args.reason, args.settings.install_path, _accept_language(args.request))
    return _page(args.suggested_status_code, page, args.settings)


def _page(status: int, page: str, settings: OAuthSettings) -> BoltResponse:
    headers: dict[str, str | Sequence[str]] = {
        "Content-Type": "text/html; charset=utf-8",
        "Set-Cookie": settings.state_utils.build_set_cookie_for_deletion(),  # the install link is used up
        "Cache-Control": "no-store",
    }
    return BoltResponse(status=status, body=page, headers=headers)


def many_workspaces(settings: Settings, clock: Clock, client: WebClient) -> ManyWorkspaces:
    """Slack's flow and the stores in MOTEBOT_DATABASE_URL (upgraded to the newest schema first); each
    workspace's installation made on first use, with its installer as its administrator."""
    url = settings.database_url
    assert url is not None and settings.slack_client_id is not None and settings.slack_client_secret is not None
    open_postgres(url, "").close()  # DatabaseUnavailable, in one line, if the server does not answer
    engine = oauth_engine(url)
    installation_store = SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=engine)
    records = WorkspaceRecords(url)
    oauth_settings = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        installation_store=installation_store,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRES, engine=engine),
        state_expiration_seconds=STATE_EXPIRES,
        callback_options=CallbackOptions(success=_success, failure=_failure),
    )
    wakeup = Wakeup()

    def installation_of(team: str) -> Installation:
        record = records.get(team)
        admins = settings.workspace_admins(team, record.installed_by if record else None)
        return settings.installation(open_postgres(url, team), clock, admins=admins, wakeup=wakeup)

    return ManyWorkspaces(
        installation=EachWorkspace(installation_of, clock, wakeup),
        flow=Flow(client=client, settings=oauth_settings, records=records),
        installation_store=installation_store,
        records=records,
    )


def each_installed(
    many: ManyWorkspaces, workspaces: Workspaces
) -> Callable[[], list[AbstractContextManager[Installation]]]:
    """For the ticker: every workspace installed now, each entered as itself with its bot token from the
    installation store. An uninstalled one is not among them, and neither is one whose bot Slack has revoked."""

    @contextmanager
    def entered(team: str, token: str) -> Iterator[Installation]:
        with workspaces.serving(team, token) as workspace:
            yield workspace.installation

    unreachable: set[str] = set()

    def each() -> list[AbstractContextManager[Installation]]:
        found: list[AbstractContextManager[Installation]] = []
        for record in many.records.active():
            bot = many.installation_store.find_bot(
                enterprise_id=record.enterprise_id, team_id=record.team_id,
                is_enterprise_install=record.is_enterprise_install,
            )  # fmt: skip
            if bot is None or not bot.bot_token:
                if record.team not in unreachable:  # said once, not at every tick
                    unreachable.add(record.team)
                    log.warning(
                        "Arbeidsområdet %s er installert, men har ingen bot-token; hopper over det", record.team
                    )
                continue
            unreachable.discard(record.team)
            found.append(entered(record.team, bot.bot_token))
        return found

    return each


def register_uninstall(app: App, many: ManyWorkspaces, workspaces: Workspaces) -> None:
    """`app_uninstalled` and `tokens_revoked` (of the bot): Bolt's own listeners remove the installation from
    the store, Møtebot records the time, and the workspace's clients lose their token at once. Its records
    stay until `motebot purge TEAM`; the ticker no longer visits it, so nothing more is posted there."""
    uninstalled = app.default_app_uninstalled_event_listener()
    revoked = app.default_tokens_revoked_event_listener()

    def gone(context: BoltContext, why: str) -> None:
        team = team_key(context.enterprise_id, context.team_id, context.is_enterprise_install)
        if team is None:
            return
        many.records.uninstalled(team)
        workspaces.forget(team)
        log.info("Møtebot %s i arbeidsområdet %s; dataene beholdes til «motebot purge %s»", why, team, team)

    @app.event("app_uninstalled")
    def app_uninstalled(event: dict[str, Any], context: BoltContext) -> None:
        uninstalled(context=context)
        gone(context, "ble avinstallert")

    @app.event("tokens_revoked")
    def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        revoked(event=event, context=context)
        if (event.get("tokens") or {}).get("bot"):
            gone(context, "mistet bot-tokenet sitt")
