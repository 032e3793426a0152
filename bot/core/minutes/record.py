"""The minutes as kept: their state (utkast, til godkjenning, godkjent), the secretariat's edits per case with who
and when, and once approved the text as approved with its fingerprint. Approved minutes are locked; a correction
is a new version, and the earlier one stays readable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.core.domain import Serial
from bot.core.minutes.draft import CaseEdit


class MinutesState(StrEnum):
    DRAFT = "utkast"
    SENT = "til-godkjenning"  # stored; what members read is the catalog's
    APPROVED = "godkjent"


class EditKind(StrEnum):
    NOTE = "notat"  # a note on the discussion
    DECISION = "vedtak"  # the decision's words, for a case no vote decided


@dataclass(frozen=True)
class MinutesEdit:
    at: datetime
    actor: str
    case: Serial
    kind: EditKind
    text: str


@dataclass(frozen=True)
class Minutes:
    meeting: Serial
    made_at: datetime
    made_by: str
    version: int = 1
    state: MinutesState = MinutesState.DRAFT
    edits: tuple[MinutesEdit, ...] = ()
    approved_at: datetime | None = None
    approved_text: str = ""  # the Markdown as approved: what is shown and published from then on
    fingerprint: str = ""  # SHA-256 of approved_text's minutes (bot.core.minutes.markdown.fingerprint)

    @property
    def locked(self) -> bool:
        return self.state is MinutesState.APPROVED

    def case_edits(self) -> dict[Serial, CaseEdit]:
        """Each case's latest note and decision wording."""
        folded: dict[Serial, CaseEdit] = {}
        for edit in self.edits:
            current = folded.get(edit.case, CaseEdit())
            if edit.kind is EditKind.NOTE:
                folded[edit.case] = CaseEdit(edit.text, current.decision)
            else:
                folded[edit.case] = CaseEdit(current.note, edit.text)
        return folded
