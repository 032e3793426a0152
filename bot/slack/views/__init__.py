"""What members read: each answer as a Message, from domain objects. One module per command."""

from bot.slack.blocks import Message
from bot.slack.views.avstemning import VOTE_ACTIONS, VOTE_CLOSE_ACTION, VOTE_RESTART_ACTION
from bot.slack.views.common import (
    SLACK_USER_ID,
    done,
    meeting_place,
    mention,
    notice,
    outcome,
    problem,
    unknown_word,
    usage,
)
from bot.slack.views.medlemmer import roster
from bot.slack.views.motebot import CHOOSE_BODY_ACTION, which_body
from bot.slack.views.moteplan import OPEN_APPROVAL_ACTION, meeting_cancelled, meeting_moved, meeting_notice

__all__ = [
    "CHOOSE_BODY_ACTION",
    "OPEN_APPROVAL_ACTION",
    "SLACK_USER_ID",
    "VOTE_ACTIONS",
    "VOTE_CLOSE_ACTION",
    "VOTE_RESTART_ACTION",
    "Message",
    "done",
    "meeting_cancelled",
    "meeting_moved",
    "meeting_notice",
    "meeting_place",
    "mention",
    "notice",
    "outcome",
    "problem",
    "roster",
    "unknown_word",
    "usage",
    "which_body",
]
