"""/habilitet: the declaration in the channel with the chair's button, the answers to the member, the list."""

from __future__ import annotations

import json

from bot.core.attendance import Recusal, Ruling
from bot.core.domain import Serial, VoteState
from bot.core.formatting import short_datetime
from bot.core.i18n import _
from bot.slack import blocks
from bot.slack.blocks import Block, Message, escape
from bot.slack.views.common import carrying_case, done, mention, notice
from bot.usecases.habilitet import Declared, Entry, Listing, RulingOpened, Withdrawn

DECLARE_RECUSAL_ACTION = "recusal_declare"  # on a case's message in the meeting: "I may be inhabil"
RULE_RECUSAL_ACTION = "recusal_rule"  # under a declaration: the chair opens the ruling vote


def declare_button(body: int, case: Serial) -> dict[str, object]:
    """The button for a case's message in the meeting (the in-meeting flow puts it there)."""
    return blocks.button(_("I may be inhabil"), DECLARE_RECUSAL_ACTION, carrying_case(body, case))


def rule_value(body: int, recusal: Recusal) -> str:
    return json.dumps({"organ": body, "recusal": recusal.id})


def ruled_declaration(value: str) -> tuple[object, int | None]:
    """The body and declaration an [Avgjør habiliteten] button carries."""
    try:
        carried = json.loads(value)
    except ValueError:
        return None, None
    number = carried.get("recusal") if isinstance(carried, dict) else None
    if not isinstance(number, int) or isinstance(number, bool):
        return None, None
    return carried.get("organ"), number


def _reason(recusal: Recusal) -> str:
    return escape(recusal.reason) if recusal.reason else _("no reason given yet")


def declaration_post(facts: Declared) -> Message:
    """In the channel (in the case's thread in the meeting): who, which case, why, and the chair's button."""
    recusal = facts.recusal
    person = mention(recusal.user)
    if facts.updated:
        lead = _("*Habilitet in case {case} {title}:* {person} has given a new reason.", case=recusal.case,
                 title=escape(facts.title), person=person)  # fmt: skip
    else:
        lead = _(
            "*Habilitet in case {case} {title}:* {person} may be inhabil (forvaltningsloven § 6).",
            case=recusal.case, title=escape(facts.title), person=person,
        )  # fmt: skip
    body: list[Block] = [
        blocks.section(f":raised_hand: {lead}"),
        blocks.section(_("*Reason:* {reason}", reason=_reason(recusal))),
    ]
    if recusal.declared_by != recusal.user:
        body.append(blocks.context(_("Declared by {person}", person=mention(recusal.declared_by))))
    body.append(
        blocks.context(
            _(
                "The body rules on it without {person} (forvaltningsloven § 8 andre ledd). "
                "Until it has, the case is not voted on.",
                person=person,
            )
        )
    )
    body.append(
        blocks.actions(
            blocks.button(_("Rule on the habilitet"), RULE_RECUSAL_ACTION, rule_value(facts.body, recusal), "primary"),
            block_id=f"recusal-{recusal.id}",
        )
    )
    text = _("{person} may be inhabil in case {case}", person=person, case=recusal.case)
    return Message(text=text, blocks=body)


def declared(facts: Declared, *, clicked: bool = False) -> Message:
    """The answer to the one who declared, ephemeral."""
    recusal = facts.recusal
    case = recusal.case
    if facts.updated:
        return done(_("The reason is changed, and the channel is told: {reason}", reason=_reason(recusal)))
    if recusal.user == recusal.declared_by:
        text = _(
            "You have declared that you may be inhabil in case {case}. The body rules on it without you before "
            "the case is voted on. To withdraw it, write `/habilitet {case} trekk`.",
            case=case,
        )
    else:
        text = _(
            "{person} is declared possibly inhabil in case {case}. The body rules on it without them before the "
            "case is voted on.",
            person=mention(recusal.user), case=case,
        )  # fmt: skip
    if clicked or not recusal.reason:
        text += " " + _("To say why, write `/habilitet {case} your reason`.", case=case)
    return done(text)


