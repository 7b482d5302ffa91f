"""Value types of the rules engine: enums, the parsed rule set and the engine's inputs/outputs.

Everything here is immutable and free of I/O. The rule set itself is data (``sets/*.toml``); these
classes only describe its shape once :mod:`booking.rules.schema` has validated the file and
:mod:`booking.rules.loader` has resolved it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from .dates import Offset


class TargetGroup(StrEnum):
    """Target groups (målgrupper) the rule sets know about."""

    INSURED_UNEMPLOYED = "insured_unemployed"  # forsikrede ledige (dagpenge)
    CASH_BENEFIT = "cash_benefit"  # kontanthjælp
    # uddannelseshjælp; from 2025-07-01 (lov nr. 1655/2024) kontanthjælp for uddannelsesparate
    # and aktivitetsparate under 30 without an education (the rule sets label it so)
    EDUCATION_BENEFIT = "education_benefit"
    RESOURCE_PROGRAMME = "resource_programme"  # ressourceforløb
    JOB_CLARIFICATION = "job_clarification"  # jobafklaringsforløb
    FLEXJOB_BENEFIT = "flexjob_benefit"  # ledighedsydelse (fleksjobvisiterede)


class TimelinessStatus(StrEnum):
    """The three buckets of the caseworker's weekly list (rettidig / falder inden for 3 uger /
    ikke rettidig)."""

    TIMELY = "timely"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


CHANNELS = ("in_person", "phone", "video")
KINDS = ("conversation", "offer", "rehab_presentation", "reassessment")
POOLS = ("caseworker", "unit")
HOLDERS = ("jobcentre", "unemployment_fund")
SPREADS = ("even", "even_after_first", "end")

#: Kinds a caseworker books into a slot; the others are case events tracked elsewhere.
BOOKABLE_KINDS = ("conversation",)


class RuleSetError(ValueError):
    """A rule set could not be found, parsed or validated.

    ``path`` is the TOML key path of the offending value (``groups.cash_benefit.requirements[0]
    .count``), ``source`` the file or packaged set it came from. When validation found several
    problems, ``message``/``path`` are the first and ``problems`` lists all ``(path, message)``;
    the text has one ``source: path: message`` line per problem.
    """

    def __init__(self, message: str, *, path: str = "", source: str = "",
                 more: Iterable[tuple[str, str]] = ()) -> None:
        self.message = message
        self.path = path
        self.source = source
        self.problems = ((path, message), *more)
        super().__init__("\n".join(
            ": ".join(part for part in (source, where, text) if part)
            for where, text in self.problems
        ))


@dataclass(frozen=True, slots=True)
class PositionWindow:
    """A later start for one position of a requirement: position ``n`` (1-based) counts only
    from ``start + from_`` (copenhagen-2017: the 2nd joint conversation in month 5 or 6)."""

    n: int
    from_: Offset
    source: str = ""
    verified: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Requirement:
    """One statutory (or local) requirement of a target group, as validated from TOML.

    Non-recurring: ``count`` events within ``[start + from_, start + to]``.
    Recurring (``every`` set): ``count`` events within each period
    ``[start + from_ + k·every, start + from_ + (k+1)·every]``, k = 0, 1, …, optionally stopping
    before ``to``. ``cumulative``: offsets count cumulative unemployment (the programme's pauses
    stop the clock). ``source``/``verified``/``note``: where the rule is written and whether
    that text was read (``False``: a secondary source or a reading; ``note`` says which).
    ``min_share``: the share of the target group the rule must reach (the 75 % rule), ``None``
    when it is owed to everyone. ``started_before``: the rule only serves programmes started
    before that day.
    """

    id: str
    kind: str
    label_da: str
    label_en: str
    joint_label_da: str
    joint_label_en: str
    count: int
    from_: Offset
    to: Offset | None
    every: Offset | None
    first_by: Offset | None
    plan_by: Offset | None
    spread: str
    joint_positions: tuple[int, ...]
    channels: tuple[str, ...]
    first_channels: tuple[str, ...] | None
    pool: str
    holder: str
    minutes: int
    mandatory: bool
    accept_late: bool
    min_age: int | None
    max_age: int | None
    basis: str
    path: str
    source: str = ""
    verified: bool = False
    note: str = ""
    cumulative: bool = False
    citizen_may_decline: bool = False
    min_share: float | None = None
    started_before: date | None = None
    positions: tuple[PositionWindow, ...] = ()

    @property
    def recurring(self) -> bool:
        return self.every is not None

    @property
    def age_dependent(self) -> bool:
        return self.min_age is not None or self.max_age is not None

    def applies_to_age(self, age: int) -> bool:
        if self.min_age is not None and age < self.min_age:
            return False
        return not (self.max_age is not None and age > self.max_age)

    def serves(self, programme_start: date) -> bool:
        """Whether the rule applies to a programme started on ``programme_start``."""
        return self.started_before is None or programme_start < self.started_before


@dataclass(frozen=True, slots=True)
class Indicator:
    """A local indicator, e.g. "samtale inden for de seneste 2 måneder" (rolling, not statutory)."""

    months: int
    label_da: str
    label_en: str


@dataclass(frozen=True, slots=True)
class GroupRules:
    group: TargetGroup
    label_da: str
    label_en: str
    self_booking_days: int
    requirements: tuple[Requirement, ...]
    indicator: Indicator | None = None
    note: str = ""


@dataclass(frozen=True, repr=False)
class RuleSet:
    """A dated rule set: ``effective_from`` ≤ day ≤ ``effective_to`` (``None``: no end).

    ``max_exemption_share``: the share of a target group the municipality may exempt from the
    requirements that carry a ``min_share`` (0.25 from 2026-07-01), ``None`` when the set has
    no such rule.
    """

    id: str
    name_da: str
    name_en: str
    effective_from: date
    effective_to: date | None
    sources: tuple[str, ...]
    groups: Mapping[TargetGroup, GroupRules] = field(default_factory=dict)
    origin: str = ""
    max_exemption_share: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", MappingProxyType(dict(self.groups)))

    def __repr__(self) -> str:
        return (f"RuleSet(id={self.id!r}, effective_from={self.effective_from}, "
                f"effective_to={self.effective_to}, groups={[str(g) for g in self.groups]})")

    def in_force(self, day: date) -> bool:
        if day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to

    @property
    def requirements_with_share(self) -> dict[TargetGroup, tuple[Requirement, ...]]:
        """Per group, the requirements under the 75 % rule (those with a ``min_share``)."""
        found = {g: tuple(r for r in rules.requirements if r.min_share is not None)
                 for g, rules in self.groups.items()}
        return {g: reqs for g, reqs in found.items() if reqs}

    def has_group(self, group: TargetGroup | str) -> bool:
        return group in {g.value for g in self.groups}

    def group(self, group: TargetGroup | str) -> GroupRules:
        try:
            return self.groups[TargetGroup(group)]
        except (KeyError, ValueError):
            raise RuleSetError(
                f"rule set {self.id!r} has no rules for target group {str(group)!r}",
                path=f"groups.{group}",
                source=self.origin,
            ) from None


@dataclass(frozen=True, slots=True)
class HeldConversation:
    """Something that happened and may fulfil an obligation.

    ``kind``: ``"conversation"`` (default), ``"offer"`` (offer started), ``"rehab_presentation"``
    (case presented to the rehabilitation team) or ``"reassessment"`` (case sent for
    re-evaluation); it fulfils only obligations of the same kind. ``holder``: who held it,
    ``"jobcentre"`` (the job centre; from 2026 "kommunen") or ``"unemployment_fund"`` (the
    a-kasse); it fulfils only obligations of the same holder. ``joint``: the fund took part (a
    joint conversation is held by the job centre). ``fund_declined``: a conversation meant to be
    joint at which the citizen declined the fund's presence; it fulfils a joint requirement whose
    rule lets the citizen decline (``citizen_may_decline``, e.g. LAB 2024 § 32 stk. 2), never
    another joint one.
    """

    date: date
    joint: bool = False
    channel: str | None = None
    kind: str = "conversation"
    holder: str = "jobcentre"
    fund_declined: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; expected one of {KINDS}")
        if self.holder not in HOLDERS:
            raise ValueError(f"unknown holder {self.holder!r}; expected one of {HOLDERS}")


@dataclass(frozen=True, slots=True)
class Pause:
    """A stretch ``[start, end]`` (inclusive) in which the programme's clock stands still for
    requirements that count cumulative unemployment (LAB § 9 stk. 1 nr. 1: the insured
    unemployed), e.g. work between periods of unemployment. ``end`` ``None``: still paused."""

    start: date
    end: date | None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"pause ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True, slots=True)
class Obligation:
    """One dated thing that must happen: a conversation, an offer, a presentation, a sending.

    ``earliest``: first day an event counts for it (the period start). ``deadline``: the planning
    deadline (spread within the period, or a local earlier date). ``statutory_deadline``: the
    last day allowed by the rule (period end, or the "first within" date). ``closes``: last day an
    event can still fulfil it (``None``: a late event still fulfils it, late). ``sequence`` is the
    ordinal within its requirement and period; ``(requirement_id, period, sequence)`` is a stable
    key (see :attr:`key`). ``deadline`` is always a working day when one exists in
    ``[earliest, target]`` (see :func:`booking.rules.clock.planning_date`); the statutory date is
    the law's and is never moved. ``rule_set``: the set whose rule made it; ``source``,
    ``verified``, ``note``: the rule's; ``min_share``: the rule's share under the 75 % rule.
    """

    kind: str
    group: TargetGroup
    sequence: int
    earliest: date
    deadline: date
    statutory_deadline: date
    channels: tuple[str, ...]
    pool: str
    joint: bool
    holder: str
    minutes: int
    mandatory: bool
    fulfilled_on: date | None
    label_da: str
    label_en: str
    requirement_id: str = ""
    period: int = 1
    closes: date | None = None
    basis: str = ""
    rule_set: str = ""
    source: str = ""
    verified: bool = False
    note: str = ""
    min_share: float | None = None

    @property
    def key(self) -> str:
        return f"{self.group}:{self.requirement_id}:{self.period}:{self.sequence}"

    @property
    def is_open(self) -> bool:
        return self.fulfilled_on is None

    @property
    def bookable(self) -> bool:
        """Booked by the job centre into a slot (not the unemployment fund's, not a case event)."""
        return self.holder == "jobcentre" and self.kind in BOOKABLE_KINDS

    @property
    def fulfilled_late(self) -> bool:
        return self.fulfilled_on is not None and self.fulfilled_on > self.statutory_deadline

    def can_still_be_fulfilled(self, today: date) -> bool:
        return self.is_open and (self.closes is None or today <= self.closes)

    def met_by(self, today: date) -> bool:
        """Fulfilled on or before ``today`` (a late fulfilment counts once it has happened)."""
        return self.fulfilled_on is not None and self.fulfilled_on <= today


@dataclass(frozen=True, slots=True)
class ObligationChange:
    """One difference a law change makes (:func:`booking.rules.law_changes_on`): ``added`` (only
    ``after``), ``removed`` (only ``before``) or ``moved`` (same key, other dates)."""

    kind: str
    before: Obligation | None
    after: Obligation | None

    @property
    def key(self) -> str:
        obligation = self.after if self.after is not None else self.before
        assert obligation is not None
        return obligation.key
