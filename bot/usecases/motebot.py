"""/motebot: the bodies themselves. A Møtebot administrator makes a channel a body (`opprett`); its
managers change its settings (`innstillinger`) and move it to another channel (`flytt`); anyone who may
read it sees them. Set-up from the settings (MOTEBOT_CHANNEL) lives here too.

The grammar first, then what each command does. `opprett` and `flytt` need to know from Slack whether
the bot is in the channel: `run` answers `CheckChannel` until it is given what Slack said."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from bot.core.agenda import clean_proposal, clean_title
from bot.core.dates import parse_duration, parse_offsets
from bot.core.domain import CaseType, Role
from bot.core.errors import NotAllowed, UserError, clip, one_line
from bot.core.i18n import N_, _, set_reader, use_language
from bot.core.procedure import is_profile_name, profile_named
from bot.core.rules import LANGUAGES, PROFILES, Body, GroupRules, StandingItem, short_name_for
from bot.usecases import bodies
from bot.usecases.grammar import HELP_WORDS, Asker, keyword, not_understood
from bot.usecases.services import Installation, Services, require_manager

COMMAND = "/motebot"
USAGE = N_(
    "*How to use /motebot*\n"
    "• `/motebot` – the settings of this channel's body, and who may change them (`/motebot akson` for another)\n"
    "• `/motebot opprett Name of the body` – make this channel a body; you become its secretariat "
    "(Møtebot's administrators)\n"
    "• `/motebot flytt akson` – typed in the new channel: the body moves here, with its meetings, numbers, "
    "votes and deadlines\n"
    "• `/motebot målform nn` or `nb` – the målform of the answers only you read, whatever the body's; "
    "`/motebot målform standard` – the body's again\n"
    "*Settings* (the leader, the secretariat and the administrators): `/motebot innstillinger` and then\n"
    "• `navn Styringsgruppen for Akson` – the full name\n"
    "• `kortnavn akson` – what members type to name the body outside its channel: small letters a–z, digits "
    "and hyphens\n"
    "• `målform nb` or `nn` – bokmål or nynorsk\n"
    "• `profil administrativt` or `folkevalgt` – the rules of the vote: votes before the meeting, abstaining and "
    "no casting vote; or kommuneloven's: in the meeting only, no abstaining, the chair's vote decides a tie\n"
    "• `møtevarsler 7d,1d,1h` – notices before each meeting: d days (at 08.00), h hours, m minutes; "
    "`ingen` for none\n"
    "• `fristvarsler 7d,1d,0d` – reminders before each deadline, written the same way\n"
    "• `fristkanal ja` or `nei` – whether a deadline with a responsible person is reminded in the channel too, "
    "or only to them in a direct message (a body or a group responsible is always reminded in the channel)\n"
    "• `påminnelse 1d` – how long before the meeting those who have not voted are reminded\n"
    "• `faste-saker Godkjenning av innkalling og dagsorden type: Godkjenning forslag: The text.; "
    "Eventuelt (sist)` – the cases every new meeting starts with, separated by semicolons; `(sist)` puts one "
    "at the end; `ingen` for none\n"
    "• `åpen ja` or `nei` – whether others than the members may read the agenda and the plan "
    "(in a public channel)\n"
    "`standard` as the value goes back to Møtebot's default."
)

MAX_NAME = 100
MAX_STANDING_ITEMS = 10
MAX_OFFSETS = 10
_SHORT_NAME = re.compile(r"^[a-z][a-z0-9-]{1,29}$")
_ACTIONS = frozenset({"vis", "opprett", "flytt", "innstillinger", "innstilling", "målform", "malform"})
# Words the commands read first: a body with such a short name would shadow them ("/moteplan ny …").
COMMAND_WORDS = frozenset(
    {"ny", "endre", "flytt", "fjern", "historikk", "alle", "ical", "avlys", "utsett", "ferdig", "oppdater",
     "protokoll", "avbryt", "leggtil", "standard", "ingen", *_ACTIONS, *HELP_WORDS}
)  # fmt: skip


def new_calendar_token() -> str:
    """Unguessable: the feed's URL is all that guards it."""
    return secrets.token_urlsafe(24)


