"""Møtebot against the floor of any Bolt app on this machine, as the data grows.

    .venv/bin/python bench/run.py [--sizes 1,100,1000] [--rounds 5] [--quick]
    .venv/bin/python bench/run.py --bodies 1,100 [--per-body 50] [--rounds 5] [--quick]
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

With --imports, only `motebot import`: that many generated Markdown notices in one command, and that many
PDFs of the same notices (ruled agenda, running header and footer, "Side N av M"; written before the clock
starts) in another; the PDFs' time per notice is given as a ratio to the text notices' of the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
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
from storage import TinyStore  # noqa: E402

SECRET = "bench-signing-secret"
CHANNEL = "C0STYRING"  # where the requests come from
TOKEN = "xoxb-bench"
ADMIN = "U0ADMIN01"
MEMBERS = [f"U0V{n:06d}" for n in range(50)]
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


def build(folder: Path, size: int, kind: str = "md") -> float:
    """Notices for `size` meetings, the last a week from today, as Markdown or (kind "pdf") as PDFs written
    with tests/documents.py (made before the clock starts); returns seconds for `motebot import`."""
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
    done = subprocess.run([sys.executable, "-m", "bot.run.cli", "import", *files], cwd=folder, env=_env(),
                          capture_output=True, text=True)  # fmt: skip
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


def build_bodies(path: Path, bodies: int, per_body: int, channel: str | None = CHANNEL) -> float:
    """`bodies` bodies of `per_body` meetings (and a deadline each) through the store, in one commit;
    the last body is bound to `channel`. Returns the seconds it took."""
    started = time.perf_counter()
    plan = meetings(per_body, date.today())
    store = TinyStore(path)
    try:
        with store.transaction():
            for n in range(1, bodies + 1):
                here = channel if n == bodies else f"C0ORGAN{n:04d}"
                body = store.bodies.create(
                    Body(0, f"Organ {n}", f"organ-{n}", channel=here, calendar_token=f"token-{n}",
                         public_channel=True, readable=True)
                )  # fmt: skip
                records = store.body(body.id)
                records.meetings.save(plan)
                for meeting in plan:
                    records.deadlines.add(
                        Deadline(0, f"levere notat {meeting.number}", meeting.day + timedelta(days=20))
                    )
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
        self._log.close()


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


def _store_timings(path: Path, bodies: int, now: datetime) -> list[float | None]:
    store = TinyStore(path)
    try:
        probe, other = store.body(bodies).meetings, store.body(1).meetings  # the last body made, and the first
        plan = probe.all()
        wanted, rewritten = plan[-1].number, plan[0]
        probe.next(now)
        return [
            _per_call(lambda: probe.get(wanted)),
            _per_call(lambda: probe.next(now)),
            _after_each(lambda: probe.save([rewritten]), lambda: probe.next(now)),
            _after_each(lambda: other.save([rewritten]), lambda: probe.next(now)) if bodies > 1 else None,
        ]
    finally:
        store.close()


def storage_bench(folder: Path, per_body: int) -> list[str]:
    """One body's reads in the store, at 1, 10 and 100 bodies of `per_body` meetings: one meeting by
    number, the next meeting, and the next meeting after a write in its own body and in another."""
    results: dict[int, list[float | None]] = {}
    now = datetime.now(OSLO)
    for bodies in STORAGE_BODIES:
        path = folder / f"storage-{bodies}" / "motebot.json"
        build_bodies(path, bodies, per_body)
        results[bodies] = _store_timings(path, bodies, now)
    one = results[STORAGE_BODIES[0]]
    rows = []
    for bodies, timings in results.items():
        cells = []
        for n, seconds in enumerate(timings):
            base = one[n] if one[n] is not None else one[1]  # a write elsewhere: against the next meeting, warm
            cells.append("–" if seconds is None or base is None else f"{seconds * 1e6:.1f} µs ({seconds / base:.2f}×)")
        rows.append(f"| {bodies} × {per_body} | " + " | ".join(cells) + " |")
    return rows


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 2 else values[0] * 1000


def _vs_default(results, name: str) -> str:  # type: ignore[no-untyped-def]
    """Throughput against the default app measured in the same round, so drift on this shared machine
    hits both sides of each ratio alike: the median ratio, and the lowest and highest round."""
    ratios = sorted(t / d for t, d in zip(results[name]["tput"], results["bare (default ack)"]["tput"], strict=True))
    spread = f", {ratios[0]:.1f}–{ratios[-1]:.1f}" if len(ratios) > 1 else ""
    return f"{statistics.median(ratios):.2f}× standard{spread}"


def _pair(r: dict[str, list[float]], what: str) -> str:
    return f"{p(r[what], 50):.2f} / {p(r[what], 95):.2f} ms"


def _rows(label, results, bot, bare, import_seconds, *, first):  # type: ignore[no-untyped-def]
    floor, mine = results["bare (process_before_response)"], results[bot.name]
    rows = []
    if first:
        for name in bare:
            r = results[name]
            versus = "" if name == "bare (default ack)" else f" ({_vs_default(results, name)})"
            rows.append(
                f"| {name} | {_pair(r, 'dagsorden')} | {_pair(r, 'frister')} | {_pair(r, 'click')} | "
                f"{statistics.median(r['tput']):.0f}/s{versus} | {p(r['storm'], 95):.0f} ms | "
                f"{bare[name].rss_mb():.0f} MB | – |"
            )
    vs_floor = p(mine["dagsorden"], 50) / p(floor["dagsorden"], 50)
    rows.append(
        f"| Møtebot, {label} | {_pair(mine, 'dagsorden')} ({vs_floor:.2f}× gulvet) | "
        f"{_pair(mine, 'frister')} | {_pair(mine, 'click')} | "
        f"{statistics.median(mine['tput']):.0f}/s ({_vs_default(results, bot.name)}) | {p(mine['storm'], 95):.0f} ms | "
        f"{bot.rss_mb():.0f} MB | {import_seconds:.1f} s |"
    )
    return rows


def _runs(args: argparse.Namespace) -> list[tuple[str, int, Callable[[Path], float]]]:
    """What each database is, its number of bodies, and how to build it in a folder (returning the
    seconds it took)."""
    if args.bodies:
        per = args.per_body
        return [
            (f"{n} organ × {per} møter", n, lambda folder, n=n: build_bodies(folder / "motebot.json", n, per))
            for n in map(int, args.bodies.split(","))
        ]
    return [
        (f"{n} {'møte' if n == 1 else 'møter'}", 1, lambda folder, n=n: build(folder, n))
        for n in map(int, args.sizes.split(","))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,100,1000", help="meetings in one body, one database each")
    parser.add_argument("--bodies", help="bodies, one database each (for example 1,100), instead of --sizes")
    parser.add_argument("--per-body", type=int, default=50, help="meetings in each body, with --bodies")
    parser.add_argument("--storage-only", action="store_true", help="only the storage micro-benchmark")
    parser.add_argument(
        "--imports", metavar="TEXTS,PDFS", help="only `motebot import` of that many text and PDF notices (1000,100)"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer requests per measurement")
    args = parser.parse_args()
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
    rows: list[str] = []
    elsewhere: list[str] = []  # /dagsorden just after a change in another body
    storage_rows: list[str] = []
    with SlackStandIn(TOKEN) as api, tempfile.TemporaryDirectory(prefix="motebot-bench-") as scratch:
        bare = {}
        for name, flag in (
            ("bare (default ack)", []),
            ("bare (process_before_response)", ["--process-before-response"]),
        ):
            if not runs:
                break
            port = _free_port()
            bare[name] = Target(name, [sys.executable, str(ROOT / "bench" / "bare_app.py"), str(port), *flag],
                                _env(SLACK_BOT_TOKEN=TOKEN, SLACK_API_URL=api.base_url), ROOT, port)  # fmt: skip
        try:
            for number, (label, bodies, make) in enumerate(runs):
                folder = Path(scratch) / f"run-{number}"
                folder.mkdir()
                import_seconds = make(folder)
                port = _free_port()
                env = _env(SLACK_BOT_TOKEN=TOKEN, SLACK_API_URL=api.base_url, MOTEBOT_ADMINS=ADMIN,
                           MOTEBOT_CHANNEL=CHANNEL)  # fmt: skip
                bot = Target(f"motebot ({label})", [sys.executable, "-m", "bot.run.cli", "serve", "--port", str(port)],
                             env, folder, port)  # fmt: skip
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port)
                    send(
                        conn,
                        command_body(
                            "/medlemmer", "leggtil " + " ".join(f"<@{m}>" for m in MEMBERS) + " medlem", ADMIN
                        ),
                    )
                    send(conn, command_body("/avstemning", "", ADMIN))
                    time.sleep(0.5)
                    vote_id = "1"
                    results: dict[str, dict[str, list[float]]] = {}
                    for _ in range(args.rounds):  # alternate, so drift hits all alike
                        for target in (*bare.values(), bot):
                            r = results.setdefault(target.name, {})
                            r.setdefault("dagsorden", []).extend(
                                latencies(target.port, lambda: command_body("/dagsorden"), count)
                            )
                            r.setdefault("frister", []).extend(
                                latencies(target.port, lambda: command_body("/frister"), count)
                            )
                            r.setdefault("click", []).extend(latencies(target.port, clicks(vote_id), count))
                            r.setdefault("tput", []).append(throughput(target.port, lambda: command_body("/dagsorden")))
                            r.setdefault("storm", []).extend(click_storm(target.port, vote_id))
                    if bodies > 1:  # last: each change re-plans every body's posts, in the background, for a while
                        results[bot.name]["elsewhere"] = after_edits_elsewhere(bot.port, count * args.rounds)
                    rows.extend(_rows(label, results, bot, bare, import_seconds, first=number == 0))
                    if "elsewhere" in results[bot.name]:
                        floor = p(results["bare (process_before_response)"]["dagsorden"], 50)
                        elsewhere.append(
                            f"| Møtebot, {label} | {_pair(results[bot.name], 'elsewhere')} "
                            f"({p(results[bot.name]['elsewhere'], 50) / floor:.2f}× gulvet) |"
                        )
                finally:
                    bot.stop()
        finally:
            for target in bare.values():
                target.stop()
        if args.bodies or args.storage_only:
            storage_rows = storage_bench(Path(scratch), args.per_body)
    machine = f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    print(machine + (f", {args.rounds} rounds × {count} requests" if rows else ""))
    if rows:
        print(
            "| app | /dagsorden p50 / p95 | /frister p50 / p95 | klikk p50 / p95 | 8 klienter | 50 klikk samtidig, p95 "
            "| RSS | import |"
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
    if storage_rows:
        print()
        print(
            "| organ × møter | meetings.get(n) | meetings.next(now) | next etter skriving i samme organ "
            "| next etter skriving i et annet organ |"
        )
        print("| --- | --- | --- | --- | --- |")
        for row in storage_rows:
            print(row)


if __name__ == "__main__":
    main()
