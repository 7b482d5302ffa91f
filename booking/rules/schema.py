"""The shape of a rule-set file (``sets/*.toml``) as pydantic models.

These models describe the file exactly as written: strict TOML types (``true`` is not a number, a
date-time is not a date, a string is not a number), no unknown keys, inherited settings left
``None`` when not given. :mod:`booking.rules.loader` resolves the inheritance and builds the
frozen values of :mod:`booking.rules.model` that the engine works on. The schema is documented
in ``README.md``; errors are reported by :func:`booking.rules.validation.rule_set_error`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, model_validator

from .dates import UNITS, Offset
from .model import CHANNELS, HOLDERS, KINDS, POOLS, SPREADS, TargetGroup
from .validation import distinct, invalid, non_blank, one_of, problem

MIN_SELF_BOOKING_DAYS = 8
OFFSET_FAMILIES = ("from", "to", "every", "first_by", "plan_by")
_LABEL_SAMPLE = {"n": 1, "nth": "1st", "count": 1, "period": 1, "j": 1, "jth": "1st"}


def _placeholders(value: str) -> str:
    try:
        value.format(**_LABEL_SAMPLE)
    except (KeyError, IndexError, ValueError) as exc:
        names = ", ".join(f"{{{name}}}" for name in _LABEL_SAMPLE)
        raise invalid(f"bad placeholder {exc}; use {names}") from None
    return value


def _target_group(value: object) -> TargetGroup:
    if isinstance(value, str) and value in {g.value for g in TargetGroup}:
        return TargetGroup(value)
    expected = [g.value for g in TargetGroup]
    raise invalid(f"unknown target group; expected one of {expected}")


def _joint(value: object) -> bool | int:
    if isinstance(value, bool | int):
        return value
    raise invalid(f"must be true, false or a number, got {value!r}")


def _some_group(groups: dict[TargetGroup, GroupTable]) -> dict[TargetGroup, GroupTable]:
    if not groups:
        raise invalid("at least one target group is required")
    return groups


Text = Annotated[str, AfterValidator(non_blank)]
Label = Annotated[str, AfterValidator(non_blank), AfterValidator(_placeholders)]
OptionalLabel = Annotated[str, AfterValidator(_placeholders)]
Amount = Annotated[int, Field(ge=0)]
Share = Annotated[float, Field(gt=0, le=1)]
Positive = Annotated[int, Field(ge=1)]
Channel = Annotated[str, AfterValidator(one_of(CHANNELS))]
Channels = Annotated[list[Channel], AfterValidator(distinct)]
Kind = Annotated[str, AfterValidator(one_of(KINDS))]
Pool = Annotated[str, AfterValidator(one_of(POOLS))]
Holder = Annotated[str, AfterValidator(one_of(HOLDERS))]
Spread = Annotated[str, AfterValidator(one_of(SPREADS))]
GroupName = Annotated[TargetGroup, PlainValidator(_target_group)]
Joint = Annotated[bool | int, PlainValidator(_joint)]


class Table(BaseModel):
    """A TOML table: strict types, no unknown keys, immutable once read."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def _days(offset: Offset) -> tuple[int, int]:
    """Shortest and longest length in days of an offset (months are 28–31 days)."""
    per = {"days": (1, 1), "weeks": (7, 7), "months": (28, 31)}[offset.unit]
    return offset.amount * per[0], offset.amount * per[1]


class PositionTable(Table):
    """``[[groups.<group>.requirements.positions]]``: position ``n`` counts only from its own
    start (``from_days|weeks|months``, from the programme start)."""

    n: Positive
    from_days: Amount | None = None
    from_weeks: Amount | None = None
    from_months: Amount | None = None
    source: str = ""
    verified: bool = False
    note: str = ""

    def start(self) -> Offset | None:
        for unit in UNITS:
            amount = getattr(self, f"from_{unit}")
            if amount is not None:
                return Offset(amount, unit)
        return None

    @model_validator(mode="after")
    def _one_start(self) -> Self:
        given = [f"from_{unit}" for unit in UNITS if getattr(self, f"from_{unit}") is not None]
        if len(given) != 1:
            raise problem(given[1] if given else "from_months",
                          "give exactly one of from_days, from_weeks, from_months")
        return self


