"""Slack's Block Kit limits, checked on what the bot sends (slack_sdk checks them only when serialising)."""

from __future__ import annotations

import re
from typing import Any

LIVE = re.compile(r"<(?:!channel|!here|!everyone|!subteam|@[UW][A-Z0-9]+|#C[A-Z0-9]+|https?://|mailto:)")
# In mrkdwn a `<` opens a control sequence; any other is a mistake Slack shows oddly or swallows.
STRAY_ANGLE = re.compile(r"<(?![@#!]|https?://|mailto:)")


def texts(message: dict[str, Any]) -> list[str]:
    """Every string Slack renders as mrkdwn: the fallback text and each text object in the blocks."""
    found = [message.get("text") or ""]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.get("blocks") or [])
    return found


def check_limits(message: dict[str, Any], *, view: bool = False) -> None:
    for text in texts(message):
        assert not STRAY_ANGLE.search(text), f"a raw < in mrkdwn: {text[:200]!r}"
    blocks = message.get("blocks") or []
    assert len(blocks) <= (100 if view else 50), f"{len(blocks)} blocks"
    assert len(message.get("text") or "") <= 40_000
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            assert len(block["text"]["text"]) <= 150
        if kind == "section":
            assert len(block["text"]["text"]) <= 3000
        if kind == "context":
            assert len(block["elements"]) <= 10
            assert all(len(e.get("text", "")) <= 3000 for e in block["elements"])
        if kind == "actions":
            assert len(block["elements"]) <= 25
            for element in block["elements"]:
                assert len(element["text"]["text"]) <= 75
                assert len(element.get("value", "")) <= 2000
                assert len(element["action_id"]) <= 255


def live_mentions(message: dict[str, Any]) -> list[str]:
    return [match for text in texts(message) for match in LIVE.findall(text)]
