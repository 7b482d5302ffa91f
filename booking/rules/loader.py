"""Loading and validating rule sets (``sets/*.toml``).

A rule set is data: a new law is a new TOML file, no code. The schema is documented in
``booking/rules/README.md`` and, by example, in the shipped files; it is enforced by the pydantic
models of :mod:`booking.rules.schema`. Every problem is reported as a :class:`RuleSetError`
naming the TOML key path (``groups.cash_benefit.requirements[1].count``). Unknown keys are errors
too, so a misspelt key never silently falls back to a default. This module reads the files,
resolves inherited settings (built in < ``[defaults]`` < group < requirement) and builds the
frozen values of :mod:`booking.rules.model`.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from .dates import Offset
from .model import (
    CHANNELS,
    GroupRules,
    Indicator,
    PositionWindow,
    Requirement,
    RuleSet,
    RuleSetError,
    TargetGroup,
)
from .schema import MIN_SELF_BOOKING_DAYS, GroupTable, Inheritable, RequirementTable, RuleSetFile
from .validation import rule_set_error

_SETS_PACKAGE = __package__ or "booking.rules"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Inherited:
    """The settings in force for a requirement: its group's, else ``[defaults]``, else built in."""

    self_booking_days: int = MIN_SELF_BOOKING_DAYS
    minutes: int = 45
    channels: tuple[str, ...] = CHANNELS
    pool: str = "caseworker"
    holder: str = "jobcentre"
    cumulative: bool = False

    def below(self, table: Inheritable) -> _Inherited:
        return _Inherited(
            self_booking_days=_given(table.self_booking_days, self.self_booking_days),
            minutes=_given(table.minutes, self.minutes),
            channels=self.channels if table.channels is None else tuple(table.channels),
            pool=_given(table.pool, self.pool),
            holder=_given(table.holder, self.holder),
            cumulative=_given(table.cumulative, self.cumulative),
        )


def _given(value: T | None, inherited: T) -> T:
    return inherited if value is None else value


def _requirement(table: RequirementTable, path: str, inherited: _Inherited) -> Requirement:
    conversation = table.kind == "conversation"
    if table.channels is not None:
        channels = tuple(table.channels)
    else:
        channels = inherited.channels if conversation else ()
    return Requirement(
        id=table.id,
        kind=table.kind,
        label_da=table.label_da,
        label_en=table.label_en,
        joint_label_da=_given(table.joint_label_da, f"{table.label_da} (fællessamtale)"),
        joint_label_en=_given(table.joint_label_en, f"{table.label_en} (joint)"),
        count=table.count,
        from_=table.offset("from") or Offset(0, "days"),
        to=table.offset("to"),
        every=table.offset("every"),
        first_by=table.offset("first_by"),
        plan_by=table.offset("plan_by"),
        spread=table.spread,
        joint_positions=table.joint_slots,
        channels=channels,
        first_channels=None if table.first_channels is None else tuple(table.first_channels),
        pool=_given(table.pool, inherited.pool),
        holder=_given(table.holder, inherited.holder),
        minutes=_given(table.minutes, inherited.minutes),
        mandatory=table.mandatory,
        accept_late=table.accept_late,
        min_age=table.min_age,
        max_age=table.max_age,
        basis=table.basis,
        path=path,
        source=table.source,
        verified=table.verified,
        note=table.note,
        cumulative=_given(table.cumulative, inherited.cumulative),
        citizen_may_decline=table.citizen_may_decline,
        min_share=table.share_of_group,
        started_before=table.started_before,
        positions=tuple(
            PositionWindow(p.n, p.start() or Offset(0, "days"), p.source, p.verified, p.note)
            for p in table.positions or ()
        ),
    )


def _group(table: GroupTable, group: TargetGroup, defaults: _Inherited) -> GroupRules:
    inherited = defaults.below(table)
    path = f"groups.{group.value}"
    indicator = table.indicator
    return GroupRules(
        group=group,
        label_da=table.label_da,
        label_en=table.label_en,
        self_booking_days=inherited.self_booking_days,
        requirements=tuple(
            _requirement(item, f"{path}.requirements[{index}]", inherited)
            for index, item in enumerate(table.requirements)
        ),
        indicator=None if indicator is None else Indicator(
            indicator.months, indicator.label_da, indicator.label_en
        ),
        note=table.note,
    )


def parse_rule_set(data: dict[str, Any], source: str = "") -> RuleSet:
    """Validate a parsed TOML document and build a :class:`RuleSet`.

    Raises :class:`RuleSetError` naming the key path of the first problem and listing all.
    """
    try:
        file = RuleSetFile.model_validate(data)
    except ValidationError as exc:
        raise rule_set_error(exc, source) from None
    defaults = _Inherited()
    if file.defaults is not None:
        defaults = defaults.below(file.defaults)
    head = file.rule_set
    return RuleSet(
        id=head.id,
        name_da=head.name_da,
        name_en=head.name_en,
        effective_from=head.effective_from,
        effective_to=head.effective_to,
        sources=tuple(head.sources),
        groups={group: _group(table, group, defaults) for group, table in file.groups.items()},
        origin=source,
        max_exemption_share=head.max_exemption_share,
        note=head.note,
    )


def _parse_text(text: str, source: str) -> RuleSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleSetError(f"not valid TOML: {exc}", source=source) from None
    return parse_rule_set(data, source)


def _sets_dir() -> Traversable:
    return resources.files(_SETS_PACKAGE).joinpath("sets")


@functools.cache
def _load_packaged(name: str) -> RuleSet:
    source = f"sets/{name}.toml"
    resource = _sets_dir().joinpath(f"{name}.toml")
    if not resource.is_file():
        raise RuleSetError(
            f"no rule set named {name!r}; available: {available_rule_sets()}", source=source
        )
    rule_set = _parse_text(resource.read_text(encoding="utf-8"), source)
    if rule_set.id != name:
        raise RuleSetError(f"id {rule_set.id!r} must match the file name {name!r}",
                           path="rule_set.id", source=source)
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

    ``effective_from`` ≤ day ≤ ``effective_to`` (inclusive; no ``effective_to``: no end).
    Should two overlap, the one that took effect last wins (a newer law supersedes). Raises
    :class:`RuleSetError` when none is in force. Which day to pass is the caller's choice (the
    app passes today in its own time zone, Europe/Copenhagen, for ``active = "auto"``); a
    programme's obligations are not tied to one set: see :func:`booking.rules.obligations_in_force`.
    """
    pool = list(candidates) if candidates is not None else [
        load_rule_set(name) for name in available_rule_sets()
    ]
    in_force = [rs for rs in pool if rs.in_force(day)]
    if not in_force:
        raise RuleSetError(f"no rule set is in force on {day.isoformat()}")
    return max(in_force, key=lambda rs: (rs.effective_from, rs.id))