def unique_short_name(installation: Installation, name: str, but: int | None = None) -> str:
    """The short name for `name`, numbered if another body (than `but`) has it ("akson-2"), or if it is a
    word a command reads first."""
    base = short_name_for(name)
    taken = {body.short_name for body in installation.bodies() if body.id != but} | COMMAND_WORDS
    candidates = (base if n == 1 else f"{base}-{n}" for n in range(1, len(taken) + 2))
    return next(candidate for candidate in candidates if candidate not in taken)


def name_unnamed(installation: Installation, name: str) -> None:
    """A database from before bodies opens with its group unnamed (the notices' headings may name another
    body, such as the one their plan is for): it gets MOTEBOT_BODY_NAME, which `/motebot innstillinger
    navn` changes."""
    for body in installation.bodies():
        if not body.name:
            installation.store.bodies.save(replace(body, name=name, short_name=unique_short_name(installation, name)))


def configured_channel(installation: Installation, channel: str, name: str) -> Body:
    """MOTEBOT_CHANNEL, the one-group set-up: that channel is a body. A database from before there were
    bodies has one, unbound: it is bound here. Such a body is readable as before, by anyone in the
    workspace (SECURITY.md); `/motebot innstillinger` changes that."""
    stored = installation.store.bodies
    if (here := stored.in_channel(channel)) is not None:
        return here
    if (unbound := _only_unbound(installation)) is not None:
        body = replace(unbound, channel=channel, public_channel=True, readable=True)
        stored.save(body)
        return body
    return _new_body(installation, name, channel, public_channel=True, readable=True)


def only_body(installation: Installation, name: str) -> Body:
    """The body of a database with one: made now, unbound, if there is none (`motebot import` into a new
    database); `/motebot opprett` in a channel binds it. Readable by all, as in the one-group set-up."""
    every = installation.bodies()
    if every:
        return every[0]
    return _new_body(installation, name, None, public_channel=True, readable=True)


def _new_body(
    installation: Installation, name: str, channel: str | None, *, public_channel: bool, readable: bool = False
) -> Body:
    """A new body under `name`, with a short name no other body has and a calendar token of its own."""
    return installation.store.bodies.create(
        Body(
            0,
            name,
            unique_short_name(installation, name),
            channel=channel,
            calendar_token=new_calendar_token(),
            public_channel=public_channel,
            readable=readable,
        )
    )


def _only_unbound(installation: Installation) -> Body | None:
    """The one body without a channel (made by an upgrade or `motebot import`), if there is just one."""
    unbound = [body for body in installation.bodies() if body.channel is None]
    return unbound[0] if len(unbound) == 1 else None


# The grammar.


@dataclass(frozen=True)
class Show:
    """The settings. `body`: a short name typed first; `text`: the words after it (for "which body?")."""

    body: str | None = None
    text: str = ""


@dataclass(frozen=True)
class Change:
    setting: str  # the word the member typed it with, as SETTINGS names it
    field: str  # the Body's field it sets
    value: Any  # of the field's type; None: back to the installation's default
    body: str | None = None
    text: str = ""


@dataclass(frozen=True)
class Miswritten:
    """A change written wrong: someone who may not change the body hears that first, a manager `problem`."""

    problem: str
    body: str | None = None
    text: str = ""


@dataclass(frozen=True)
class Create:
    name: str  # as typed; checked once the member is known to be an administrator


@dataclass(frozen=True)
class Move:
    short_name: str


@dataclass(frozen=True)
class Unclear:
    """A word /motebot does not know after `body`: a body's short name, or a typing error ("flyt akson")."""

    body: str
    word: str


@dataclass(frozen=True)
class OwnLanguage:
    """`/motebot målform nn`: the målform of what only this person reads; None: the body's again."""

    language: str | None


Command = Show | Change | Miswritten | Create | Move | Unclear | OwnLanguage