class RequirementTable(Table):
    """``[[groups.<group>.requirements]]``; ``None``: not given (inherited or defaulted)."""

    id: Text
    kind: Kind
    label_da: Label
    label_en: Label
    joint_label_da: OptionalLabel | None = None
    joint_label_en: OptionalLabel | None = None
    basis: str = ""
    count: Positive = 1
    from_days: Amount | None = None
    from_weeks: Amount | None = None
    from_months: Amount | None = None
    to_days: Amount | None = None
    to_weeks: Amount | None = None
    to_months: Amount | None = None
    every_days: Positive | None = None
    every_weeks: Positive | None = None
    every_months: Positive | None = None
    first_by_days: Amount | None = None
    first_by_weeks: Amount | None = None
    first_by_months: Amount | None = None
    plan_by_days: Amount | None = None
    plan_by_weeks: Amount | None = None
    plan_by_months: Amount | None = None
    spread: Spread = "even"
    joint: Joint | None = None
    joint_positions: Annotated[list[int], AfterValidator(distinct)] | None = None
    channels: Channels | None = None
    first_channels: Annotated[Channels, Field(min_length=1)] | None = None
    pool: Pool | None = None
    holder: Holder | None = None
    minutes: Amount | None = None
    mandatory: bool = True
    accept_late: bool = False
    min_age: Amount | None = None
    max_age: Amount | None = None
    source: str = ""
    verified: bool = False
    note: str = ""
    cumulative: bool | None = None
    citizen_may_decline: bool = False
    share_of_group: Share | None = None
    started_before: date | None = None
    positions: list[PositionTable] | None = None

    def offset(self, family: str) -> Offset | None:
        """The ``<family>_days|weeks|months`` given, if any (at most one is)."""
        for unit in UNITS:
            amount = getattr(self, f"{family}_{unit}")
            if amount is not None:
                return Offset(amount, unit)
        return None

    @model_validator(mode="before")
    @classmethod
    def _one_unit_per_offset(cls, data: Any) -> Any:
        """At most one unit per offset; the second one in the file is the one reported."""
        if isinstance(data, dict):
            for family in OFFSET_FAMILIES:
                keys = {f"{family}_{unit}" for unit in UNITS}
                given = [key for key in data if key in keys]
                if len(given) > 1:
                    raise problem(given[1], f"give only one of {', '.join(given)}")
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        from_ = self.offset("from") or Offset(0, "days")
        to, every = self.offset("to"), self.offset("every")
        first_by, plan_by = self.offset("first_by"), self.offset("plan_by")
        if every is None and to is None:
            raise problem("to_months", "a requirement needs an end (to_days/to_weeks/to_months) "
                          "or a recurrence (every_weeks/every_months)")
        if every is not None:
            for family, value in (("first_by", first_by), ("plan_by", plan_by)):
                if value is not None:
                    raise problem(f"{family}_{value.unit}",
                                  "is not allowed on a recurring requirement")
        if to is not None and (
            to.amount <= from_.amount if to.unit == from_.unit else _days(to)[1] <= _days(from_)[0]
        ):
            raise problem(f"to_{to.unit}", f"must be after the start ({from_})")
        if to is not None and every is None:
            for family, value in (("first_by", first_by), ("plan_by", plan_by)):
                if value is not None and _days(value)[0] > _days(to)[1]:
                    raise problem(f"{family}_{value.unit}", f"must not be after the end ({to})")
        if plan_by is not None and self.count != 1:
            raise problem(f"plan_by_{plan_by.unit}", "is only allowed when count = 1")
        self._check_joint()
        if self.kind == "conversation" and self.channels == []:
            raise problem("channels", "a conversation needs at least one channel")
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            raise problem("max_age", f"must not be below min_age ({self.min_age})")
        if self.spread == "even_after_first" and (first_by is None or self.count < 2):
            raise problem("spread", '"even_after_first" needs first_by_* and count of at least 2')
        if self.accept_late and every is not None:
            raise problem("accept_late", "is not allowed on a recurring requirement (periods "
                          "are independent: a late event belongs to the next period)")
        if self.citizen_may_decline and not self.joint_slots:
            raise problem("citizen_may_decline", "needs a joint requirement (joint)")
        if not self.verified and not self.note.strip() and self.source.strip():
            raise problem("note", "an unverified rule with a source needs a note saying what "
                          "was not verified")
        self._check_positions(to, every)
        return self

    def _check_positions(self, to: Offset | None, every: Offset | None) -> None:
        if not self.positions:
            return
        if every is not None:
            raise problem("positions", "is not allowed on a recurring requirement")
        seen: set[int] = set()
        for index, position in enumerate(self.positions):
            if position.n > self.count or position.n in seen:
                raise problem(("positions", index, "n"),
                              f"must be distinct positions between 1 and {self.count}")
            seen.add(position.n)
            start = position.start()
            assert start is not None and to is not None
            if (start.amount >= to.amount if start.unit == to.unit
                    else _days(start)[0] >= _days(to)[1]):
                raise problem(("positions", index, f"from_{start.unit}"),
                              f"must be before the end ({to})")

    def _check_joint(self) -> None:
        joint, positions, count = self.joint, self.joint_positions, self.count
        if positions is not None:
            if any(not 1 <= p <= count for p in positions):
                raise problem("joint_positions",
                              f"must be distinct positions between 1 and {count}")
            if joint is not None and joint is not True and joint != len(positions):
                raise problem("joint", "must equal the number of joint_positions")
        elif joint is not None and not isinstance(joint, bool) and not 0 <= joint <= count:
            raise problem("joint", f"must be between 0 and count ({count}), got {joint}")

    @property
    def joint_slots(self) -> tuple[int, ...]:
        """Which of the ``count`` events are planned as joint (1-based)."""
        if self.joint_positions is not None:
            return tuple(sorted(self.joint_positions))
        if self.joint is True:
            return tuple(range(1, self.count + 1))
        if self.joint is None or self.joint is False:
            return ()
        return tuple(range(1, self.joint + 1))


