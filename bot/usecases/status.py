"""/status: each work stream's latest status and its history; the secretariat adds updates, and the history is kept.
The grammar first, then what each command does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.core import limits
from bot.core.domain import StatusUpdate, WorkStream
from bot.core.errors import UserError, one_line
from bot.core.i18n import N_, _
from bot.usecases.grammar import Asker, keyword, not_understood
from bot.usecases.services import Services, require_manager

COMMAND = "/status"
USAGE = N_(
    "*How to use /status*\n"
    "• `/status` – the status of each work stream\n"
    "• `/status historikk 2` – every update for work stream 2\n"
    "• `/status oppdater 2 Nå har 80 prosent signert` – a new status (the secretariat and the leader)"
)


@dataclass(frozen=True)
class Show:
    pass


@dataclass(frozen=True)
class History:
    number: int


@dataclass(frozen=True)
class Update:
    number: int
    text: str


Command = Show | History | Update


def parse(text: str) -> Command:
    words = text.split()
    if not words:
        return Show()
    action = keyword(words[0])
    if action not in ("oppdater", "historikk"):
        raise not_understood(COMMAND, words[0])
    if len(words) < 2 or not words[1].isdigit():
        raise UserError(
            _("Write the number of the work stream, for example `/status oppdater 2 Nå har 80 prosent signert`.")
        )
    number = int(words[1])
    return History(number) if action == "historikk" else Update(number, " ".join(words[2:]))


@dataclass(frozen=True)
class Streams:
    streams: Sequence[WorkStream]


@dataclass(frozen=True)
class Updated:
    stream: WorkStream


def _stream(services: Services, number: int) -> WorkStream:
    streams = services.store.work_streams.all()
    stream = next((s for s in streams if s.number == number), None)
    if stream is None:
        known = ", ".join(str(s.number) for s in streams)
        if known:
            raise UserError(_("Work stream {number} not found. The numbers are {known}.", number=number, known=known))
        raise UserError(_("Work stream {number} not found.", number=number))
    return stream


def update_status(services: Services, actor: str, number: int, text: str) -> WorkStream:
    """The stream's new latest status; the earlier ones stay in its history."""
    require_manager(
        services, actor, _("Only the secretariat, the leader and the administrators can update the status.")
    )
    missing = _("The status has no text. Write it like this: `/status oppdater 2 Nå har 80 prosent signert`.")
    text = one_line(
        text, limits.TEXT, missing=missing, too_long=_("The status is too long ({length} characters; at most {limit}).")
    )
    with services.store.transaction():
        stream = _stream(services, number)
        stream = replace(stream, updates=(*stream.updates, StatusUpdate(services.clock.now(), actor, text)))
        services.store.work_streams.save(stream)
    return stream


def run(services: Services, asker: Asker, command: Command) -> Streams | WorkStream | Updated:
    if isinstance(command, Show):
        return Streams(services.store.work_streams.all())
    if isinstance(command, History):
        return _stream(services, command.number)
    return Updated(update_status(services, asker.user, command.number, command.text))
