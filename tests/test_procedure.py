"""The rule profiles as a table: each row one rule, and the rule it checks.

kommuneloven (LOV-2018-06-22-83) for `folkevalgt`: § 11-2 (decisions in meetings), § 11-7 (a fjernmøte is a
meeting), § 11-9 første ledd (quorum: at least half the members present and voting), andre ledd (a simple
majority of the votes cast), tredje ledd (on a tie the chair's vote decides, except in elections), § 8-1 andre
ledd (members present must vote; blank only in elections and appointments). forvaltningsloven § 8 andre ledd:
a collegial body rules on a member's habilitet without that member. `administrativt` follows the body's own
mandate (a steering group like Akson's): majority of votes cast, abstaining allowed, no casting vote, half the
seats taking part, votes before or during the meeting.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.attendance import (
    Attendance,
    AttendanceEvent,
    Presence,
    Recusal,
    Ruling,
    next_substitute,
    recused,
    seat_holders,
    voters,
)
from bot.core.domain import Choice, Role, Roster, Serial, Vote
from bot.core.procedure import (
    ADMINISTRATIVE,
    ELECTED,
    RuleProfile,
    adopted,
    decided_by_chair,
    is_profile_name,
    may_abstain,
    may_open,
    profile_named,
    quorate,
    quorate_meeting,
)

OSLO = ZoneInfo("Europe/Oslo")
NINE = datetime(2020, 7, 1, 9, 0, tzinfo=OSLO)


@pytest.mark.parametrize(
    ("rule", "profile", "yes", "no", "chair_yes", "election", "expected"),
    [
        ("§ 11-9 andre ledd: simple majority of the votes cast", ELECTED, 3, 2, None, False, True),
        ("§ 11-9 andre ledd: a minority falls", ELECTED, 2, 3, None, False, False),
        ("§ 11-9 tredje ledd: tie, the chair voted for: adopted", ELECTED, 2, 2, True, False, True),
        ("§ 11-9 tredje ledd: tie, the chair voted against: falls", ELECTED, 2, 2, False, False, False),
        ("§ 11-9 tredje ledd: no casting vote in elections", ELECTED, 2, 2, True, True, False),
        ("administrativt: a tie is not a majority", ADMINISTRATIVE, 2, 2, True, False, False),
        (
            "administrativt: majority of votes cast, abstentions count for neither",
            ADMINISTRATIVE,
            2,
            1,
            None,
            False,
            True,
        ),
    ],
)
def test_majority_and_ties(
    rule: str, profile: RuleProfile, yes: int, no: int, chair_yes: bool | None, election: bool, expected: bool
) -> None:
    assert adopted(profile, yes, no, chair_yes, election=election) is expected, rule
    casting = yes == no and profile.casting_vote and not election and chair_yes is not None
    assert decided_by_chair(profile, yes, no, chair_yes, election=election) is casting, rule


@pytest.mark.parametrize(
    ("rule", "voted", "seats", "expected"),
    [
        ("§ 11-9 første ledd: half of the members is enough", 3, 6, True),
        ("§ 11-9 første ledd: less than half is not", 2, 5, False),
        ("§ 11-9 første ledd: more than half of an odd number", 3, 5, True),
        ("no seats, no quorum", 0, 0, False),
    ],
)
def test_quorum_counts_from_the_seats(rule: str, voted: int, seats: int, expected: bool) -> None:
    assert quorate(voted, seats) is expected, rule
    assert quorate_meeting(voted, seats) is expected, rule


@pytest.mark.parametrize(
    ("rule", "profile", "election", "expected"),
    [
        ("§ 8-1 andre ledd: members present must vote for or against", ELECTED, False, False),
        ("§ 8-1 andre ledd: blank is allowed in elections and appointments", ELECTED, True, True),
        ("administrativt: abstaining is allowed", ADMINISTRATIVE, False, True),
    ],
)
def test_abstaining(rule: str, profile: RuleProfile, election: bool, expected: bool) -> None:
    assert may_abstain(profile, election=election) is expected, rule


@pytest.mark.parametrize(
    ("rule", "profile", "in_session", "expected"),
    [
        ("§ 11-2: an elected body decides in a meeting (a fjernmøte counts, § 11-7)", ELECTED, True, True),
        ("§ 11-2: not before the meeting is set", ELECTED, False, False),
        ("administrativt: a vote may be held before the meeting", ADMINISTRATIVE, False, True),
        ("administrativt: and in it", ADMINISTRATIVE, True, True),
    ],
)
def test_when_a_vote_may_open(rule: str, profile: RuleProfile, in_session: bool, expected: bool) -> None:
    assert may_open(profile, in_session=in_session) is expected, rule


def test_profile_names_from_before_the_rules_read_as_their_successors() -> None:
    assert profile_named("kommunalt") is ELECTED and profile_named("styre") is ADMINISTRATIVE
    assert profile_named("Folkevalgt") is ELECTED and is_profile_name("administrativt")
    assert not is_profile_name("kommune")
    assert ELECTED.names_in_record and not ADMINISTRATIVE.names_in_record  # § 11-4: open votes, names in the record


def _vote(profile: RuleProfile, ballots: dict[str, Choice], electorate: set[str], seats: int, chair: str) -> Vote:
    return Vote(
        id=1, meeting=Serial(2020, 4), case=Serial(2020, 18), proposal="Forslag", agenda_version=1,
        electorate=frozenset(electorate), opened_by=chair, opened_at=NINE, closes_at=None, ballots=ballots,
        seats=seats, profile=profile.name, chair=chair,
    )  # fmt: skip


def test_the_chairs_ballot_decides_a_tie_in_an_elected_bodys_vote() -> None:
    """§ 11-9 tredje ledd, through the Vote's own tally: the chair is the one recorded when the vote opened."""
    ballots = {"U0LEDER": Choice.FOR, "U0A": Choice.FOR, "U0B": Choice.MOT, "U0C": Choice.MOT}
    tally = _vote(ELECTED, ballots, set(ballots), 5, "U0LEDER").tally()
    assert tally.quorum and tally.adopted and tally.by_casting_vote
    assert not _vote(ADMINISTRATIVE, ballots, set(ballots), 5, "U0LEDER").tally().adopted
    inhabil_chair = _vote(ELECTED, ballots, set(ballots) - {"U0LEDER"}, 5, "U0LEDER").tally()
    assert not inhabil_chair.by_casting_vote  # a chair out of the electorate has no vote to cast


