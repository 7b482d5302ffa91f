"""Loading and validating rule sets (``sets/*.toml``).

A rule set is data: a new law is a new TOML file, no code. The schema is documented in
``booking/rules/README.md`` and, by example, in the shipped files. Every problem is reported as a
:class:`RuleSetError` naming the TOML key path (``groups.cash_benefit.requirements[1].count``).
Unknown keys are errors too, so a misspelt key never silently falls back to a default.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Iterable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from .dates import Offset
from .model import (
    CHANNELS,
    HOLDERS,
    KINDS,
    POOLS,
    SPREADS,
    GroupRules,
    Indicator,
    Requirement,
    RuleSet,
    RuleSetError,
    TargetGroup,
)
from .validation import Table

MIN_SELF_BOOKING_DAYS = 8
_SETS_PACKAGE = __package__ or "booking.rules"
_OFFSET_FAMILIES = ("from", "to", "every", "first_by", "plan_by")
_LABEL_SAMPLE = {"n": 1, "nth": "1st", "count": 1, "period": 1, "j": 1, "jth": "1st"}


def _label(table: Table, key: str, *, required: bool, default: str = "") -> str:
    value = table.text(key, required=required, default=default)
    try:
        value.format(**_LABEL_SAMPLE)
    except (KeyError, IndexError, ValueError) as exc:
        names = ", ".join(f"{{{name}}}" for name in _LABEL_SAMPLE)
        raise table.error(key, f"bad placeholder {exc}; use {names}") from None
    return value


def _days(offset: Offset) -> tuple[int, int]:
    """Shortest and longest length in days of an offset (months are 28–31 days)."""
    per = {"days": (1, 1), "weeks": (7, 7), "months": (28, 31)}[offset.unit]
    return offset.amount * per[0], offset.amount * per[1]


def _requirement(raw: Any, path: str, source: str, inherited: dict[str, Any]) -> Requirement:
    t = Table(raw, path, source)
    req_id = t.text("id")
    kind = t.choice("kind", KINDS, "")
    if not kind:
        raise t.error("kind", f"is required (one of {list(KINDS)})")
    count = t.integer("count", minimum=1, default=1)
    assert count is not None
    offsets = {family: t.offset(family) for family in _OFFSET_FAMILIES}
    from_ = offsets["from"] or Offset(0, "days")
    to, every = offsets["to"], offsets["every"]
    first_by, plan_by = offsets["first_by"], offsets["plan_by"]

    if every is None and to is None:
        raise t.error("to_months", "a requirement needs an end (to_days/to_weeks/to_months) "
                      "or a recurrence (every_weeks/every_months)")
    if every is not None:
        if every.amount == 0:
            raise t.error(f"every_{every.unit}", "must be at least 1")
        for family, value in (("first_by", first_by), ("plan_by", plan_by)):
            if value is not None:
                raise t.error(f"{family}_{value.unit}", "is not allowed on a recurring requirement")
    if to is not None and (
        to.amount <= from_.amount if to.unit == from_.unit else _days(to)[1] <= _days(from_)[0]
    ):
        raise t.error(f"to_{to.unit}", f"must be after the start ({from_})")
    if to is not None and every is None:
        for family, value in (("first_by", first_by), ("plan_by", plan_by)):
            if value is not None and _days(value)[0] > _days(to)[1]:
                raise t.error(f"{family}_{value.unit}", f"must not be after the end ({to})")
    if plan_by is not None and count != 1:
        raise t.error(f"plan_by_{plan_by.unit}", "is only allowed when count = 1")

    joint_raw = t.get("joint", (bool, int))
    positions_raw = t.get("joint_positions", list)
    if positions_raw is not None:
        if not all(isinstance(p, int) and not isinstance(p, bool) for p in positions_raw):
            raise t.error("joint_positions", "must be an array of integers")
        if len(set(positions_raw)) != len(positions_raw) or any(
            not 1 <= p <= count for p in positions_raw
        ):
            raise t.error("joint_positions", f"must be distinct positions between 1 and {count}")
        if joint_raw not in (None, True) and joint_raw != len(positions_raw):
            raise t.error("joint", "must equal the number of joint_positions")
        positions = tuple(sorted(positions_raw))
    elif joint_raw is True:
        positions = tuple(range(1, count + 1))
    elif joint_raw in (None, False):
        positions = ()
    else:
        if not 0 <= joint_raw <= count:
            raise t.error("joint", f"must be between 0 and count ({count}), got {joint_raw}")
        positions = tuple(range(1, joint_raw + 1))

    conversation = kind == "conversation"
    channels = t.choices("channels", CHANNELS)
    if channels is None:
        channels = inherited["channels"] if conversation else ()
    if conversation and not channels:
        raise t.error("channels", "a conversation needs at least one channel")
    first_channels = t.choices("first_channels", CHANNELS)
    if first_channels is not None and not first_channels:
        raise t.error("first_channels", "must not be empty")

    min_age = t.integer("min_age", minimum=0)
    max_age = t.integer("max_age", minimum=0)
    if min_age is not None and max_age is not None and max_age < min_age:
        raise t.error("max_age", f"must not be below min_age ({min_age})")

    spread = t.choice("spread", SPREADS, "even")
    if spread == "even_after_first" and (first_by is None or count < 2):
        raise t.error("spread", '"even_after_first" needs first_by_* and count of at least 2')
    accept_late = t.get("accept_late", bool)
    if accept_late and every is not None:
        raise t.error("accept_late", "is not allowed on a recurring requirement (periods are "
                      "independent: a late event belongs to the next period)")

    label_da = _label(t, "label_da", required=True)
    label_en = _label(t, "label_en", required=True)
    mandatory = t.get("mandatory", bool)
    requirement = Requirement(
        id=req_id,
        kind=kind,
        label_da=label_da,
        label_en=label_en,
        joint_label_da=_label(t, "joint_label_da", required=False,
                              default=f"{label_da} (fællessamtale)"),
        joint_label_en=_label(t, "joint_label_en", required=False,
                              default=f"{label_en} (joint)"),
        count=count,
        from_=from_,
        to=to,
        every=every,
        first_by=first_by,
        plan_by=plan_by,
        spread=spread,
        joint_positions=positions,
        channels=channels,
        first_channels=first_channels,
        pool=t.choice("pool", POOLS, inherited["pool"]),
        holder=t.choice("holder", HOLDERS, inherited["holder"]),
        minutes=t.integer("minutes", minimum=0, default=inherited["minutes"]) or 0,
        mandatory=True if mandatory is None else mandatory,
        accept_late=False if accept_late is None else accept_late,
        min_age=min_age,
        max_age=max_age,
        basis=t.text("basis", required=False),
        path=path,
    )
    t.finish()
    return requirement


def _inherit(t: Table, parent: dict[str, Any]) -> dict[str, Any]:
    """Read the settings a group or ``[defaults]`` may set for the requirements below it."""
    days = t.integer("self_booking_days", minimum=MIN_SELF_BOOKING_DAYS)
    channels = t.choices("channels", CHANNELS)
    if channels is not None and not channels:
        raise t.error("channels", "must not be empty")
    return {
        "self_booking_days": parent["self_booking_days"] if days is None else days,
        "minutes": t.integer("minutes", minimum=0, default=parent["minutes"]),
        "channels": parent["channels"] if channels is None else channels,
        "pool": t.choice("pool", POOLS, parent["pool"]),
        "holder": t.choice("holder", HOLDERS, parent["holder"]),
    }


_BUILTIN_DEFAULTS: dict[str, Any] = {
    "self_booking_days": MIN_SELF_BOOKING_DAYS,
    "minutes": 45,
    "channels": CHANNELS,
    "pool": "caseworker",
    "holder": "jobcentre",
}


def _group(raw: Any, group: TargetGroup, path: str, source: str,
           defaults: dict[str, Any]) -> GroupRules:
    t = Table(raw, path, source)
    inherited = _inherit(t, defaults)
    indicator = None
    ind = t.table("indicator")
    if ind is not None:
        months = ind.integer("months", minimum=1)
        if months is None:
            raise ind.error("months", "is required")
        indicator = Indicator(months, ind.text("label_da"), ind.text("label_en"))
        ind.finish()
    raw_reqs = t.get("requirements", list, required=True)
    requirements: list[Requirement] = []
    for index, item in enumerate(raw_reqs):
        requirement = _requirement(item, f"{path}.requirements[{index}]", source, inherited)
        if any(r.id == requirement.id for r in requirements):
            raise RuleSetError(f"duplicate requirement id {requirement.id!r}",
                               path=f"{path}.requirements[{index}].id", source=source)
        requirements.append(requirement)
    result = GroupRules(
        group=group,
        label_da=t.text("label_da"),
        label_en=t.text("label_en"),
        self_booking_days=inherited["self_booking_days"],
        requirements=tuple(requirements),
        indicator=indicator,
    )
    t.finish()
    return result


def parse_rule_set(data: dict[str, Any], source: str = "") -> RuleSet:
    """Validate a parsed TOML document and build a :class:`RuleSet`."""
    top = Table(data, "", source)
    head = top.table("rule_set")
    if head is None:
        raise RuleSetError("is required", path="rule_set", source=source)
    effective_from = head.get("effective_from", date, required=True)
    effective_to = head.get("effective_to", date)
    if effective_to is not None and effective_to < effective_from:
        raise head.error("effective_to", f"must not be before effective_from ({effective_from})")
    sources = head.get("sources", list) or []
    if not all(isinstance(s, str) for s in sources):
        raise head.error("sources", "must be an array of strings")
    defaults_table = top.table("defaults")
    defaults = dict(_BUILTIN_DEFAULTS)
    if defaults_table is not None:
        defaults = _inherit(defaults_table, defaults)
        defaults_table.finish()
    groups_table = top.table("groups")
    if groups_table is None or not groups_table.data:
        raise RuleSetError("at least one target group is required", path="groups", source=source)
    groups: dict[TargetGroup, GroupRules] = {}
    for name, raw in groups_table.data.items():
        groups_table.seen.add(name)
        try:
            group = TargetGroup(name)
        except ValueError:
            raise groups_table.error(
                name, f"unknown target group; expected one of {[g.value for g in TargetGroup]}"
            ) from None
        groups[group] = _group(raw, group, f"groups.{name}", source, defaults)
    rule_set = RuleSet(
        id=head.text("id"),
        name_da=head.text("name_da"),
        name_en=head.text("name_en"),
        effective_from=effective_from,
        effective_to=effective_to,
        sources=tuple(sources),
        groups=groups,
        origin=source,
    )
    head.finish()
    top.finish()
    return rule_set


def _parse_text(text: str, source: str) -> RuleSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleSetError(f"not valid TOML: {exc}", source=source) from None
    return parse_rule_set(data, source)


def _sets_dir() -> Any:
    return resources.files(_SETS_PACKAGE).joinpath("sets")


@functools.cache
def _load_packaged(name: str) -> RuleSet:
    resource = _sets_dir().joinpath(f"{name}.toml")
    if not resource.is_file():
        raise RuleSetError(
            f"no rule set named {name!r}; available: {available_rule_sets()}",
            source=f"{name}.toml",
        )
    rule_set = _parse_text(resource.read_text(encoding="utf-8"), f"{name}.toml")
    if rule_set.id != name:
        raise RuleSetError(f"id {rule_set.id!r} must match the file name {name!r}",
                           path="rule_set.id", source=f"{name}.toml")
    return rule_set


def load_rule_set(name_or_path: str | os.PathLike[str]) -> RuleSet:
    """Load a packaged rule set by id (``"lab-2024"``) or any rule set file by path.

    A value that is a :class:`os.PathLike`, contains a path separator or ends in ``.toml`` is
    read as a file; anything else names a file in the package's ``sets/`` directory (read through
    :mod:`importlib.resources`, so it works from an installed wheel). Packaged sets are cached.
    """
    text = os.fspath(name_or_path)
    if isinstance(name_or_path, os.PathLike) or text.endswith(".toml") or os.sep in text \
            or "/" in text:
        path = Path(text)
        try:
            content = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RuleSetError(f"cannot read rule set: {exc.strerror}", source=str(path)) from None
        return _parse_text(content, str(path))
    return _load_packaged(text)


def available_rule_sets() -> list[str]:
    """Ids of the packaged rule sets, oldest ``effective_from`` first."""
    names = [
        entry.name.removesuffix(".toml")
        for entry in _sets_dir().iterdir()
        if entry.name.endswith(".toml")
    ]
    return sorted(names, key=lambda name: (_load_packaged(name).effective_from, name))


def rule_set_for_date(day: date, *, candidates: Iterable[RuleSet] | None = None) -> RuleSet:
    """The rule set in force on ``day`` (by default among the packaged ones).

    Should two overlap, the one that took effect last wins (a newer law supersedes). Raises
    :class:`RuleSetError` when none is in force. Which day to pass is the caller's choice; the
    obligations of a programme normally follow the set in force at its start.
    """
    pool = list(candidates) if candidates is not None else [
        load_rule_set(name) for name in available_rule_sets()
    ]
    in_force = [rs for rs in pool if rs.in_force(day)]
    if not in_force:
        raise RuleSetError(f"no rule set is in force on {day.isoformat()}")
    return max(in_force, key=lambda rs: (rs.effective_from, rs.id))
