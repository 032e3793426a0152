"""The steering group's world as plain objects: meetings and their cases. No Slack, no storage."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.procedure import ADMINISTRATIVE, RuleProfile, adopted, decided_by_chair, profile_named, quorate

# The standing first item's title as notices write it: grammar the reader matches, not text shown.
_APPROVAL_TITLE = re.compile(r"godkjenning av innkalling og dagsorden")  # matched casefolded
_SERIAL_RE = re.compile(r"^\s*(\d{1,3})\s*[/-]\s*(\d{2}|\d{4})\s*$")
_YEAR_FIRST_RE = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,3})\s*$")  # "2019-45": case 45 of 2019
_BARE_RE = re.compile(r"^\s*(\d{1,3})\s*$")  # "Sak 3": numbered within the meeting only
# What bodies write before a case number: "Sak", "PS" (politisk sak), "ST"/"SST" (styresak), "RS", "FS", "DS",
# "Styresak", "NP-sak", "sak nr." …
_LABEL_PREFIX_RE = re.compile(
    r"^\s*(?:sak(?:snr|nr)?\.?|[A-ZÆØÅ]{1,16}-?sak|[A-ZÆØÅ]{2,4})\s*(?:nr\.?:?\s*)?", re.IGNORECASE
)


@dataclass(frozen=True, order=True)
class Serial:
    """A number in a year's sequence, written the Norwegian way: case 17 of 2020 is "17/20"."""

    year: int
    seq: int

    @classmethod
    def parse(cls, text: str) -> Serial | None:
        """ "17/20", "17/2020", "1-24" and "2019-45"; None for anything else."""
        if year_first := _YEAR_FIRST_RE.match(text):
            year, seq = int(year_first[1]), int(year_first[2])
        elif match := _SERIAL_RE.match(text):
            seq, year = int(match[1]), int(match[2]) if len(match[2]) == 4 else 2000 + int(match[2])
        else:
            return None
        return cls(year=year, seq=seq) if seq >= 1 else None

    @classmethod
    def parse_label(cls, label: str, year: int) -> Serial | None:
        """A case number as bodies write it ("Sak 01/2015", "PS 14/75", "ST 4/2020", "Sak 3"), the bare
        ones counted in `year`: the meeting's."""
        number = _LABEL_PREFIX_RE.sub("", label, count=1) if not _BARE_RE.match(label) else label
        if bare := _BARE_RE.match(number):
            return cls(year=year, seq=int(bare[1])) if int(bare[1]) >= 1 else None
        return cls.parse(number)

    def __str__(self) -> str:
        return f"{self.seq}/{self.year % 100:02d}"


class CaseType(StrEnum):
    """The kinds of case the secretariat puts on an agenda ("Sakstype")."""

    GODKJENNING = "Godkjenning"
    ORIENTERING = "Orientering"
    BESLUTNING = "Beslutning"
    DROFTING = "Drøfting"
    DISKUSJON = "Diskusjon"
    INNSPILL = "Innspill"

    @classmethod
    def parse(cls, text: str) -> CaseType | None:
        """The case type as either målform writes it: nynorsk «Avgjerd» and «Vedtak» are a Beslutning."""
        wanted = text.strip().casefold()
        nynorsk = {"avgjerd": "beslutning", "vedtak": "beslutning", "vedtakssak": "beslutning", "innspel": "innspill"}
        wanted = nynorsk.get(wanted, wanted)
        return next((kind for kind in cls if kind.value.casefold() == wanted), None)


@dataclass(frozen=True)
class Case:
    """One numbered item on the agenda ("Sak 17/20")."""

    number: Serial  # the key commands and votes use
    title: str
    start: time | None = None
    case_type: CaseType | None = None
    proposal: str | None = None
    decision: str | None = None
    # The number as the notice writes it ("PS 14/75", "Sak 3") when not "17/20"; "" when it has none.
    label: str | None = None
    presenter: str | None = None  # who brings the case ("Ansvarlig", "Innleder"), as the notice names them

    @property
    def shown_number(self) -> str:
        """What the agenda shows: the label as written, with the key in brackets when the label alone would
        not find the case ("Sak 3 (3/24)", or "(20/24)" for an unnumbered "Eventuelt")."""
        if self.label is None:
            return str(self.number)
        if self.label and Serial.parse(_LABEL_PREFIX_RE.sub("", self.label, count=1)) == self.number:
            return self.label
        return f"{self.label} ({self.number})".strip()


