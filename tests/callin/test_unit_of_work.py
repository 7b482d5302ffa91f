"""Each call-in service owns its transaction: what it writes is committed by the service itself
(a second session sees it, nobody calls commit), and a refusal leaves nothing changed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.database import transaction
from booking.db import db
from booking.models import (
    AuditEntry,
    CallOutcome,
    Citizen,
    GroupSession,
    HeldConversation,
    Invitation,
    InvitationState,
    OutboxMessage,
    PhoneCall,
    SessionState,
)
from booking.services.callin import CallinError
from booking.services.callin.desk import check_in, close_window, finish
from booking.services.callin.list_pages import central_page, phone_page, queue_page
from booking.services.callin.pages import desk_page, session_page
from booking.services.callin.phone_list import record_call, reinvite_not_reached
from booking.services.callin.sessions import SessionPlan, invite, plan_session
from booking.services.errors import NotFound
from tests.callin.helpers import DAY, INVITE, LETTERHEAD, LETTERS_SENT, RULES, SETTINGS, at, build


@contextmanager
def second(app) -> Iterator[Session]:
    """Another session (another connection): it sees only what has been committed."""
    with app.app_context(), db.fresh_session() as other:
        yield other


def _audits(other: Session, action: str) -> int:
    return other.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action))


def _seen(other: Session, action: str) -> int:
    """The citizens one list page audited: one entry per view (issue 14), the ids in its
    detail."""
    entries = other.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()
    assert len(entries) == 1
    return len(entries[0].detail["citizen_ids"])


def _state(other: Session, invitation_id: int) -> InvitationState:
    return other.scalar(select(Invitation.state).where(Invitation.id == invitation_id))


def _plan(w, day: date = DAY, start: time = time(13)) -> SessionPlan:
    return SessionPlan(
        day,
        start,
        time(start.hour + 2),
        "Jobcentret, lokale 3",
        30,
        tuple(w.caseworker_ids),
        w.unit_id,
        SETTINGS.overflow_risk,
    )


def test_plan_session_and_invite_commit_by_themselves(db_app):
    w = build(db_app, caseworkers=1, citizens=3, invite_all=False)
    with db_app.app_context(), db.fresh_session() as s:
        planned = plan_session(
            s, _plan(w), SETTINGS, staff_id=w.staff_id, today=LETTERS_SENT, **RULES
        )
        with second(db_app) as other:
            stored = other.get(GroupSession, planned.group_session.id)
            assert stored is not None and len(stored.pool) == 1
            assert _audits(other, "callin_session_planned") == 2
        made = invite(s, w.session_id, 2, SETTINGS, staff_id=w.staff_id, **INVITE)
        with second(db_app) as other:
            assert [_state(other, i.id) for i in made] == [InvitationState.invited] * 2
            assert other.scalar(select(func.count(OutboxMessage.id))) == 2
            assert _audits(other, "callin_invited") == 2


def test_plan_session_refuses_a_weekend_day_and_stores_nothing(db_app):
    w = build(db_app, caseworkers=1, citizens=1, invite_all=False)
    saturday = date(2027, 3, 6)
    with db_app.app_context(), db.fresh_session() as s:
        with pytest.raises(CallinError) as err:
            plan_session(s, _plan(w, saturday), SETTINGS, staff_id=w.staff_id, today=DAY, **RULES)
        assert err.value.code == "day_weekend" and err.value.params["day"] == saturday
    with second(db_app) as other:
        assert other.scalar(select(func.count(GroupSession.id))) == 1  # build()'s own


def test_desk_services_commit_by_themselves(db_app):
    w = build(db_app, caseworkers=1, citizens=3)
    a, b, c = w.invitation_ids
    with db_app.app_context(), db.fresh_session() as s:
        check_in(s, a, SETTINGS, now=at(9, 5), staff_id=w.staff_id, session_id=w.session_id)
        with second(db_app) as other:
            assert _state(other, a) == InvitationState.in_progress
            assert other.get(GroupSession, w.session_id).state == SessionState.running
            assert _audits(other, "callin_checked_in") == 1
        check_in(s, b, SETTINGS, now=at(9, 6), staff_id=w.staff_id)
        nxt = finish(s, a, now=at(9, 30), staff_id=w.staff_id, caseworker_id=w.caseworker_ids[0])
        assert nxt is not None and nxt.invitation.id == b
        with second(db_app) as other:
            assert (_state(other, a), _state(other, b)) == (
                InvitationState.served,
                InvitationState.in_progress,
            )
            assert other.scalar(select(func.count(HeldConversation.id))) == 1
        missing = close_window(s, w.session_id, SETTINGS, now=at(12, 5), staff_id=w.staff_id)
        assert [i.id for i in missing] == [c]
        with second(db_app) as other:
            assert _state(other, c) == InvitationState.no_show
            assert other.get(GroupSession, w.session_id).state == SessionState.closed
            assert other.get(Citizen, w.citizen_ids[2]).missed_count == 1


def test_phone_services_commit_by_themselves(db_app):
    w = build(db_app, caseworkers=1, citizens=2)
    a, b = w.invitation_ids
    with db_app.app_context(), db.fresh_session() as s:
        check_in(s, a, SETTINGS, now=at(9, 5), staff_id=w.staff_id)
        close_window(s, w.session_id, SETTINGS, now=at(12, 5), staff_id=w.staff_id)
        result = record_call(
            s,
            b,
            CallOutcome.not_reached,
            SETTINGS,
            staff_id=w.staff_id,
            now=at(13),
            **LETTERHEAD,
            **RULES,
        )
        assert result.no_session
        with second(db_app) as other:
            assert other.scalar(select(func.count(PhoneCall.id))) == 1
        later = plan_session(
            s,
            _plan(w, date(2027, 3, 8), time(9)),
            SETTINGS,
            staff_id=w.staff_id,
            today=DAY,
            **RULES,
        ).group_session
        made = reinvite_not_reached(
            s, SETTINGS, staff_id=w.staff_id, now=at(13, 5), **LETTERHEAD, **RULES
        )
        assert [i.session_id for i in made] == [later.id]
        with second(db_app) as other:
            again = other.scalars(select(Invitation).where(Invitation.session_id == later.id))
            assert [i.citizen_id for i in again] == [w.citizen_ids[1]]
            assert other.scalar(
                select(OutboxMessage.id).where(
                    OutboxMessage.dedupe_key == f"callin-letter:{made[0].id}"
                )
            )


def test_pages_commit_their_audit_rows_by_themselves(db_app):
    w = build(db_app, caseworkers=1, citizens=3)
    with db_app.app_context(), db.fresh_session() as s:
        page = session_page(
            s,
            w.session_id,
            SETTINGS,
            staff_id=w.staff_id,
            count=None,
            now=at(8),
            today=DAY,
            **RULES,
        )
        assert len(page.invitations) == 3 and page.capacity == 6
        with second(db_app) as other:
            assert _seen(other, "callin_session_view") == 3
        page = desk_page(s, w.session_id, SETTINGS, staff_id=w.staff_id, name_filter="", now=at(8))
        assert len(page.board.invited) == 3 and not page.window_over
        with second(db_app) as other:
            assert _seen(other, "callin_desk_view") == 3
        check_in(s, w.invitation_ids[0], SETTINGS, now=at(9, 5), staff_id=w.staff_id)
        queue = queue_page(s, w.caseworker_ids[0], staff_id=w.staff_id, today=DAY)
        assert [v.current.id for v in queue.views] == [w.invitation_ids[0]]
        with second(db_app) as other:
            assert _seen(other, "callin_queue_view") == 1
        close_window(s, w.session_id, SETTINGS, now=at(12, 5), staff_id=w.staff_id)
        phones = phone_page(s, SETTINGS, staff_id=w.staff_id, now=at(12, 10), **RULES)
        assert len(phones.lines) == 2 and phones.targets == []
        with second(db_app) as other:
            assert _seen(other, "callin_phone_list_view") == 2
        central = central_page(s, date(2027, 9, 1), local_days=8, staff_id=w.staff_id)
        assert central.items
        with second(db_app) as other:
            assert _seen(other, "callin_central_list_view") == len(
                {item.obligation.citizen_id for item in central.items}
            )


def _snapshot(app, session_id: int) -> tuple:
    with second(app) as other:
        return (
            other.scalar(select(func.count(GroupSession.id))),
            other.get(GroupSession, session_id).state,
            tuple(other.scalars(select(Invitation.state).order_by(Invitation.id))),
            other.scalar(select(func.count(AuditEntry.id))),
            other.scalar(select(func.count(OutboxMessage.id))),
            other.scalar(select(func.count(PhoneCall.id))),
            other.scalar(select(func.count(HeldConversation.id))),
            tuple(other.execute(select(Citizen.attended_count, Citizen.missed_count)).all()),
        )


def test_a_refusal_changes_nothing_and_releases_the_database(db_app):
    w = build(db_app, caseworkers=1, citizens=3)
    a, b, _c = w.invitation_ids
    other_world = build(db_app, caseworkers=1, citizens=1)
    before = _snapshot(db_app, w.session_id)
    refusals = [
        (
            "no_pool",
            lambda s: plan_session(
                s,
                SessionPlan(DAY, time(9), time(10), "Lokale", 30, (), None, 0.1),
                SETTINGS,
                staff_id=w.staff_id,
                today=LETTERS_SENT,
                **RULES,
            ),
        ),
        (
            "count_range",
            lambda s: invite(s, w.session_id, 99, SETTINGS, staff_id=w.staff_id, **INVITE),
        ),
        (
            "checkin_not_open",
            lambda s: check_in(s, a, SETTINGS, now=at(8, 29), staff_id=None),
        ),
        (
            "notice",
            lambda s: invite(
                s, w.session_id, 1, SETTINGS, staff_id=w.staff_id, **{**INVITE, "today": DAY}
            ),
        ),
        (
            "day_holiday",
            lambda s: plan_session(
                s, _plan(w, date(2027, 3, 25)), SETTINGS, staff_id=None, today=DAY, **RULES
            ),
        ),
        (
            "no_invitation",
            lambda s: check_in(
                s,
                other_world.invitation_ids[0],
                SETTINGS,
                now=at(9),
                staff_id=None,
                session_id=w.session_id,
            ),
        ),
        ("not_in_progress", lambda s: finish(s, b, now=at(9, 30), staff_id=None)),
        (
            "window_open",
            lambda s: close_window(s, w.session_id, SETTINGS, now=at(10), staff_id=None),
        ),
        (
            "not_no_show",
            lambda s: record_call(
                s,
                a,
                CallOutcome.reached,
                SETTINGS,
                staff_id=w.staff_id,
                now=at(13),
                **LETTERHEAD,
                **RULES,
            ),
        ),
    ]
    with db_app.app_context(), db.fresh_session() as s:
        for code, call in refusals:
            with pytest.raises(CallinError) as err:
                call(s)
            assert err.value.code == code
            assert not s.in_transaction(), code  # rolled back by the service itself
            assert _snapshot(db_app, w.session_id) == before, code
        # a unit of work joined by a service is undone as a whole when the service refuses
        with pytest.raises(CallinError) as err, transaction(s):
            check_in(s, a, SETTINGS, now=at(9, 5), staff_id=None)
            check_in(s, a, SETTINGS, now=at(9, 6), staff_id=None)
        assert err.value.code == "not_invited_state"
        assert _snapshot(db_app, w.session_id) == before
        # nothing is left locked: another connection writes at once while this one is open
        with second(db_app) as s2:
            check_in(s2, a, SETTINGS, now=at(9, 7), staff_id=None)
    with second(db_app) as other:
        assert _state(other, a) == InvitationState.in_progress


def test_missing_objects_are_not_found(db_app):
    w = build(db_app, caseworkers=1, citizens=1)
    calls = [
        lambda s: session_page(
            s, 999, SETTINGS, staff_id=None, count=None, now=at(8), today=DAY, **RULES
        ),
        lambda s: desk_page(s, 999, SETTINGS, staff_id=None, name_filter="", now=at(8)),
        lambda s: queue_page(s, 999, staff_id=None, today=DAY),
        lambda s: invite(s, 999, 1, SETTINGS, staff_id=None, **INVITE),
        lambda s: close_window(s, 999, SETTINGS, now=at(12), staff_id=None),
        lambda s: check_in(
            s, w.invitation_ids[0], SETTINGS, now=at(9), staff_id=None, session_id=999
        ),
        lambda s: finish(s, w.invitation_ids[0], now=at(9), staff_id=None, caseworker_id=999),
    ]
    before = _snapshot(db_app, w.session_id)
    with db_app.app_context(), db.fresh_session() as s:
        for call in calls:
            with pytest.raises(NotFound):
                call(s)
    assert _snapshot(db_app, w.session_id) == before