# Each setting by the word it is typed with, and the other spellings a member may use.
SETTINGS = ("navn", "kortnavn", "målform", "profil", "møtevarsler", "fristvarsler", "fristkanal", "påminnelse",
            "faste-saker", "åpen")  # fmt: skip
_SPELLINGS = {
    "kort-navn": "kortnavn",
    "malform": "målform",
    "språk": "målform",
    "sprak": "målform",
    "motevarsler": "møtevarsler",
    "møtevarsel": "møtevarsler",
    "varsler": "møtevarsler",
    "fristvarsel": "fristvarsler",
    "fristpåminnelser": "fristvarsler",
    "fristvarsler-i-kanalen": "fristkanal",
    "paminnelse": "påminnelse",
    "stemmepåminnelse": "påminnelse",
    "fastesaker": "faste-saker",
    "faste_saker": "faste-saker",
    "apen": "åpen",
    "lesbar": "åpen",
}
# What each setting's example value is, for the answer to one given without a value.
_EXAMPLES = {
    "navn": "Styringsgruppen for Akson",
    "kortnavn": "akson",
    "målform": "nn",
    "profil": "folkevalgt",
    "møtevarsler": "7d,1d,1h",
    "fristvarsler": "7d,1d,0d",
    "fristkanal": "nei",
    "påminnelse": "1d",
    "faste-saker": "Eventuelt (sist)",
    "åpen": "ja",
}
_LANGUAGE_WORDS = {"nb": "nb", "bokmål": "nb", "bokmal": "nb", "nn": "nn", "nynorsk": "nn"}
_YES_NO = {"ja": True, "nei": False}
_LAST = re.compile(r"\(\s*sist\s*\)", re.IGNORECASE)
_MARK = re.compile(r"(?:^|\s)(type|forslag):", re.IGNORECASE)


def _how_to_change() -> UserError:
    return UserError(
        _(
            "Write the setting and its new value, for example `/motebot innstillinger møtevarsler 7d,1d,1h`. "
            "The settings: {settings}. `/motebot hjelp` says how each is written.",
            settings=", ".join(SETTINGS),
        )
    )


def _is_standard(text: str) -> bool:
    return text.casefold() == "standard"


def _name(text: str) -> str:
    return one_line(
        text,
        MAX_NAME,
        missing=_("The body has no name. Write it like this: `/motebot opprett Styringsgruppen for Akson`."),
        too_long=_("The name is too long ({length} characters; at most {limit})."),
    )


def _short_name(text: str) -> str:
    wanted = text.casefold()
    if not _SHORT_NAME.match(wanted):
        raise UserError(
            _(
                "«{text}» cannot be a short name: write 2 to 30 small letters a–z, digits and hyphens, starting "
                "with a letter, for example `akson` or `e-helse`.",
                text=clip(text, 40),
            )
        )
    if wanted in COMMAND_WORDS:
        raise UserError(_("«{text}» is a word the commands read; choose another short name.", text=wanted))
    return wanted


def _language(text: str) -> str:
    if _is_standard(text):
        return LANGUAGES[0]
    language = _LANGUAGE_WORDS.get(text.casefold())
    if language is None:
        raise UserError(_("«{text}» is not a målform. Write `nb` (bokmål) or `nn` (nynorsk).", text=clip(text, 40)))
    return language


def _profile(text: str) -> str:
    if _is_standard(text):
        return PROFILES[0]
    if not is_profile_name(text):
        raise UserError(
            _("«{text}» is not a profile. Write one of: {profiles}.", text=clip(text, 40), profiles=", ".join(PROFILES))
        )
    return profile_named(text).name


def _offsets(text: str) -> tuple[timedelta, ...] | None:
    if _is_standard(text):
        return None
    if text.casefold() == "ingen":
        return ()
    offsets = parse_offsets(text.replace(" ", ""))
    if offsets is None:
        raise UserError(
            _(
                "«{text}» is not a list of times before. Write for example `7d,1d,1h`: d for days (at 08.00 that "
                "day), h for hours, m for minutes, separated by commas; or `ingen` for none.",
                text=clip(text, 40),
            )
        )
    distinct = tuple(dict.fromkeys(offsets))
    if len(distinct) > MAX_OFFSETS:
        raise UserError(_("That is {count} times; at most {limit} are sent.", count=len(distinct), limit=MAX_OFFSETS))
    return distinct


