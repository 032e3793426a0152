"""Many workspaces in one process: whose request (or tick) this is, and each workspace's part of the bot.

With one workspace (SLACK_BOT_TOKEN) there is one part, always the current one, and nothing here changes what
the listeners do. With many (Slack's OAuth flow), a Bolt middleware right after authorize says whose request
it is (`serving`); the ticker and the Home refresh say it for their own work. `Context.installation`, its vote
messages, the Slack clients, the render cache and what Slack said of people then resolve to that workspace's,
made on first use (`Workspaces`). The current workspace is a ContextVar, so the background lanes carry it into
their threads (handlers.context.Background copies the context). Nothing falls back: with no workspace set,
any of it raises NoWorkspace, so no code path can read or post as another team.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from slack_bolt import BoltContext, BoltResponse
from slack_sdk import WebClient

from bot.core.clock import Clock
from bot.core.rules import GroupRules
from bot.usecases.services import Installation, Wakeup
from handlers.context import Background, RenderCache, SlackPeople
from handlers.vote_messages import VoteMessages
from storage.protocol import StoreP

PROMPT_TIMEOUT = 3  # seconds: a trigger_id lives 3 s, so a modal Slack has not opened by then will not open
SINGLE = ""  # the one workspace's key, where there is one

_serving: ContextVar[str | None] = ContextVar("workspace", default=None)


class NoWorkspace(RuntimeError):
    """A workspace's records or clients were asked for where no workspace is being served: a bug, refused
    rather than answered with some other workspace's."""


def serving_now() -> str | None:
    """The key of the workspace being served here, if one is."""
    return _serving.get()


@contextmanager
def serving(team: str) -> Iterator[None]:
    """Inside this, everything that resolves per workspace is `team`'s (the ContextVar is reset after, so a
    server thread's next request starts with none)."""
    token = _serving.set(team)
    try:
        yield
    finally:
        _serving.reset(token)


def team_key(enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None) -> str | None:
    """Whose records a request or an installation is about: an org-wide install's enterprise, else the team."""
    return enterprise_id if is_enterprise_install else team_id


