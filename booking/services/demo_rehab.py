"""The demo's rehabilitation team: Tuesday/Thursday meetings, cases, forecasts, a first plan."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from solver import SolverSettings

from ..models import Citizen, Obligation, RehabCase, RehabCaseState, RehabSchedule
from .calendar_days import week_monday
from .rehab.assign import replan
from .rehab.schedule import generate_meetings

if TYPE_CHECKING:
    from .demo import DemoOptions


def demo_rehab(
    session: Session,
    rng: random.Random,
    citizens: list[Citizen],
    closed: dict[date, str],
    opts: DemoOptions,
) -> tuple[int, int]:
    """Tuesday and Thursday meetings, job-clarification cases, a few forecast cases, a plan."""
    first = week_monday(opts.today) - timedelta(weeks=4)
    for weekday in (1, 3):
        session.add(RehabSchedule(weekday=weekday, capacity=opts.rehab_capacity,
                                  location="Rehabiliteringsteamet, Rådhuset", valid_from=first))
    session.flush()
    made = generate_meetings(session, first, opts.weeks + 4, optional_closed=opts.optional_closed)
    cases = 0
    for citizen in citizens:
        programme = citizen.programmes[0]
        if programme.target_group != "job_clarification":
            continue
        deadline = _presentation_deadline(session, programme.id) or (
            programme.start_date + timedelta(weeks=4)
        )
        state = (
            RehabCaseState.presented
            if deadline < opts.today - timedelta(days=7)
            else RehabCaseState.open
        )
        session.add(RehabCase(
            citizen_id=citizen.id, programme_id=programme.id,
            ready_date=programme.start_date + timedelta(days=rng.randint(3, 10)),
            deadline=deadline, state=state,
        ))
        cases += 1
    # sickness-benefit cases nearing transition: expected job-clarification starts
    nearing = [c for c in citizens if c.programmes[0].target_group == "insured_unemployed"]
    for citizen in rng.sample(nearing, min(6, len(nearing))):
        start = opts.today + timedelta(days=rng.randint(3, 20))
        session.add(RehabCase(
            citizen_id=citizen.id, ready_date=start + timedelta(days=7),
            deadline=start + timedelta(weeks=4), state=RehabCaseState.forecast,
        ))
        cases += 1
    session.flush()
    replan(session, opts.today, lead_days=opts.rehab_lead_days, closed=closed,
           settings=SolverSettings(time_limit_s=10, num_workers=1))
    return len(made.created), cases


def _presentation_deadline(session: Session, programme_id: int) -> date | None:
    """The planning deadline of the programme's stored rehabilitation-team presentation (the
    rule set in force computed it), if it has one."""
    return session.scalar(
        select(Obligation.deadline)
        .where(Obligation.programme_id == programme_id,
               Obligation.kind == "rehab_presentation")
        .order_by(Obligation.deadline)
        .limit(1)
    )