def _reminder(text: str) -> timedelta | None:
    if _is_standard(text):
        return None
    reminder = parse_duration(text)
    if not reminder:
        raise UserError(
            _(
                "«{text}» is not a length of time before the meeting. Write for example `1d` (a day) or "
                "`12h` (12 hours).",
                text=clip(text, 40),
            )
        )
    return reminder


def _standing_item(number: int, text: str) -> StandingItem:
    last = bool(_LAST.search(text))
    title, *marked = _MARK.split(_LAST.sub(" ", text))
    marks: dict[str, str] = {}
    for mark, value in zip(marked[::2], marked[1::2], strict=True):
        if mark.casefold() in marks:
            raise UserError(_("Standing item {number} has «{mark}:» twice.", number=number, mark=mark.casefold()))
        marks[mark.casefold()] = value.strip()
    try:
        title = clean_title(title)
        case_type = None
        if "type" in marks:
            case_type = CaseType.parse(marks["type"])
            if case_type is None:
                types = ", ".join(kind.value for kind in CaseType)
                raise UserError(
                    _("Unknown case type «{text}». Use one of: {types}.", text=clip(marks["type"], 40), types=types)
                )
        proposal = clean_proposal(marks["forslag"]) if "forslag" in marks else None
    except UserError as error:
        raise UserError(_("Standing item {number}: {problem}", number=number, problem=str(error))) from None
    return StandingItem(title, case_type.value if case_type else None, proposal, last)


def _standing_items(text: str) -> tuple[StandingItem, ...] | None:
    if _is_standard(text):
        return None
    if text.casefold() == "ingen":
        return ()
    parts = [part for part in text.split(";") if part.strip()]
    if len(parts) > MAX_STANDING_ITEMS:
        raise UserError(
            _("That is {count} standing items; at most {limit}.", count=len(parts), limit=MAX_STANDING_ITEMS)
        )
    return tuple(_standing_item(number, part) for number, part in enumerate(parts, start=1))


def standing_items_written(items: tuple[StandingItem, ...]) -> str:
    """The items as `faste-saker` reads them, to copy and change (a proposal with a semicolon in it aside)."""
    if not items:
        return "ingen"
    written = []
    for item in items:
        parts = [item.title]
        if item.type:
            parts.append(f"type: {item.type}")
        if item.proposal:
            parts.append(f"forslag: {item.proposal}")
        if item.last:
            parts.append("(sist)")
        written.append(" ".join(parts))
    return "; ".join(written)


def _open(text: str) -> bool:
    readable = _YES_NO.get(text.casefold())
    if readable is None:
        raise UserError(_("Write `åpen ja` (others than the members may read it) or `åpen nei`."))
    return readable


def _in_the_channel_too(text: str) -> bool:
    if _is_standard(text):
        return True
    answer = _YES_NO.get(text.casefold())
    if answer is None:
        raise UserError(
            _("Write `fristkanal ja` (reminded in the channel too) or `fristkanal nei` (in a direct message only).")
        )
    return answer


def _new_name(text: str) -> str:
    if _is_standard(text):
        raise UserError(
            _("A name has no default: write the name itself, as in `/motebot innstillinger navn Styringsgruppen`.")
        )
    return _name(text)


# Each setting: the Body field it sets, and how its value is read.
_READERS: dict[str, tuple[str, Callable[[str], object]]] = {
    "navn": ("name", _new_name),
    "kortnavn": ("short_name", _short_name),
    "målform": ("language", _language),
    "profil": ("profile", _profile),
    "møtevarsler": ("meeting_notices", _offsets),
    "fristvarsler": ("deadline_pings", _offsets),
    "fristkanal": ("deadline_pings_in_channel", _in_the_channel_too),
    "påminnelse": ("vote_reminder", _reminder),
    "faste-saker": ("standing_items", _standing_items),
    "åpen": ("readable", _open),
}


