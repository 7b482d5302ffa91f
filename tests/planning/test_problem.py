"""The live problem: what is movable, what is locked, which slots count, and a valid document
whatever the data says."""

from __future__ import annotations

from datetime import timedelta

import pytest

import solver
from booking.models import Absence, BookingSource, ClosedDay
from booking.services.planning import problem, runs
from booking.services.planning.errors import PlanningError
from tests import factories

from .conftest import (
    add_booking,
    add_obligation,
    add_slot,
    at,
    settings_of,
    today,
    weekday,
    workdays,
)


def build(app, session, unit_ids, weeks=8):
    return problem.build_plan(session, unit_ids, today=today(), weeks=weeks,
                              settings=settings_of(app))


def solve(plan):
    loaded = plan.load()
    solution = solver.solve(loaded, solver.SolverSettings(time_limit_s=10, num_workers=1))
    assert solver.check(loaded, solution) == []
    return solution


def test_movable_locked_and_usable(db_app, db_session):
    s = db_session
    unit, other_unit = factories.unit(s), factories.unit(s)
    cw = factories.caseworker(s, unit)
    people = [factories.citizen(s, unit, cw=cw) for _ in range(5)]
    outsider = factories.citizen(s, other_unit)
    soon = weekday(1)
    d1, d2, d3, d4, d_absent, d_closed = workdays(14, 6)
    deadline = today() + timedelta(days=40)
    slots = {d: add_slot(s, cw, at(d)) for d in (soon, d1, d2, d3, d4)}
    spare = add_slot(s, cw, at(d1, 11))
    absent = add_slot(s, cw, at(d_absent, 9))
    closed = add_slot(s, cw, at(d_closed, 9))
    s.add(Absence(caseworker_id=cw.id, starts_at=at(d_absent, 8), ends_at=at(d_absent, 12)))
    s.add(ClosedDay(day=d_closed, reason="Personaledag"))
    obs = [add_obligation(s, p, earliest=today(), deadline=deadline) for p in people]
    own = add_booking(s, obs[0], slots[d1], BookingSource.self)
    in_lock = add_booking(s, obs[1], slots[soon], BookingSource.staff)
    staff = add_booking(s, obs[2], slots[d2], BookingSource.staff)
    pinned = add_booking(s, obs[3], slots[d3], BookingSource.callin, locked=True)
    foreign_ob = add_obligation(s, outsider, earliest=today(), deadline=deadline)
    add_booking(s, foreign_ob, slots[d4], BookingSource.self)
    s.commit()
    plan = build(db_app, s, [unit.id])
    doc = plan.document
    assert doc["today"] == plan.horizon.plan_from.isoformat() > today().isoformat()
    locked = {b["conversation"]: b["locked"] for b in doc["bookings"]}
    assert locked == {f"o-{obs[0].id}": True, f"o-{obs[1].id}": True,
                      f"o-{obs[2].id}": False, f"o-{obs[3].id}": True,
                      next(k for k in locked if k.startswith("x-")): True}
    assert plan.conversations[f"o-{obs[4].id}"].booking_id is None  # open: to place
    slot_keys = {x["id"] for x in doc["slots"]}
    assert f"s-{spare.id}" in slot_keys and f"s-{slots[soon].id}" in slot_keys
    assert f"s-{absent.id}" not in slot_keys and f"s-{closed.id}" not in slot_keys
    assert {own.id, in_lock.id, staff.id, pinned.id} <= {
        r.booking_id for r in plan.conversations.values()}
    assert plan.stats["stand_ins"] == 1 and plan.stats["movable"] == 1
    solution = solve(plan)
    assert solution.status == "optimal"
    assert dict(solution.conversations)[f"o-{obs[2].id}"] == f"s-{staff.slot_id}"  # kept


def test_the_fingerprint_follows_the_rows(db_app, db_session):
    s = db_session
    unit = factories.unit(s)
    cw = factories.caseworker(s, unit)
    citizen = factories.citizen(s, unit, cw=cw)
    ob = add_obligation(s, citizen, earliest=today(), deadline=today() + timedelta(days=30))
    add_slot(s, cw, at(weekday(14)))
    s.commit()
    first = build(db_app, s, [unit.id]).fingerprint
    assert build(db_app, s, [unit.id]).fingerprint == first
    ob.deadline = today() + timedelta(days=31)
    s.commit()
    assert build(db_app, s, [unit.id]).fingerprint != first


