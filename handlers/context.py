"""What the listeners share: the core's services, and a place for Slack calls that follow the ack."""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass, field
from http.client import HTTPException
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from slack_bolt import App, BoltResponse
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.domain import Serial
from bot.core.errors import UserError
from bot.core.i18n import LANGUAGES, language
from bot.core.planner import Due
from bot.slack import views
from bot.slack.blocks import Message
from bot.usecases import bodies
from bot.usecases.grammar import Asker, UnknownWord, asks_for_help
from bot.usecases.services import Installation, Services

if TYPE_CHECKING:
    from handlers.vote_messages import VoteMessages
    from handlers.workspaces import Workspaces

log = logging.getLogger(__name__)

Parsed = TypeVar("Parsed")
Facts = TypeVar("Facts")


class Background:
    """Slack calls made after the ack (retries sleep; the member must not wait for them), in three lanes.

    The prompt lane is for what a member is waiting to see (a modal, their own Home); its client gives up
    before a trigger_id's 3 s are over. Notice files are read in a lane of their own (a 200-page PDF may take
    its whole time limit), so no vote refresh or scheduled post waits behind one. Everything else goes in
    the bulk lane, so a Slack that hangs on one method cannot make a modal wait behind it.
    Tracks what is in flight in both, so the console and the tests can wait until all has been sent.
    """

    def __init__(
        self,
        prompt_client: WebClient | None = None,
        bulk_client: WebClient | None = None,
        workers: int = 4,
        prompt_workers: int = 4,
        document_workers: int = 2,
        *,
        clients: Callable[[], tuple[WebClient, WebClient]] | None = None,
    ) -> None:
        """The two clients, or `clients`: the current workspace's (handlers.workspaces), looked up on each use."""
        if clients is None:
            assert prompt_client is not None and bulk_client is not None
            fixed = (prompt_client, bulk_client)

            def clients() -> tuple[WebClient, WebClient]:
                return fixed

        self._clients = clients
        self._bulk = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="motebot-bg")
        self._prompt = ThreadPoolExecutor(max_workers=prompt_workers, thread_name_prefix="motebot-prompt")
        self._documents = ThreadPoolExecutor(max_workers=document_workers, thread_name_prefix="motebot-doc")
        self._pending = 0
        self._idle = threading.Condition()

    @property
    def prompt_client(self) -> WebClient:
        return self._clients()[0]

    @property
    def bulk_client(self) -> WebClient:
        """The app's (the workspace's), with its retries."""
        return self._clients()[1]

    def submit(self, work: Callable[[], object]) -> Future[object]:
        """Bulk work: no one is watching the clock for it."""
        return self._submit(self._bulk, work)

    def prompt(self, work: Callable[[], object]) -> Future[object]:
        """Work a member is waiting for: `prompt_client`, or `respond()` (a response_url), never bulk work."""
        return self._submit(self._prompt, work)

    def documents(self, work: Callable[[], object]) -> Future[object]:
        """Fetching and reading notice files, then answering about them."""
        return self._submit(self._documents, work)

    def _submit(self, lane: ThreadPoolExecutor, work: Callable[[], object]) -> Future[object]:
        with self._idle:
            self._pending += 1
        # The work runs in the request's context: above all its reader's målform (bot.core.i18n).
        return lane.submit(contextvars.copy_context().run, self._run, work)

    def _run(self, work: Callable[[], object]) -> object:
        try:
            return work()
        except Exception:
            log.exception("Bakgrunnsarbeid mot Slack feilet")
            return None
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def shutdown(self) -> None:
        self._prompt.shutdown(wait=True)
        self._documents.shutdown(wait=True)
        self._bulk.shutdown(wait=True)


