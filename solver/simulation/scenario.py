"""Simulation scenarios: one TOML file each, documented field by field in `scenarios/README.md`.

`load_scenario(path)` validates the whole file (`schema`, pydantic) and raises one
`ScenarioError` listing every problem as `key.path: message`; unknown keys are errors, so a
misspelt key never falls back to a default silently. What relates tables to each other (the
units and caseworkers that groups, citizens and absences name) is checked after the tables, on
whatever of them is well-formed. The loaded `Scenario` is immutable data (`types`); nothing
here draws random numbers.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from booking.rules import RuleSet

from ..validation import Issue, part, salvage, sorted_issues
from ..validation import issues as worded
from .schema import WORDING, ScenarioFile
from .types import (  # noqa: F401 - re-exported: the scenario API
    CHANNELS,
    SELF_TYPES,
    WEEKDAYS,
    Absence,
    Booking,
    FixedCitizen,
    Group,
    GroupCallin,
    Pattern,
    PolicyParams,
    Range,
    Rehab,
    Scenario,
    ScenarioError,
    Show,
    Unit,
)


# -- relations between tables, and the result -------------------------------------------------
def _relations(view: Any) -> list[Issue]:
    """Groups, citizens and absences name units and caseworkers that exist."""
    found: list[Issue] = []
    units = [u for u in part(view, "units") or [] if part(u, "id") is not None]
    unit_ids = {part(u, "id") for u in units}
    cw_ids = {f"{part(u, 'id')}-{i + 1}" for u in units
              for i in range(part(u, "caseworkers") or 0)}
    unsure = {f"{part(u, 'id')}-" for u in units if part(u, "caseworkers") is None}

    def known(cw: Any) -> bool:  # a unit whose size is malformed: its caseworkers are unsure
        return cw in cw_ids or (isinstance(cw, str) and cw[:cw.rfind("-") + 1] in unsure)
    for i, group in enumerate(part(view, "groups") or []):
        for name in part(group, "units") or {}:
            if name not in unit_ids:
                found.append(Issue(("groups", i, "units", name), "unknown unit"))
    for i, cit in enumerate(part(view, "citizens") or []):
        if part(cit, "unit") is not None and part(cit, "unit") not in unit_ids:
            found.append(Issue(("citizens", i, "unit"), "unknown unit"))
        if part(cit, "caseworker") is not None and not known(part(cit, "caseworker")):
            found.append(Issue(("citizens", i, "caseworker"),
                               "unknown caseworker (ids are <unit>-1 … <unit>-N)"))
    for i, absence in enumerate(part(view, "absences") or []):
        if part(absence, "caseworker") is not None and not known(part(absence, "caseworker")):
            found.append(Issue(("absences", i, "caseworker"), "unknown caseworker"))
    return found


def parse_scenario(data: dict[str, Any], source: str = "") -> Scenario:
    """Validate a parsed scenario file; every problem in one `ScenarioError`."""
    try:
        doc: ScenarioFile | None = ScenarioFile.model_validate(data)
        found: list[Issue] = []
        view: Any = doc
    except ValidationError as exc:
        doc, found = None, worded(exc, WORDING)
        view = salvage(ScenarioFile, data) if isinstance(data, dict) else None
    found += _relations(view)
    if found:
        lines = [str(i) for i in sorted_issues(ScenarioFile, found)]
        raise ScenarioError([f"{source}: {line}" if source else line for line in lines])
    assert doc is not None
    return _scenario(doc, source)


def _scenario(doc: ScenarioFile, source: str) -> Scenario:
    head, start = doc.scenario, doc.scenario.start
    return Scenario(
        name=head.name if head.name is not None else Path(source).stem or "scenario",
        description=head.description,
        start=start,
        warmup_weeks=head.warmup_weeks,
        rule_set=head.rule_set,
        public_holidays=head.public_holidays,
        closed_days=frozenset(head.closed_days),
        on_time_against=head.on_time_against,
        assignment=head.assignment,
        booking=doc.booking.value(),
        units=tuple(u.value() for u in doc.units),
        groups=tuple(g.value() for g in doc.groups),
        citizens=tuple(c.value(start) for c in doc.citizens),
        absences=tuple(Absence(a.caseworker, a.from_ or start, a.to or start)
                       for a in doc.absences),
        rehab=doc.rehab.value(),
        policy=doc.policy.value(),
        source=source,
    )


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ScenarioError([f"{path}: cannot read ({exc.strerror or exc})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{path}: not valid TOML ({exc})"]) from None
    return parse_scenario(data, str(path))


def resolve_rule_set(scenario: Scenario) -> RuleSet:
    """The scenario's rule set: a packaged id, or a path relative to the scenario file."""
    from booking.rules import load_rule_set

    name = scenario.rule_set
    if name.endswith(".toml"):
        base = Path(scenario.source).parent if scenario.source else Path(".")
        return load_rule_set(base / name)
    return load_rule_set(name)
