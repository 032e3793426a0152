"""The minutes as kept: their state (utkast, til godkjenning, godkjent), the secretariat's edits per case with who
and when, the signatories and their answers, and once approved the document as approved with its fingerprint.
Approved minutes are locked; a correction is a new version, and each earlier approved one stays readable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.core.domain import Serial
from bot.core.minutes.document import Document
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
class Remark:
    """A signatory's "Jeg har merknader": what they want changed, for the secretariat."""

    at: datetime
    user: str
    text: str


@dataclass(frozen=True)
class Approved:
    """One approved version: the document exactly as approved, and when and how."""

    version: int
    at: datetime
    document: Document
    fingerprint: str
    by_vote: int | None = None  # approved by the next meeting's vote, not by signatories


@dataclass(frozen=True)
class Minutes:
    meeting: Serial
    made_at: datetime
    made_by: str
    version: int = 1
    state: MinutesState = MinutesState.DRAFT
    edits: tuple[MinutesEdit, ...] = ()
    signatories: tuple[str, ...] = ()
    approvals: Mapping[str, datetime] = field(default_factory=dict)  # signatory -> when they approved
    remarks: tuple[Remark, ...] = ()
    approved: tuple[Approved, ...] = ()  # every approved version, oldest first
    names: Mapping[str, str] = field(default_factory=dict)  # as Slack named people when last published

    @property
    def locked(self) -> bool:
        return self.state is MinutesState.APPROVED

    @property
    def latest(self) -> Approved | None:
        return self.approved[-1] if self.approved else None

    def waiting_for(self) -> tuple[str, ...]:
        """Signatories who have not approved yet."""
        return tuple(user for user in self.signatories if user not in self.approvals)

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
