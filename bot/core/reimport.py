"""A notice read again into a meeting Møtebot already holds: a three-way merge.

The three are the meeting as stored (with what was done in Slack since), the meeting as the last import
read it (the base), and the meeting as the new document reads. A field the secretariat has not touched
since the last import follows the document; a field they changed stays theirs, and where the document
changes it too, that is a conflict the importer is asked about. Decisions and cases with votes are never
taken away by a document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any

from bot.core import agenda
from bot.core.domain import Case, Meeting, Serial

CASE_FIELDS = ("title", "start", "case_type", "proposal", "presenter")
MEETING_FIELDS = ("title", "day", "start", "end", "location", "web")


class ChangeKind(StrEnum):
    ADDED = "added"  # a case new in the document
    REMOVED = "removed"  # a case the document no longer has
    KEPT = "kept"  # a case the document no longer has, kept: it has a vote or a decision
    CHANGED = "changed"  # a field of a case, or of the meeting (case None)
    DECIDED = "decided"  # minutes gave a case its decision


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    case: Case | None = None  # None: the meeting itself
    field: str | None = None


@dataclass(frozen=True)
class Conflict:
    """A field changed in Slack since the last import, which the document would change again."""

    case: Case | None  # None: the meeting itself; a case removed in Slack that the document still has: field None
    field: str | None
    ours: object
    theirs: object
    held: bool = False  # the case has a vote or a decision: what was voted on stays, even when overwriting


@dataclass(frozen=True)
class Merged:
    meeting: Meeting
    changes: tuple[Change, ...]
    conflicts: tuple[Conflict, ...]  # decided as `overwrite` said: the document's with it, Slack's without
    moved: bool  # the day or the start changed: the meeting's notices go out again for the new time


def identity(case: Case) -> str:
    """What tells a case in one reading from the same case in another: its number as written, or the
    title when it has no number ("Eventuelt")."""
    if case.label == "":
        return "title:" + " ".join(case.title.casefold().split())
    return case.label if case.label is not None else str(case.number)


def _by_identity(cases: Iterable[Case]) -> dict[str, Case]:
    return {identity(case): case for case in cases}


def _three_way(ours: object, base: object, theirs: object, overwrite: bool) -> tuple[object, bool]:
    """The merged value, and whether it was a conflict. `overwrite`: the document's, wherever it differs."""
    conflict = ours not in (base, theirs) and theirs != base
    if overwrite or ours == base:
        return theirs, conflict
    return ours, conflict


def merge(
    stored: Meeting, base: Meeting | None, read: Meeting, *, overwrite: bool = False, held: Iterable[Serial] = ()
) -> Merged:
    """`read` into `stored`. `base` None (imported before Møtebot kept it): the stored meeting counts as what
    was imported, so the document wins wherever it differs. `held`: the cases with votes."""
    base = base if base is not None else stored
    held = frozenset(held)
    changes: list[Change] = []
    conflicts: list[Conflict] = []

    meeting_values: dict[str, Any] = {}
    for name in MEETING_FIELDS:
        value, conflict = _three_way(getattr(stored, name), getattr(base, name), getattr(read, name), overwrite)
        if conflict:
            conflicts.append(Conflict(None, name, getattr(stored, name), getattr(read, name)))
        if value != getattr(stored, name):
            changes.append(Change(ChangeKind.CHANGED, None, name))
        meeting_values[name] = value

    ours, before, theirs = _by_identity(stored.cases), _by_identity(base.cases), _by_identity(read.cases)
    cases: list[Case] = []
    for key, new in theirs.items():
        old, was = ours.get(key), before.get(key)
        if old is None:
            if was is not None and not overwrite:  # removed in Slack since the last import: stays removed
                if was != new:  # though the document has changed it
                    conflicts.append(Conflict(new, None, None, new))
                continue
            cases.append(new)
            changes.append(Change(ChangeKind.ADDED, new))
            continue
        if old.decision is not None or old.number in held:
            # What was voted on, and decided, stays what the record says: the document is told, not taken.
            earlier = was if was is not None else old
            differing = [name for name in CASE_FIELDS
                         if getattr(new, name) not in (getattr(earlier, name), getattr(old, name))]  # fmt: skip
            if new.decision is not None and new.decision != old.decision:
                differing.append("decision")
            conflicts += [Conflict(old, name, getattr(old, name), getattr(new, name), held=True) for name in differing]
            cases.append(old)
            continue
        values: dict[str, Any] = {}
        for name in CASE_FIELDS:
            base_value = getattr(was, name) if was is not None else getattr(old, name)
            value, conflict = _three_way(getattr(old, name), base_value, getattr(new, name), overwrite)
            if conflict:
                conflicts.append(Conflict(old, name, getattr(old, name), getattr(new, name)))
            if value != getattr(old, name):
                changes.append(Change(ChangeKind.CHANGED, old, name))
            values[name] = value
        decision = old.decision
        if decision is None and new.decision is not None:
            decision = new.decision
            changes.append(Change(ChangeKind.DECIDED, old))
        cases.append(replace(old, **values, decision=decision))

    merged = replace(stored, **meeting_values, cases=tuple(cases))
    for key, old in ours.items():
        if key in theirs:
            continue
        if key not in before:  # added in Slack: the document never had it
            merged = agenda.add_case(merged, old)
        elif old.decision is not None or old.number in held:
            merged = agenda.add_case(merged, old)
            changes.append(Change(ChangeKind.KEPT, old))
        else:
            changes.append(Change(ChangeKind.REMOVED, old))
    moved = (merged.day, merged.start) != (stored.day, stored.start)
    return Merged(merged, tuple(changes), tuple(conflicts), moved)


def same_reading(first: Meeting, second: Meeting) -> bool:
    """Whether two readings say the same, whatever Møtebot's own bookkeeping (version, moves) says."""
    ignored = {"version", "cancelled_at", "rescheduled", "moved_at", "moved_from", "body", "duration"}
    return all(getattr(first, f.name) == getattr(second, f.name) for f in fields(Meeting) if f.name not in ignored)
