"""/medlemmer: the group by role."""

from __future__ import annotations

from bot.core.domain import (
    Role,
    Roster,
)
from bot.slack import blocks
from bot.slack.blocks import Message
from bot.slack.views.common import mention

ROSTER_HELP = (
    "*Slik bruker du /medlemmer*\n"
    "• `/medlemmer` – styringsgruppen etter rolle\n"
    "• `/medlemmer leggtil @navn [@navn …] rolle` – rolle er leder, medlem, sekretariat eller observatør\n"
    "• `/medlemmer fjern @navn` – fjern fra gruppen\n"
    "Leder og medlemmer stemmer; sekretariat og observatører deltar uten stemmerett."
)


_ROLE_HEADINGS = {
    Role.LEDER: "Leder",
    Role.MEDLEM: "Medlemmer",
    Role.SEKRETARIAT: "Sekretariat",
    Role.OBSERVATOR: "Observatører (uten stemmerett)",
}


def roster(members: Roster) -> Message:
    lines = ["*Styringsgruppen*"]
    for role, heading in _ROLE_HEADINGS.items():
        users = sorted(user for user, roles in members.roles.items() if role in roles)
        lines.append(f"*{heading}:* " + (", ".join(mention(u) for u in users) if users else "_ingen_"))
    return Message(text="Styringsgruppen", blocks=blocks.pack_sections(lines, 45))