class Inheritable(Table):
    """Settings ``[defaults]`` and a group pass down to the requirements below them."""

    self_booking_days: Annotated[int, Field(ge=MIN_SELF_BOOKING_DAYS)] | None = None
    minutes: Amount | None = None
    channels: Annotated[Channels, Field(min_length=1)] | None = None
    pool: Pool | None = None
    holder: Holder | None = None
    cumulative: bool | None = None


class DefaultsTable(Inheritable):
    """``[defaults]``."""


class IndicatorTable(Table):
    """``[groups.<group>.indicator]``: a local, rolling indicator."""

    months: Positive
    label_da: Text
    label_en: Text


class GroupTable(Inheritable):
    """``[groups.<group>]``."""

    label_da: Text
    label_en: Text
    note: str = ""
    indicator: IndicatorTable | None = None
    requirements: list[RequirementTable]

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[str] = set()
        for index, requirement in enumerate(self.requirements):
            if requirement.id in seen:
                raise problem(("requirements", index, "id"),
                              f"duplicate requirement id {requirement.id!r}")
            seen.add(requirement.id)
        return self


class HeadTable(Table):
    """``[rule_set]``: identity and validity of the set."""

    id: Text
    name_da: Text
    name_en: Text
    effective_from: date
    effective_to: date | None = None
    sources: list[str] = []
    note: str = ""
    max_exemption_share: Annotated[float, Field(ge=0, lt=1)] | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise problem("effective_to",
                          f"must not be before effective_from ({self.effective_from})")
        return self


class RuleSetFile(Table):
    """A whole rule-set file."""

    rule_set: HeadTable
    defaults: DefaultsTable | None = None
    groups: Annotated[dict[GroupName, GroupTable], AfterValidator(_some_group)]

    @model_validator(mode="after")
    def _share_needs_exemption_share(self) -> Self:
        """A requirement under the 75 % rule needs the set's ``max_exemption_share``."""
        if self.rule_set.max_exemption_share is not None:
            return self
        for group, table in self.groups.items():
            for index, requirement in enumerate(table.requirements):
                if requirement.share_of_group is not None:
                    raise problem(("groups", group.value, "requirements", index,
                                   "share_of_group"),
                                  "needs rule_set.max_exemption_share")
        return self
