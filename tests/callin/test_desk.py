"""The check-in desk: arrivals go to the next free caseworker; never two at once for one."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from booking.db import db
from booking.models import (
    Citizen,
    GroupSession,
    HeldConversation,
    Invitation,
    InvitationState,
    Obligation,
    ObligationState,
    OutboxMessage,
    SessionState,
)
from booking.services.callin import CallinError
from booking.services.callin.desk import _start, check_in, close_window, finish
from tests.callin.helpers import SETTINGS, at, build
from tests.conftest import make_app


@pytest.fixture
def lite_app(sqlite_url):
    app = make_app(sqlite_url)
    yield app
    with app.app_context():
        db.engine.dispose()


def _states(s, session_id):
    return Counter(s.scalars(select(Invitation.state).where(Invitation.session_id == session_id)))


def test_letters_with_ics_are_queued_one_per_invitee(lite_app):
    world = build(lite_app, citizens=4)
    with lite_app.app_context(), db.fresh_session() as s:
        letters = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert len(letters) == 4 and {m.citizen_id for m in letters} == set(world.citizen_ids)
        letter = letters[0]
        assert "mellem kl. 09:00 og kl. 12:00" in letter.body
        assert "Jobcentret, lokale 1" in letter.body and "mandag" in letter.body
        assert "BEGIN:VEVENT" in letter.ics and "LOCATION:Jobcentret\\, lokale 1" in letter.ics
        assert "DTSTART;TZID=Europe/Copenhagen:20270301T090000" in letter.ics
        booked = s.scalars(
            select(Obligation.state).where(
                Obligation.id.in_(
                    select(Invitation.obligation_id).where(
                        Invitation.session_id == world.session_id
                    )
                )
            )
        ).all()
        assert booked and set(booked) == {ObligationState.booked}


def test_arrivals_go_to_free_caseworkers_then_wait_then_follow_on(lite_app):
    w = build(lite_app, caseworkers=2, citizens=4)
    a, b, c, d = w.invitation_ids
    with lite_app.app_context(), db.fresh_session() as s:
        first = check_in(s, a, SETTINGS, now=at(9, 1), staff_id=w.staff_id)
        s.commit()
        second = check_in(s, b, SETTINGS, now=at(9, 2), staff_id=w.staff_id)
        s.commit()
        third = check_in(s, c, SETTINGS, now=at(9, 3), staff_id=w.staff_id)
        s.commit()
        fourth = check_in(s, d, SETTINGS, now=at(9, 4), staff_id=w.staff_id)
        s.commit()
        assert {first.caseworker.id, second.caseworker.id} == set(w.caseworker_ids)
        assert third.caseworker is None and third.waiting_ahead == 0
        assert fourth.caseworker is None and fourth.waiting_ahead == 1
        assert s.get(GroupSession, w.session_id).state == SessionState.running
        # the second caseworker finishes first and takes the first in the queue
        nxt = finish(s, b, now=at(9, 20), staff_id=w.staff_id, caseworker_id=second.caseworker.id)
        s.commit()
        assert nxt.invitation.id == c and nxt.caseworker.id == second.caseworker.id
        with pytest.raises(CallinError) as err:
            finish(s, a, now=at(9, 25), staff_id=None, caseworker_id=second.caseworker.id)
        assert err.value.code == "not_yours"
        s.rollback()
        nxt = finish(s, a, now=at(9, 30), staff_id=None, caseworker_id=first.caseworker.id)
        s.commit()
        assert nxt.invitation.id == d and nxt.caseworker.id == first.caseworker.id
        assert _states(s, w.session_id) == {
            InvitationState.in_progress: 2,
            InvitationState.served: 2,
        }
        served = s.get(Invitation, b)
        citizen = s.get(Citizen, served.citizen_id)
        assert citizen.attended_count == 1 and citizen.show_probability > served.show_probability
        held = s.scalar(select(HeldConversation).where(HeldConversation.citizen_id == citizen.id))
        assert held is not None and str(held.held_on) == "2027-03-01"
        ob = s.get(Obligation, served.obligation_id)
        assert ob.state == ObligationState.fulfilled and str(ob.fulfilled_on) == "2027-03-01"


def test_desk_refuses_double_check_in_early_check_in_and_closes_with_no_shows(lite_app):
    w = build(lite_app, caseworkers=1, citizens=3)
    a, b, c = w.invitation_ids
    with lite_app.app_context(), db.fresh_session() as s:
        with pytest.raises(CallinError) as err:
            check_in(s, a, SETTINGS, now=at(9, 0, day=date(2027, 2, 28)), staff_id=None)
        assert err.value.code == "checkin_not_open"
        s.rollback()
        check_in(s, a, SETTINGS, now=at(9, 5), staff_id=None)
        s.commit()
        with pytest.raises(CallinError) as err:
            check_in(s, a, SETTINGS, now=at(9, 6), staff_id=None)
        assert err.value.code == "not_invited_state"
        s.rollback()
        with pytest.raises(CallinError) as err:
            close_window(s, w.session_id, SETTINGS, now=at(11), staff_id=None)
        assert err.value.code == "window_open"
        s.rollback()
        before = {i: s.get(Citizen, w.citizen_ids[i]).show_probability for i in (1, 2)}
        missing = close_window(s, w.session_id, SETTINGS, now=at(12, 1), staff_id=None)
        s.commit()
        assert sorted(i.id for i in missing) == [b, c]
        for i in (1, 2):
            citizen = s.get(Citizen, w.citizen_ids[i])
            assert citizen.missed_count == 1 and citizen.show_probability < before[i]
        assert _states(s, w.session_id)[InvitationState.no_show] == 2
        released = s.get(Obligation, s.get(Invitation, b).obligation_id)
        assert released.state == ObligationState.open
        with pytest.raises(CallinError) as err:
            check_in(s, b, SETTINGS, now=at(12, 5), staff_id=None)
        assert err.value.code == "session_closed"


def test_the_busy_index_refuses_two_citizens_in_progress_for_one_caseworker(db_app):
    w = build(db_app, caseworkers=2, citizens=3)
    with db_app.app_context(), db.fresh_session() as s:
        for inv_id in w.invitation_ids[:2]:
            inv = s.get(Invitation, inv_id)
            inv.state, inv.caseworker_id = InvitationState.in_progress, w.caseworker_ids[0]
        with pytest.raises(IntegrityError):
            s.flush()


def test_a_stale_choice_of_caseworker_is_retried_with_the_next(db_app):
    """The last guard: if the chosen caseworker is busy after all, the index refuses it, the
    savepoint is rolled back and the next free caseworker is taken."""
    w = build(db_app, caseworkers=2, citizens=3)
    a, b, _ = w.invitation_ids
    busy, free = w.caseworker_ids
    with db_app.app_context(), db.fresh_session() as s:
        inv = s.get(Invitation, a)
        inv.state, inv.caseworker_id, inv.started_at = InvitationState.in_progress, busy, at(9)
        other = s.get(Invitation, b)
        other.state, other.arrived_at = InvitationState.arrived, at(9)
        s.commit()
        chosen = _start(s, other, [busy, free], at(9, 1))
        s.commit()
        assert chosen == free
        assert s.get(Invitation, b).caseworker_id == free
        assert _start(s, s.get(Invitation, w.invitation_ids[2]), [busy], at(9, 2)) is None
        s.commit()
        assert s.get(Invitation, w.invitation_ids[2]).state == InvitationState.invited


def test_concurrent_desks_never_give_one_caseworker_two_citizens(db_app):
    """Six desks check in six different citizens at the same instant (own sessions, own
    connections): exactly one in progress per caseworker, the rest wait."""
    w = build(db_app, caseworkers=3, citizens=8)
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def desk(invitation_id: int) -> None:
        try:
            with db_app.app_context(), db.fresh_session() as s:
                barrier.wait(timeout=10)
                check_in(s, invitation_id, SETTINGS, now=at(9, 5), staff_id=w.staff_id)
                s.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=(i,)) for i in w.invitation_ids[:6]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    with db_app.app_context(), db.fresh_session() as s:
        rows = s.execute(
            select(Invitation.caseworker_id, func.count())
            .where(
                Invitation.session_id == w.session_id,
                Invitation.state == InvitationState.in_progress,
            )
            .group_by(Invitation.caseworker_id)
        ).all()
        assert sorted(cw for cw, _ in rows) == sorted(w.caseworker_ids)
        assert all(n == 1 for _, n in rows)
        assert _states(s, w.session_id)[InvitationState.arrived] == 3
        in_progress = [
            i
            for (i,) in s.execute(
                select(Invitation.id).where(Invitation.state == InvitationState.in_progress)
            )
        ]
    # now the three caseworkers finish at once while two more desks check in
    barrier2 = threading.Barrier(5)

    def done(invitation_id: int) -> None:
        try:
            with db_app.app_context(), db.fresh_session() as s:
                barrier2.wait(timeout=10)
                finish(s, invitation_id, now=at(9, 30), staff_id=None)
                s.commit()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def arrive(invitation_id: int) -> None:
        try:
            with db_app.app_context(), db.fresh_session() as s:
                barrier2.wait(timeout=10)
                check_in(s, invitation_id, SETTINGS, now=at(9, 30), staff_id=None)
                s.commit()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=done, args=(i,)) for i in in_progress]
    threads += [threading.Thread(target=arrive, args=(i,)) for i in w.invitation_ids[6:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    with db_app.app_context(), db.fresh_session() as s:
        states = _states(s, w.session_id)
        assert states == {
            InvitationState.served: 3,
            InvitationState.in_progress: 3,
            InvitationState.arrived: 2,
        }
        busy = s.scalars(
            select(Invitation.caseworker_id).where(Invitation.state == InvitationState.in_progress)
        ).all()
        assert sorted(busy) == sorted(w.caseworker_ids)


def test_two_desks_checking_in_the_same_citizen_register_one_arrival(db_app):
    w = build(db_app, caseworkers=2, citizens=2)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def desk() -> None:
        with db_app.app_context(), db.fresh_session() as s:
            barrier.wait(timeout=10)
            try:
                check_in(s, w.invitation_ids[0], SETTINGS, now=at(9, 5), staff_id=None)
                s.commit()
                outcomes.append("ok")
            except CallinError as exc:
                s.rollback()
                outcomes.append(exc.code)

    threads = [threading.Thread(target=desk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["not_invited_state", "ok"]
    with db_app.app_context(), db.fresh_session() as s:
        assert s.get(Citizen, w.citizen_ids[0]).attended_count == 1


def test_a_finished_group_conversation_is_held_by_the_job_centre_under_the_law_in_force(
    lite_app,
):
    """The desk records a conversation held by the job centre, and with the app's law ("auto")
    the obligations are recomputed by due date: a programme pinned to lab-2024 in its record
    gets its 2027 obligations from the law in force in 2027."""
    from booking.services.law.context import BY_DUE_DATE

    w = build(lite_app, citizens=1, group="cash_benefit")
    with lite_app.app_context(), db.fresh_session() as s:
        [inv] = w.invitation_ids
        check_in(s, inv, SETTINGS, now=at(9, 5), staff_id=None)
        finish(s, inv, now=at(9, 30), staff_id=None, law=BY_DUE_DATE)
        held = s.scalar(select(HeldConversation))
        kind = (held.kind.value, held.holder.value, held.joint)
        assert kind == ("conversation", "jobcentre", False)
        codes = set(
            s.scalars(
                select(Obligation.rule_set_code).where(Obligation.citizen_id == w.citizen_ids[0])
            )
        )
        assert codes == {"reform-2026-07"}
