"""Block Kit is built here and only here, inside Slack's limits, with user text escaped.

Slack checks limits when it receives a message and rejects the whole message if one is broken, so
every builder fits its text to the limit itself instead of trusting the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Block = dict[str, Any]

MAX_BLOCKS_MESSAGE = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_TEXT = 2000
MAX_FALLBACK_TEXT = 3000

_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,4}$")


def escape(text: str) -> str:
    """Make any text inert in mrkdwn: no `<!channel>`, no `<@U…>`, no `<https://…|…>` survives.

    Exactly Slack's three entities, `&` first; html.escape would also encode quotes.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit(text: str, limit: int) -> str:
    """Shorten to `limit` characters with an ellipsis, never cutting an escape like `&amp;` in two."""
    if len(text) <= limit:
        return text
    cut = _PARTIAL_ENTITY.sub("", text[: limit - 1])
    return cut + "…"


def header(text: str) -> Block:
    """Plain text: Slack never turns it into mentions or links, so it is not escaped."""
    return {"type": "header", "text": {"type": "plain_text", "text": fit(text, MAX_HEADER_TEXT), "emoji": True}}


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": fit(mrkdwn, MAX_SECTION_TEXT)}}


def context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": fit(mrkdwn, MAX_CONTEXT_TEXT)}]}


def divider() -> Block:
    return {"type": "divider"}


@dataclass
class Message:
    """What any surface sends: blocks plus the fallback text notifications and screen readers use."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": fit(self.text, MAX_FALLBACK_TEXT), "blocks": self.blocks}


def pack_sections(parts: list[str], budget: int) -> list[Block]:
    """One section per part while they fit the block budget; else several parts per section.

    A long agenda stays one message instead of being cut off at Slack's 50 blocks.
    """
    if len(parts) <= budget:
        return [section(part) for part in parts]
    packed: list[str] = []
    for part in parts:
        if packed and len(packed[-1]) + 2 + len(part) <= MAX_SECTION_TEXT:
            packed[-1] += "\n\n" + part
        else:
            packed.append(part)
    if len(packed) > budget:
        hidden = len(packed) - budget + 1
        packed = [*packed[: budget - 1], f"_… og {hidden} avsnitt til som ikke får plass i én melding._"]
    return [section(part) for part in packed]
