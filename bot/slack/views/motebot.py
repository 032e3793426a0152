"""/motebot and the bodies: which body a command is about, and a body's settings."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.core.formatting import ahead, enumeration
from bot.core.i18n import N_, _, ngettext
from bot.core.rules import Body, StandingItem
from bot.slack import blocks
from bot.slack.blocks import Message, escape, fit
from bot.slack.views.common import channel_link, done, mention, notice, problem
from bot.usecases.bodies import WhichBody
from bot.usecases.motebot import BodySettings, Changed, Created, LanguageChosen, Moved, standing_items_written

CHOOSE_BODY_ACTION = "motebot_choose_body"


UNKNOWN_CHOICE = N_("Møtebot does not know that choice (any more). Give the command again.")


def which_body(question: WhichBody) -> Message:
    """The question, with a button per body that gives the same command for that body."""
    text = escape(str(question))
    buttons = [
        blocks.button(
            body.name,
            f"{CHOOSE_BODY_ACTION}:{body.id}",
            json.dumps({"command": question.command, "text": f"{body.short_name} {question.text}".strip()}),
        )
        for body in question.bodies[:25]
    ]
    return Message(text=text, blocks=[blocks.section(text), blocks.actions(*buttons)])


# A body's settings, and what /motebot did.

LANGUAGE_NAMES = {"nb": N_("bokmål"), "nn": N_("nynorsk")}
_COPYABLE = 2500  # a longer `faste-saker` line is not offered to copy: it would be cut off


def _default(own: object) -> str:
    """ " (standard)" where the body has no setting of its own and the installation's applies."""
    return "" if own is not None else " " + _("_(default)_")


def _offsets(offsets: tuple[timedelta, ...]) -> str:
    return enumeration([ahead(offset) for offset in offsets]) if offsets else _("none")


def _standing_item(item: StandingItem) -> str:
    details = [escape(item.type)] if item.type else []
    if item.proposal:
        details.append(_("proposed decision «{text}»", text=escape(fit(item.proposal, 200))))
    if item.last:
        details.append(_("last"))
    return escape(item.title) + (f" – {', '.join(details)}" if details else "")


def _standing_items(settings: BodySettings) -> str:
    items = settings.defaults.for_body(settings.body).standing_items
    heading = _("*Standing items in new meetings:*") + _default(settings.body.standing_items)
    if not items:
        none = _("none")
        return f"{heading} {none}"
    lines = [heading, *(f"    {n}. {_standing_item(item)}" for n, item in enumerate(items, start=1))]
    written = escape(standing_items_written(items))
    if len(written) <= _COPYABLE:
        copy = _("To change them, copy and edit: `/motebot innstillinger faste-saker {items}`", items=written)
        lines.append(f"    {copy}")
    return "\n".join(lines)


def _channel(body: Body) -> str:
    if body.channel is None:
        return _(
            "*Channel:* none yet – `/motebot flytt {short_name}` in a channel moves it there",
            short_name=escape(body.short_name),
        )
    line = _("*Channel:* {channel}", channel=channel_link(body.channel))
    private = _("(private)")
    return line if body.public_channel else f"{line} {private}"


def _open(body: Body) -> str:
    if not body.readable:
        answer = _("no, only the members")
    elif body.public_channel:
        answer = _("yes, anyone in the workspace may read the agenda, the plan, the status and the deadlines")
    else:
        answer = _("yes, but the channel is private, so only the members can read them")
    return _("*Open to others than the members:* {answer}", answer=answer)


def _channel_too(body: Body) -> str:
    if body.deadline_pings_in_channel:
        return _("in a direct message and in the channel")
    return _("in a direct message only")


def _lines(settings: BodySettings) -> dict[str, str]:
    """Each setting's line, by the word it is changed with."""
    body = settings.body
    rules = settings.defaults.for_body(body)
    return {
        "navn": _("*Name:* {name}", name=escape(body.name)),
        "kortnavn": _(
            "*Short name:* `{short_name}` – to name the body outside its channel, as in `/dagsorden {short_name}`",
            short_name=escape(body.short_name),
        ),
        "kanal": _channel(body),
        "målform": _("*Målform:* {language}", language=_(LANGUAGE_NAMES.get(body.language, body.language))),
        "profil": _("*Profile:* {profile}", profile=escape(body.profile)),
        "møtevarsler": _("*Notices before each meeting:* {offsets}", offsets=_offsets(rules.meeting_notices))
        + _default(body.meeting_notices),
        "fristvarsler": _("*Reminders before each deadline:* {offsets}", offsets=_offsets(rules.deadline_pings))
        + _default(body.deadline_pings),
        "fristkanal": _("*Deadline reminders to a responsible person:* {where}", where=_channel_too(body)),
        "påminnelse": _(
            "*Reminder to those who have not voted:* {ahead} before the meeting", ahead=ahead(rules.vote_reminder)
        )
        + _default(body.vote_reminder),
        "faste-saker": _standing_items(settings),
        "åpen": _open(body),
    }


