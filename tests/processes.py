"""`motebot` as its own process, the way an operator runs it; never left running after a test."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.testing.slack_standin import SlackStandIn
from tests.slack_http import SlackSender

ROOT = Path(__file__).parents[1]


def environment(**extra: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), **extra}


def motebot(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.run.cli", *args], cwd=cwd, env=environment(**(env or {})), input=stdin,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


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