@dataclass(frozen=True)
class Meeting:
    """One meeting of the group ("Møte 4/20") with its agenda in order."""

    number: Serial
    title: str
    day: date
    start: time | None = None
    end: time | None = None
    body: str | None = None
    location: str | None = None
    web: bool = False
    cases: tuple[Case, ...] = field(default=())
    version: int = 1  # bumped by every change to the agenda; an approval vote binds to one version
    duration: timedelta | None = None  # from the plan ("Web-møte 2 timer") while no times are set
    cancelled_at: datetime | None = None
    rescheduled: int = 0  # times moved or cancelled: the calendar's SEQUENCE, so a re-import moves it
    moved_at: datetime | None = None  # when it was last moved: the channel is told once per move
    moved_from: tuple[date, time | None] | None = None  # the day and start before the last move: the notice names it

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    def case(self, number: Serial) -> Case | None:
        return next((case for case in self.cases if case.number == number), None)

    def starts_at(self, tz: ZoneInfo) -> datetime:
        return datetime.combine(self.day, self.start or time(0), tzinfo=tz)

    def ends_at(self, tz: ZoneInfo) -> datetime:
        """The end, or the end of the day when the agenda gives none: a meeting is "ahead" until then."""
        if self.end is not None:
            return datetime.combine(self.day, self.end, tzinfo=tz)
        return datetime.combine(self.day, time(23, 59, 59), tzinfo=tz)

    def approval_case(self) -> Case | None:
        """The standing first item, "Godkjenning av innkalling og dagsorden", that the group votes on;
        failing the title, the first case of type Godkjenning."""
        by_title = (case for case in self.cases if _APPROVAL_TITLE.match(case.title.casefold()))
        by_type = (case for case in self.cases if case.case_type is CaseType.GODKJENNING)
        return next(by_title, None) or next(by_type, None)


def next_meeting(meetings: Iterable[Meeting], now: datetime) -> tuple[Meeting | None, bool]:
    """The meeting a member means by "the agenda": the next one not yet over, else the latest.

    Returns the meeting and whether it is still ahead (or under way). Cancelled meetings do not count.
    """
    tz = now.tzinfo
    assert isinstance(tz, ZoneInfo), "the clock must give aware datetimes in the group's zone"
    ordered = sorted((m for m in meetings if not m.cancelled), key=lambda m: m.starts_at(tz))
    upcoming = [m for m in ordered if m.ends_at(tz) >= now]
    if upcoming:
        return upcoming[0], True
    return (ordered[-1], False) if ordered else (None, False)


class Role(StrEnum):
    """A member's part in the body, one per member. Leder, nestleder and medlem hold a seat and vote; a vara
    votes only in a member's seat for a meeting; sekretariat and observatør take part without a vote.
    The order here is the one order roles are listed in, everywhere."""

    LEDER = "leder"
    NESTLEDER = "nestleder"
    MEDLEM = "medlem"
    VARA = "vara"
    SEKRETARIAT = "sekretariat"
    OBSERVATOR = "observatør"

    @classmethod
    def parse(cls, text: str) -> Role | None:
        wanted = text.strip().casefold().replace("observator", "observatør")
        wanted = {"varamedlem": "vara", "nestleiar": "nestleder", "leiar": "leder"}.get(wanted, wanted)
        return next((role for role in cls if role.value == wanted), None)

    @classmethod
    def first(cls, roles: Iterable[Role]) -> Role | None:
        """The first in the listing order: the one role a member kept from a time when one could hold two
        (a seat before a vara's place or the secretariat)."""
        return min(roles, key=list(cls).index, default=None)


SEAT_ROLES = frozenset({Role.LEDER, Role.NESTLEDER, Role.MEDLEM})  # the roles that hold a seat with a vote


