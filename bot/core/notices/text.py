"""Lines of a notice as the converters give them: Markdown marks, headings ("# "), table rows as cells split by
tabs or pipes. Shared by the parts of the reader."""

from __future__ import annotations

import re

from bot.core.domain import CaseType

_CASE_TYPE_ALIASES = {"vedtak": CaseType.BESLUTNING, "vedtakssak": CaseType.BESLUTNING}


def clean(line: str) -> str:
    """Drop Markdown's hard-break spaces and backslashes, non-breaking spaces and bold/heading marks."""
    line = line.replace("\u00a0", " ").rstrip().rstrip("\\").rstrip()
    return line


def plain(line: str) -> str:
    return re.sub(r"\*\*|__", "", line).lstrip("#").strip()


def is_heading(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("#") or (stripped.startswith("**") and stripped.endswith("**"))


def case_type(text: str) -> CaseType | None:
    text = text.strip().casefold()
    if not text:
        return None
    exact = CaseType.parse(text) or _CASE_TYPE_ALIASES.get(text)
    return exact or next((kind for kind in CaseType if kind.value.casefold() in text), None)


def cells(line: str) -> list[str] | None:
    if "\t" in line:
        return [cell.strip() for cell in line.split("\t")]
    if line.strip().startswith("|"):
        return [cell.strip() for cell in line.strip().strip("|").split("|")]
    return None
