"""How each body (organ) runs its meetings: its name, channel, målform, rule profile, standing items and
offsets, and the installation's defaults where the body has set none of its own."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.core.procedure import PROFILE_NAMES, RuleProfile, profile_named

T = TypeVar("T")

PROFILES = PROFILE_NAMES  # each with its rules in bot.core.procedure
LANGUAGES = ("nb", "nn")


@dataclass(frozen=True)
class StandingItem:
    """A case every meeting made in Slack starts (or ends, `last`) with."""

    title: str
    type: str | None = None
    proposal: str | None = None
    last: bool = False


@dataclass(frozen=True)
class Body:
    """A body that holds meetings: a steering group, a board, a council. Meeting and case numbers, the
    roster, the plan and every record belong to one body. None in a setting: the installation's default."""

    id: int
    name: str  # "Styringsgruppen for Akson"
    short_name: str  # "akson": what a member types to name it outside its channel
    channel: str | None = None  # the Slack channel it lives in; none: awaiting `/motebot opprett`
    language: str = "nb"  # målform of what the bot posts for it
    profile: str = "administrativt"
    standing_items: tuple[StandingItem, ...] | None = None
    vote_reminder: timedelta | None = None
    deadline_pings: tuple[timedelta, ...] | None = None
    meeting_notices: tuple[timedelta, ...] | None = None
    calendar_token: str = ""  # the secret part of the plan's feed URL; rotated by the secretariat
    public_channel: bool = False  # the channel is public in the workspace (as Slack said when bound)
    readable: bool = False  # non-members may read agenda and plan, if the channel is public too
    # a deadline with a responsible person is reminded in the channel too (else in their DM only)
    deadline_pings_in_channel: bool = True

    @property
    def rules(self) -> RuleProfile:
        return profile_named(self.profile)

    def open_to_readers(self) -> bool:
        """Whether someone outside the roster may read its agenda, plan, status and deadlines (SECURITY.md)."""
        return self.readable and self.public_channel


def short_name_for(name: str) -> str:
    """A short name from the full one: "Styringsgruppen for Akson" gives "akson", "Nasjonalt e-helsestyre"
    gives "e-helsestyre": the last word that says which body, in lower case without accents."""
    words = [w for w in re.findall(r"[\w-]+", name.casefold()) if len(w) > 2]
    word = words[-1] if words else "organ"
    plain = unicodedata.normalize("NFKD", word.replace("ø", "o").replace("æ", "ae").replace("å", "a"))
    return "".join(ch for ch in plain if ch.isalnum() or ch == "-")[:30] or "organ"


@dataclass(frozen=True)
class GroupRules:
    """What the use cases read: a body's settings with the installation's defaults filled in."""

    tz: ZoneInfo
    channel: str | None = None  # where notices, reminders and votes go; none: nothing is posted on its own
    admins: frozenset[str] = frozenset()  # Møtebot's administrators, of every body
    standing_items: tuple[StandingItem, ...] = ()
    vote_reminder: timedelta = timedelta(days=1)
    deadline_pings: tuple[timedelta, ...] = ()
    meeting_notices: tuple[timedelta, ...] = ()
    body: Body = Body(0, "", "")
    public_url: str | None = None  # where `motebot serve` is reached from outside, for the calendar feeds' links

    def for_body(self, body: Body) -> GroupRules:
        """These defaults, with what `body` has set of its own."""

        return replace(
            self,
            body=body,
            channel=body.channel,
            standing_items=_own(body.standing_items, self.standing_items),
            vote_reminder=_own(body.vote_reminder, self.vote_reminder),
            deadline_pings=_own(body.deadline_pings, self.deadline_pings),
            meeting_notices=_own(body.meeting_notices, self.meeting_notices),
        )


def _own(value: T | None, default: T) -> T:
    return default if value is None else value
