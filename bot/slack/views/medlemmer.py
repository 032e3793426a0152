"""/medlemmer: the group by role, and what a change did."""

from __future__ import annotations

from bot.core.domain import Role, Roster
from bot.core.formatting import enumeration
from bot.core.i18n import N_, _
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import done, mention
from bot.usecases.medlemmer import Add, Remove

# Each role as the roster's heading, and as a sentence names it ("som medlem").
_ROLE_WORDS = {
    Role.LEDER: (N_("Leader"), N_("leader")),
    Role.NESTLEDER: (N_("Deputy leader"), N_("deputy leader")),
    Role.MEDLEM: (N_("Members"), N_("member")),
    Role.VARA: (N_("Substitutes (vara, in the order they are asked)"), N_("substitute")),
    Role.SEKRETARIAT: (N_("Secretariat"), N_("secretariat")),
    Role.OBSERVATOR: (N_("Observers (without a vote)"), N_("observer")),
}


def _who(members: Roster, user: str, role: Role) -> str:
    """A mention; for a vara, whose or which group's; for a member, the group."""
    shown = mention(user)
    if role is Role.VARA and (member := members.substitute_for.get(user)):
        return _("{vara} (for {member})", vara=shown, member=mention(member))
    if group := members.groups.get(user):
        return f"{shown} ({escape(group)})"
    return shown


def roster(members: Roster) -> Message:
    title = _("The steering group")
    lines = [f"*{title}*"]
    for role in Role:
        users = [user for user, roles in members.roles.items() if role in roles]
        users = users if role is Role.VARA else sorted(users)
        none = _("none")
        who = ", ".join(_who(members, u, role) for u in users) if users else f"_{none}_"
        lines.append(f"*{_(_ROLE_WORDS[role][0])}:* {who}")
    return Message(text=title, blocks=blocks.pack_sections(lines, 45))


def render(facts: Roster | Add | Remove) -> Message:
    if isinstance(facts, Roster):
        return roster(facts)
    if isinstance(facts, Add):  # mentions are built here from checked IDs
        people = enumeration([mention(u) for u in facts.users])
        added = _("Added {people} as {role}.", people=people, role=_(_ROLE_WORDS[facts.role][1]))
        if facts.substitute_for:
            added += " " + _("Personal vara for {member}.", member=mention(facts.substitute_for))
        if facts.group:
            added += " " + _("Group: {group}.", group=escape(facts.group))
        return done(added)
    return done(_("{person} has been removed from the steering group.", person=mention(facts.user)))
