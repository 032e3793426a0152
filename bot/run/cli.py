"""The `motebot` command: import, serve, console. Operator errors are one line and an exit code."""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
import tempfile
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from bot.core.clock import Clock, ManualClock, SystemClock
from bot.core.formatting import long_date
from bot.core.notices.reader import NoticeError, ParsedNotice, read_notice
from bot.core.rules import Body
from bot.run.settings import Settings, SettingsError, load_settings
from bot.usecases.innkalling import Elsewhere, Imported, Preview, guess_body, import_notices, preview
from bot.usecases.motebot import only_body
from bot.usecases.services import Installation, Services
from storage import (
    DatabaseBusy,
    DatabaseUnavailable,
    DatabaseUnreadable,
    TinyStore,
    WorkspaceInstalled,
    open_postgres,
    open_store,
)
from storage.protocol import StoreP

if TYPE_CHECKING:
    from bot.run.app import Motebot

log = logging.getLogger("motebot")

# The demo's clock starts a week before the seed meeting (onsdag 1. juli 2020), so it is "next".
DEMO_NOW = "2020-06-24T08:00"


class CliError(Exception):
    """A mistake in how the command was called."""


class _Help(argparse.HelpFormatter):
    """argparse's help with Norwegian headings: its own words come from gettext's default domain, which has no
    Norwegian, so they are given here."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action], groups: Iterable[Any],
                  prefix: str | None = None) -> None:  # fmt: skip
        super().add_usage(usage, actions, groups, "bruk: " if prefix is None else prefix)


# argparse's own refusals, as an operator reads them in Norwegian
_ARGPARSE_ERRORS = (
    (re.compile(r"^the following arguments are required: (.*)$"), "mangler: {0}"),
    (re.compile(r"^unrecognized arguments: (.*)$"), "forstod ikke: {0}"),
    (
        re.compile(r"^argument (.*): invalid choice: (.*) \(choose from (.*)\)$"),
        "{0}: ukjent valg {1} (velg blant {2})",
    ),
    (re.compile(r"^argument (.*): invalid (\w+) value: (.*)$"), "{0}: ugyldig verdi {2}"),
    (re.compile(r"^argument (.*): expected one argument$"), "{0}: mangler en verdi"),
)


class _Parser(argparse.ArgumentParser):
    """An argument parser that speaks Norwegian: «bruk:», «argumenter», «valg», `-h/--hjelp`, and its errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Help)
        kwargs["add_help"] = False  # its own -h/--hjelp below
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "valg"
        self.add_argument("-h", "--hjelp", action="help", default=argparse.SUPPRESS, help="vis denne hjelpen")
        self.add_argument("--help", action="help", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    def error(self, message: str) -> NoReturn:
        for pattern, said in _ARGPARSE_ERRORS:
            if match := pattern.match(message):
                message = said.format(*match.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n")


def _import_into(
    installation: Installation, short_name: str | None, paths: Sequence[Path], actor: str, overwrite: bool = False
) -> tuple[list[ParsedNotice], Imported]:
    """All files or none: every file is read before anything is stored."""
    parsed = [read_notice(path) for path in paths]
    services = _import_body(installation, short_name, parsed)
    elsewhere = Elsewhere.of_operator(installation)
    return parsed, import_notices(services, actor, parsed, elsewhere, overwrite=overwrite)


def _describe(notice: ParsedNotice) -> str:
    meeting = notice.meeting
    count = len(meeting.cases)
    lines = [
        f"møte {meeting.number} ({meeting.title}, {long_date(meeting.day)}): "
        f"{count} {'sak' if count == 1 else 'saker'} – " + ", ".join(str(case.number) for case in meeting.cases)
    ]
    lines += [f"  Merk: {warning}" for warning in notice.warnings]
    return "\n".join(lines)


def _body(installation: Installation, short_name: str | None) -> Services | None:
    """The body named, or the only one."""
    bodies = installation.bodies()
    if short_name is not None:
        found = installation.store.bodies.named(short_name)
        if found is None:
            known = ", ".join(body.short_name for body in bodies) or "ingen"
            raise CliError(f"--organ: det finnes ikke noe organ som heter «{short_name}» (de som finnes: {known})")
        return installation.services(found)
    return installation.services(bodies[0]) if len(bodies) == 1 else None


def _one_body(settings: Settings, store: StoreP, short_name: str | None) -> Services:
    """For a command about one body's records: the body named, or the only one, or what to write."""
    services = _body(settings.installation(store, SystemClock(settings.tz)), short_name)
    if services is None:
        raise CliError("databasen har ingen organ (eller flere): si hvilket med --organ KORTNAVN")
    return services


def _import_body(installation: Installation, short_name: str | None, notices: list[ParsedNotice]) -> Services:
    """The body named, or the only one, or the one the notices' headings name."""
    services = _body(installation, short_name)
    if services is not None:
        return services
    bodies = installation.bodies()
    guess = guess_body(notices, bodies)
    if guess is None:
        known = ", ".join(body.short_name for body in bodies) or "ingen"
        raise CliError(
            "databasen har flere organ, og overskriften i innkallingen sier ikke hvilket den gjelder: "
            f"si hvilket med --organ KORTNAVN (de som finnes: {known})"
        )
    print(f"Organ: {guess.name} (ut fra overskriften; et annet organ velges med --organ KORTNAVN)")
    return installation.services(guess)


def _clock(settings: Settings, now: str | None) -> Clock:
    if now is None:
        return SystemClock(settings.tz)
    try:
        start = datetime.fromisoformat(now)
    except ValueError:
        raise CliError(f"--now: forstod ikke «{now}»; skriv for eksempel 2020-06-24T08:00") from None
    return ManualClock(start.replace(tzinfo=settings.tz) if start.tzinfo is None else start.astimezone(settings.tz))


def cmd_import(args: argparse.Namespace) -> int:
    from bot.run.console import render
    from bot.slack.views import innkalling as view

    settings = load_settings()
    store = open_store(settings)
    try:
        installation = settings.installation(store, SystemClock(settings.tz))
        if args.dry_run:
            parsed = [read_notice(path) for path in args.files]
            if installation.bodies():
                services = _import_body(installation, args.organ, parsed)
            else:  # a new database: the body `motebot import` would make, not made
                services = installation.services(Body(1, settings.motebot_body_name, "ny"))
            facts = Preview(services.body, preview(services, parsed), (services.body,), None)
            print(render(view.preview(facts, [], buttons=False).as_kwargs()), end="")
            print("Ingenting ble importert (--dry-run).")
            return 0
        if not installation.bodies():
            only_body(installation, settings.motebot_body_name)
        parsed, imported = _import_into(installation, args.organ, args.files, "motebot import", args.overskriv)
    except NoticeError as error:
        raise CliError(f"{error}\nIngenting ble importert.") from None
    finally:
        store.close()
    for notice in parsed:
        print("Importerte " + _describe(notice))
    if any(reading.changes or reading.conflicts or reading.notice.missing for reading in imported.readings):
        print(render(view.import_report(imported).as_kwargs()), end="")
    for body in imported.plans_elsewhere:
        print(f"Møteplanen for {body.name} ble lagt i det organet.")
    return 0


def _connect(settings: Settings, store: StoreP, *, socket_mode: bool) -> Motebot:
    """The bot for a real workspace: Slack must answer auth.test, and notices need a channel."""
    from bot.run.app import build_bot

    try:
        installation = settings.installation(store, SystemClock(settings.tz))
        bot = build_bot(settings, installation, socket_mode=socket_mode)
    except OSError as error:
        reason = getattr(error, "reason", error)
        raise CliError(f"kunne ikke nå Slack på {settings.slack_api_url} ({reason}); sjekk nettverket") from None
    if not settings.motebot_channel:
        log.warning("MOTEBOT_CHANNEL er ikke satt: påminnelser om frister og møter blir ikke postet.")
    if socket_mode and settings.motebot_public_url:
        log.warning(
            "MOTEBOT_PUBLIC_URL er satt, men «motebot socket» serverer ikke kalenderlenkene; det gjør «motebot serve»."
        )
    return bot


def cmd_serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.oauth:
        return _serve_many(args, settings)
    settings.require("slack_bot_token", "slack_signing_secret")
    store = open_store(settings)
    try:
        _serve(args, settings, _connect(settings, store, socket_mode=False))
    finally:
        store.close()
    return 0


def _serve_many(args: argparse.Namespace, settings: Settings) -> int:
    """Many workspaces: each installs Møtebot at /slack/install (Slack's OAuth flow)."""
    from bot.run.app import build_many

    try:
        bot = build_many(settings, SystemClock(settings.tz))
    except OSError as error:
        raise CliError(
            f"kunne ikke nå databasen eller Slack ({error}); sjekk MOTEBOT_DATABASE_URL og nettverket"
        ) from None
    where = settings.motebot_public_url or f"http://{args.host}:{args.port}"
    log.info("Mange arbeidsområder: hvert installerer Møtebot på %s/slack/install", where)
    _serve(args, settings, bot)
    return 0


def _serve(args: argparse.Namespace, settings: Settings, bot: Motebot) -> None:
    from bot.slack.server import SLACK_PATH, Server

    server = Server(bot.app, args.host, args.port, feed=bot.feed)
    log.info("Møtebot lytter på http://%s:%s%s", args.host, server.port, SLACK_PATH)
    if settings.motebot_public_url:
        log.info("Kalenderne kan abonneres på under %s/ical/", settings.motebot_public_url)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: server.stop())
    bot.start_scheduler()
    try:
        server.run()
    finally:
        bot.stop()
    log.info("Møtebot stoppet.")


def cmd_ical(args: argparse.Namespace) -> int:
    from bot.core.ical import calendar

    settings = load_settings()
    store = open_store(settings)
    try:
        services = _one_body(settings, store, args.organ)
        body = services.body
        content = calendar(services.store.meetings.all(), SystemClock(settings.tz).now(), name=body.name, body=body.id)
    finally:
        store.close()
    if args.out == "-":
        sys.stdout.buffer.write(content)
    else:
        try:
            Path(args.out).write_bytes(content)
        except OSError as error:
            raise CliError(f"kan ikke skrive {args.out}: {error.strerror}") from None
        print(f"Skrev møteplanen til {args.out}.")
    return 0


def cmd_protokoll(args: argparse.Namespace) -> int:
    """The minutes of a meeting as a file: PDF, or Markdown for a name ending in .md (the same as in Slack)."""
    from bot.core.domain import Serial
    from bot.core.errors import UserError
    from bot.core.minutes.markdown import to_markdown
    from bot.core.minutes.pdf import to_pdf
    from bot.usecases import protokoll

    number = Serial.parse(args.meeting)
    if number is None:
        raise CliError(f"«{args.meeting}» er ikke et møtenummer; skriv det slik: 4/20")
    settings = load_settings()
    store = open_store(settings)
    try:
        services = _one_body(settings, store, args.organ)
        try:
            drafted = protokoll.current(services, number)
        except UserError as error:
            raise CliError(str(error)) from None
    finally:
        store.close()
    out = args.out or f"protokoll-{number.seq}-{number.year % 100:02d}.pdf"
    with services.in_body_language():  # the page numbers too
        content = to_markdown(drafted.document).encode() if out.endswith(".md") else to_pdf(drafted.document)
    try:
        Path(out).write_bytes(content)
    except OSError as error:
        raise CliError(f"kan ikke skrive {out}: {error.strerror}") from None
    print(f"Skrev protokollen fra møte {number} til {out}.")
    return 0


def cmd_socket(args: argparse.Namespace) -> int:
    """Socket Mode: no public URL needed; slack_sdk's built-in client, which reconnects by itself."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = load_settings()
    if settings.oauth:
        raise CliError(
            "«motebot socket» serverer ett arbeidsområde (SLACK_BOT_TOKEN); med SLACK_CLIENT_ID, bruk «motebot serve»"
        )
    settings.require("slack_bot_token", "slack_app_token")
    assert settings.slack_app_token is not None
    store = open_store(settings)
    stopped = threading.Event()
    try:
        bot = _connect(settings, store, socket_mode=True)
        handler = SocketModeHandler(bot.app, settings.slack_app_token.get_secret_value())
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopped.set())
        handler.connect()  # type: ignore[no-untyped-call]  # slack_bolt's Socket Mode adapter is untyped
        log.info("Møtebot er koblet til Slack (Socket Mode).")
        bot.start_scheduler()
        stopped.wait()
        handler.close()  # type: ignore[no-untyped-call]
        bot.stop()
        log.info("Møtebot stoppet.")
    finally:
        store.close()
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from bot.core.formatting import clock_time
    from bot.run.console import AKSON, DEMO_CHANNELS, EHELSE, open_console, set_up_demo

    settings = load_settings()
    clock = _clock(settings, args.now or (DEMO_NOW if args.demo else None))
    with tempfile.TemporaryDirectory(prefix="motebot-demo-") as scratch:
        if args.demo:  # a throwaway database
            settings = settings.model_copy(update={"motebot_db": Path(scratch) / "motebot.json"})
        store = open_store(settings)
        try:
            if args.demo:
                settings = set_up_demo(settings, store, clock)
            now = clock.now()
            print(
                "Møtebot – konsoll uten Slack. "
                f"Klokka står på {long_date(now.date())} kl. {clock_time(now.time())}"
                + (
                    f" (demo: {AKSON.name} i #{AKSON.channel_name} med møte 4/20, "
                    f"{EHELSE.name} i #{EHELSE.channel_name})."
                    if args.demo
                    else "."
                )
            )
            with open_console(settings, store, clock, sys.stdout, DEMO_CHANNELS if args.demo else None) as console:
                print(
                    f"Du skriver i {console.where()}; :kanal bytter kanal. "
                    "Skriv kommandoer som i Slack, for eksempel /dagsorden. :hjelp viser mer, Ctrl-D avslutter."
                )
                console.run(sys.stdin)
        finally:
            store.close()
    return 0


def _workspace(team: str) -> str:
    """How the operator reads a workspace's key: "" is the one of a single workspace without MOTEBOT_WORKSPACE."""
    return f"arbeidsområdet «{team}»" if team else "standardarbeidsområdet (uten MOTEBOT_WORKSPACE)"


def cmd_migrate(args: argparse.Namespace) -> int:
    from storage.postgres.transfer import copy_into

    journal = args.source.with_name(args.source.name + ".journal")  # a small database may be all journal
    if not args.source.exists() and not journal.exists():
        raise CliError(f"{args.source} finnes ikke")
    if not re.match(r"^postgres(ql)?://", args.to):
        raise CliError(
            f"--to: «{args.to}» er ikke en PostgreSQL-adresse; skriv den som postgresql://motebot@localhost/motebot"
        )
    source = TinyStore(args.source)
    try:
        counts, left = copy_into(source, open_postgres(args.to, args.team))
    finally:
        source.close()
    print(f"Flyttet {args.source} til PostgreSQL, {_workspace(args.team)}:")
    for table, count in sorted(counts.items()):
        print(f"  {table}: {count}")
    if left:
        print(f"Ikke flyttet (leses ikke av Møtebot): {', '.join(left)}")
    start = f"og MOTEBOT_WORKSPACE={args.team}" if args.team else "og uten MOTEBOT_WORKSPACE"
    print(f"Filen ligger der fortsatt, men brukes ikke med MOTEBOT_DATABASE_URL; start Møtebot med den {start}.")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from storage.postgres.transfer import purge

    settings = load_settings()
    if not settings.database_url:
        raise CliError("MOTEBOT_DATABASE_URL er ikke satt: purge gjelder PostgreSQL")
    if not args.bekreft:
        raise CliError(f"dette sletter alt Møtebot har lagret for {_workspace(args.team)}; legg til --bekreft")
    removed = purge(open_postgres(settings.database_url, args.team))
    total = sum(removed.values())
    said = f"Slettet {total} dokumenter for" if total else "Det var ingenting lagret for"
    print(f"{said} {_workspace(args.team)}.")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="motebot", description="Møtebot: styringsgruppens møter i Slack.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    imp = commands.add_parser(
        "import", help="les møteinnkallinger (PDF, Word, PowerPoint, ODT, HTML, Markdown, tekst) inn i databasen"
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FIL", help="innkallingene som skal leses inn")
    imp.add_argument("--dry-run", action="store_true", help="vis hva importen ville gjort, uten å lagre noe")
    imp.add_argument(
        "--overskriv",
        action="store_true",
        help="la innkallingen erstatte det som er endret i Slack siden forrige import",
    )
    imp.add_argument(
        "--organ", metavar="KORTNAVN", help="kortnavnet til organet innkallingen gjelder (trengs når det er flere)"
    )
    imp.set_defaults(run=cmd_import)

    serve = commands.add_parser("serve", help="kjør boten over HTTP for Slack (Events/Interactivity URL)")
    serve.add_argument(
        "--host", default="127.0.0.1", metavar="ADRESSE", help="adressen å lytte på (standard 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=3000, metavar="PORT", help="porten å lytte på (standard 3000)")
    serve.set_defaults(run=cmd_serve)

    socket = commands.add_parser("socket", help="kjør boten mot Slack i Socket Mode (ingen offentlig adresse)")
    socket.set_defaults(run=cmd_socket)

    ical = commands.add_parser("ical", help="skriv møteplanen som iCalendar-fil")
    ical.add_argument(
        "--out", default="moteplan.ics", metavar="FIL", help="filen å skrive (standard moteplan.ics; - for stdout)"
    )
    ical.add_argument("--organ", metavar="KORTNAVN", help="kortnavnet til organet (trengs når det er flere)")
    ical.set_defaults(run=cmd_ical)
    minutes = commands.add_parser("protokoll", help="skriv protokollen fra et møte som PDF (eller .md)")
    minutes.add_argument("meeting", metavar="MØTE", help="møtenummeret, som 4/20")
    minutes.add_argument("--out", metavar="FIL", help="filen å skrive (standard protokoll-4-20.pdf; .md gir Markdown)")
    minutes.add_argument("--organ", metavar="KORTNAVN", help="kortnavnet til organet (trengs når det er flere)")
    minutes.set_defaults(run=cmd_protokoll)

    console = commands.add_parser("console", help="prøv boten i terminalen, uten Slack")
    console.add_argument("--demo", action="store_true", help="midlertidig database med Akson-møte 4/20")
    console.add_argument("--now", metavar="TID", help="start klokka her, for eksempel 2020-06-24T08:00")
    console.set_defaults(run=cmd_console)

    migrate = commands.add_parser(
        "migrate", help="flytt en TinyDB-database (fil) inn i PostgreSQL, alt eller ingenting"
    )
    migrate.add_argument(
        "--from", dest="source", type=Path, required=True, metavar="FIL", help="databasefilen, som motebot.json"
    )
    migrate.add_argument(
        "--to", required=True, metavar="URL", help="PostgreSQL-databasen, som postgresql://motebot@localhost/motebot"
    )
    migrate.add_argument("--team", default="", metavar="TEAM", help="arbeidsområdet (Slack team-ID) dataene hører til")
    migrate.set_defaults(run=cmd_migrate)

    purge = commands.add_parser("purge", help="slett alt som er lagret for et arbeidsområde i PostgreSQL")
    purge.add_argument("team", metavar="TEAM", help="arbeidsområdet (Slack team-ID)")
    purge.add_argument("--bekreft", action="store_true", help="ja, slett det")
    purge.set_defaults(run=cmd_purge)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.command in ("serve", "socket") else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.run(args))
    except (
        SettingsError, DatabaseUnreadable, DatabaseBusy, DatabaseUnavailable, WorkspaceInstalled, NoticeError, CliError,
    ) as error:  # fmt: skip
        print(f"motebot: {error}", file=sys.stderr)
        return 2
    except (BoltError, SlackApiError) as error:
        print(f"motebot: Slack godtok ikke innloggingen ({error}). Sjekk SLACK_BOT_TOKEN.", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`| head`): nothing is wrong, and nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        print(f"motebot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