def workspace_middleware(workspaces: Workspaces) -> Callable[..., BoltResponse]:
    """Right after authorize (the app's first `use`): the rest of this request is its workspace's, with the bot
    token authorize found for it. Set, not scoped: Bolt runs the listener after the middleware has returned, in
    the same thread; bot.slack.input.dispatch_http runs each request in a context of its own, so it ends there.
    A request that names no workspace gets none, and whatever needs one refuses (NoWorkspace)."""

    def middleware(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        team = team_key(context.enterprise_id, context.team_id, context.is_enterprise_install)
        _serving.set(team)
        if team is not None and context.bot_token:
            workspaces.get(team).use_token(context.bot_token)
        return next()

    return middleware


def _unbound() -> Installation:
    raise NoWorkspace("ingen arbeidsområde er knyttet til Møtebot ennå")


class EachWorkspace(Installation):
    """The installation of whichever workspace is being served: what the listeners hold as `ctx.installation`
    where there are many. The clock and the wakeup are the process's; the store and the defaults (above all
    the administrators) are the current workspace's, looked up on each use."""

    def __init__(self, installation_of: Callable[[str], Installation], clock: Clock, wakeup: Wakeup) -> None:
        # The dataclass is frozen: its fields are set as its own __init__ would.
        object.__setattr__(self, "installation_of", installation_of)  # one workspace's, made once (Workspaces)
        object.__setattr__(self, "clock", clock)
        object.__setattr__(self, "wakeup", wakeup)
        object.__setattr__(self, "_current", _unbound)

    installation_of: Callable[[str], Installation]
    _current: Callable[[], Installation]

    def bind(self, current: Callable[[], Installation]) -> None:
        object.__setattr__(self, "_current", current)

    @property
    def store(self) -> StoreP:
        return self._current().store

    @property
    def defaults(self) -> GroupRules:
        return self._current().defaults

    def __repr__(self) -> str:
        return "EachWorkspace()"

    def __eq__(self, other: object) -> bool:
        return other is self

    def __hash__(self) -> int:
        return id(self)


@dataclass
class Workspace:
    """One workspace's part of the bot: its installation (its records), its Slack clients with its bot token,
    its vote messages, its rendered answers and what Slack said of its people."""

    team: str
    installation: Installation
    client: WebClient  # the bulk lane's, with the app's retries
    prompt_client: WebClient  # for what a member waits to see; gives up within a trigger's 3 s
    vote_messages: VoteMessages
    rendered: RenderCache
    people: SlackPeople

    def use_token(self, token: str | None) -> None:
        """Slack's latest token for the workspace (a reinstall gives a new one), or None once it is gone."""
        for client in (self.client, self.prompt_client):
            if client.token != token:
                client.token = token


class Workspaces:
    """Each workspace's part, made on first use: one for a single workspace (`installation` an Installation),
    one per team for many (`installation` an EachWorkspace, which is then bound to `current`)."""

    def __init__(self, installation: Installation, template: WebClient, background: Background) -> None:
        self._template = template
        self._background = background
        self._lock = threading.Lock()
        self._made: dict[str, Workspace] = {}
        self.own_language: Callable[[str], str | None] = lambda _user: None  # set by handlers.register_all
        self.many = isinstance(installation, EachWorkspace)
        if isinstance(installation, EachWorkspace):
            self._installation_of = installation.installation_of
            installation.bind(lambda: self.current().installation)
        else:
            prompt = WebClient(token=template.token, base_url=template.base_url, timeout=PROMPT_TIMEOUT)
            self._made[SINGLE] = self._workspace(SINGLE, installation, template, prompt)

    def _workspace(self, team: str, installation: Installation, client: WebClient, prompt: WebClient) -> Workspace:
        vote_messages = VoteMessages(installation, client, self._background)
        vote_messages.own_language = lambda user: self.own_language(user)
        return Workspace(team, installation, client, prompt, vote_messages, RenderCache(64), SlackPeople())

    def current(self) -> Workspace:
        """The workspace being served; the only one, where there is one."""
        if not self.many:
            return self._made[SINGLE]
        team = _serving.get()
        if team is None:
            raise NoWorkspace("ingen arbeidsområde er satt for denne forespørselen eller jobben")
        return self.get(team)

    def get(self, team: str) -> Workspace:
        if not self.many:
            return self._made[SINGLE]
        with self._lock:
            found = self._made.get(team)
        if found is not None:
            return found
        # Made outside the lock (it reads the workspace's record and opens its store): another workspace's
        # request does not wait for it. Two made at once for one team: the first kept, the other unused.
        template = self._template
        client = WebClient(
            token=None, base_url=template.base_url, timeout=template.timeout,
            retry_handlers=list(template.retry_handlers or []),
        )  # fmt: skip
        prompt = WebClient(token=None, base_url=template.base_url, timeout=PROMPT_TIMEOUT)
        made = self._workspace(team, self._installation_of(team), client, prompt)
        with self._lock:
            return self._made.setdefault(team, made)

    @contextmanager
    def serving(self, team: str, token: str | None = None) -> Iterator[Workspace]:
        """`serving(team)`, with Slack's current bot token for it (from the request, or the installation
        store for the ticker's work)."""
        with serving(team):
            workspace = self.current()
            if token is not None and self.many:
                workspace.use_token(token)
            yield workspace

    def forget(self, team: str) -> None:
        """The workspace is gone (uninstalled, its token revoked, or installed anew): its clients lose their
        token, so nothing still in flight reaches Slack as it, and the next request makes it afresh."""
        if not self.many:
            return
        with self._lock:
            gone = self._made.pop(team, None)
        if gone is not None:
            gone.use_token(None)
            gone.vote_messages.stop()

    def stop(self) -> None:
        """The bot is stopping: no vote message waits any longer for Slack."""
        with self._lock:
            made = list(self._made.values())
        for workspace in made:
            workspace.vote_messages.stop()
