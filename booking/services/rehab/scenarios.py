"""Stored what-if scenarios: validated parameters, projected in the background, compared."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import solver

from ...database import end_read, transaction
from ...models import ActorKind, Programme, RehabScenario
from .. import audit
from ..calendar_days import week_monday
from .projection import WEEKDAYS_BY_COUNT, ScenarioParams, project
from .schedule import closed_between

# field: (Danish label, minimum, maximum)
LIMITS: dict[str, tuple[str, float, float]] = {
    "meetings_per_week": ("Møder pr. uge", 1, 5),
    "places_per_meeting": ("Pladser pr. møde", 1, 30),
    "lead_days": ("Dage før mødet, materialet skal være hos regionen", 0, 42),
    "inflow_per_week": ("Nye sager pr. uge", 0, 200),
    "weeks": ("Uger i fremskrivningen", 1, 52),
}


class ScenarioError(ValueError):
    """Invalid scenario input; ``errors`` maps field → Danish message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def parse_params(
    form: Mapping[str, Any], *, start: date, seed: int, runs: int = 5
) -> ScenarioParams:
    """Turn submitted text into parameters, or raise ScenarioError with Danish messages."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key, (label, low, high) in LIMITS.items():
        raw = str(form.get(key, "")).strip().replace(",", ".")
        try:
            number = float(raw)
        except ValueError:
            errors[key] = f"{label}: skriv et tal."
            continue
        if key != "inflow_per_week" and number != int(number):
            errors[key] = f"{label}: skriv et helt tal."
        elif not low <= number <= high:
            errors[key] = f"{label}: skal være mellem {low:g} og {high:g}."
        else:
            values[key] = number if key == "inflow_per_week" else int(number)
    closed_weeks: list[int] = []
    for part in str(form.get("closed_weeks", "")).replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if part.isdigit() and 1 <= int(part) <= 53:
            closed_weeks.append(int(part))
        else:
            errors["closed_weeks"] = "Lukkede uger: skriv ugenumre (1–53) adskilt af komma."
            break
    if errors:
        raise ScenarioError(errors)
    assert values["meetings_per_week"] in WEEKDAYS_BY_COUNT
    return ScenarioParams(
        start=start, closed_weeks=tuple(sorted(set(closed_weeks))), seed=seed, runs=runs, **values
    )


def params_from_json(data: Mapping[str, Any]) -> ScenarioParams:
    fields = dict(data)
    fields["start"] = date.fromisoformat(fields["start"])
    fields["closed_weeks"] = tuple(fields.get("closed_weeks", ()))
    return ScenarioParams(**fields)


def inflow_from_history(session: Session, today: date, *, weeks: int = 26) -> float:
    """Average job-clarification starts per week over the last ``weeks`` whole weeks."""
    end = week_monday(today)
    start = end - timedelta(weeks=weeks)
    count = (
        session.scalar(
            select(func.count(Programme.id)).where(
                Programme.target_group == "job_clarification",
                Programme.start_date >= start,
                Programme.start_date < end,
            )
        )
        or 0
    )
    return round(count / weeks, 1)


def create(
    session: Session, name: str, params: ScenarioParams, *, staff_id: int | None
) -> RehabScenario:
    name = name.strip()
    if not name or len(name) > 120:
        raise ScenarioError({"name": "Giv scenariet et navn (højst 120 tegn)."})
    if session.scalar(select(RehabScenario.id).where(RehabScenario.name == name)):
        raise ScenarioError({"name": "Der findes allerede et scenarie med det navn."})
    scenario = RehabScenario(
        name=name, params=params.to_json(), result=None, created_by_staff_id=staff_id
    )
    session.add(scenario)
    session.flush()
    audit.record(
        session,
        actor_kind=ActorKind.staff,
        actor_id=staff_id,
        action="rehab_scenario_created",
        object_type="rehab_scenario",
        object_id=scenario.id,
    )
    return scenario


def run(
    session: Session,
    scenario_id: int,
    *,
    settings: solver.SolverSettings,
    optional_closed: tuple[str, ...] = (),
) -> None:
    """Project the scenario (same solver as the live plan) and store the figures.

    The projection takes seconds, so it runs with no transaction open; the result is written
    in a short write transaction of its own (SQLite: BEGIN IMMEDIATE).
    """
    scenario = session.get(RehabScenario, scenario_id)
    if scenario is None:
        return
    params = params_from_json(scenario.params)
    end_read(session)
    closed = closed_between(
        params.start - timedelta(weeks=8),
        params.start + timedelta(weeks=params.weeks + 10),
        optional_closed,
    )
    result = project(params, closed, settings).to_json()
    with transaction(session):
        scenario = session.get(RehabScenario, scenario_id)
        if scenario is not None:
            scenario.result = result


def listing(session: Session) -> list[RehabScenario]:
    return list(
        session.scalars(select(RehabScenario).order_by(RehabScenario.created_at, RehabScenario.id))
    )
