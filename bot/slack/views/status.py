"""/status: each work stream's latest status and its history."""

from __future__ import annotations

from bot.core.domain import (
    WorkStream,
)
from bot.core.formatting import (
    short_datetime,
)
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import _logged, notice

STATUS_HELP = (
    "*Slik bruker du /status*\n"
    "• `/status` – status for hvert arbeidsområde\n"
    "• `/status historikk 2` – alle oppdateringer for område 2\n"
    "• `/status oppdater 2 Nå har 80 prosent signert` – ny status (sekretariatet og lederen)"
)


def status_list(streams: list[WorkStream]) -> Message:
    if not streams:
        return notice("Ingen arbeidsområder er registrert ennå. De kommer med innkallingen («Status for arbeidet»).")
    lines = ["*Status for arbeidet*"]
    for stream in streams:
        latest = stream.latest
        status = escape(latest.text) if latest else "_ingen status ennå_"
        changed = f" _(endret {short_datetime(latest.at)})_" if latest else ""
        lines.append(f"*{stream.number}. {escape(stream.title)}*\n{status}{changed}")
    return Message(text="Status for arbeidet", blocks=blocks.pack_sections(lines, 45))


def status_history(stream: WorkStream) -> Message:
    lines = [f"*Historikk for {stream.number}. {escape(stream.title)}*"]
    lines += [_logged(update.at, update.actor, update.text) for update in stream.updates[-100:]]
    return Message(text=f"Historikk for {escape(stream.title)}", blocks=blocks.pack_sections(lines, 45))