def test_channels_the_format_cannot_say_are_excluded_with_codes(db_app, db_session):
    s = db_session
    unit = factories.unit(s)
    cw = factories.caseworker(s, unit)
    phone_only = factories.citizen(s, unit, cw=cw)
    phone_only.channels = ["phone"]
    two = factories.citizen(s, unit, cw=cw)
    a = add_obligation(s, phone_only, earliest=today(), deadline=today() + timedelta(days=30),
                       channels=("in_person",))
    first = add_obligation(s, two, earliest=today(), deadline=today() + timedelta(days=20),
                           channels=("in_person",))
    second = add_obligation(s, two, earliest=today(), deadline=today() + timedelta(days=40),
                            channels=("phone",), sequence=3)
    add_slot(s, cw, at(weekday(14)))
    s.commit()
    plan = build(db_app, s, [unit.id])
    assert {(e.obligation_id, e.code) for e in plan.excluded} == {
        (a.id, "no_channel"), (second.id, "channel_conflict")}
    citizen = next(c for c in plan.document["citizens"] if c["id"] == f"c-{two.id}")
    assert citizen["channels"] == ["in_person"] and f"o-{first.id}" in plan.conversations


def test_self_bookings_beyond_max_per_day_do_not_conflict(db_app, db_session):
    """Citizens booking themselves do not see max_per_day: two on a day of a caseworker who
    takes one. The extra locked booking only holds its seat; the day takes no more."""
    s = db_session
    unit = factories.unit(s)
    cw = factories.caseworker(s, unit)
    cw.max_per_day = 1
    people = [factories.citizen(s, unit, cw=cw) for _ in range(3)]
    day = weekday(14)
    deadline = today() + timedelta(days=40)
    obs = [add_obligation(s, p, earliest=today(), deadline=deadline) for p in people]
    add_booking(s, obs[0], add_slot(s, cw, at(day, 9)), BookingSource.self)
    add_booking(s, obs[1], add_slot(s, cw, at(day, 10)), BookingSource.self)
    add_slot(s, cw, at(day, 11))
    later = add_slot(s, cw, at(workdays(14, 2)[1], 9))
    s.commit()
    plan = build(db_app, s, [unit.id])
    assert plan.stats["hidden"] == 1
    solution = solve(plan)
    assert solution.status == "optimal"
    assert dict(solution.conversations)[f"o-{obs[2].id}"] == f"s-{later.id}"


def test_a_booking_in_an_absence_is_moved_with_its_reason(db_app, db_session):
    s = db_session
    unit = factories.unit(s)
    cw = factories.caseworker(s, unit)
    citizen = factories.citizen(s, unit, cw=cw)
    ob = add_obligation(s, citizen, earliest=today(), deadline=today() + timedelta(days=40))
    day, other = workdays(14, 2)
    booking = add_booking(s, ob, add_slot(s, cw, at(day)), BookingSource.staff)
    free = add_slot(s, cw, at(other))
    s.add(Absence(caseworker_id=cw.id, starts_at=at(day, 0), ends_at=at(day, 23)))
    s.commit()
    plan, result = runs.compute(s, unit.id, today(), 8, settings_of(db_app))
    [move] = result.proposals
    assert move["kind"] == "move" and move["booking_id"] == booking.id
    assert move["slot_id"] == free.id and move["reason"]["code"] == "slot_unavailable"


def test_unknown_units_and_weeks_are_refused(db_app, db_session):
    with pytest.raises(PlanningError) as err:
        problem.export_plan(db_session, [4242], 8, today(), settings=settings_of(db_app))
    assert err.value.code == "unknown_unit"
    unit = factories.unit(db_session)
    db_session.commit()
    with pytest.raises(PlanningError) as err:
        problem.export_plan(db_session, [unit.id], 53, today(), settings=settings_of(db_app))
    assert err.value.code == "bad_weeks"
    doc = problem.export_plan(db_session, None, 8, today(), settings=settings_of(db_app))
    assert solver.load_problem(doc).conversations == ()
