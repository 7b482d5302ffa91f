"""The huey tasks: a manual run starts at once, an event run waits, the nightly run comes at
[planning] nightly_hour local time."""

from __future__ import annotations

from datetime import datetime

from booking import tasks
from booking.models import PlanRun, PlanRunState, PlanTrigger
from booking.services.clock import zone
from booking.services.planning import runs
from tests.conftest import use_settings

from .conftest import build_world, settings_of, today


def value(result):
    return result.get() if hasattr(result, "get") else result


def test_a_requested_run_is_computed_by_the_task(app, session):
    """Queue "immediate" (tests): the registered scheduler runs the task inline."""
    world = build_world(session)
    made = runs.request_run(session, world.unit.id, trigger=PlanTrigger.manual, staff_id=None,
                            detail=None, today=today())
    session.expire_all()
    run = session.get(PlanRun, made.run.id)
    assert run.state == PlanRunState.done and run.figures["new"] == 4


def test_an_event_run_waits_for_more_events(app, session):
    world = build_world(session)
    made = runs.request_event_replan(session, world.unit.id, {"booking_id": 7})
    assert settings_of(app).planning.event_delay_s > 0
    session.expire_all()
    assert session.get(PlanRun, made.run.id).state == PlanRunState.queued  # scheduled later
    summary = value(tasks.plan_unit_task(made.run.id))
    assert summary["state"] == "done" and summary["figures"]["new"] == 4


def test_nightly_runs_only_in_its_local_hour(app, session):
    world = build_world(session)
    hour = datetime.now(zone()).hour
    use_settings(app, settings_of(app).with_changes({"planning": {"nightly_hour": (hour + 1)
                                                                  % 24}}))
    assert value(tasks.nightly_replan.call_local()) is None
    use_settings(app, settings_of(app).with_changes({"planning": {"nightly_hour": hour}}))
    ids = value(tasks.nightly_replan.call_local())
    if datetime.now(zone()).hour != hour:  # the hour turned meanwhile
        return
    [run_id] = ids
    session.expire_all()
    run = session.get(PlanRun, run_id)
    assert run.unit_id == world.unit.id and run.trigger == PlanTrigger.nightly
    assert run.state == PlanRunState.done
