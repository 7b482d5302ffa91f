"""Stored what-if scenarios: validated parameters, projected in the background, compared."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import solver

from ...database import end_read, transaction
from ...models import ActorKind, Programme, RehabScenario
from ...settings import RehabSettings
from .. import audit
from ..calendar_days import week_monday
from ..errors import NotFound, ServiceError
from .projection import ScenarioParams, project
from .scenario_input import FieldError, ScenarioInput, field_errors, name_error
from .scenario_input import ScenarioError as ScenarioError
from .scenario_input import parse_params as parse_params
from .schedule import closed_between


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


def _name_problem(session: Session, name: str) -> FieldError | None:
    problem = name_error(name)
    if problem is None and session.scalar(
        select(RehabScenario.id).where(RehabScenario.name == name.strip())
    ):
        problem = FieldError("name_taken")
    return problem


def create(
    session: Session, name: str, params: ScenarioParams, *, staff_id: int | None
) -> RehabScenario:
    """Store a scenario (not yet projected), or :class:`ScenarioError` for its name. Runs in
    the caller's transaction."""
    problem = _name_problem(session, name)
    if problem is not None:
        raise ScenarioError({"name": problem})
    name = name.strip()
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


def first_week(today: date) -> date:
    """A new scenario starts with next week's Monday."""
    return week_monday(today) + timedelta(weeks=1)


def new_scenario(
    session: Session,
    form: Mapping[str, Any],
    *,
    rehab: RehabSettings,
    staff_id: int | None,
    today: date,
) -> RehabScenario:
    """Validate the submitted form (name and parameters) and store the scenario, committed.

    Every refused field is reported at once in one :class:`ScenarioError`; nothing is stored
    then. The caller enqueues the projection once this returns (the scenario is committed, so
    a worker, or the inline queue in tests, can read it).
    """
    problems: dict[str, ServiceError] = {}
    data: ScenarioInput | None = None
    try:
        data = ScenarioInput.model_validate(dict(form))
    except ValidationError as exc:
        problems = field_errors(exc)
    name = str(form.get("name", ""))
    with transaction(session):
        name_problem = _name_problem(session, name)
        if name_problem is not None:
            problems = {"name": name_problem, **problems}
        if problems or data is None:
            raise ScenarioError(problems)
        params = data.params(
            start=first_week(today), seed=rehab.projection_seed, runs=rehab.projection_runs
        )
        return create(session, name, params, staff_id=staff_id)


@dataclass
class ScenarioPage:
    scenarios: list[RehabScenario]
    suggested_inflow: float  # new cases a week over the last 26 weeks


def scenario_page(session: Session, today: date) -> ScenarioPage:
    return ScenarioPage(listing(session), inflow_from_history(session, today))


def chosen(session: Session, ids: Sequence[int]) -> list[RehabScenario]:
    """The scenarios asked for, in the order asked; :class:`NotFound` if any is missing."""
    found = {
        s.id: s for s in session.scalars(select(RehabScenario).where(RehabScenario.id.in_(ids)))
    }
    picked = [found[i] for i in ids if i in found]
    if not ids or len(picked) != len(set(ids)):
        raise NotFound("rehab_scenario")
    return picked