@dataclass(frozen=True)
class Roster:
    """Who is in the body, by Slack user ID, and what they may do; varas in the order they are called in."""

    # each member's one role (as a set of one, for `role in roles`), in the order added: the vara order
    roles: Mapping[str, frozenset[Role]] = field(default_factory=dict)
    admins: frozenset[str] = frozenset()
    substitute_for: Mapping[str, str] = field(default_factory=dict)  # a personal vara: vara -> member
    groups: Mapping[str, str] = field(default_factory=dict)  # a member's or vara's group ("Ap", "Kommunene")

    def roles_of(self, user_id: str) -> frozenset[Role]:
        return self.roles.get(user_id, frozenset())

    def role_of(self, user_id: str) -> Role | None:
        return Role.first(self.roles_of(user_id))

    def holding(self, role: Role) -> tuple[str, ...]:
        """Who holds `role`, in the order added."""
        return tuple(user for user, roles in self.roles.items() if role in roles)

    def by_role(self) -> tuple[str, ...]:
        """Everyone, as roles are listed (leder, nestleder, medlem, vara, sekretariat, observatør), each role in
        the order added."""
        return tuple(user for role in Role for user in self.holding(role))

    def can_manage(self, user_id: str) -> bool:
        """Change the agenda, the plan, deadlines and the roster, and chair the meeting: admins, the leder,
        the nestleder (who chairs when the leder is away) and the secretariat."""
        manager = {Role.LEDER, Role.NESTLEDER, Role.SEKRETARIAT}
        return user_id in self.admins or bool(self.roles_of(user_id) & manager)

    def can_vote(self, user_id: str) -> bool:
        """Holds a seat of their own (a vara votes only in a seat lent for one meeting)."""
        return bool(self.roles_of(user_id) & SEAT_ROLES)

    def seats(self) -> tuple[str, ...]:
        """The members holding a seat with a vote, sorted: the body's size for quorum."""
        return tuple(sorted(user for user in self.roles if self.can_vote(user)))

    def chair(self, absent: Collection[str] = ()) -> str | None:
        """Who chairs: the leder; with the leder `absent` (forfall) or none, the nestleder."""
        for role in (Role.LEDER, Role.NESTLEDER):
            if found := next((user for user in self.holding(role) if user not in absent), None):
                return found
        return None

    def secretariat(self) -> tuple[str, ...]:
        """Who is told what the secretariat must know (forfall, remarks on the minutes): the secretariat, in the
        order added; a body without one, its chair."""
        found = self.holding(Role.SEKRETARIAT)
        return found or tuple(user for user in (self.chair(),) if user)

    def substitutes(self, member: str) -> tuple[str, ...]:
        """The varas to ask, in order, when `member` sends forfall: their personal varas, then their group's,
        then the body's shared ones."""
        varas = [user for user, roles in self.roles.items() if Role.VARA in roles]
        personal = [vara for vara in varas if self.substitute_for.get(vara) == member]
        group = self.groups.get(member)
        grouped = [v for v in varas if group and self.groups.get(v) == group and v not in self.substitute_for]
        shared = [v for v in varas if v not in self.substitute_for and not self.groups.get(v)]
        return tuple(dict.fromkeys([*personal, *grouped, *shared]))


@dataclass(frozen=True)
class AgendaChange:
    """One line of an agenda's history: who changed what, when, and the version it made."""

    meeting: Serial
    version: int
    at: datetime
    actor: str
    summary: str


class Choice(StrEnum):
    FOR = "for"
    MOT = "mot"
    AVSTAR = "avstår"


class VoteState(StrEnum):
    OPEN = "åpen"
    CLOSED = "avsluttet"
    SUPERSEDED = "erstattet"  # restarted after the agenda changed
    CANCELLED = "avbrutt"  # the message could not be posted, so the vote never began


@dataclass(frozen=True)
class VoteEvent:
    """One line of the record: a ballot, an opening, a closing. Kept for the minutes."""

    at: datetime
    actor: str
    action: str


@dataclass(frozen=True)
class Tally:
    """A vote's count under its body's rules (bot.core.procedure)."""

    for_: int
    mot: int
    avstar: int
    electorate: int  # who may vote in it
    seats: int = 0  # the body's seats, for quorum; 0: the electorate (votes from before seats were counted)
    profile: RuleProfile = ADMINISTRATIVE
    chair_yes: bool | None = None  # how the chair voted (None: not for or against), for a tie

    @property
    def voted(self) -> int:
        return self.for_ + self.mot + self.avstar

    @property
    def quorum(self) -> bool:
        return quorate(self.voted, self.seats or self.electorate)

    @property
    def needed(self) -> int:
        """How many must take part for quorum."""
        return ((self.seats or self.electorate) + 1) // 2

    @property
    def adopted(self) -> bool:
        return self.quorum and adopted(self.profile, self.for_, self.mot, self.chair_yes)

    @property
    def by_casting_vote(self) -> bool:
        return self.quorum and decided_by_chair(self.profile, self.for_, self.mot, self.chair_yes)


