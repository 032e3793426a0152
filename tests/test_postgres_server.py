"""The PostgreSQL server that the test command starts (tests/postgres.py): reachable, with the settings the engine
relies on, and gone when the run that started it ends, even by SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import postgres

if postgres._is_ci(os.environ):
    import psycopg  # in CI a missing driver fails, as a missing server does
else:
    psycopg = pytest.importorskip("psycopg")

URL = os.environ.get(postgres.ENV_URL, "")
needs_server = pytest.mark.skipif(not URL, reason=postgres.SKIP_REASON)
needs_binaries = pytest.mark.skipif(postgres.find_bindir(os.environ) is None, reason="no PostgreSQL binaries")


@needs_server
def test_select_one() -> None:
    with psycopg.connect(URL) as connection:
        assert connection.execute("select 1").fetchone() == (1,)


@needs_server
def test_the_tcp_url_reaches_the_same_database() -> None:
    if not (tcp := os.environ.get(postgres.ENV_TCP_URL)):
        pytest.skip(f"{postgres.ENV_URL} came from outside")
    with psycopg.connect(URL) as local, psycopg.connect(tcp) as network:
        query = "select current_database(), current_user, inet_server_addr() is null"
        assert local.execute(query).fetchone() == ("motebot_test", "motebot", True)  # the unix socket
        assert network.execute(query).fetchone() == ("motebot_test", "motebot", False)


@needs_server
def test_norwegian_text_is_utf8_with_case() -> None:
    """C.UTF-8, not C: lower() and upper() know Æ, Ø and Å."""
    with psycopg.connect(URL) as connection:
        row = connection.execute("select current_setting('server_encoding'), lower('ÆØÅ'), upper('æøå')").fetchone()
    assert row == ("UTF8", "æøå", "ÆØÅ")


@needs_server
def test_an_advisory_lock_is_held_by_one_session_at_a_time() -> None:
    """What the scheduler's leader election (docs/postgresql-plan.md §5) is built on."""
    key = 21_000_000 + os.getpid()  # apart from other workers' tests on the same server
    with psycopg.connect(URL, autocommit=True) as first, psycopg.connect(URL, autocommit=True) as second:
        take = "select pg_try_advisory_lock(%s)"
        assert first.execute(take, [key]).fetchone() == (True,)
        assert second.execute(take, [key]).fetchone() == (False,)
        assert first.execute("select pg_advisory_unlock(%s)", [key]).fetchone() == (True,)
        assert second.execute(take, [key]).fetchone() == (True,)
    with psycopg.connect(URL, autocommit=True) as third:  # a closed session's locks are released
        assert third.execute(take, [key]).fetchone() == (True,)


def test_a_url_from_outside_is_used_as_it_is() -> None:
    environ = {postgres.ENV_URL: "postgresql://someone@db.example/elsewhere"}
    assert postgres.provide(environ) is None
    assert environ == {postgres.ENV_URL: "postgresql://someone@db.example/elsewhere"}


def test_without_binaries_the_postgresql_tests_skip_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "find_bindir", lambda environ: None)
    environ: dict[str, str] = {}
    line = postgres.provide(environ)
    assert isinstance(line, str) and "\n" not in line and "skip" in line
    assert postgres.ENV_URL not in environ


def test_without_binaries_ci_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "find_bindir", lambda environ: None)
    with pytest.raises(pytest.UsageError, match="CI needs a PostgreSQL server") as raised:
        postgres.provide({"CI": "true"})
    assert "\n" not in str(raised.value)


def test_debians_versions_are_tried_newest_first(tmp_path: Path) -> None:
    for version in ("9.6", "16", "15"):
        (tmp_path / version / "bin").mkdir(parents=True)
    assert [path.parent.name for path in postgres._newest_versioned(tmp_path)] == ["16", "15", "9.6"]


def test_a_wrong_bindir_override_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(pytest.UsageError, match=postgres.ENV_BINDIR):
        postgres.find_bindir({postgres.ENV_BINDIR: str(tmp_path)})


_KILLED_RUN = """
import os, sys, time
from tests import postgres
server = postgres.Server(postgres.find_bindir(os.environ), postgres._server_user())
server.start()
print(server.directory, server.port, flush=True)
time.sleep(60)
"""


def _postmaster_alive(directory: str) -> bool:
    """A process whose command line names this directory: the postmaster or one of its children."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if directory.encode() in (entry / "cmdline").read_bytes():
                    return True
            except OSError:
                continue
    return False


@needs_binaries
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_killed_run_leaves_no_server_behind() -> None:
    """SIGKILL skips unconfigure and atexit: the watchdog stops the server and removes its directory."""
    root = Path(__file__).parents[1]
    run = subprocess.Popen(
        [sys.executable, "-c", _KILLED_RUN], cwd=root, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )  # fmt: skip
    assert run.stdout is not None
    directory, port = run.stdout.readline().split()
    with psycopg.connect(f"postgresql://motebot@/motebot_test?host={directory}&port={port}") as connection:
        assert connection.execute("select 1").fetchone() == (1,)
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 15
    while (Path(directory).exists() or _postmaster_alive(directory)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(directory).exists()
    assert not _postmaster_alive(directory)