def _change(words: list[str], body: str | None, text: str) -> Change:
    if not words:
        raise _how_to_change()
    word, values = words[0].casefold(), words[1:]
    if word == "faste" and values and values[0].casefold() == "saker":
        word, values = "faste-saker", values[1:]
    setting = _SPELLINGS.get(word, word)
    if setting not in _READERS:
        raise UserError(
            _(
                "Møtebot has no setting «{word}». The settings: {settings}.",
                word=clip(words[0], 30),
                settings=", ".join(SETTINGS),
            )
        )
    value = " ".join(values)
    if not value:
        raise UserError(
            _(
                "Write the new value after «{setting}», for example `/motebot innstillinger {setting} {example}`, "
                "or `standard` for Møtebot's default.",
                setting=setting,
                example=_EXAMPLES[setting],
            )
        )
    field, read = _READERS[setting]
    return Change(setting, field, read(value), body, text)


def parse(text: str) -> Command:
    text = " ".join(text.split())
    words = text.split(" ") if text else []
    first = keyword(words[0]) if words else ""
    if first == "opprett":
        return Create(" ".join(words[1:]))
    if first == "flytt":
        if len(words) != 2:
            raise UserError(
                _("Write it like this, in the channel the body is to move to: `/motebot flytt akson` (its short name).")
            )
        return Move(words[1].casefold())
    if first in ("målform", "malform") and len(words) == 2:
        chosen = words[1].casefold()
        return OwnLanguage(None if chosen in ("standard", "organets") else _language(chosen))
    body = None
    if words and first not in _ACTIONS:  # a body's short name first: "/motebot akson innstillinger …"
        body, words = first, words[1:]
        first = keyword(words[0]) if words else ""
    if first == "vis" and body is None and len(words) > 1:  # "/motebot vis akson"
        body, words = words[1].casefold(), [words[0], *words[2:]]
    rest = " ".join(words)
    if first in ("", "vis"):
        if len(words) > 1:
            raise not_understood(COMMAND, words[1])
        return Show(body, rest)
    if first in ("innstillinger", "innstilling"):
        try:
            return _change(words[1:], body, rest)
        except UserError as error:
            return Miswritten(str(error), body, rest)
    if first in ("opprett", "flytt"):
        raise UserError(_("Write `/motebot {word} …` without a short name in front of it.", word=first))
    assert body is not None  # every action is read above
    return Unclear(body, words[0])


# What each command does.


@dataclass(frozen=True)
class ChannelFacts:
    """What Slack said about the channel a command was typed in."""

    id: str
    member: bool  # the bot is in it
    private: bool
    direct: bool = False  # a direct message or a group of them, not a channel


@dataclass(frozen=True)
class BodySettings:
    """A body's settings, what "(standard)" stands for, and who may change them."""

    body: Body
    defaults: GroupRules  # the installation's
    leaders: tuple[str, ...]
    secretariat: tuple[str, ...]
    admins: tuple[str, ...]
    deputies: tuple[str, ...] = ()  # the nestleder, who may change them too


@dataclass(frozen=True)
class Created:
    settings: BodySettings
    bound: bool  # the body `motebot import` made before there was a channel: its meetings are here now


@dataclass(frozen=True)
class Moved:
    settings: BodySettings
    before: str | None  # the channel it left; none: it had none yet
    configured: bool  # MOTEBOT_CHANNEL names the channel it left
    open_votes: int  # their messages stay in the channel it left
    new_feed: bool = False  # no longer open to others: the calendar link given out before stops working


@dataclass(frozen=True)
class Changed:
    settings: BodySettings
    setting: str
    same: bool  # it was so already: nothing was stored
    new_feed: bool = False  # as Moved's


@dataclass(frozen=True)
class CheckChannel:
    """Ask Slack about `channel`, then run `command` again with what it said."""

    command: Create | Move
    channel: str


@dataclass(frozen=True)
class LanguageChosen:
    language: str | None


