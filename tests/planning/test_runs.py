"""Plan runs: one active run per unit, whatever the race; executing one stores a valid plan."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import solver
from booking.database import make_engine
from booking.models import BookingSource, PlanRun, PlanRunState, PlanTrigger
from booking.services.errors import NotFound
from booking.services.planning import problem, runs
from booking.services.planning.errors import PlanningError
from tests import factories

from .conftest import (
    NO_SCHEDULE,
    add_booking,
    add_obligation,
    add_slot,
    at,
    build_world,
    sessions_of,
    settings_of,
    today,
    workdays,
)


def request(session, unit_id, trigger=PlanTrigger.manual, detail=None, schedule=NO_SCHEDULE):
    return runs.request_run(session, unit_id, trigger=trigger, staff_id=None, detail=detail,
                            today=today(), schedule=schedule)


def count_runs(app, unit_id) -> int:
    with Session(make_engine(app.extensions["rettidig_db"].url)) as s:
        return s.scalar(select(func.count(PlanRun.id)).where(PlanRun.unit_id == unit_id))


def test_requesting_twice_gives_one_run(db_app, db_session):
    world = build_world(db_session)
    started = []
    first = request(db_session, world.unit.id, schedule=lambda *a: started.append(a))
    second = request(db_session, world.unit.id, schedule=lambda *a: started.append(a))
    assert first.created and not second.created
    assert second.run.id == first.run.id and first.run.state == PlanRunState.queued
    assert started == [(first.run.id, "manual")]  # only the new run is handed to the queue
    assert count_runs(db_app, world.unit.id) == 1  # committed: seen from another session


def test_a_lost_insert_race_returns_the_winners_run(db_app, db_session, monkeypatch):
    """The partial unique index decides: the loser's INSERT fails, it returns the winner's."""
    world = build_world(db_session)
    winner = request(db_session, world.unit.id)
    real = runs._active
    calls = []

    def blind(session, unit_id, *, lock=False):
        calls.append(unit_id)
        return None if len(calls) == 1 else real(session, unit_id, lock=lock)

    monkeypatch.setattr(runs, "_active", blind)
    loser = request(db_session, world.unit.id)
    assert not loser.created and loser.run.id == winner.run.id
    assert count_runs(db_app, world.unit.id) == 1


def test_threads_racing_for_a_run_get_the_same_one(db_app, db_session):
    world = build_world(db_session)
    url = db_app.extensions["rettidig_db"].url
    barrier = threading.Barrier(8)
    results: list[object] = [None] * 8

    def run(i: int) -> None:
        engine = make_engine(url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                session.execute(select(1))
                session.rollback()
                barrier.wait()
                got = request(session, world.unit.id)
                results[i] = (got.run.id, got.created)
        except Exception as exc:  # noqa: BLE001 - shown by the assertion
            results[i] = f"crash: {type(exc).__name__}: {exc}"
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(isinstance(r, tuple) for r in results), results
    assert len({r[0] for r in results}) == 1
    assert sum(r[1] for r in results) == 1
    assert count_runs(db_app, world.unit.id) == 1


def test_unknown_unit_and_bad_weeks_are_refused(db_session):
    with pytest.raises(NotFound):
        request(db_session, 9999)
    world = build_world(db_session)
    with pytest.raises(PlanningError) as err:
        runs.request_run(db_session, world.unit.id, trigger=PlanTrigger.manual, staff_id=None,
                         detail=None, today=today(), weeks=0)
    assert err.value.code == "bad_weeks"


def _execute(app, run_id):
    return runs.execute_run(sessions_of(app), run_id, settings_of(app))


def test_execute_stores_a_plan_the_checker_accepts(db_app, db_session):
    world = build_world(db_session, citizens=5, slot_days=2)  # 5 conversations, 4 slots
    run = request(db_session, world.unit.id).run
    summary = _execute(db_app, run.id)
    assert summary.state == "done"
    db_session.expire_all()
    stored = db_session.get(PlanRun, run.id)
    assert stored.state == PlanRunState.done and stored.stage == "done"
    assert stored.progress["stage"] == "done" and stored.progress["conversations"] == 5
    assert stored.started_at and stored.finished_at and len(stored.fingerprint) == 64
    f = stored.figures
    assert (f["new"], f["on_time"], f["unplanned"]) == (4, 4, 1)
    assert f["on_time_weight"] == f["upper_bound_on_time_weight"] == 4
    assert [u["code"] for u in stored.unplanned] == ["slots_used"]
    assert stored.unplanned[0]["params"]["caseworker_id"] == world.cws[0].id
    # the proposals, as a solution of the live problem, keep every hard rule
    plan = problem.build_plan(db_session, [world.unit.id], today=today(), weeks=8,
                              settings=settings_of(db_app))
    placed = [(p["conversation"], f"s-{p['slot_id']}") for p in stored.proposals]
    rest = [(k, "x") for k in plan.conversations if k not in dict(placed)]
    assert solver.check(plan.load(), solver.Solution("feasible", placed, [], rest, {})) == []
    assert _execute(db_app, run.id).state == "done"  # a repeated task changes nothing


def test_a_failed_run_keeps_its_error(db_app, db_session, monkeypatch):
    world = build_world(db_session)
    run = request(db_session, world.unit.id).run

    def broken(*_a, **_k):
        raise RuntimeError("database went away")

    monkeypatch.setattr(runs, "build_plan", broken)
    summary = _execute(db_app, run.id)
    assert summary.state == "failed"
    db_session.expire_all()
    stored = db_session.get(PlanRun, run.id)
    assert stored.state == PlanRunState.failed and stored.stage == "failed"
    assert stored.error == "RuntimeError: database went away"
    assert request(db_session, world.unit.id).created  # the unit may be planned again


def test_a_newer_run_supersedes_the_done_one(db_app, db_session):
    world = build_world(db_session)
    first = request(db_session, world.unit.id).run
    _execute(db_app, first.id)
    second = request(db_session, world.unit.id).run
    assert second.id != first.id
    _execute(db_app, second.id)
    db_session.expire_all()
    assert db_session.get(PlanRun, first.id).state == PlanRunState.superseded
    assert db_session.get(PlanRun, second.id).state == PlanRunState.done


def test_own_bookings_stay_and_a_staff_booking_moves_to_free_a_seat(db_app, db_session):
    """Citizen A (due late) was booked by staff into the only slot citizen B (due soon) can
    have; citizen C booked herself. The plan moves A, books B there, and never touches C."""
    unit = factories.unit(db_session)
    cw = factories.caseworker(db_session, unit)
    a, b, c = (factories.citizen(db_session, unit, cw=cw) for _ in range(3))
    early, own, later = workdays(14, 5)[0], workdays(14, 5)[2], workdays(14, 5)[4]
    s_early = add_slot(db_session, cw, at(early, 9))
    s_later = add_slot(db_session, cw, at(later, 9))
    s_own = add_slot(db_session, cw, at(own, 9))
    add_slot(db_session, cw, at(later, 10))
    ob_a = add_obligation(db_session, a, earliest=today(), deadline=later)
    ob_b = add_obligation(db_session, b, earliest=today(), deadline=early)
    ob_c = add_obligation(db_session, c, earliest=today(), deadline=later)
    staff = add_booking(db_session, ob_a, s_early, BookingSource.staff)
    mine = add_booking(db_session, ob_c, s_own, BookingSource.self)
    db_session.commit()
    run = request(db_session, unit.id).run
    _execute(db_app, run.id)
    db_session.expire_all()
    stored = db_session.get(PlanRun, run.id)
    by_kind = {p["kind"]: p for p in stored.proposals}
    assert set(by_kind) == {"new", "move"} and len(stored.proposals) == 2
    move, new = by_kind["move"], by_kind["new"]
    assert move["booking_id"] == staff.id and move["from_slot_id"] == s_early.id
    assert move["slot_id"] in {s_later.id} or move["day"] == later.isoformat()
    assert move["reason"]["code"] == "frees_seat"
    assert move["reason"]["params"]["for_obligation"] == ob_b.id
    assert new["obligation_id"] == ob_b.id and new["slot_id"] == s_early.id
    assert new["needs"] == [move["id"]]
    assert all(p["booking_id"] != mine.id for p in stored.proposals)
    assert stored.figures["locked"] == 1


def test_event_requests_join_a_queued_run_and_follow_a_running_one(db_app, db_session):
    world = build_world(db_session)
    started = []
    first = runs.request_event_replan(db_session, world.unit.id, {"booking_id": 1},
                                      schedule=lambda *a: started.append(a))
    again = runs.request_event_replan(db_session, world.unit.id, {"booking_id": 2},
                                      schedule=lambda *a: started.append(a))
    assert first.created and not again.created and again.run.id == first.run.id
    assert started == [(first.run.id, "event")]  # the task waits event_delay_s, then runs
    db_session.expire_all()
    run = db_session.get(PlanRun, first.run.id)
    assert run.trigger == PlanTrigger.event
    assert run.trigger_detail == {"events": [{"booking_id": 1}, {"booking_id": 2}]}
    # while it runs, an event is kept and planned by a new run when this one is done
    run.state = PlanRunState.running
    db_session.commit()
    late = runs.request_event_replan(db_session, world.unit.id, {"booking_id": 3})
    assert late.run.id == run.id and not late.created
    run.state = PlanRunState.queued
    db_session.commit()
    follow = []
    runs.execute_run(sessions_of(db_app), run.id, settings_of(db_app),
                     schedule=lambda *a: follow.append(a))
    active = runs.active_run(db_session, world.unit.id)
    assert active is not None and active.trigger == PlanTrigger.event
    assert active.trigger_detail["events"][0]["events"] == [{"booking_id": 3}]
    assert follow == [(active.id, "event")]


def test_nightly_requests_one_run_per_unit(db_app, db_session):
    world = build_world(db_session)
    other = factories.unit(db_session)
    db_session.commit()
    started = []
    made = runs.request_nightly(db_session, settings_of(db_app),
                                schedule=lambda *a: started.append(a))
    assert {r.run.unit_id for r in made} == {world.unit.id, other.id}
    assert all(r.created and r.run.trigger == PlanTrigger.nightly for r in made)
    again = runs.request_nightly(db_session, settings_of(db_app),
                                 schedule=lambda *a: started.append(a))
    assert not any(r.created for r in again)  # the units' runs are still queued
    assert sorted(started) == sorted((r.run.id, "nightly") for r in made)
