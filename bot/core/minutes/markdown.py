"""The minutes as Markdown: the text posted beside the PDF, and the text the fingerprint is taken of."""

from __future__ import annotations

import hashlib
import re

from bot.core.minutes.document import Bullets, Document, Fields, Heading, Paragraph

_SPECIAL = re.compile(r"([\\`*_\[\]#<>|])")


def _plain(text: str) -> str:
    """User text as Markdown shows it, not as markup: the few characters that would start some are escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def to_markdown(document: Document) -> str:
    lines = [f"# {_plain(document.title)}", ""]
    for block in document.blocks:
        if isinstance(block, Heading):
            lines += ["#" * min(block.level, 6) + " " + _plain(block.text), ""]
        elif isinstance(block, Paragraph):
            text = _plain(block.text)
            lines += [f"**{text}**" if block.emphasis else text, ""]
        elif isinstance(block, Bullets):
            lines += [f"- {_plain(item)}" for item in block.items] + [""]
        elif isinstance(block, Fields):
            lines += [f"- **{_plain(label)}:** {_plain(value)}" for label, value in block.pairs] + [""]
    if document.footer:
        lines += ["---", _plain(document.footer), ""]
    return "\n".join(lines).rstrip() + "\n"


def fingerprint(document: Document) -> str:
    """SHA-256 of the minutes' text without the footer (which carries the fingerprint once approved)."""
    text = to_markdown(Document(document.title, document.header, document.blocks))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
