"""A loopback stand-in for Slack's Web API: the console's Slack, and the tests'.

It answers over real HTTP on 127.0.0.1 the way Slack does (`{"ok": true, …}`), so the app's own
WebClient, retry handlers and all, runs unchanged. Every call is recorded for the console to print
and for the tests to inspect; failures (429 with Retry-After, 5xx, a dropped connection before or
after Slack did the work) can be queued per method.

Several workspaces, as one Slack app installed in each: every bot token belongs to one team (`add_team`),
auth.test answers for the token's team, a channel's history holds only what was posted with its team's token,
and `oauth.v2.access` exchanges a code from `grant` for a new workspace's bot token, as Slack's OAuth flow does.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_USER_ID = "U0MOTEBOT"
TEAM_ID = "T0AKSON01"
APP_ID = "A0MOTEBOT"


@dataclass(frozen=True)
class Team:
    """A workspace the app is installed in, as auth.test describes it to the bot."""

    team_id: str
    name: str
    bot_user_id: str = BOT_USER_ID
    bot_id: str = "B0MOTEBOT"


@dataclass(frozen=True)
class ApiCall:
    method: str
    params: dict[str, Any]
    token: str | None
    response: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Channel:
    """A channel as conversations.info describes it to the bot."""

    member: bool = True  # the bot is in it
    private: bool = False


@dataclass
class _Failure:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    processed: bool = False  # Slack did the work and recorded it; only the answer is lost


class SlackStandIn:
    def __init__(self, token: str, app_token: str | None = None) -> None:
        self.token = token
        self.app_token = app_token
        self.teams: dict[str, Team] = {token: Team(TEAM_ID, "Akson")}  # bot token -> its workspace
        self.oauth_client: tuple[str, str] | None = None  # the app's client ID and secret, for oauth.v2.access
        self._grants: dict[str, tuple[Team, str, str]] = {}  # code -> workspace, installer, its new token
        self.socket_url: str | None = None  # where apps.connections.open sends Socket Mode clients
        self.uploads: dict[str, bytes] = {}
        self.people: dict[str, str] = {}  # users.info's real names, by user ID
        self.locales: dict[str, str] = {}  # users.info's locale (with include_locale), by user ID: "nn-NO"
        self.calls: list[ApiCall] = []
        self.failures_served: list[tuple[str, int]] = []
        self._failures: dict[str, deque[_Failure]] = {}
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._files: dict[str, bytes] = {}
        self._described: dict[str, dict[str, Any]] = {}  # files.info's answer, by file ID
        self._delays: dict[str, deque[float]] = {}
        self._stalls: dict[str, deque[float]] = {}
        # What conversations.info knows: the bot is in the tests' and the console's channel; any other
        # channel is one it is not in, until `add_channel` says otherwise.
        self.channels: dict[str, Channel] = {"C0STYRING": Channel()}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        # shutdown() waits for the loop's next poll: at 0.05 s that was most of a test's set-up and tear-down.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.005}, name="slack-standin", daemon=True
        )

    def _address(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return (host.decode() if isinstance(host, bytes) else str(host)), int(port)

    @property
    def base_url(self) -> str:
        host, port = self._address()
        return f"http://{host}:{port}/api/"

    def response_url(self, name: str) -> str:
        host, port = self._address()
        return f"http://{host}:{port}/response/{name}"

    def __enter__(self) -> SlackStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_file(self, name: str, data: bytes, file_id: str | None = None) -> str:
        """A file as Slack hosts it: its `url_private_download`, readable only with the bot token. With
        `file_id`, files.info describes it too (name, size, where)."""
        host, port = self._address()
        url = f"http://{host}:{port}/files/{name}"
        with self._lock:
            self._files[name] = data
            if file_id is not None:
                self._described[file_id] = {"id": file_id, "name": name, "size": len(data), "url_private_download": url}
        return url

    def add_team(self, team_id: str, token: str, name: str = "") -> None:
        """Another workspace, its bot's token `token` (the same user and channel IDs may be used in each)."""
        with self._lock:
            self.teams[token] = Team(team_id, name or team_id)

    def team_of(self, token: str | None) -> str | None:
        found = self.teams.get(token or "")
        return found.team_id if found else None

    def grant(self, team_id: str, installer: str, token: str, name: str = "") -> str:
        """A member of `team_id` allowed the installation in Slack: the code Slack then sends to the redirect
        URL, which oauth.v2.access exchanges (once) for the workspace's new bot token `token`."""
        code = f"code-{team_id}-{next(self._ts)}"
        with self._lock:
            self._grants[code] = (Team(team_id, name or team_id), installer, token)
        return code

    def revoke(self, team_id: str) -> None:
        """The app is uninstalled from `team_id`: its tokens no longer work."""
        with self._lock:
            self.teams = {token: team for token, team in self.teams.items() if team.team_id != team_id}

    def add_channel(self, channel_id: str, *, member: bool = True, private: bool = False) -> None:
        """A channel conversations.info answers for: the bot in it or not, public or private."""
        with self._lock:
            self.channels[channel_id] = Channel(member, private)

    def slow_next(self, method: str, seconds: float) -> None:
        """The next call to `method` takes this long to answer (work still in flight at shutdown)."""
        with self._lock:
            self._delays.setdefault(method, deque()).append(seconds)

    def stall_after_next(self, method: str, seconds: float) -> None:
        """The next call to `method` is processed and recorded at once, and answered only after this long: a
        post that reached Slack while its sender died waiting for the answer."""
        with self._lock:
            self._stalls.setdefault(method, deque()).append(seconds)

    def fail_next(self, method: str, status: int, headers: dict[str, str] | None = None) -> None:
        """The next call to `method` gets `status` (429 with Retry-After, 5xx), or 0: the connection drops."""
        with self._lock:
            self._failures.setdefault(method, deque()).append(_Failure(status, headers or {}))

    def drop_after_next(self, method: str) -> None:
        """The next call to `method` is processed and recorded as usual, then the connection drops before the
        answer: Slack's real fault, after which a blind retry does the work twice."""
        with self._lock:
            self._failures.setdefault(method, deque()).append(_Failure(0, processed=True))

    def take_calls(self) -> list[ApiCall]:
        """The calls since the last take, oldest first."""
        with self._lock:
            taken, self.calls = self.calls, []
        return taken

    def calls_to(self, method: str) -> list[ApiCall]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def _answer(self, method: str, params: dict[str, Any], token: str | None) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            delays = self._delays.get(method)
            delay = delays.popleft() if delays else 0.0
        if delay:
            time.sleep(delay)
        with self._lock:
            queue = self._failures.get(method)
            failure = queue.popleft() if queue else None
            if failure is not None:
                self.failures_served.append((method, failure.status))
                if not failure.processed:
                    return failure.status, failure.headers, {"ok": False, "error": "ratelimited"}
            if method == "oauth.v2.access":
                response = self._exchange(params, token)
                self.calls.append(ApiCall(method, params, token, response))
                return 200, {}, response
            known = token == self.app_token if method == "apps.connections.open" else token in self.teams
            if method != "response_url" and not known:
                return 200, {}, {"ok": False, "error": "invalid_auth"}
            team = self.teams.get(token or "")
            ts = f"{1593580000 + next(self._ts)}.000100"
            if method in ("conversations.history", "conversations.replies"):
                # As Slack: the history holds the top level only, a thread's replies its parent and replies.
                posted = [
                    c
                    for c in self.calls
                    if c.method == "chat.postMessage" and c.params.get("channel") == params.get("channel")
                    and self.team_of(c.token) == self.team_of(token)
                    and (
                        c.params.get("thread_ts") == params.get("ts") or c.response.get("ts") == params.get("ts")
                        if method == "conversations.replies" else not c.params.get("thread_ts")
                    )
                ]  # fmt: skip
                response = {
                    "ok": True,
                    "messages": [{**c.params, "ts": c.response.get("ts")} for c in reversed(posted)],
                }
            elif method == "conversations.info":
                response = self._conversation(str(params.get("channel", "")))
            elif method == "users.info":  # as Slack: a person it knows, with their names; else user_not_found
                user = str(params.get("user", ""))
                name, locale = self.people.get(user) or "", self.locales.get(user)
                person: dict[str, Any] = {
                    "id": user,
                    "name": user.lower(),
                    "real_name": name,
                    "profile": {"real_name": name, "display_name": name.partition(" ")[0]},
                }
                if locale and str(params.get("include_locale", "")).lower() in ("1", "true"):
                    person["locale"] = locale  # as Slack: only when asked for
                ok = {"ok": True, "user": person}
                response = ok if name or locale else {"ok": False, "error": "user_not_found"}  # fmt: skip
            else:
                response = self._response(method, params, ts, team)
            if method == "apps.connections.open":
                response = {"ok": True, "url": self.socket_url}
            elif method == "files.getUploadURLExternal":
                file_id = f"F{next(self._ts):08d}"
                host, port = self._address()
                response = {"ok": True, "file_id": file_id, "upload_url": f"http://{host}:{port}/upload/{file_id}"}
            elif method == "files.info":
                described = self._described.get(str(params.get("file")))
                response = {"ok": True, "file": described} if described else {"ok": False, "error": "file_not_found"}
            elif method == "files.completeUploadExternal":
                response = {"ok": True, "files": [{"id": f["id"]} for f in json.loads(params.get("files", "[]"))]}
            self.calls.append(ApiCall(method, params, token, response))
            stalls = self._stalls.get(method)
            stall = stalls.popleft() if stalls else 0.0
        if stall:
            time.sleep(stall)
        if failure is not None:  # processed, and now the answer is lost
            return 0, {}, None
        return 200, {}, response

    def _conversation(self, channel_id: str) -> dict[str, Any]:
        """As Slack answers a bot: a public channel it is not in is described (is_member false), a private
        one is not found; here, a channel no test described is one the bot is not in."""
        if channel_id.startswith("D"):
            return {"ok": True, "channel": {"id": channel_id, "is_im": True, "is_member": True, "is_private": True}}
        known = self.channels.get(channel_id)
        if known is None:
            return {"ok": False, "error": "not_in_channel"}
        if known.private and not known.member:
            return {"ok": False, "error": "channel_not_found"}
        return {
            "ok": True,
            "channel": {
                "id": channel_id, "name": channel_id.lower(), "is_channel": not known.private,
                "is_group": known.private, "is_im": False, "is_mpim": False,
                "is_private": known.private, "is_member": known.member,
            },
        }  # fmt: skip

    def _exchange(self, params: dict[str, Any], authorization: str | None) -> dict[str, Any]:
        """oauth.v2.access: the app's credentials (HTTP Basic, as slack_sdk sends them) and a code from `grant`,
        used once; answered as Slack answers a bot-only installation. Holds the lock."""
        credentials = (authorization or "").removeprefix("Basic ")
        try:
            client_id, _, secret = base64.b64decode(credentials).decode().partition(":")
        except ValueError:
            client_id = secret = ""
        client_id = client_id or str(params.get("client_id", ""))
        secret = secret or str(params.get("client_secret", ""))
        if self.oauth_client is None or (client_id, secret) != self.oauth_client:
            return {"ok": False, "error": "invalid_client_id" if client_id != (self.oauth_client or ("",))[0]
                    else "bad_client_secret"}  # fmt: skip
        grant = self._grants.pop(str(params.get("code", "")), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        team, installer, token = grant
        self.teams[token] = team
        return {
            "ok": True, "app_id": APP_ID, "authed_user": {"id": installer}, "scope": "commands,chat:write",
            "token_type": "bot", "access_token": token, "bot_user_id": team.bot_user_id,
            "team": {"id": team.team_id, "name": team.name}, "enterprise": None, "is_enterprise_install": False,
        }  # fmt: skip

    @staticmethod
    def _response(method: str, params: dict[str, Any], ts: str, team: Team | None = None) -> dict[str, Any]:
        if method == "auth.test":
            team = team or Team(TEAM_ID, "Akson")
            return {
                "ok": True, "url": f"https://{team.name.lower()}.slack.com/", "team": team.name, "user": "motebot",
                "team_id": team.team_id, "user_id": team.bot_user_id, "bot_id": team.bot_id,
            }  # fmt: skip
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            channel = params.get("channel", "C0STYRING")
            if method == "chat.postMessage" and str(channel).startswith("U"):
                channel = "D" + str(channel)[1:]  # a message to a user lands in the bot's DM with them
            return {"ok": True, "channel": channel, "ts": params.get("ts", ts), "message": params}
        if method == "conversations.open":  # the bot's DM with a user
            user = str(params.get("users", "U0")).split(",")[0]
            return {"ok": True, "channel": {"id": "D" + user[1:], "is_im": True}}
        return {"ok": True}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length)
                if self.path.startswith("/upload/"):  # the file itself, sent to the URL Slack handed out
                    with standin._lock:
                        standin.uploads[self.path.removeprefix("/upload/")] = data
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"OK")
                    return
                raw = data.decode("utf-8")
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params = json.loads(raw) if raw else {}
                else:
                    params = dict(parse_qsl(raw))
                auth = self.headers.get("Authorization", "")
                token = auth.removeprefix("Bearer ") if auth else params.pop("token", None)
                if self.path.startswith("/response/"):
                    method = "response_url"
                else:
                    method = self.path.removeprefix("/api/").split("?")[0]
                status, headers, payload = standin._answer(method, params, token)
                if status == 0:  # a dropped connection: no answer at all
                    self.close_connection = True
                    return
                body = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                try:
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the caller died waiting (a kill -9 in a test)
                    self.close_connection = True

            def do_GET(self) -> None:
                name = self.path.removeprefix("/files/")
                authorised = self.headers.get("Authorization", "").removeprefix("Bearer ") in standin.teams
                data = standin._files.get(name) if self.path.startswith("/files/") and authorised else None
                with standin._lock:
                    standin.calls.append(ApiCall("file_download", {"name": name}, None))
                self.send_response(200 if data is not None else 404)
                self.send_header("Content-Length", str(len(data or b"")))
                self.end_headers()
                self.wfile.write(data or b"")

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the console prints the calls itself."""

        return Handler
