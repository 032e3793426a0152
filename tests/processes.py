"""`motebot` as its own process, the way an operator runs it; never left running after a test.

`serving` starts `python -m bot.run.cli serve` afresh: the tests of signals, kill -9 and two processes on
one database. The one-shot commands (`motebot(...)`) run in a process forked from one that has already
imported the CLI: their own process all the same (environment, working folder, standard streams, exit
code, a traceback if one escapes), without 0.4 s of interpreter start and imports for each.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.testing.slack_standin import SlackStandIn
from tests.slack_http import SlackSender

ROOT = Path(__file__).parents[1]

# Imports the CLI once, then for each request (a JSON line: args, cwd, env, stream files) forks a child that
# becomes `python -m bot.run.cli ARGS`: its folder, environment and streams set, main() run, and the
# interpreter ended by what main() raises or returns, as `sys.exit(main())` ends it. Answers the exit code.
_PRELOADED = """
import gc, json, os, signal, sys
import bot.run.cli, bot.run.console, bot.core.ical, bot.slack.server, slack_bolt.adapter.socket_mode
gc.freeze()  # what was imported stays out of the children's collections: their exit takes 50 ms, not 200
for line in sys.stdin:
    request = json.loads(line)
    child = os.fork()
    if child == 0:
        signal.alarm(60)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for fd, (path, flags) in enumerate(zip(request["streams"], (os.O_RDONLY, os.O_WRONLY, os.O_WRONLY))):
            os.dup2(os.open(path, flags), fd)
        sys.stdin = open(0, encoding="utf-8", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
        sys.argv = ["motebot", *request["args"]]
        sys.exit(bot.run.cli.main(request["args"]))
    print(os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]), flush=True)
"""
_preloaded: subprocess.Popen[str] | None = None
_preloaded_lock = threading.Lock()


def environment(**extra: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), **extra}


def motebot(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    """A one-shot command (import, ical, console, or serve refusing to start) in its own process."""
    global _preloaded
    with _preloaded_lock, tempfile.TemporaryDirectory(prefix="motebot-cli-") as scratch:
        streams = [Path(scratch, name) for name in ("stdin", "stdout", "stderr")]
        streams[0].write_text(stdin, encoding="utf-8")
        for path in streams[1:]:
            path.touch()
        if _preloaded is None or _preloaded.poll() is not None:
            _preloaded = subprocess.Popen(
                [sys.executable, "-c", _PRELOADED], cwd=ROOT, env=environment(), text=True,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            )  # fmt: skip
            atexit.register(_preloaded.communicate)  # end of input: it ends with the test run
        request = {
            "args": list(args),
            "cwd": str(cwd),
            "env": environment(**(env or {})),
            "streams": list(map(str, streams)),
        }
        assert _preloaded.stdin is not None and _preloaded.stdout is not None
        _preloaded.stdin.write(json.dumps(request) + "\n")
        _preloaded.stdin.flush()
        code = int(_preloaded.stdout.readline())
        out, err = (path.read_text(encoding="utf-8") for path in streams[1:])
    return subprocess.CompletedProcess(["motebot", *args], code, out, err)


@contextmanager
def serving(
    cwd: Path, api: SlackStandIn, secret: str, **env: str
) -> Iterator[tuple[subprocess.Popen[str], SlackSender]]:
    """`motebot serve` on a free port, answering Web API calls from `api`; killed on the way out."""
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.run.cli", "serve", "--port", "0"], cwd=cwd, stderr=subprocess.PIPE, text=True,
        env=environment(SLACK_BOT_TOKEN=api.token, SLACK_SIGNING_SECRET=secret, SLACK_API_URL=api.base_url, **env),
    )  # fmt: skip
    try:
        assert server.stderr is not None
        line = ""
        while "lytter på" not in line:
            line = server.stderr.readline()
            assert line, "serve ended before it listened"
        port = line.rsplit(":", 1)[1].split("/")[0]
        output: list[str] = []
        threading.Thread(target=lambda: output.append(server.stderr.read()), daemon=True).start()  # type: ignore[union-attr]
        server.output = output  # type: ignore[attr-defined]
        yield server, SlackSender(f"http://127.0.0.1:{port}/slack/events", secret, api.response_url("e2e"))
    finally:
        if server.poll() is None:
            server.kill()
        server.wait()