Facts = BodySettings | Created | Moved | Changed | CheckChannel | LanguageChosen


def settings_of(installation: Installation, body: Body) -> BodySettings:
    roster = installation.store.body(body.id).roster.get()
    leaders, deputies, secretariat = (tuple(sorted(roster.holding(role))) for role in
                                      (Role.LEDER, Role.NESTLEDER, Role.SEKRETARIAT))  # fmt: skip
    admins = tuple(sorted(installation.defaults.admins))
    return BodySettings(body, installation.defaults, leaders, secretariat, admins, deputies)


def _unknown(word: str) -> UserError:
    return UserError(
        _(
            "Did not understand «{word}»: it is neither a body's short name nor a word /motebot knows. "
            "Write `/motebot hjelp` for how to use it.",
            word=clip(word, 40),
        )
    )


def _addressed(installation: Installation, asker: Asker, command: Show | Change | Miswritten) -> Services:
    """The body named first, or this channel's, or the member's one body (bodies.choose)."""
    if command.body is not None and installation.store.bodies.named(command.body) is None:
        raise _unknown(command.body)
    services, _rest = bodies.choose(installation, asker, COMMAND, f"{command.body or ''} {command.text}".strip())
    return services


def _manager_refusal(body: Body) -> str:
    return _(
        "Only the administrators, the leader and the secretariat of {name} can change its settings.", name=body.name
    )


def _name_free(installation: Installation, name: str, but: int | None) -> None:
    for other in installation.bodies():
        if other.id != but and other.name.casefold() == name.casefold():
            raise UserError(
                _(
                    "There is a body called {name} already (short name `{short_name}`). Give this one another name.",
                    name=other.name,
                    short_name=other.short_name,
                )
            )


def _change_setting(installation: Installation, asker: Asker, command: Change | Miswritten) -> Changed:
    services = _addressed(installation, asker, command)
    require_manager(services, asker.user, _manager_refusal(services.body))
    if isinstance(command, Miswritten):
        raise UserError(command.problem)
    store = installation.store
    with store.transaction():
        body = store.bodies.get(services.body.id) or services.body
        if command.field == "name":
            _name_free(installation, str(command.value), body.id)
        other = store.bodies.named(str(command.value)) if command.field == "short_name" else None
        if other is not None and other.id != body.id:
            raise UserError(
                _("{name} has the short name «{short_name}» already.", name=other.name, short_name=other.short_name)
            )
        changed = _closing_the_feed(body, replace(body, **{command.field: command.value}))
        if changed != body:
            store.bodies.save(changed)
    if changed != body:
        installation.wakeup()  # notices, reminders and their times are planned from the settings
    renewed = changed.calendar_token != body.calendar_token
    return Changed(settings_of(installation, changed), command.setting, same=changed == body, new_feed=renewed)


def _channel(asker: Asker, channel: ChannelFacts | None, how: str) -> str:
    """The channel the command was typed in; in a direct message there is none to make a body of."""
    if asker.channel is None or asker.channel.startswith("D") or (channel is not None and channel.direct):
        raise UserError(how)
    return asker.channel


def _bot_is_in(channel: ChannelFacts) -> None:
    if not channel.member:
        raise UserError(_("Møtebot is not in this channel. Invite me first with `/invite @Møtebot`, and try again."))