class RenderCache(OrderedDict[tuple[object, ...], Message]):
    """The one cache of rendered answers, a small LRU. Keys carry `store.version`, read before what is
    rendered is read, so nothing goes stale."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self._size = size
        self._lock = threading.Lock()

    def __setitem__(self, key: tuple[object, ...], value: Message) -> None:
        with self._lock:
            super().__setitem__(key, value)
            while len(self) > self._size:
                self.popitem(last=False)

    def rendered(self, key: tuple[object, ...], render: Callable[[], Message]) -> Message:
        """What `render()` gave for `key`, rendering it only the first time."""
        with self._lock:
            if key in self:
                return self[key]
        self[key] = message = render()
        return message


Answer = Callable[[Asker, str, str | None, Respond], Message | None]  # who, the text, trigger_id, reply path


ASK_AGAIN_AFTER = 600.0  # seconds before Slack is asked again about a person it could not answer about


class SlackPeople:
    """What Slack says of a person (users.info), asked once per person for the app's life: the name the minutes
    print, and their Slack language as the first guess of their målform. A person Slack does not know keeps
    their ID; one it cannot be asked about now is asked again next time."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._known: dict[str, tuple[str, str]] = {}  # (real name, locale), "" where Slack had none
        self._failed: dict[str, float] = {}  # when Slack last could not be asked about them
        self._asking: set[str] = set()
        self._lock = threading.Lock()
        self._clock = clock

    def names_of(self, client: WebClient, users: frozenset[str]) -> dict[str, str]:
        for user in sorted(users - self._known.keys()):
            self.learn(client, user)
        return {user: self._known[user][0] for user in users if self._known.get(user, ("",))[0]}

    def learn(self, client: WebClient, user: str) -> None:
        """Ask Slack once at a time per person; one it could not answer about is not asked again for a while."""
        with self._lock:
            if user in self._asking:
                return
            self._asking.add(user)
        try:
            profile = client.users_info(user=user, include_locale=True)["user"]
        except SlackApiError as error:
            if error.response.get("error") != "user_not_found":
                self._failed_now(user)  # rate limits, a missing scope: asked again later
                return
            found = ("", "")
        except (OSError, HTTPException):
            self._failed_now(user)
            return
        else:
            name = (profile.get("profile") or {}).get("real_name") or profile.get("real_name") or ""
            found = (str(name), str(profile.get("locale") or ""))
        finally:
            with self._lock:
                self._asking.discard(user)
        with self._lock:
            self._known[user] = found
            self._failed.pop(user, None)

    def _failed_now(self, user: str) -> None:
        with self._lock:
            self._failed[user] = self._clock()

    def knows(self, user: str) -> bool:
        """Known, or asked about too recently to ask again."""
        with self._lock:
            failed = self._failed.get(user)
            return user in self._known or (failed is not None and self._clock() - failed < ASK_AGAIN_AFTER)

    def language_of(self, user: str) -> str | None:
        """Nynorsk ("nn") or bokmål ("nb") where Slack is set to one, else None (plain «no» says neither).
        Slack's own languages have no Norwegian yet, so this mostly says nothing."""
        locale = self._known.get(user, ("", ""))[1].lower()
        if locale.startswith("nn"):
            return "nn"
        return "nb" if locale.startswith("nb") else None


@dataclass(frozen=True)
class Context:
    """What the listeners share. `installation` and what hangs on it (the vote messages, the clients in
    `background`, the rendered answers, what Slack said of people) are the current workspace's (handlers.workspaces)."""

    installation: Installation
    background: Background
    workspaces: Workspaces
    stoppers: list[Callable[[], None]] = field(default_factory=list)  # run when the bot stops
    # told when a meeting's attendance or session changed, so what shows it is redrawn (handlers.mote's roll)
    meeting_watchers: list[Callable[[Services, Serial], None]] = field(default_factory=list)
    # told when a meeting is ended, with who ended it (handlers.protokoll drafts the minutes)
    end_watchers: list[Callable[[Services, Serial, str], None]] = field(default_factory=list)
    # what a handler module does when a post it planned falls due (bot.core.planner's kind -> job)
    due_jobs: dict[str, Callable[[Services, Due], None]] = field(default_factory=dict)
    commands: dict[str, Answer] = field(default_factory=dict)  # each command's answer, for "which body?" clicks

    @property
    def vote_messages(self) -> VoteMessages:
        return self.workspaces.current().vote_messages

    @property
    def people(self) -> SlackPeople:
        """As Slack has them: names, languages."""
        return self.workspaces.current().people

    @property
    def rendered(self) -> RenderCache:
        """Answers, keyed by what they show."""
        return self.workspaces.current().rendered

    def tell_later(self, respond: Respond, message: Message) -> None:
        """An answer only the member sees, after the ack, in the lane for what a member is waiting for."""
        self.background.prompt(lambda: tell(respond, message))

    def meeting_changed(self, services: Services, meeting: Serial) -> None:
        for watcher in self.meeting_watchers:
            watcher(services, meeting)

    def meeting_ended(self, services: Services, meeting: Serial, by: str) -> None:
        for watcher in self.end_watchers:
            watcher(services, meeting, by)


def own_language(ctx: Context, user: str) -> str | None:
    """The målform `user` reads: the one they chose with `/motebot målform`, else Slack's guess; None when
    neither says, or when they chose the body's (`standard`), and then the body's is used."""
    chosen = ctx.installation.store.preferences.language(user)
    if chosen is not None:
        return chosen if chosen in LANGUAGES else None
    return ctx.people.language_of(user)


def read_by(ctx: Context, user: str, fallback: str) -> AbstractContextManager[None]:
    """Render inside this what only `user` reads (a DM, their Home): in their own målform, else `fallback`."""
    return language(own_language(ctx, user) or fallback)


