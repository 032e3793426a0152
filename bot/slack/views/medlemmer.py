"""/medlemmer: the group by role, and what a change did."""

from __future__ import annotations

from bot.core.domain import Role, Roster
from bot.core.formatting import people_list
from bot.core.i18n import _
from bot.slack import blocks
from bot.slack.blocks import Message
from bot.slack.views.common import done, mention
from bot.usecases.medlemmer import Added, Removed


def _heading(role: Role) -> str:
    return {
        Role.LEDER: _("Leader"),
        Role.MEDLEM: _("Members"),
        Role.SEKRETARIAT: _("Secretariat"),
        Role.OBSERVATOR: _("Observers (without a vote)"),
    }[role]


def _role_name(role: Role) -> str:
    """The role as a member reads it in a sentence ("som medlem")."""
    return {
        Role.LEDER: _("leader"),
        Role.MEDLEM: _("member"),
        Role.SEKRETARIAT: _("secretariat"),
        Role.OBSERVATOR: _("observer"),
    }[role]


def roster(members: Roster) -> Message:
    title = _("The steering group")
    lines = [f"*{title}*"]
    for role in Role:
        users = sorted(user for user, roles in members.roles.items() if role in roles)
        none = _("none")
        who = ", ".join(mention(u) for u in users) if users else f"_{none}_"
        lines.append(f"*{_heading(role)}:* {who}")
    return Message(text=title, blocks=blocks.pack_sections(lines, 45))


def render(facts: Roster | Added | Removed) -> Message:
    if isinstance(facts, Roster):
        return roster(facts)
    if isinstance(facts, Added):  # mentions are built here from checked IDs
        people = people_list([mention(u) for u in facts.users])
        return done(_("Added {people} as {role}.", people=people, role=_role_name(facts.role)))
    return done(_("{person} has been removed from the steering group.", person=mention(facts.user)))