def _create(installation: Installation, asker: Asker, command: Create, channel: ChannelFacts | None) -> Facts:
    where = _channel(
        asker,
        channel,
        _(
            "Write `/motebot opprett Name of the body` in the channel that is to be the body's: a direct message "
            "cannot be one."
        ),
    )
    if not installation.is_admin(asker.user):
        raise NotAllowed(
            _("Only Møtebot's administrators can make a channel a body. Ask one of them to do it in this channel.")
        )
    name = _name(command.name)
    store = installation.store
    with store.transaction():
        if (here := store.bodies.in_channel(where)) is not None:
            raise UserError(
                _(
                    "This channel is {name} already (short name `{short_name}`). `/motebot` shows its settings.",
                    name=here.name,
                    short_name=here.short_name,
                )
            )
        _name_free(installation, name, None)
        if channel is None:
            return CheckChannel(command, where)
        _bot_is_in(channel)
        unbound = _only_unbound(installation)
        if unbound is not None:  # made by `motebot import` before there was a channel: readable as it was
            body = replace(
                unbound,
                name=name,
                short_name=unique_short_name(installation, name, but=unbound.id),
                channel=where,
                public_channel=not channel.private,
            )
            store.bodies.save(body)
        else:
            body = _new_body(installation, name, where, public_channel=not channel.private)
        roster = store.body(body.id).roster
        if roster.get().role_of(asker.user) is None:  # one role each: a role held (after an upgrade) stays
            roster.set_roles(asker.user, [Role.SEKRETARIAT])
    installation.wakeup()
    return Created(settings_of(installation, body), bound=unbound is not None)


def _move(installation: Installation, asker: Asker, command: Move, channel: ChannelFacts | None) -> Facts:
    where = _channel(
        asker,
        channel,
        _(
            "Write `/motebot flytt {short_name}` in the channel the body is to move to: a direct message cannot "
            "be one.",
            short_name=command.short_name,
        ),
    )
    store = installation.store
    found = store.bodies.named(command.short_name)
    if found is None:
        raise UserError(
            _(
                "No body has the short name «{short_name}». `/motebot` in the body's channel shows its short name.",
                short_name=clip(command.short_name, 40),
            )
        )
    require_manager(
        installation.services(found),
        asker.user,
        _("Only the administrators, the leader and the secretariat of {name} can move it.", name=found.name),
    )
    with store.transaction():
        body = store.bodies.get(found.id) or found
        if body.channel == where:
            raise UserError(_("{name} is in this channel already.", name=body.name))
        if (other := store.bodies.in_channel(where)) is not None:
            raise UserError(
                _(
                    "This channel is {other}'s. A channel holds one body: move {name} to another channel.",
                    other=other.name,
                    name=body.name,
                )
            )
        if channel is None:
            return CheckChannel(command, where)
        _bot_is_in(channel)
        moved = _closing_the_feed(body, replace(body, channel=where, public_channel=not channel.private))
        store.bodies.save(moved)
    installation.wakeup()  # what is posted on its own goes to the new channel
    configured = body.channel is not None and installation.defaults.channel == body.channel
    open_votes = len(store.body(body.id).votes.all(open_only=True))
    renewed = moved.calendar_token != body.calendar_token
    return Moved(settings_of(installation, moved), body.channel, configured, open_votes, renewed)


def _closing_the_feed(before: Body, after: Body) -> Body:
    """A body no longer open to others gets a new calendar token: a link an outsider was given while it
    was open stops working (the members get the new one with `/moteplan ical`)."""
    if before.open_to_readers() and not after.open_to_readers():
        return replace(after, calendar_token=new_calendar_token())
    return after


def run(installation: Installation, asker: Asker, command: Command, channel: ChannelFacts | None = None) -> Facts:
    """`channel`: what Slack said about the channel typed in, for `opprett` and `flytt` (without it they
    check all else, and answer CheckChannel)."""
    if isinstance(command, OwnLanguage):
        installation.store.preferences.set_language(asker.user, command.language)
        set_reader(command.language)  # the answer already in the målform chosen …
        if command.language is None and (here := installation.store.bodies.in_channel(asker.channel)) is not None:
            use_language(here.language)  # … or the body's of the channel it is typed in
        return LanguageChosen(command.language)
    if isinstance(command, Show):
        return settings_of(installation, _addressed(installation, asker, command).body)
    if isinstance(command, Unclear):
        known = installation.store.bodies.named(command.body) is not None
        raise not_understood(COMMAND, command.word) if known else _unknown(command.body)
    if isinstance(command, (Change, Miswritten)):
        return _change_setting(installation, asker, command)
    if isinstance(command, Create):
        return _create(installation, asker, command, channel)
    return _move(installation, asker, command, channel)
