"""The rules a body follows when it decides: its rule profile, and what counts as quorum, a majority and a tie.

Pure functions over counts, so the table in tests/test_procedure.py can cite the rule each row checks:
- `administrativt`: a steering group or working body by its own mandate. A majority of the votes cast,
  abstaining allowed, valid when at least half of the seats take part, votes before or in the meeting.
- `folkevalgt`: an elected body under kommuneloven. Decisions only in a meeting, a fjernmøte included
  (§§ 11-2, 11-7); quorum when at least half of the members are present and vote (§ 11-9 første ledd);
  a simple majority of the votes cast (§ 11-9 andre ledd); the chair's vote decides a tie, except in
  elections (§ 11-9 tredje ledd); every member present must vote, blank only in elections and
  appointments (§ 8-1 andre ledd); the vote is open, with the names in the record (§ 11-4).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleProfile:
    name: str
    abstain_allowed: bool  # outside elections
    casting_vote: bool  # the chair's vote decides a tie (outside elections)
    votes_before_meeting: bool  # a vote may be opened before the meeting is set, and run into it
    names_in_record: bool  # who voted what is shown with the result


ADMINISTRATIVE = RuleProfile("administrativt", True, False, True, False)
ELECTED = RuleProfile("folkevalgt", False, True, False, True)
PROFILES = (ADMINISTRATIVE, ELECTED)
PROFILE_NAMES = tuple(profile.name for profile in PROFILES)
_OLDER_NAMES = {"kommunalt": ELECTED.name, "styre": ADMINISTRATIVE.name}  # before the profiles had rules


def profile_named(name: str) -> RuleProfile:
    """The profile by its name; a name from before the profiles had rules reads as its successor."""
    wanted = _OLDER_NAMES.get(name.casefold(), name.casefold())
    return next((profile for profile in PROFILES if profile.name == wanted), ADMINISTRATIVE)


def is_profile_name(text: str) -> bool:
    return text.casefold() in PROFILE_NAMES or text.casefold() in _OLDER_NAMES


def quorate(voted: int, seats: int) -> bool:
    """Valid when at least half of the seats took part (an abstention takes part): the same count in both
    profiles, as an elected body's members present must vote (kommuneloven §§ 8-1, 11-9)."""
    return seats > 0 and voted * 2 >= seats


def may_abstain(profile: RuleProfile, *, election: bool = False) -> bool:
    return profile.abstain_allowed or election


def adopted(profile: RuleProfile, yes: int, no: int, chair_yes: bool | None, *, election: bool = False) -> bool:
    """More for than against; on a tie, the chair's vote where the profile gives it that weight
    (`chair_yes`: how the chair voted, None if the chair did not vote for or against)."""
    if yes != no:
        return yes > no
    return bool(profile.casting_vote and not election and chair_yes)


def decided_by_chair(
    profile: RuleProfile, yes: int, no: int, chair_yes: bool | None, *, election: bool = False
) -> bool:
    """The tie the chair's vote decided: said in the result and the record."""
    return yes == no and yes > 0 and profile.casting_vote and not election and chair_yes is not None


def may_open(profile: RuleProfile, *, in_session: bool) -> bool:
    """A vote may be opened in the meeting always; before it only where the profile allows."""
    return in_session or profile.votes_before_meeting


def quorate_meeting(present_seats: int, seats: int) -> bool:
    """The meeting is vedtaksfør when at least half the seats are present (kommuneloven § 11-9 første ledd)."""
    return quorate(present_seats, seats)
