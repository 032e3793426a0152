"""What members read: each answer as a Message, from domain objects. One module per command."""

from bot.slack.blocks import Message
from bot.slack.views.avstemning import (
    VOTE_ACTIONS,
    VOTE_CLOSE_ACTION,
    VOTE_LABELS,
    VOTE_RESTART_ACTION,
    vote_message,
    vote_record,
)
from bot.slack.views.common import SLACK_USER_ID, done, meeting_place, mention, notice, outcome, problem, usage
from bot.slack.views.frister import DEADLINES_HELP, deadline_due, deadline_list, deadline_reminder, responsible
from bot.slack.views.home import MAX_BLOCKS_VIEW, home
from bot.slack.views.medlemmer import roster
from bot.slack.views.moteplan import (
    MEETING_PLAN_HELP,
    OPEN_APPROVAL_ACTION,
    meeting_cancelled,
    meeting_moved,
    meeting_notice,
    meeting_plan,
)
from bot.slack.views.status import STATUS_HELP, status_history, status_list

__all__ = [
    "DEADLINES_HELP",
    "MAX_BLOCKS_VIEW",
    "MEETING_PLAN_HELP",
    "OPEN_APPROVAL_ACTION",
    "SLACK_USER_ID",
    "STATUS_HELP",
    "VOTE_ACTIONS",
    "VOTE_CLOSE_ACTION",
    "VOTE_LABELS",
    "VOTE_RESTART_ACTION",
    "Message",
    "deadline_due",
    "deadline_list",
    "deadline_reminder",
    "done",
    "home",
    "meeting_cancelled",
    "meeting_moved",
    "meeting_notice",
    "meeting_place",
    "meeting_plan",
    "mention",
    "notice",
    "outcome",
    "problem",
    "responsible",
    "roster",
    "status_history",
    "status_list",
    "usage",
    "vote_message",
    "vote_record",
]