@dataclass(frozen=True)
class Vote:
    """A vote on one case's proposal (or on a member's habilitet in it), bound to the agenda version it was
    opened on, with who may vote in it fixed at the moment it opened."""

    id: int
    meeting: Serial
    case: Serial
    proposal: str
    agenda_version: int
    electorate: frozenset[str]
    opened_by: str
    opened_at: datetime
    closes_at: datetime | None  # when it closes by itself; None: when the chair closes it (in the meeting)
    state: VoteState = VoteState.OPEN
    ballots: dict[str, Choice] = field(default_factory=dict)
    channel: str | None = None
    message_ts: str | None = None
    closed_at: datetime | None = None
    approval: bool = False  # a vote on "innkalling og dagsorden": bound to the whole agenda's version
    remind_by: datetime | None = None  # those who have not voted are reminded before this (the meeting's start)
    seats: int = 0  # the body's seats when it opened: quorum is counted from them
    profile: str = ADMINISTRATIVE.name
    chair: str | None = None  # who chaired when it opened: their vote decides a tie where the profile says so
    in_session: bool = False  # opened while the meeting was set
    thread_ts: str | None = None  # the case's thread in the channel, where it is posted
    recusal_of: str | None = None  # a vote on whether this member is inhabil in the case (forvaltningsloven § 8)

    @property
    def is_open(self) -> bool:
        return self.state is VoteState.OPEN

    @property
    def rules(self) -> RuleProfile:
        return profile_named(self.profile)

    @property
    def posts_result(self) -> bool:
        """Its result is posted as a message of its own when it closes; not for votes from before that
        (they count no seats), whose message alone shows the result."""
        return self.seats > 0

    def tally(self) -> Tally:
        counts = {choice: 0 for choice in Choice}
        for user, choice in self.ballots.items():
            if user in self.electorate:
                counts[choice] += 1
        chair = self.ballots.get(self.chair or "") if self.chair in self.electorate else None
        chair_yes = None if chair in (None, Choice.AVSTAR) else chair is Choice.FOR
        return Tally(
            counts[Choice.FOR], counts[Choice.MOT], counts[Choice.AVSTAR], len(self.electorate),
            self.seats, self.rules, chair_yes,
        )  # fmt: skip

    def not_voted(self) -> list[str]:
        return sorted(self.electorate - self.ballots.keys())

    def decision(self) -> Tally | None:
        """The count that decides the case when the vote closes (adopted or not); None without quorum
        (nothing is decided). The words of the decision are the catalog's."""
        tally = self.tally()
        return tally if tally.quorum else None


class DeadlineState(StrEnum):
    OPEN = "åpen"
    DONE = "ferdig"
    REMOVED = "fjernet"  # kept, with its history, but no longer listed or reminded


WORKDAY_MORNING = time(8, 0)
WORKDAY_END = time(16, 0)


@dataclass(frozen=True)
class DeadlineChange:
    """One line of a deadline's history, written in its body's målform when it was made."""

    at: datetime
    actor: str
    summary: str


@dataclass(frozen=True)
class Deadline:
    """Something someone must deliver by a date ("innen 1. november"), with its postponements."""

    id: int
    what: str
    due: date
    due_time: time | None = None
    users: tuple[str, ...] = ()  # Slack user IDs responsible
    body: str | None = None  # a named body responsible, such as "Direktoratet for e-helse"
    case: Serial | None = None
    meeting: Serial | None = None  # the meeting whose notice it came from
    earlier: tuple[date, ...] = ()  # earlier due dates, oldest first ("utsatt fra 15. oktober")
    postponed: bool = False  # postponed, even where the notice does not say from when
    state: DeadlineState = DeadlineState.OPEN
    # when its present date was set (made, moved, edited): a ping due before then was never due; None: unknown
    since: datetime | None = None
    history: tuple[DeadlineChange, ...] = ()  # who changed what and when, oldest first

    @property
    def is_open(self) -> bool:
        return self.state is DeadlineState.OPEN

    def due_at(self, tz: tzinfo | None) -> datetime:
        """The moment it falls due; a date alone means by the end of that working day."""
        return datetime.combine(self.due, self.due_time or WORKDAY_END, tzinfo=tz)


@dataclass(frozen=True)
class StatusUpdate:
    at: datetime
    actor: str
    text: str


@dataclass(frozen=True)
class WorkStream:
    """One numbered point of "Status for arbeidet", with its status as it has changed."""

    number: int
    title: str
    updates: tuple[StatusUpdate, ...] = ()

    @property
    def latest(self) -> StatusUpdate | None:
        return self.updates[-1] if self.updates else None