def answer_in_place(ctx: Context, respond: Respond, act: Callable[[], Message]) -> None:
    """A question answered by a click ([Ja …] / [Nei]): after the ack, what `act` did, or why it would not,
    takes the question's place."""

    def work() -> None:
        try:
            message = act()
        except UserError as error:
            message = views.problem(str(error))
        respond(**message.as_kwargs(), replace_original=True)

    ctx.background.prompt(work)


def clicked_value(body: dict[str, Any]) -> str:
    """The value of the button (or option) a block action carries; "" when it carries none."""
    return str((body.get("actions") or [{}])[0].get("value", ""))


def tell(respond: Respond, message: Message) -> None:
    """Say it to the one who asked or clicked, ephemerally, without replacing what they saw."""
    respond(**message.as_kwargs(), response_type="ephemeral", replace_original=False)


@dataclass(frozen=True)
class Followup:
    """What work after the ack needs of the command: who and where, the trigger for a modal, the reply path."""

    asker: Asker
    trigger_id: str | None
    respond: Respond

    def tell(self, message: Message) -> None:
        tell(self.respond, message)


@dataclass(frozen=True)
class Later:
    """An answer that needs Slack after the ack: `ack` now (or an empty ack), then `work` in its lane:
    "prompt" for what the member waits to see (a modal, within its 3 s trigger), "bulk" for the rest."""

    work: Callable[[WebClient, Followup], None]
    ack: Message | None = None
    lane: Literal["prompt", "bulk"] = "prompt"


def reply(message: Message) -> BoltResponse:
    """The answer to a command, for the listener to return instead of calling `ack(**message.as_kwargs())`.

    With `process_before_response` Bolt sends a returned BoltResponse as the ack: the same JSON, but
    encoded once per rendered message (see Message.json) instead of on every request.
    """
    return BoltResponse(status=200, body=message.json)


def follow(ctx: Context, later: Later, followup: Followup) -> Message | None:
    """Hand `later.work` to its lane; what to send in the ack now. The work runs in the request's context: what
    it tells the member (a modal, a refusal) is in their målform, what it posts in the channel is rendered in
    the body's (`services.in_body_language()`, where it is posted)."""

    def work(client: WebClient) -> None:
        later.work(client, followup)

    if later.lane == "prompt":
        ctx.background.prompt(lambda: work(ctx.background.prompt_client))
    else:
        ctx.background.submit(lambda: work(ctx.background.bulk_client))
    return later.ack


def register_answer(app: App, ctx: Context, name: str, answer: Answer) -> None:
    """`answer` is the command `name`'s, for Slack and for a "which body?" click alike."""

    def listener(command: dict[str, Any], respond: Respond) -> BoltResponse:
        asker = Asker(command["user_id"], command.get("channel_id"))
        message = answer(asker, command.get("text") or "", command.get("trigger_id"), respond)
        return reply(message) if message else BoltResponse(status=200, body="")

    ctx.commands[name] = answer
    app.command(name)(listener)


def help_for(ctx: Context, asker: Asker, name: str, usage: str) -> Message:
    """A command's usage, in the målform of the body it is asked in (if any, and the asker chose none)."""
    with suppress(UserError):
        bodies.choose(ctx.installation, asker, name, "")
    return views.usage(usage, name)


def register_command(
    app: App,
    ctx: Context,
    name: str,
    usage: str,
    parse: Callable[[str], Parsed],
    run: Callable[[Services, Asker, Parsed], Facts],
    view: Callable[[Facts], Message | Later],
) -> None:
    """The command `name`, answered by `command_answer`."""
    register_answer(app, ctx, name, command_answer(ctx, name, usage, parse, run, view))


def command_answer(
    ctx: Context,
    name: str,
    usage: str,
    parse: Callable[[str], Parsed],
    run: Callable[[Services, Asker, Parsed], Facts],
    view: Callable[[Facts], Message | Later],
) -> Answer:
    """Every command the same three steps: `parse` the text (pure), `run` the use case (it checks
    permission and returns facts), `view` them as Block Kit, sent in the ack. A mistake or a refusal
    anywhere answers with what was wrong, ephemerally, and nothing is changed.

    A view that needs Slack after the ack (a modal, a file, a post in the channel) returns `Later`."""

    def answer(asker: Asker, text: str, trigger_id: str | None, respond: Respond) -> Message | None:
        """The answer to send now, or None when it follows after the ack."""
        try:
            if asks_for_help(text):
                return help_for(ctx, asker, name, usage)
            services, text = bodies.choose(ctx.installation, asker, name, text)
            answer = view(run(services, asker, parse(text)))
        except bodies.WhichBody as question:
            return views.which_body(question)
        except UnknownWord as unknown:
            return views.unknown_word(str(unknown), usage)
        except UserError as error:
            return views.problem(str(error))
        if isinstance(answer, Message):
            return answer
        return follow(ctx, answer, Followup(asker, trigger_id, respond))

    return answer
