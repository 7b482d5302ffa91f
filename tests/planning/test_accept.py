"""Accepting a run: bookings, letters with .ics, audit rows in one transaction; a stale plan
or a lost seat is refused with nothing applied."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.database import make_engine
from booking.models import (
    Absence,
    AuditEntry,
    Booking,
    BookingSource,
    BookingState,
    Obligation,
    ObligationState,
    OutboxMessage,
    PlanRun,
    PlanRunState,
    PlanTrigger,
)
from booking.services.errors import NotFound
from booking.services.planning import accept, runs
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


def planned(app, session, unit_id) -> PlanRun:
    run = runs.request_run(session, unit_id, trigger=PlanTrigger.manual, staff_id=None,
                           detail=None, today=today(), schedule=NO_SCHEDULE).run
    assert runs.execute_run(sessions_of(app), run.id, settings_of(app)).state == "done"
    session.expire_all()
    return session.get(PlanRun, run.id)


def fresh(app) -> Session:
    """A second session: what another request would see (the commit is real)."""
    return Session(make_engine(app.extensions["rettidig_db"].url))


def counts(app) -> tuple[int, int, int]:
    with fresh(app) as s:
        return (s.scalar(select(func.count(Booking.id))),
                s.scalar(select(func.count(OutboxMessage.id))),
                s.scalar(select(func.count(AuditEntry.id))))


def test_accept_books_letters_and_audits(db_app, db_session):
    world = build_world(db_session)
    planner = factories.staff(db_session, factories.Role.planner)
    db_session.commit()
    run = planned(db_app, db_session, world.unit.id)
    result = accept.accept_run(db_session, run.id, staff_id=planner.id,
                               settings=settings_of(db_app))
    assert len(result.created) == 4 and result.moved == [] and result.remaining == 0
    with fresh(db_app) as s:
        bookings = s.scalars(select(Booking)).all()
        assert {b.source for b in bookings} == {BookingSource.solver}
        assert {b.plan_run_id for b in bookings} == {run.id}
        assert {b.created_by_staff_id for b in bookings} == {planner.id}
        assert {o.state for o in s.scalars(select(Obligation))} == {ObligationState.booked}
        letters = s.scalars(select(OutboxMessage).where(OutboxMessage.ics.is_not(None))).all()
        assert len(letters) == 4 and {m.ics_method for m in letters} == {"REQUEST"}
        assert result.messages == s.scalar(select(func.count(OutboxMessage.id)))
        actions = [a.action for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions.count("booking_created") == 4 and actions[-1] == "plan_run_accepted"
        stored = s.get(PlanRun, run.id)
        assert stored.state == PlanRunState.accepted and stored.accepted_by_staff_id == planner.id
        assert {p["status"] for p in stored.proposals} == {"accepted"}


def test_partial_acceptance_keeps_the_rest_proposed(db_app, db_session):
    world = build_world(db_session)
    run = planned(db_app, db_session, world.unit.id)
    first = accept.accept_run(db_session, run.id, staff_id=None, proposal_ids=[1],
                              settings=settings_of(db_app))
    assert first.accepted == [1] and first.remaining == 3
    with pytest.raises(PlanningError) as err:
        accept.accept_run(db_session, run.id, staff_id=None, proposal_ids=[1],
                          settings=settings_of(db_app))
    assert err.value.code == "unknown_proposals"  # already accepted
    rest = accept.accept_run(db_session, run.id, staff_id=None, settings=settings_of(db_app))
    assert rest.accepted == [2, 3, 4] and rest.remaining == 0
    with pytest.raises(NotFound):
        accept.accept_run(db_session, run.id, staff_id=None, unit_id=world.unit.id + 1,
                          settings=settings_of(db_app))


def test_a_move_keeps_the_uid_and_raises_the_sequence(db_app, db_session):
    unit = factories.unit(db_session)
    cw = factories.caseworker(db_session, unit)
    a, b = factories.citizen(db_session, unit, cw=cw), factories.citizen(db_session, unit, cw=cw)
    early, later = workdays(14, 5)[0], workdays(14, 5)[4]
    s_early, s_later = add_slot(db_session, cw, at(early)), add_slot(db_session, cw, at(later))
    ob_a = add_obligation(db_session, a, earliest=today(), deadline=later)
    add_obligation(db_session, b, earliest=today(), deadline=early)
    staff = add_booking(db_session, ob_a, s_early, BookingSource.callin)
    uid = staff.ical_uid
    db_session.commit()
    run = planned(db_app, db_session, unit.id)
    move = next(p for p in run.proposals if p["kind"] == "move")
    new = next(p for p in run.proposals if p["kind"] == "new")
    with pytest.raises(PlanningError) as err:  # the new one needs the move's seat
        accept.accept_run(db_session, run.id, staff_id=None, proposal_ids=[new["id"]],
                          settings=settings_of(db_app))
    assert err.value.code == "depends_on" and err.value.params["needs"] == [move["id"]]
    result = accept.accept_run(db_session, run.id, staff_id=None, settings=settings_of(db_app))
    assert result.moved == [staff.id] and len(result.created) == 1
    with fresh(db_app) as s:
        moved = s.get(Booking, staff.id)
        assert moved.slot_id == s_later.id and moved.ical_uid == uid
        assert moved.ical_sequence == 1 and moved.source == BookingSource.callin
        assert moved.plan_run_id == run.id
        assert s.scalar(select(Booking.slot_id).where(Booking.id == result.created[0])) \
            == s_early.id
        assert "booking_moved" in s.scalars(select(AuditEntry.action)).all()


def test_a_stale_plan_is_refused_and_nothing_changes(db_app, db_session):
    world = build_world(db_session)
    run = planned(db_app, db_session, world.unit.id)
    target = next(p for p in run.proposals if p["id"] == 1)
    # meanwhile the caseworker reports an absence over the proposed slot
    day = date.fromisoformat(target["day"])
    db_session.add(Absence(caseworker_id=target["caseworker_id"], starts_at=at(day, 0),
                           ends_at=at(day, 23)))
    db_session.commit()
    before = counts(db_app)
    shown = accept.stale_proposal_ids(db_session, run.id, settings=settings_of(db_app))
    with pytest.raises(PlanningError) as err:
        accept.accept_run(db_session, run.id, staff_id=None, settings=settings_of(db_app))
    assert err.value.code == "stale" and 1 in err.value.params["proposals"]
    assert shown == err.value.params["proposals"]
    assert runs.get_run(db_session, run.id).state == PlanRunState.done
    assert runs.recent_runs(db_session, world.unit.id, limit=5) == [run]
    assert counts(db_app) == before
    with fresh(db_app) as s:
        assert s.get(PlanRun, run.id).state == PlanRunState.done


def test_an_obligation_booked_meanwhile_makes_the_plan_stale(db_app, db_session):
    world = build_world(db_session)
    run = planned(db_app, db_session, world.unit.id)
    target = next(p for p in run.proposals if p["id"] == 2)
    ob = db_session.get(Obligation, target["obligation_id"])
    add_booking(db_session, ob, world.slots[-1], BookingSource.self)
    db_session.commit()
    before = counts(db_app)
    with pytest.raises(PlanningError) as err:
        accept.accept_run(db_session, run.id, staff_id=None, settings=settings_of(db_app))
    assert err.value.code == "stale" and err.value.params["proposals"] == [2]
    assert counts(db_app) == before


def test_a_seat_taken_meanwhile_refuses_the_whole_acceptance(db_app, db_session):
    """Someone outside the plan takes a proposed slot: the seat check (and in the end the
    partial unique index) refuses; not one of the other proposals is applied."""
    world = build_world(db_session)
    run = planned(db_app, db_session, world.unit.id)
    target = next(p for p in run.proposals if p["id"] == 3)
    outsider = factories.citizen(db_session, world.unit, cw=world.cws[0])
    ob = add_obligation(db_session, outsider, earliest=today(), deadline=today()
                        + timedelta(days=40))
    slot = next(s for s in world.slots if s.id == target["slot_id"])
    add_booking(db_session, ob, slot, BookingSource.self)
    db_session.commit()
    before = counts(db_app)
    with pytest.raises(PlanningError) as err:
        accept.accept_run(db_session, run.id, staff_id=None, settings=settings_of(db_app))
    assert err.value.code == "seat_taken" and err.value.params["proposals"] == [3]
    assert counts(db_app) == before
    with fresh(db_app) as s:
        assert s.scalar(select(func.count(Booking.id)).where(
            Booking.source == BookingSource.solver)) == 0
        assert s.scalar(select(func.count(Booking.id)).where(
            Booking.state == BookingState.booked)) == 1


def test_a_time_now_in_the_lock_period_is_refused(db_app, db_session):
    world = build_world(db_session)
    run = planned(db_app, db_session, world.unit.id)
    with pytest.raises(PlanningError) as err:
        accept.accept_run(db_session, run.id, staff_id=None, settings=settings_of(db_app),
                          today=today() + timedelta(days=14))
    assert err.value.code == "too_soon"


def test_only_a_finished_run_can_be_accepted(db_app, db_session):
    world = build_world(db_session)
    run = runs.request_run(db_session, world.unit.id, trigger=PlanTrigger.manual,
                           staff_id=None, detail=None, today=today(), schedule=NO_SCHEDULE).run
    with pytest.raises(PlanningError) as err:
        accept.accept_run(db_session, run.id, staff_id=None, settings=settings_of(db_app))
    assert err.value.code == "not_ready" and err.value.params == {"state": "queued"}


def test_a_race_lost_at_the_unique_index_is_a_refusal(db_app, db_session, monkeypatch):
    """Two proposals pushed into one seat (as two processes racing would): the partial unique
    index uq_bookings_slot_seat_active refuses the flush, nothing is half-applied."""
    from booking.services.planning import apply

    world = build_world(db_session)
    run = planned(db_app, db_session, world.unit.id)
    monkeypatch.setattr(apply, "_seats", lambda _s, items, _r: {p["id"]: 1 for p in items})
    monkeypatch.setattr(apply, "_check_days", lambda *_: None)
    first = run.proposals[0]  # every proposal into the same slot, seat 1
    run.proposals = [dict(p, slot_id=first["slot_id"], versions=first["versions"] | {
        "conversation": p["versions"]["conversation"]}) for p in run.proposals]
    db_session.commit()
    before = counts(db_app)
    with pytest.raises(PlanningError) as err:
        accept.accept_run(db_session, run.id, staff_id=None, settings=settings_of(db_app))
    assert err.value.code == "seat_taken"
    assert counts(db_app) == before