def _roster() -> Roster:
    roles = {
        "U0LEDER": frozenset({Role.LEDER}), "U0A": frozenset({Role.MEDLEM}), "U0B": frozenset({Role.MEDLEM}),
        "U0C": frozenset({Role.MEDLEM}), "U0VARA1": frozenset({Role.VARA}), "U0VARA2": frozenset({Role.VARA}),
        "U0VARAB": frozenset({Role.VARA}), "U0VARAG": frozenset({Role.VARA}), "U0SEKR": frozenset({Role.SEKRETARIAT}),
        "U0OBS": frozenset({Role.OBSERVATOR}),
    }  # fmt: skip
    return Roster(roles=roles, substitute_for={"U0VARAB": "U0B"}, groups={"U0C": "Ap", "U0VARAG": "Ap"})


def _at(minutes: int) -> datetime:
    return NINE + timedelta(minutes=minutes)


def test_who_may_vote_at_a_moment() -> None:
    """The electorate of a vote is those present and entitled when it opens: seats held by members or by the
    vara in an absent member's seat; observers and the secretariat never; a late arrival only from arriving."""
    roster = _roster()
    log = Attendance((
        AttendanceEvent(_at(-60), "U0A", Presence.ABSENT, "U0A", "Sykdom"),
        AttendanceEvent(_at(-59), "U0VARA1", Presence.VARA_ASKED, "motebot", seat="U0A"),
        AttendanceEvent(_at(-50), "U0VARA1", Presence.VARA_ACCEPTED, "U0VARA1", seat="U0A"),
        *(AttendanceEvent(_at(0), user, Presence.ARRIVED, user) for user in ("U0LEDER", "U0VARA1", "U0SEKR", "U0OBS")),
        AttendanceEvent(_at(10), "U0B", Presence.ARRIVED, "U0B"),  # late
        AttendanceEvent(_at(40), "U0LEDER", Presence.LEFT, "U0LEDER"),  # leaves early
    ))  # fmt: skip
    assert seat_holders(roster, log) == {"U0LEDER": "U0LEDER", "U0VARA1": "U0A", "U0B": "U0B", "U0C": "U0C"}
    assert voters(roster, log, _at(5), in_session=True) == {"U0LEDER", "U0VARA1"}
    assert voters(roster, log, _at(15), in_session=True) == {"U0LEDER", "U0VARA1", "U0B"}
    assert voters(roster, log, _at(45), in_session=True) == {"U0VARA1", "U0B"}
    assert voters(roster, log, _at(15), in_session=True, recused={"U0B"}) == {"U0LEDER", "U0VARA1"}
    assert voters(roster, log, _at(-30), in_session=False) == {"U0LEDER", "U0VARA1", "U0B", "U0C"}  # before it
    assert log.periods("U0LEDER") == ((_at(0), _at(40)),)
    withdrawn = Attendance((*log.events, AttendanceEvent(_at(20), "U0A", Presence.ABSENCE_WITHDRAWN, "U0A")))
    assert "U0VARA1" not in seat_holders(roster, withdrawn)  # the member is back in their own seat


def test_the_next_vara_is_the_members_own_then_the_groups_then_the_shared_list() -> None:
    roster = _roster()
    nobody_asked = Attendance()
    assert next_substitute(roster, nobody_asked, "U0B") == "U0VARAB"
    assert next_substitute(roster, nobody_asked, "U0C") == "U0VARAG"
    assert next_substitute(roster, nobody_asked, "U0A") == "U0VARA1"
    asked = Attendance((AttendanceEvent(NINE, "U0VARA1", Presence.VARA_DECLINED, "U0VARA1", seat="U0A"),))
    assert next_substitute(roster, asked, "U0A") == "U0VARA2"


def test_only_those_ruled_inhabil_leave_the_case() -> None:
    declared = Recusal(1, Serial(2020, 4), Serial(2020, 18), "U0B", "Styremedlem i leverandøren", NINE, "U0B")
    ruled = Recusal(2, Serial(2020, 4), Serial(2020, 18), "U0C", "Nær venn", NINE, "U0C", vote=3, ruling=Ruling.INHABIL)
    habil = Recusal(3, Serial(2020, 4), Serial(2020, 18), "U0A", "Tidligere ansatt", NINE, "U0A", ruling=Ruling.HABIL)
    assert recused([declared, ruled, habil], Serial(2020, 18)) == {"U0C"}
    assert recused([declared, ruled, habil], Serial(2020, 19)) == frozenset()
