"""/medlemmer: the group by role, and what a change did."""

from __future__ import annotations

from bot.core.domain import Role, Roster
from bot.core.formatting import enumeration, role_name
from bot.core.i18n import N_, _, ngettext
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import done, mention
from bot.usecases.medlemmer import Added, Members, Removed

# Each role as the roster's heading (a sentence names it with `role_name`).
_HEADINGS = {
    Role.LEDER: N_("Leader"),
    Role.NESTLEDER: N_("Deputy leader"),
    Role.MEDLEM: N_("Members"),
    Role.VARA: N_("Substitutes (vara, in the order they are asked)"),
    Role.SEKRETARIAT: N_("Secretariat"),
    Role.OBSERVATOR: N_("Observers (without a vote)"),
}


def _who(members: Roster, user: str, role: Role) -> str:
    """A mention; for a vara, whose or which group's; for a member, the group."""
    shown = mention(user)
    if role is Role.VARA and (member := members.substitute_for.get(user)):
        return _("{vara} (for {member})", vara=shown, member=mention(member))
    if group := members.groups.get(user):
        return f"{shown} ({escape(group)})"
    return shown


def roster(facts: Members) -> Message:
    members = facts.roster
    title = _("The members of {body}", body=escape(facts.body))
    lines = [f"*{title}*"]
    for role in Role:  # the one order roles are listed in
        users = list(members.holding(role))
        users = users if role is Role.VARA else sorted(users)
        none = _("none")
        who = ", ".join(_who(members, u, role) for u in users) if users else f"_{none}_"
        lines.append(f"*{_(_HEADINGS[role])}:* {who}")
    return Message(text=title, blocks=blocks.pack_sections(lines, 45))


def _added(facts: Added) -> str:
    """«@A og @B er lagt til som medlemmer. @Kari var vara og er nå medlem.»"""
    said = []
    if facts.added:
        count, people = len(facts.added), enumeration([mention(u) for u in facts.added])
        role = role_name(facts.role, count)
        said.append(ngettext("{people} has been added as {role}.", "{people} have been added as {role}.", count,
                             people=people, role=role))  # fmt: skip
    for user, held in facts.changed:
        said.append(_("{person} was {before} and is now {role}.", person=mention(user), before=role_name(held),
                      role=role_name(facts.role)))  # fmt: skip
    if facts.kept:
        count, people = len(facts.kept), enumeration([mention(u) for u in facts.kept])
        role = role_name(facts.role, count)
        said.append(ngettext("{people} is {role} already.", "{people} are {role} already.", count,
                             people=people, role=role))  # fmt: skip
    if facts.substitute_for:
        said.append(_("Personal vara for {member}.", member=mention(facts.substitute_for)))
    if facts.group:
        said.append(_("Group: {group}.", group=escape(facts.group)))
    return " ".join(said)


def render(facts: Members | Added | Removed) -> Message:
    if isinstance(facts, Members):
        return roster(facts)
    if isinstance(facts, Added):  # mentions are built here from checked IDs
        return done(_added(facts))
    return done(_("{person} has been removed from {body}.", person=mention(facts.user), body=escape(facts.body)))