def _who_may_change(settings: BodySettings) -> str:
    def people(users: tuple[str, ...]) -> str:
        return enumeration([mention(user) for user in users])

    who = []
    if settings.leaders:
        who.append(_("the leader {people}", people=people(settings.leaders)))
    if settings.deputies:
        who.append(_("the deputy leader {people}", people=people(settings.deputies)))
    if settings.secretariat:
        who.append(_("the secretariat {people}", people=people(settings.secretariat)))
    if settings.admins:
        who.append(_("Møtebot's administrators {people}", people=people(settings.admins)))
    if not who:
        return _("*May change them:* Møtebot's administrators, and none is set up (MOTEBOT_ADMINS)")
    return _("*May change them:* {who}", who=enumeration(who))


def settings_blocks(settings: BodySettings) -> list[blocks.Block]:
    parts = [*_lines(settings).values(), _who_may_change(settings)]
    return [
        blocks.header(_("Settings of {name}", name=settings.body.name)),
        *blocks.pack_sections(parts, 40),
        blocks.context(
            _("Change one with `/motebot innstillinger møtevarsler 7d,1d,1h` and the like; `/motebot hjelp` shows all.")
        ),
    ]


def body_settings(settings: BodySettings) -> Message:
    return Message(text=_("Settings of {name}", name=escape(settings.body.name)), blocks=settings_blocks(settings))


def created(facts: Created) -> Message:
    body = facts.settings.body
    said = _("This channel is now *{name}*, and you are its secretariat.", name=escape(body.name))
    if facts.bound:
        said += " " + _("The meetings imported before it had a channel belong to it now.")
    steps = [
        _("*Next*"),
        _("• Add the members: `/medlemmer leggtil @name medlem` (or leder, nestleder, vara, sekretariat, observatør)"),
        _(
            "• Send the notice of a meeting as a file to Møtebot in a direct message, or plan one with "
            "`/moteplan ny 17.09.2020 09.00–11.00 Title`"
        ),
    ]
    if body.open_to_readers():  # the body an import made, readable as before
        steps.append(
            _(
                "• Anyone in the workspace can read its meetings, as before; `/motebot innstillinger åpen nei` "
                "keeps them to the members"
            )
        )
    else:
        steps.append(
            _(
                "• Only the members can read its meetings; `/motebot innstillinger åpen ja` opens them to the "
                "workspace (in a public channel)"
            )
        )
    top = done(said)
    return Message(
        text=top.text, blocks=[*top.blocks, blocks.section("\n".join(steps)), *settings_blocks(facts.settings)]
    )


def moved(facts: Moved) -> Message:
    body = facts.settings.body
    assert body.channel is not None  # it has just moved there
    if facts.before is None:
        said = _("*{name}* is in this channel now: notices and reminders are posted here.", name=escape(body.name))
    else:
        said = _(
            "*{name}* has moved here from {channel}. Its meetings, case numbers, votes and deadlines came along; "
            "notices and reminders are posted here from now on.",
            name=escape(body.name),
            channel=channel_link(facts.before),
        )
    lines = [f":white_check_mark: {said}"]
    if facts.open_votes:
        lines.append(
            ngettext(
                "The open vote keeps its message in the old channel, and is counted there until it closes.",
                "The {count} open votes keep their messages in the old channel, and are counted there until "
                "they close.",
                facts.open_votes,
            )
        )
    if facts.configured:
        lines.append(
            ":warning: "
            + _(
                "MOTEBOT_CHANNEL still names the old channel: set it to `{channel}` before Møtebot is restarted, "
                "or it will make a new, empty body there.",
                channel=escape(body.channel),
            )
        )
    if facts.new_feed:
        lines.append(_(FEED_RENEWED))
    return Message(text=said, blocks=[blocks.section("\n".join(lines))])


FEED_RENEWED = N_(
    "Only the members can read it now, so the calendar link given out before no longer works: "
    "`/moteplan ical` gives the members the new one."
)


def changed(facts: Changed) -> Message:
    body = facts.settings.body
    line = _lines(facts.settings)[facts.setting]
    if facts.same:
        return notice(_("{name} had that setting already.", name=escape(body.name)) + "\n" + line)
    renewed = "\n" + _(FEED_RENEWED) if facts.new_feed else ""
    return done(_("Changed for *{name}*:", name=escape(body.name)) + "\n" + line + renewed)


def render(facts: BodySettings | Created | Moved | Changed | LanguageChosen) -> Message:
    if isinstance(facts, LanguageChosen):
        if facts.language is None:
            return done(_("Your answers follow each body's målform again."))
        return done(_("The answers only you read are now in {language}; what the channel reads follows the body.",
                      language=_(LANGUAGE_NAMES[facts.language])))  # fmt: skip
    if isinstance(facts, BodySettings):
        return body_settings(facts)
    if isinstance(facts, Created):
        return created(facts)
    if isinstance(facts, Moved):
        return moved(facts)
    return changed(facts)


def channel_unknown(error: str) -> Message:
    """Slack would not say whether the bot is in the channel (a missing scope, Slack away)."""
    return problem(
        _(
            "Møtebot could not ask Slack about this channel ({error}). Try again in a moment, or tell Møtebot's "
            "administrators.",
            error=error,
        )
    )


def not_done() -> Message:
    sorry = _("Sorry, something went wrong in Møtebot. Nothing was changed. Try again, or tell the secretariat.")
    return problem(sorry)
