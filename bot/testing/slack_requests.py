"""What Slack sends a Bolt app, built in one place for the console and the tests: a slash command's form,
a button press, a modal submission, an event. Each gets its own trigger_id, as Slack gives one per request."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from bot.testing.slack_standin import APP_ID, TEAM_ID

CHANNEL = "C0STYRING"
_triggers = itertools.count(1)


def trigger_id() -> str:
    return f"1337.{next(_triggers)}.{uuid.uuid4().hex[:12]}"


def _from(user_id: str, team_id: str = TEAM_ID) -> dict[str, Any]:
    """Who an interaction comes from, as every interaction payload says it."""
    return {
        "team": {"id": team_id, "domain": team_id.lower()},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "is_enterprise_install": False,
        "api_app_id": APP_ID,
        "token": "legacy-unused",
        "trigger_id": trigger_id(),
    }


def command_form(command: str, text: str, user_id: str, response_url: str, **fields: str) -> str:
    """A slash command's form body; `fields` overrides any of it (another channel, an odd team name)."""
    return urlencode(
        {
            "token": "legacy-unused",
            "team_id": TEAM_ID,
            "team_domain": "akson",
            "channel_id": CHANNEL,
            "channel_name": "styringsgruppe",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "response_url": response_url,
            "trigger_id": trigger_id(),
            **fields,
        }
    )


def block_action(
    user_id: str, action_id: str, value: str, *, channel_id: str = CHANNEL,
    response_url: str = "http://127.0.0.1:9/response",
    message_ts: str = "1593580000.000100", block_id: str = "b1", ephemeral: bool = True, team_id: str = TEAM_ID,
) -> dict[str, Any]:  # fmt: skip
    """A button press; `ephemeral` False for a message all the channel sees (the vote's own); `team_id`: the
    workspace it is clicked in."""
    container = {"type": "message", "message_ts": message_ts, "channel_id": channel_id, "is_ephemeral": ephemeral}
    action = {"type": "button", "action_id": action_id, "block_id": block_id, "value": value,
              "action_ts": f"{time.time():.6f}"}  # fmt: skip
    return {
        "type": "block_actions",
        **_from(user_id, team_id),
        "container": container,
        "channel": {"id": channel_id, "name": "styringsgruppe"},
        **({} if ephemeral else {"message": {"ts": message_ts}}),  # an ephemeral message is not sent back
        "response_url": response_url,
        "actions": [action],
    }


def view_submission(
    user_id: str, view: dict[str, Any], values: dict[str, dict[str, Any]], team_id: str = TEAM_ID
) -> dict[str, Any]:
    """A modal as submitted: the view we opened, with `state.values` as Slack fills it in."""
    submitted = {**view, "id": "V0NYSAK01", "state": {"values": {b: {"value": v} for b, v in values.items()}}}
    return {"type": "view_submission", **_from(user_id, team_id), "view": submitted}


def interaction_form(payload: dict[str, Any]) -> str:
    """Clicks and submissions arrive as a form with one field, `payload`, holding JSON."""
    return urlencode({"payload": json.dumps(payload)})
