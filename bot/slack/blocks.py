"""Block Kit is built here and only here, inside Slack's limits, with user text escaped.

Slack checks limits when it receives a message and rejects the whole message if one is broken, so
every builder fits its text to the limit itself instead of trusting the caller.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from bot.core.i18n import _, ngettext

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


@dataclass(frozen=True)
class Message:
    """What any surface sends: blocks plus the fallback text notifications and screen readers use."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": fit(self.text, MAX_FALLBACK_TEXT), "blocks": self.blocks}

    @cached_property
    def json(self) -> str:
        """The message as the body of an answer, encoded once: rendered agendas are cached, and encoding
        their blocks again on every /dagsorden cost more than finding and rendering the agenda."""
        return json.dumps(self.as_kwargs())


def _split_long(part: str, limit: int = MAX_SECTION_TEXT) -> list[str]:
    """A part too long for one section, split at line breaks or between list items, never inside a mention."""
    pieces: list[str] = []
    while len(part) > limit:
        cut = max(part.rfind("\n", 0, limit), part.rfind(", ", 0, limit - 1))
        if cut <= 0:
            break  # one unbroken run: section() shortens it with an ellipsis
        pieces.append(part[:cut])
        part = part[cut:].lstrip(", \n")
    return [*pieces, part]


def pack_sections(parts: list[str], budget: int) -> list[Block]:
    """One section per part while they fit the block budget; else several parts per section.

    A long agenda stays one message instead of being cut off at Slack's 50 blocks.
    """
    parts = [piece for part in parts for piece in _split_long(part)]
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
        more = ngettext(
            "_… and {count} more paragraph that does not fit in one message._",
            "_… and {count} more paragraphs that do not fit in one message._",
            hidden,
        )
        packed = [*packed[: budget - 1], more]
    return [section(part) for part in packed]


MAX_BUTTON_TEXT = 75
MAX_OPTION_TEXT = 75
MAX_OPTIONS = 100
MAX_VIEW_TITLE = 24


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": fit(text, limit), "emoji": True}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(text, MAX_BUTTON_TEXT), "action_id": action_id}
    if value:
        element["value"] = value[:2000]
    if style:
        element["style"] = style
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, MAX_OPTION_TEXT), "value": value}


def static_select(options: list[dict[str, Any]], initial: str | None = None) -> dict[str, Any]:
    options = options[:MAX_OPTIONS]
    element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    return element


def timepicker(initial: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "timepicker", "action_id": "value"}
    if initial:
        element["initial_time"] = initial
    return element


def text_input(*, multiline: bool = False, max_length: int = 3000, initial: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial
    return element


def input_block(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = "") -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def modal(callback_id: str, title: str, submit: str, body: list[Block], private_metadata: str = "") -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MAX_VIEW_TITLE),
        "submit": plain(submit, MAX_VIEW_TITLE),
        "close": plain(_("Cancel"), MAX_VIEW_TITLE),
        "private_metadata": private_metadata[:3000],
        "blocks": body[:100],
    }


def submitted_value(view: dict[str, Any], block_id: str) -> str | None:
    """The value of one input in a submitted view, whatever kind of element it is."""
    state = view.get("state", {}).get("values", {}).get(block_id, {}).get("value", {})
    if not isinstance(state, dict):
        return None
    selected = state.get("selected_option")
    if isinstance(selected, dict):
        value = selected.get("value")
        return value if isinstance(value, str) else None
    typed = next((state[key] for key in ("selected_time", "value") if isinstance(state.get(key), str)), None)
    return str(typed) if typed is not None else None
