"""`motebot` as its own process, the way an operator runs it; never left running after a test.

Each is a child forked from one Python that has already imported the bot (`_PRELOADED`), so that a test
does not pay 0.4-0.9 s of interpreter start and imports per process. The child is a process of its own
all the same: its folder, environment, standard streams (files here), exit code, signals and kill -9;
main()'s return or exception ends its interpreter as `sys.exit(main())` does (atexit, thread joins, a
traceback on stderr). The Socket Mode test starts `python -m bot.run.cli` afresh.
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from bot.testing.slack_standin import SlackStandIn
from tests.slack_http import SlackSender

ROOT = Path(__file__).parents[1]

# Reads requests (JSON lines: id, args or code, cwd, env, stream files) and forks a child for each, which
# becomes `python -m bot.run.cli ARGS` (or `python -c CODE ARGS`); answers each child's pid, and later
# its exit code. No child outlives two minutes.
_PRELOADED = r"""
import gc, json, os, select, signal, sys
import bot.run.cli, bot.run.console, bot.core.ical, bot.slack.server, slack_bolt.adapter.socket_mode
gc.freeze()  # what was imported stays out of the children's collections: their exit takes 50 ms, not 200

def become(request):
    signal.alarm(120)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, (path, flags) in enumerate(zip(request["streams"], (os.O_RDONLY, os.O_WRONLY, os.O_WRONLY))):
        os.dup2(os.open(path, flags), fd)
    sys.stdin = open(0, encoding="utf-8", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    if "code" in request:
        sys.argv = ["-c", *request["args"]]
        exec(compile(request["code"], "<string>", "exec"), {"__name__": "__main__"})
        sys.exit(0)
    sys.argv = ["motebot", *request["args"]]
    sys.exit(bot.run.cli.main(request["args"]))

def answer(message):
    os.write(1, (json.dumps(message) + "\n").encode())

children, pending = {}, b""
while True:
    if select.select([0], [], [], 0.005)[0]:
        data = os.read(0, 1 << 16)
        if not data:
            break
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            request = json.loads(line)
            child = os.fork()
            if child == 0:
                become(request)
            children[child] = request["id"]
            answer({"id": request["id"], "pid": child})
    while children:
        child, status = os.waitpid(-1, os.WNOHANG)
        if child == 0:
            break
        answer({"id": children.pop(child), "exit": os.waitstatus_to_exitcode(status)})
"""


def environment(**extra: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), **extra}


class _Preloaded:
    """The preloading parent, started on first use and ended with the test run."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-c", _PRELOADED], cwd=ROOT, env=environment(), text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
        self._ids = itertools.count(1)
        self._heard: dict[int, dict[str, Any]] = {}
        self._changed = threading.Condition()
        threading.Thread(target=self._listen, name="preloaded", daemon=True).start()
        atexit.register(self._process.communicate)  # end of input: it ends

    def alive(self) -> bool:
        return self._process.poll() is None

    def _listen(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            message = json.loads(line)
            with self._changed:
                self._heard.setdefault(message["id"], {}).update(message)
                self._changed.notify_all()

    def heard(self, request_id: int, key: str, timeout: float | None) -> Any:
        with self._changed:
            if not self._changed.wait_for(lambda: key in self._heard.get(request_id, {}), timeout):
                return None
            return self._heard[request_id][key]

    def fork(self, request: dict[str, Any]) -> tuple[int, int]:
        assert self._process.stdin is not None
        with self._changed:
            request_id = next(self._ids)
            self._process.stdin.write(json.dumps({"id": request_id, **request}) + "\n")
            self._process.stdin.flush()
        pid = self.heard(request_id, "pid", timeout=30)
        assert pid, "the preloaded Python did not fork"
        return request_id, pid


_preloaded: _Preloaded | None = None
_preloaded_lock = threading.Lock()


class Forked:
    """A child of the preloaded Python, answering what tests ask of a subprocess.Popen."""

    def __init__(self, streams: list[Path], cwd: Path, env: dict[str, str], args: list[str], code: str | None) -> None:
        global _preloaded
        self.streams = streams
        streams[0].touch()
        for path in streams[1:]:
            path.write_bytes(b"")
        with _preloaded_lock:
            if _preloaded is None or not _preloaded.alive():
                _preloaded = _Preloaded()
        self._parent = _preloaded
        request = {"args": args, "cwd": str(cwd), "env": environment(**env), "streams": [str(p) for p in streams]}
        self._id, self.pid = self._parent.fork(request if code is None else {**request, "code": code})
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._parent.heard(self._id, "exit", timeout=0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = self._parent.heard(self._id, "exit", timeout)
            if self.returncode is None:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout or 0)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def lines(self, fd: int = 1) -> list[str]:
        """The whole lines written to stdout (1) or stderr (2) so far."""
        text = self.streams[fd].read_text(encoding="utf-8", errors="replace")
        return text[: text.rfind("\n") + 1].splitlines()

    def first_line(self, containing: str = "", fd: int = 1, within: float = 30) -> str:
        """Wait for a whole line (with `containing` in it) on stdout or stderr."""
        until = time.monotonic() + within
        while not (found := [line for line in self.lines(fd) if containing in line]):
            assert self.poll() is None, f"ended before writing it: {self.output[0]}"
            assert time.monotonic() < until, f"not written within {within} s: {self.lines(fd)}"
            time.sleep(0.005)
        return found[0]

    @property
    def output(self) -> list[str]:
        """What it wrote to stderr."""
        return [self.streams[2].read_text(encoding="utf-8", errors="replace")]


@contextmanager
def _forked(
    cwd: Path, env: dict[str, str], args: list[str], code: str | None = None, stdin: str = ""
) -> Iterator[Forked]:
    with tempfile.TemporaryDirectory(prefix="motebot-") as scratch:
        streams = [Path(scratch, name) for name in ("stdin", "stdout", "stderr")]
        streams[0].write_text(stdin, encoding="utf-8")
        process = Forked(streams, cwd, env, args, code)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()


def motebot(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    """A one-shot command (import, ical, console, or serve refusing to start), run to its end."""
    with _forked(cwd, env or {}, list(args), stdin=stdin) as process:
        code = process.wait(timeout=60)
        out, err = (path.read_text(encoding="utf-8") for path in process.streams[1:])
    return subprocess.CompletedProcess(["motebot", *args], code, out, err)


def python(code: str, *args: str, cwd: Path) -> AbstractContextManager[Forked]:
    """`python -c CODE ARGS` with the bot importable; killed on the way out."""
    return _forked(cwd, {}, list(args), code)


@contextmanager
def serving(cwd: Path, api: SlackStandIn, secret: str, **env: str) -> Iterator[tuple[Forked, SlackSender]]:
    """`motebot serve` on a free port, answering Web API calls from `api`; killed on the way out."""
    server_env = {"SLACK_BOT_TOKEN": api.token, "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": api.base_url}
    with _forked(cwd, {**server_env, **env}, ["serve", "--port", "0"]) as server:
        port = server.first_line("lytter på", fd=2).rsplit(":", 1)[1].split("/")[0]
        yield server, SlackSender(f"http://127.0.0.1:{port}/slack/events", secret, api.response_url("e2e"))