def ruling_opened(facts: RulingOpened) -> Message:
    person, case = mention(facts.recusal.user), facts.recusal.case
    if facts.again:
        return done(_("The vote on whether {person} is inhabil in case {case} is being posted in the channel now.",
                      person=person, case=case))  # fmt: skip
    return done(
        _(
            "The vote on whether {person} is inhabil in case {case} has started in the channel. "
            "{person} does not vote in it.",
            person=person,
            case=case,
        )
    )


def withdrawn(facts: Withdrawn) -> Message:
    recusal = facts.recusal
    if recusal.user == facts.by:
        return done(_("Your declaration in case {case} is withdrawn (deleted).", case=recusal.case))
    return done(_("The declaration of {person} in case {case} is withdrawn (deleted).",
                  person=mention(recusal.user), case=recusal.case))  # fmt: skip


def _state(entry: Entry) -> str:
    recusal, vote = entry.recusal, entry.vote
    when = short_datetime(recusal.ruled_at) if recusal.ruled_at else ""
    count = ""
    if vote is not None and recusal.ruling is not None:
        tally = vote.tally()
        count = " " + _("For {yes}, against {no}, abstained {abstained}.", yes=tally.for_, no=tally.mot,
                        abstained=tally.avstar)  # fmt: skip
    if recusal.ruling is Ruling.INHABIL:
        return _(":no_entry: *Inhabil* (ruled {when})", when=when) + count
    if recusal.ruling is Ruling.HABIL:
        return _(":white_check_mark: *Not inhabil* (ruled {when})", when=when) + count
    if vote is not None and vote.is_open:
        return _(":ballot_box_with_ballot: the body is voting on it")
    if vote is not None and vote.state is VoteState.CLOSED:
        return _(
            ":x: no ruling: the vote had no quorum. Vote again: `/habilitet {case} avgjør {person}`",
            case=recusal.case, person=mention(recusal.user),
        )  # fmt: skip
    return _(":hourglass: awaiting the body's ruling: `/habilitet {case} avgjør {person}`", case=recusal.case,
             person=mention(recusal.user))  # fmt: skip


def _entry(entry: Entry, *, with_case: bool) -> str:
    recusal = entry.recusal
    lead = _("Case {case} · ", case=recusal.case) if with_case else ""
    by = "" if recusal.declared_by == recusal.user else " " + _("(by {person})", person=mention(recusal.declared_by))
    declared_at = short_datetime(recusal.declared_at)
    return (
        f"• {lead}{mention(recusal.user)} · {_reason(recusal)} · "
        + _("declared {when}", when=declared_at)
        + f"{by}\n    {_state(entry)}"
    )


def listing(facts: Listing) -> Message:
    if facts.case is not None:
        title = _("Habilitet in case {case}", case=facts.case)
        empty = _("No one has declared that they may be inhabil in case {case}.", case=facts.case)
    else:
        title = _("Habilitet in meeting {meeting}", meeting=facts.meeting)
        empty = _("No one has declared that they may be inhabil in meeting {meeting}.", meeting=facts.meeting)
    lines = [f"*{title}*"]
    if not facts.entries:
        lines.append(empty)
    lines += [_entry(entry, with_case=facts.case is None) for entry in facts.entries]
    return Message(text=title, blocks=blocks.pack_sections(lines, 45))


def render(facts: Declared | RulingOpened | Withdrawn | Listing) -> Message:
    """The answer to /habilitet, in its ack (the posts in the channel follow it)."""
    if isinstance(facts, Declared):
        return declared(facts)
    if isinstance(facts, RulingOpened):
        return ruling_opened(facts)
    if isinstance(facts, Withdrawn):
        return withdrawn(facts)
    return listing(facts)


def not_posted() -> Message:
    return notice(
        _("The declaration is stored, but Slack did not take the message for the channel. Is Møtebot invited "
          "there? (/invite @Møtebot)")
    )  # fmt: skip
