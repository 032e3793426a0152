"""What every command's grammar shares: the words that ask for help, and the answer to a word it does not know."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.errors import UserError
from bot.core.i18n import _


@dataclass(frozen=True)
class Asker:
    """Who gave a command, and in which channel (the group it concerns, once there are many: issue 15)."""

    user: str
    channel: str | None = None


HELP_WORDS = frozenset({"hjelp", "help", "?"})  # the first word that asks any command for its usage


def asks_for_help(text: str) -> bool:
    words = text.split()
    return bool(words) and words[0].casefold() in HELP_WORDS


def not_understood(command: str, word: str) -> UserError:
    return UserError(
        _("Did not understand «{word}». Write `{command} hjelp` for how to use it.", word=word[:40], command=command)
    )
