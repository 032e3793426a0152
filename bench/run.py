"""Møtebot against the floor of any Bolt app on this machine, as the data grows.

    .venv/bin/python bench/run.py [--sizes 1,100,1000] [--rounds 5] [--quick]
    .venv/bin/python bench/run.py --bodies 1,100 [--per-body 50] [--rounds 5] [--quick]
    .venv/bin/python bench/run.py --engine postgresql [--processes 1,4] [--bodies 100] [--quick]
    .venv/bin/python bench/run.py --storage-only
    .venv/bin/python bench/run.py --imports 1000,100

For each size it builds a database through `motebot import` (generated notices: 10 cases each,
a deadline, a status), adds 50 voting members and opens a vote, starts `motebot serve`, and
measures signed requests over loopback: p50/p95 of /dagsorden, /frister and a vote click one at a
time, /dagsorden throughput with 8 clients, and a click's p95 with 50 members voting at once. Two
bare Bolt apps on the same server shape (waitress, 8 threads) are measured in the same run,
alternating in rounds: Bolt's default ack path, and process_before_response (the floor). Ratios
are against those baselines, throughput as the median of per-round ratios. Not part of the tests.

With --bodies, each database holds that many bodies (organ) of --per-body meetings each, built
through the store directly (bodies.create, then each body's meetings.save: far faster than as many
imports), the last body bound to the channel the requests come from; the same requests are then
measured against it. After those runs (or alone, with --storage-only) a storage micro-benchmark
times reading one meeting, the next meeting, and the next meeting again after a write in the same
body and in another, at 1, 10 and 100 bodies, as ratios to 1 body in the same run.

With --engine postgresql (or tinydb,postgresql: both in the same rounds) the records are in a real
PostgreSQL server the bench starts itself (initdb and pg_ctl into a temporary folder, on a free port, with
PostgreSQL's own defaults for durability: fsync on, each commit flushed; stopped at the end), or the database
MOTEBOT_BENCH_DATABASE_URL names (each run a workspace of its own there, purged after). It defaults to
--bodies 100, and measures each database with one `motebot serve` and with --processes of them on one database
behind one port: a round-robin TCP front (bench/front.py), whose own cost is measured with the floor app
behind it. One of the processes runs the scheduler (the leader, storage/postgres/leader.py). After the rounds,
200 members vote once each in one second, spread over the processes, and every ballot must be in the vote's
record (the bench stops with an error if one is not).

With --imports, only `motebot import`: that many generated Markdown notices in one command, and that many
PDFs of the same notices (ruled agenda, running header and footer, "Side N av M"; written before the clock
starts) in another; the PDFs' time per notice is given as a ratio to the text notices' of the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import http.client
import itertools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.domain import Case, CaseType, Deadline, Meeting, Serial  # noqa: E402
from bot.core.rules import Body  # noqa: E402
from bot.testing.slack_standin import SlackStandIn  # noqa: E402
from storage import DocumentStore, TinyStore  # noqa: E402

SECRET = "bench-signing-secret"
CHANNEL = "C0STYRING"  # where the requests come from
TOKEN = "xoxb-bench"
ADMIN = "U0ADMIN01"
MEMBERS = [f"U0V{n:06d}" for n in range(50)]
VOTERS = [f"U0W{n:06d}" for n in range(200)]  # the members who vote once each in one second, after the rounds
MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember"]  # fmt: skip


def notice(seq: int, year: int, day: date, first_case: int) -> str:
    """A notice written like the seed: the table, a section with a proposal, a deadline in prose."""
    rows = []
    for n in range(10):
        kind = "Godkjenning" if n == 0 else "Orientering"
        at = f"{9 + n // 4:02d}.{(n % 4) * 15:02d}"
        rows.append(f"{first_case + n}/{year % 100:02d}\tSak nummer {n + 1} om arbeidet\t{at}\t{kind}")
    due = day + timedelta(days=20)
    yy = f"{year % 100:02d}"
    lines = [
        "# Styringsgruppemøte for Akson", "", f"Møte {seq}/{yy}", f"{day.day}. {MONTHS[day.month - 1]} {day.year}", "",
        "Sak\tAgenda Styringsgruppemøte for Akson\tTid\tSakstype", *rows, "\tMøtet ferdig\t12.00\t", "",
        f"**Sak {first_case}/{yy}**", "", "# Forslag til vedtak", "",
        "Styringsgruppen godkjenner innkalling og dagsorden.", "", f"## Sak {first_case + 1}/{yy}: Status", "",
        f"Direktoratet for e-helse skal innen {due.day}. {MONTHS[due.month - 1]} {due.year} levere notat {seq}.",
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def build(folder: Path, size: int, kind: str = "md", env: dict[str, str] | None = None) -> float:
    """Notices for `size` meetings, the last a week from today, as Markdown or (kind "pdf") as PDFs written
    with tests/documents.py (made before the clock starts); returns seconds for `motebot import` (into the
    file in `folder`, or where `env` says)."""
    start_day = date.today() - timedelta(days=7 * (size - 1)) + timedelta(days=7)
    files = []
    counts: dict[int, int] = {}
    for i in range(size):
        day = start_day + timedelta(days=7 * i)
        seq = counts[day.year] = counts.get(day.year, 0) + 1
        path = folder / f"mote_{i:04d}.{kind}"
        text = notice(seq, day.year, day, 10 * (seq - 1) + 1)
        if kind == "pdf":
            from tests.documents import pdf_from_text

            path.write_bytes(pdf_from_text(text, header="Styringsgruppemøte for Akson", footer="Direktoratet"))
        else:
            path.write_text(text, encoding="utf-8")
        files.append(str(path))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot.run.cli", "import", *files], cwd=folder,
                          env=_env(**(env or {})), capture_output=True, text=True)  # fmt: skip
    took = time.perf_counter() - started
    assert done.returncode == 0, done.stderr[-2000:]
    return took


def import_bench(folder: Path, texts: int, pdfs: int) -> list[str]:
    """`motebot import` of `texts` Markdown notices and of `pdfs` PDF notices into fresh databases, each one
    command; the PDFs' time per notice as a ratio to the text notices' in the same run."""
    (folder / "text").mkdir()
    (folder / "pdf").mkdir()
    text_seconds = build(folder / "text", texts)
    pdf_seconds = build(folder / "pdf", pdfs, "pdf")
    ratio = (pdf_seconds / pdfs) / (text_seconds / texts)
    return [
        f"| {texts} tekst-innkallinger | {text_seconds:.1f} s | {1000 * text_seconds / texts:.1f} ms | 1× |",
        f"| {pdfs} PDF-innkallinger | {pdf_seconds:.1f} s | {1000 * pdf_seconds / pdfs:.1f} ms | {ratio:.1f}× |",
    ]


def meetings(count: int, today: date) -> list[Meeting]:
    """`count` weekly meetings like the generated notices' (10 cases each), the last a week from today."""
    start_day = today - timedelta(days=7 * (count - 2))
    made: list[Meeting] = []
    counts: dict[int, int] = {}
    for i in range(count):
        day = start_day + timedelta(days=7 * i)
        seq = counts[day.year] = counts.get(day.year, 0) + 1
        cases = tuple(
            Case(Serial(day.year, 10 * (seq - 1) + n + 1), f"Sak nummer {n + 1} om arbeidet",
                 dtime(9 + n // 4, (n % 4) * 15), CaseType.GODKJENNING if n == 0 else CaseType.ORIENTERING,
                 "Styringsgruppen godkjenner innkalling og dagsorden." if n == 0 else None)
            for n in range(10)
        )  # fmt: skip
        made.append(
            Meeting(Serial(day.year, seq), "Styringsgruppemøte for Akson", day, dtime(9), dtime(12), cases=cases)
        )
    return made


@dataclass(frozen=True)
class Place:
    """Where one database of the bench is: the file motebot.json in `folder` (the server's working folder),
    or, with `url`, one workspace in PostgreSQL."""

    folder: Path
    url: str | None = None
    workspace: str = ""

    @property
    def engine(self) -> str:
        return "postgresql" if self.url else "tinydb"

    def open(self) -> DocumentStore:
        if self.url is None:
            return TinyStore(self.folder / "motebot.json")
        from storage.postgres.store import PgStore

        return PgStore(self.url, self.workspace)

    def env(self) -> dict[str, str]:
        """What `motebot serve` and `motebot import` need to find it."""
        return {"MOTEBOT_DATABASE_URL": self.url, "MOTEBOT_WORKSPACE": self.workspace} if self.url else {}


def place(folder: Path, url: str | None) -> Place:
    """A new database: a file in `folder`, or (with `url`) a workspace of its own in that PostgreSQL database."""
    folder.mkdir(parents=True, exist_ok=True)
    return Place(folder, url, f"TBENCH{uuid.uuid4().hex[:8].upper()}" if url else "")


def build_bodies(where: Place, bodies: int, per_body: int, channel: str | None = CHANNEL) -> float:
    """`bodies` bodies of `per_body` meetings (and a deadline each) through the store, in one commit
    (PostgreSQL: one per body); the last body is bound to `channel`. Returns the seconds it took."""
    started = time.perf_counter()
    plan = meetings(per_body, date.today())
    store = where.open()

    def make(n: int) -> None:
        here = channel if n == bodies else f"C0ORGAN{n:04d}"
        body = store.bodies.create(
            Body(0, f"Organ {n}", f"organ-{n}", channel=here, calendar_token=f"token-{n}", public_channel=True,
                 readable=True)
        )  # fmt: skip
        records = store.body(body.id)
        records.meetings.save(plan)
        for meeting in plan:
            records.deadlines.add(Deadline(0, f"levere notat {meeting.number}", meeting.day + timedelta(days=20)))

    try:
        if where.url is None:
            with store.transaction():
                for n in range(1, bodies + 1):
                    make(n)
        else:
            # Each case raises its body's counter: in PostgreSQL a row updated thousands of times in one
            # transaction leaves a chain of versions that every later read of it walks (one commit for
            # 100 bodies took 450 s).
            for n in range(1, bodies + 1):
                with store.transaction():
                    make(n)
    finally:
        store.close()
    return time.perf_counter() - started


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MOTEBOT_"))}
    return {**env, "PYTHONPATH": str(ROOT), "SLACK_SIGNING_SECRET": SECRET, **extra}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Target:
    """A server process and a way to send it signed requests."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], cwd: Path, port: int) -> None:
        self.name, self.port = name, port
        # Its output to a file, never a pipe nobody reads: once the pipe is full (the scheduler logs each
        # tick), the server stops in the middle of a request, waiting to write its log line.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in stop(), as the process ends)
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self._log.seek(0)
        raise RuntimeError(f"{name} did not start: {self._log.read().decode(errors='replace')[-2000:]}")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()  # gone, and its hold on the database with it
        self._log.close()


class Fleet:
    """Several `motebot serve` on one database behind one round-robin front (bench/front.py): one target."""

    def __init__(self, name: str, servers: list[Target], cwd: Path) -> None:
        self.name, self.servers = name, servers
        self.front = front(f"{name}: front", [server.port for server in servers], cwd)
        self.port = self.front.port

    @property
    def processes(self) -> list[subprocess.Popen[bytes]]:
        return [server.process for server in self.servers]

    def rss_mb(self) -> float:
        """All the servers together (the front is the bench's, not Møtebot's)."""
        return sum(server.rss_mb() for server in self.servers)

    def stop(self) -> None:
        for target in (self.front, *self.servers):
            target.stop()


def front(name: str, backends: list[int], cwd: Path) -> Target:
    """bench/front.py on a free port, dealing connections to `backends` in turn."""
    port = _free_port()
    command = [sys.executable, str(ROOT / "bench" / "front.py"), str(port), *map(str, backends)]
    return Target(name, command, _env(), cwd, port)


def motebot_serve(name: str, where: Place, api: SlackStandIn, processes: int = 1) -> Target | Fleet:
    """`processes` of `motebot serve` on the database `where`; more than one behind a front."""
    env = _env(SLACK_BOT_TOKEN=TOKEN, SLACK_API_URL=api.base_url, MOTEBOT_ADMINS=ADMIN, MOTEBOT_CHANNEL=CHANNEL,
               **where.env())  # fmt: skip
    servers: list[Target] = []
    try:
        for n in range(processes):
            port = _free_port()
            command = [sys.executable, "-m", "bot.run.cli", "serve", "--port", str(port)]
            servers.append(Target(f"{name} #{n + 1}" if processes > 1 else name, command, env, where.folder, port))
        return servers[0] if processes == 1 else Fleet(name, servers, where.folder)
    except BaseException:
        for server in servers:
            server.stop()
        raise


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def settle(targets: list[Target | Fleet], timeout: float = 300.0) -> float:
    """Wait until the servers are idle (under 2 % of a core for a second): the scheduler plans every body's
    posts as it starts and after a change, and the measurements must not run beside that. Returns the
    seconds waited."""
    pids = [p.pid for t in targets for p in (t.processes if isinstance(t, Fleet) else [t.process])]
    started = time.monotonic()
    before = sum(map(_cpu_seconds, pids))
    while time.monotonic() - started < timeout:
        time.sleep(1.0)
        now = sum(map(_cpu_seconds, pids))
        if now - before < 0.02:
            break
        before = now
    return time.monotonic() - started


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """MOTEBOT_BENCH_DATABASE_URL, or a PostgreSQL server of the bench's own for the duration: initdb and
    pg_ctl into a temporary folder on a free port, reached over TCP on loopback (as a server on another
    host would be, less the network), durability as PostgreSQL ships it (fsync, synchronous_commit on)."""
    if url := os.environ.get("MOTEBOT_BENCH_DATABASE_URL"):
        yield url
        return
    bindir = _postgres_bindir()
    folder = Path(tempfile.mkdtemp(prefix="motebot-bench-pg-", dir="/tmp"))
    # initdb refuses to run as root: as root, the server runs as the postgres user (and owns the folder).
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_owner:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    data = folder / "data"
    pg_ctl = [*as_owner, str(bindir / "pg_ctl"), "-D", str(data)]
    try:
        subprocess.run([*as_owner, str(bindir / "initdb"), "-D", str(data), "-U", "motebot", "--auth=trust",
                        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True)  # fmt: skip
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        subprocess.run([*pg_ctl, "-l", str(folder / "log"), "-w", "-o", options, "start"], check=True,
                       capture_output=True)  # fmt: skip
        try:
            import psycopg

            with psycopg.connect(f"postgresql://motebot@127.0.0.1:{port}/postgres", autocommit=True) as conn:
                conn.execute("CREATE DATABASE motebot_bench")
            url = f"postgresql://motebot@127.0.0.1:{port}/motebot_bench"
            yield url
        finally:
            subprocess.run([*pg_ctl, "-m", "fast", "-w", "stop"], capture_output=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _postgres_bindir() -> Path:
    """initdb's folder: pg_config's, PATH's, or the newest /usr/lib/postgresql/*/bin."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        found = subprocess.run(["pg_config", "--bindir"], check=True, capture_output=True, text=True).stdout.strip()
        if (Path(found) / "initdb").exists():
            return Path(found)
    if initdb := shutil.which("initdb"):
        return Path(initdb).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if versions:
        return versions[-1].parent
    raise SystemExit("fant ikke PostgreSQL (initdb); sett MOTEBOT_BENCH_DATABASE_URL til en database å måle mot")


def purge_workspaces(url: str, places: list[Place]) -> None:
    """The bench's workspaces gone from a database it was given (its own server goes as a whole)."""
    from storage.postgres.store import PgStore
    from storage.postgres.transfer import purge

    for where in places:
        if where.url == url:
            purge(PgStore(url, where.workspace))


def _signed(body: str, content_type: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


_counter = iter(range(10**9))


def command_body(command: str, text: str = "", user: str = MEMBERS[0], channel: str = CHANNEL) -> str:
    fields = {"command": command, "text": text, "user_id": user, "team_id": "T0AKSON01", "channel_id": channel,
              "trigger_id": f"b.{next(_counter)}", "response_url": "http://127.0.0.1:9/"}  # fmt: skip
    return urlencode(fields)


def click_body(user: str, vote_id: str) -> str:
    action = {"action_id": "vote_for", "value": vote_id, "block_id": "b", "type": "button",
              "action_ts": f"{time.time():.6f}"}  # fmt: skip
    payload = {"type": "block_actions", "user": {"id": user}, "team": {"id": "T0AKSON01"},
               "trigger_id": f"c.{next(_counter)}", "channel": {"id": "C0STYRING"},
               "container": {"type": "message", "channel_id": "C0STYRING"}, "response_url": "http://127.0.0.1:9/",
               "actions": [action]}  # fmt: skip
    return urlencode({"payload": json.dumps(payload)})


def clicks(vote_id: str) -> Callable[[], str]:
    """One click after another, by the members in turn."""
    members = itertools.cycle(MEMBERS)
    return lambda: click_body(next(members), vote_id)


def send(conn: http.client.HTTPConnection, body: str) -> float:
    headers = _signed(body, "application/x-www-form-urlencoded")
    started = time.perf_counter()
    conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
    response = conn.getresponse()
    response.read()
    took = time.perf_counter() - started
    assert response.status == 200, response.status
    return took


def latencies(port: int, make_body, count: int) -> list[float]:  # type: ignore[no-untyped-def]
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(10):
        send(conn, make_body())  # warm up
    return [send(conn, make_body()) for _ in range(count)]


def throughput(port: int, make_body, clients: int = 8, seconds: float = 2.0) -> float:  # type: ignore[no-untyped-def]
    done = [0] * clients
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while time.monotonic() < stop:
            send(conn, make_body())
            done[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def after_edits_elsewhere(port: int, count: int) -> list[float]:
    """/dagsorden, each time just after the administrator has changed a case title in another body (the
    first, in its own channel): what one body's writes cost another's readers."""
    case = meetings(1, date.today())[0].cases[1].number  # a case of every body's last meeting
    conn = http.client.HTTPConnection("127.0.0.1", port)
    took = []
    for n in range(count):
        send(conn, command_body("/dagsorden", f"endre {case} tittel Endret {n}", ADMIN, "C0ORGAN0001"))
        took.append(send(conn, command_body("/dagsorden")))
    return took


def click_storm(port: int, vote_id: str) -> list[float]:
    """Fifty members click in the same instant; each click's latency."""
    results: list[float] = []
    barrier = threading.Barrier(len(MEMBERS))

    def member(user: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.connect()
        barrier.wait()
        results.append(send(conn, click_body(user, vote_id)))

    threads = [threading.Thread(target=member, args=(user,)) for user in MEMBERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def vote_in_one_second(port: int, vote_id: str, voters: list[str], seconds: float = 1.0) -> list[float]:
    """Each of `voters` clicks once, the clicks spread evenly over `seconds`, each on a connection of its own
    (opened first, so a front deals them round robin to its processes); each click's latency."""
    results: list[float] = []
    barrier = threading.Barrier(len(voters) + 1)
    start: list[float] = []

    def member(n: int, user: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.connect()
        barrier.wait()
        time.sleep(max(0.0, start[0] + n * seconds / len(voters) - time.monotonic()))
        results.append(send(conn, click_body(user, vote_id)))

    threads = [threading.Thread(target=member, args=(n, user)) for n, user in enumerate(voters)]
    for thread in threads:
        thread.start()
    start.append(time.monotonic() + 0.1)
    barrier.wait()
    for thread in threads:
        thread.join()
    return results


def open_vote_of(port: int, where: Place, body: int, voters: list[str], per_body: int, api: SlackStandIn) -> int:
    """`voters` made members of the body, and the rounds' vote (on the first case of the next meeting, the
    approval of its agenda) stopped and opened again after they joined (who may vote is fixed as a vote
    opens); the new vote's number. TinyDB's file is its server's alone: there the number is read from the
    vote's message in the channel (its metadata)."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for at in range(0, len(voters), 50):
        mentions = " ".join(f"<@{user}>" for user in voters[at : at + 50])
        send(conn, command_body("/medlemmer", f"leggtil {mentions} medlem", ADMIN))
    case = meetings(per_body, date.today())[-1].cases[0].number
    send(conn, command_body("/avstemning", f"avbryt {case}", ADMIN))
    seen = len(api.calls_to("chat.postMessage"))
    send(conn, command_body("/avstemning", str(case), ADMIN))
    if where.url is None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            posted = [_vote_of_post(call.params) for call in api.calls_to("chat.postMessage")[seen:]]
            if numbers := [n for n in posted if n is not None]:
                return numbers[0]
            time.sleep(0.1)
        raise RuntimeError(f"avstemningen på sak {case} ble ikke postet")
    store = where.open()
    try:
        found = [vote for vote in store.body(body).votes.all(open_only=True) if vote.case == case]
    finally:
        store.close()
    if len(found) != 1 or not set(voters) <= found[0].electorate:
        raise RuntimeError(f"avstemningen på sak {case} ble ikke åpnet for de {len(voters)}: {found}")
    return found[0].id


def _vote_of_post(params: dict[str, object]) -> int | None:
    """The number in a vote message's metadata key (vote:N:post)."""
    metadata = params.get("metadata")
    key = str(metadata.get("event_payload", {}).get("key", "")) if isinstance(metadata, dict) else ""
    parts = key.split(":")
    return int(parts[1]) if len(parts) == 3 and parts[0] == "vote" and parts[2] == "post" else None


def lost_ballots(where: Place, body: int, vote_id: int, voters: list[str]) -> list[str]:
    """The voters whose click was answered but whose ballot is not in the vote (read afresh from the store)."""
    store = where.open()
    try:
        vote = store.body(body).votes.get(vote_id)
    finally:
        store.close()
    assert vote is not None
    return [user for user in voters if user not in vote.ballots]


STORAGE_BODIES = (1, 10, 100)
OSLO = ZoneInfo("Europe/Oslo")


def _per_call(call: Callable[[], object], calls: int = 2000) -> float:
    """Seconds per call: the best of five loops (the one the host disturbed least)."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(calls):
            call()
        best = min(best, (time.perf_counter() - started) / calls)
    return best


def _after_each(write: Callable[[], object], read: Callable[[], object], times: int = 200) -> float:
    """Seconds the first `read` after each `write` takes (the write not counted): the median."""
    samples = []
    for _ in range(times):
        write()
        started = time.perf_counter()
        read()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _store_timings(where: Place, bodies: int, now: datetime) -> list[float | None]:
    store = where.open()
    calls = 2000 if where.url is None else 200  # a round trip each on PostgreSQL: far fewer fill the time
    try:
        probe, other = store.body(bodies).meetings, store.body(1).meetings  # the last body made, and the first
        plan = probe.all()
        wanted, rewritten = plan[-1].number, plan[0]
        probe.next(now)
        return [
            _per_call(lambda: probe.get(wanted), calls),
            _per_call(lambda: probe.next(now), calls),
            _after_each(lambda: probe.save([rewritten]), lambda: probe.next(now)),
            _after_each(lambda: other.save([rewritten]), lambda: probe.next(now)) if bodies > 1 else None,
        ]
    finally:
        store.close()


def storage_bench(folder: Path, per_body: int, url: str | None, places: list[Place]) -> list[str]:
    """One body's reads in the store, at 1, 10 and 100 bodies of `per_body` meetings: one meeting by
    number, the next meeting, and the next meeting after a write in its own body and in another."""
    results: dict[int, list[float | None]] = {}
    now = datetime.now(OSLO)
    engine = "PostgreSQL, " if url else ""
    for bodies in STORAGE_BODIES:
        where = place(folder / f"storage-{'pg' if url else 'tiny'}-{bodies}", url)
        places.append(where)
        build_bodies(where, bodies, per_body)
        results[bodies] = _store_timings(where, bodies, now)
    one = results[STORAGE_BODIES[0]]
    rows = []
    for bodies, timings in results.items():
        cells = []
        for n, seconds in enumerate(timings):
            base = one[n] if one[n] is not None else one[1]  # a write elsewhere: against the next meeting, warm
            cells.append("–" if seconds is None or base is None else f"{seconds * 1e6:.1f} µs ({seconds / base:.2f}×)")
        rows.append(f"| {engine}{bodies} × {per_body} | " + " | ".join(cells) + " |")
    return rows


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 2 else values[0] * 1000


DEFAULT, FLOOR, FRONTED_FLOOR = "bare (default ack)", "bare (process_before_response)", "bare (pbr) bak fronten"


def _vs_default(results, name: str) -> str:  # type: ignore[no-untyped-def]
    """Throughput against the default app measured in the same round, so drift on this shared machine
    hits both sides of each ratio alike: the median ratio, and the lowest and highest round."""
    ratios = sorted(t / d for t, d in zip(results[name]["tput"], results[DEFAULT]["tput"], strict=True))
    spread = f", {ratios[0]:.1f}–{ratios[-1]:.1f}" if len(ratios) > 1 else ""
    return f"{statistics.median(ratios):.2f}× standard{spread}"


def _pair(r: dict[str, list[float]], what: str) -> str:
    return f"{p(r[what], 50):.2f} / {p(r[what], 95):.2f} ms"


def _bare_rows(results, bare):  # type: ignore[no-untyped-def]
    rows = []
    for name, target in bare.items():
        r = results[name]
        versus = "" if name == DEFAULT else f" ({_vs_default(results, name)})"
        rss = f"{target.rss_mb():.0f} MB" if name != FRONTED_FLOOR else "–"
        rows.append(
            f"| {name} | {_pair(r, 'dagsorden')} | {_pair(r, 'frister')} | {_pair(r, 'click')} | "
            f"{statistics.median(r['tput']):.0f}/s{versus} | {p(r['storm'], 95):.0f} ms | {rss} | – |"
        )
    return rows


def _floors(results, name: str, fronted: bool) -> str:  # type: ignore[no-untyped-def]
    """/dagsorden p50 against the floor app; behind the front, against the floor behind it too."""
    mine = p(results[name]["dagsorden"], 50)
    said = f"{mine / p(results[FLOOR]['dagsorden'], 50):.2f}× gulvet"
    if fronted and FRONTED_FLOOR in results:
        said += f", {mine / p(results[FRONTED_FLOOR]['dagsorden'], 50):.2f}× gulvet bak fronten"
    return said


def _bot_row(results, bot, seconds: float) -> str:  # type: ignore[no-untyped-def]
    mine = results[bot.name]
    return (
        f"| {bot.name} | {_pair(mine, 'dagsorden')} ({_floors(results, bot.name, isinstance(bot, Fleet))}) | "
        f"{_pair(mine, 'frister')} | {_pair(mine, 'click')} | "
        f"{statistics.median(mine['tput']):.0f}/s ({_vs_default(results, bot.name)}) | {p(mine['storm'], 95):.0f} ms | "
        f"{bot.rss_mb():.0f} MB | {seconds:.1f} s |"
    )


def _runs(args: argparse.Namespace) -> list[tuple[str, int, int, Callable[[Place], float]]]:
    """What each database is, its number of bodies and of meetings in each, and how to build it in a place
    (returning the seconds it took)."""
    if args.bodies:
        per = args.per_body
        return [
            (f"{n} organ × {per} møter", n, per, lambda where, n=n: build_bodies(where, n, per))
            for n in map(int, args.bodies.split(","))
        ]
    return [
        (f"{n} {'møte' if n == 1 else 'møter'}", 1, n, lambda where, n=n: build(where.folder, n, env=where.env()))
        for n in map(int, args.sizes.split(","))
    ]


ENGINES = {"tinydb": "TinyDB", "postgresql": "PostgreSQL"}


def _variants(engines: list[str], processes: list[int]) -> list[tuple[str, int]]:
    """(engine, processes) to measure on each database: TinyDB in one process only (its file is one process's)."""
    return [(engine, n) for engine in engines for n in (processes if engine == "postgresql" else [1])]


def _name(label: str, engine: str, processes: int, engines: list[str]) -> str:
    if engines == ["tinydb"]:
        return f"Møtebot, {label}"  # as before there was a second engine
    count = f", {processes} {'prosess' if processes == 1 else 'prosesser'}" if engine == "postgresql" else ""
    return f"Møtebot, {ENGINES[engine]}{count}, {label}"


def _measure(targets, rounds: int, count: int, vote_id: str) -> dict[str, dict[str, list[float]]]:  # type: ignore[no-untyped-def]
    results: dict[str, dict[str, list[float]]] = {}
    for _ in range(rounds):  # alternate, so drift hits all alike
        for target in targets:
            r = results.setdefault(target.name, {})
            r.setdefault("dagsorden", []).extend(latencies(target.port, lambda: command_body("/dagsorden"), count))
            r.setdefault("frister", []).extend(latencies(target.port, lambda: command_body("/frister"), count))
            r.setdefault("click", []).extend(latencies(target.port, clicks(vote_id), count))
            r.setdefault("tput", []).append(throughput(target.port, lambda: command_body("/dagsorden")))
            r.setdefault("storm", []).extend(click_storm(target.port, vote_id))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", help="meetings in one body, one database each (default 1,100,1000)")
    parser.add_argument("--bodies", help="bodies, one database each (for example 1,100), instead of --sizes")
    parser.add_argument("--per-body", type=int, default=50, help="meetings in each body, with --bodies")
    parser.add_argument("--engine", default="tinydb", help="tinydb, postgresql, or both in the same rounds")
    parser.add_argument(
        "--processes", default="1,4", help="with postgresql: how many `motebot serve` on one database (1,4)"
    )
    parser.add_argument("--storage-only", action="store_true", help="only the storage micro-benchmark")
    parser.add_argument(
        "--imports", metavar="TEXTS,PDFS", help="only `motebot import` of that many text and PDF notices (1000,100)"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer requests per measurement")
    args = parser.parse_args()
    engines = args.engine.split(",")
    if unknown := set(engines) - set(ENGINES):
        parser.error(f"--engine: {', '.join(sorted(unknown))}? (tinydb, postgresql)")
    processes = [int(n) for n in args.processes.split(",")]
    if not args.sizes and not args.bodies:
        if "postgresql" in engines:
            args.bodies = "100"
        else:
            args.sizes = "1,100,1000"
    count = 60 if args.quick else 200
    if args.imports:
        texts, pdfs = map(int, args.imports.split(","))
        with tempfile.TemporaryDirectory(prefix="motebot-bench-") as scratch:
            rows = import_bench(Path(scratch), texts, pdfs)
        print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print("| import | i alt | per innkalling | mot tekst |")
        print("| --- | --- | --- | --- |")
        print("\n".join(rows))
        return
    runs = [] if args.storage_only else _runs(args)
    variants = _variants(engines, processes)
    rows: list[str] = []
    elsewhere: list[str] = []  # /dagsorden just after a change in another body
    voting: list[str] = []  # 200 members in one second
    storage_rows: list[str] = []
    notes: list[str] = []
    failures: list[str] = []  # ballots answered but not stored: said after the tables, and the bench fails
    with contextlib.ExitStack() as stack:
        api = stack.enter_context(SlackStandIn(TOKEN))
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="motebot-bench-")))
        url = stack.enter_context(postgres_database()) if "postgresql" in engines else None
        places: list[Place] = []  # the bench's workspaces, purged at the end from a database it was given
        if url and os.environ.get("MOTEBOT_BENCH_DATABASE_URL"):
            stack.callback(purge_workspaces, url, places)
        bare: dict[str, Target] = {}
        if runs:
            for name, flag in ((DEFAULT, []), (FLOOR, ["--process-before-response"])):
                port = _free_port()
                bare[name] = Target(name, [sys.executable, str(ROOT / "bench" / "bare_app.py"), str(port), *flag],
                                    _env(SLACK_BOT_TOKEN=TOKEN, SLACK_API_URL=api.base_url), ROOT, port)  # fmt: skip
                stack.callback(bare[name].stop)
            if any(n > 1 for _, n in variants):
                bare[FRONTED_FLOOR] = front(FRONTED_FLOOR, [bare[FLOOR].port], ROOT)
                stack.callback(bare[FRONTED_FLOOR].stop)
        for number, (label, bodies, per_body, make) in enumerate(runs):
            bots: list[Target | Fleet] = []
            storms: list[tuple[str, Place, int, list[float]]] = []
            built: dict[str, float] = {}
            wheres: dict[str, Place] = {}
            try:
                for engine, n in variants:
                    where = place(scratch / f"run-{number}-{engine}-{n}", url if engine == "postgresql" else None)
                    places.append(where)
                    name = _name(label, engine, n, engines)
                    built[name] = make(where)
                    wheres[name] = where
                    bots.append(motebot_serve(name, where, api, n))
                for bot in bots:
                    conn = http.client.HTTPConnection("127.0.0.1", bot.port)
                    mentions = " ".join(f"<@{m}>" for m in MEMBERS)
                    send(conn, command_body("/medlemmer", f"leggtil {mentions} medlem", ADMIN))
                    send(conn, command_body("/avstemning", "", ADMIN))
                waited = settle(bots)
                notes.append(
                    f"{label}: serverne var travle (planla) i {waited:.0f} s etter oppstarten; målingene ventet"
                )
                vote_id = "1"
                results = _measure([*bare.values(), *bots], args.rounds, count, vote_id)
                if bodies > 1:  # each change re-plans every body's posts, in the background, for a while
                    for bot in bots:
                        results[bot.name]["elsewhere"] = after_edits_elsewhere(bot.port, count * args.rounds)
                        settle([bot])
                if not rows:
                    rows.extend(_bare_rows(results, bare))
                rows.extend(_bot_row(results, bot, built[bot.name]) for bot in bots)
                floor = p(results[FLOOR]["dagsorden"], 50)
                for bot in bots:
                    if "elsewhere" in results[bot.name]:
                        elsewhere.append(
                            f"| {bot.name} | {_pair(results[bot.name], 'elsewhere')} "
                            f"({p(results[bot.name]['elsewhere'], 50) / floor:.2f}× gulvet) |"
                        )
                for bot in bots:
                    where = wheres[bot.name]
                    vote = open_vote_of(bot.port, where, bodies, VOTERS, per_body, api)
                    settle([bot])
                    storms.append((bot.name, where, vote, vote_in_one_second(bot.port, str(vote), VOTERS)))
            finally:
                for bot in bots:
                    bot.stop()
            for name, where, vote, took in storms:  # read after the servers stopped: TinyDB's file is theirs
                lost = lost_ballots(where, bodies, vote, VOTERS)
                voting.append(
                    f"| {name} | {_pair({'v': took}, 'v')} | {max(took) * 1000:.0f} ms | "
                    f"{len(VOTERS) - len(lost)} av {len(VOTERS)} |"
                )
                if lost:
                    failures.append(f"{name}: {len(lost)} stemmer besvart, men ikke lagret: {lost[:5]} …")
        if args.bodies or args.storage_only:
            for engine in engines:
                storage_rows += storage_bench(scratch, args.per_body, url if engine == "postgresql" else None, places)
    machine = f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    print(machine + (f", {args.rounds} rounds × {count} requests" if rows else ""))
    for note in notes:
        print(note)
    if rows:
        print(
            "| app | /dagsorden p50 / p95 | /frister p50 / p95 | klikk p50 / p95 | 8 klienter | 50 klikk samtidig, p95 "
            "| RSS | bygget |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for row in rows:
            print(row)
    if elsewhere:
        print()
        print("| app | /dagsorden rett etter en endring i et annet organ, p50 / p95 |")
        print("| --- | --- |")
        for row in elsewhere:
            print(row)
    if voting:
        print()
        print(f"| app | {len(VOTERS)} stemmer på ett sekund: klikk p50 / p95 | tregeste | stemmer lagret |")
        print("| --- | --- | --- | --- |")
        for row in voting:
            print(row)
    if storage_rows:
        print()
        print(
            "| organ × møter | meetings.get(n) | meetings.next(now) | next etter skriving i samme organ "
            "| next etter skriving i et annet organ |"
        )
        print("| --- | --- | --- | --- | --- |")
        for row in storage_rows:
            print(row)
    if failures:
        raise SystemExit("\n".join(failures))


if __name__ == "__main__":
    main()
