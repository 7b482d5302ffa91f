"""No-show → phone list → re-invitation before the deadline; probabilities updated."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import (
    AuditEntry,
    CallOutcome,
    Citizen,
    Invitation,
    InvitationState,
    Obligation,
    OutboxMessage,
)
from booking.services.callin import CallinError
from booking.services.callin.desk import check_in, close_window
from booking.services.callin.phone_list import phone_list, record_call, reinvite_not_reached
from booking.services.callin.sessions import SessionPlan, plan_session
from tests.callin.helpers import LETTERHEAD, RULES, SETTINGS, at, build


def _plan(s, w, day: date):
    gs = plan_session(
        s,
        SessionPlan(
            day,
            time(9),
            time(11),
            "Jobcentret, lokale 2",
            30,
            tuple(w.caseworker_ids),
            w.unit_id,
            SETTINGS.overflow_risk,
        ),
        SETTINGS,
        staff_id=w.staff_id,
        today=date(2027, 3, 1),
        **RULES,
    ).group_session
    return gs


def test_no_show_to_phone_list_to_new_invitation(app):
    w = build(app, caseworkers=1, citizens=3)
    a, b, c = w.invitation_ids
    with app.app_context(), db.fresh_session() as s:
        check_in(s, a, SETTINGS, now=at(9, 5), staff_id=w.staff_id)
        s.commit()
        close_window(s, w.session_id, SETTINGS, now=at(12, 5), staff_id=w.staff_id)
        s.commit()
        lines = phone_list(s, SETTINGS, date(2027, 3, 1))
        assert [ln.invitation.id for ln in lines] == [b, c]
        assert all(ln.pending and ln.deadline is not None for ln in lines)
        deadline_b = lines[0].deadline
        # not reached, and no session planned yet: stays on the list, flagged
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
        s.commit()
        assert result.reinvitation is None and result.no_session
        assert phone_list(s, SETTINGS, date(2027, 3, 1))[0].pending
        # a session after the deadline does not help; one before it does
        assert deadline_b == date(2027, 3, 18)
        _plan(s, w, date(2027, 3, 22))
        later = _plan(s, w, date(2027, 3, 8))
        assert later.starts_at.date() <= deadline_b
        made = reinvite_not_reached(
            s, SETTINGS, staff_id=w.staff_id, now=at(13, 5), **LETTERHEAD, **RULES
        )
        s.commit()
        assert [i.citizen_id for i in made] == [s.get(Invitation, b).citizen_id]
        assert made[0].session_id == later.id
        letter = s.scalar(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == f"callin-letter:{made[0].id}")
        )
        assert letter is not None and "mandag d. 8. marts 2027" in letter.body
        # reached: off the list without a new invitation; new time: into the chosen session
        with pytest.raises(CallinError) as err:
            record_call(
                s,
                c,
                CallOutcome.new_time,
                SETTINGS,
                staff_id=w.staff_id,
                now=at(13),
                **LETTERHEAD,
                **RULES,
            )
        assert err.value.code == "session_required"
        s.rollback()
        result = record_call(
            s,
            c,
            CallOutcome.new_time,
            SETTINGS,
            staff_id=w.staff_id,
            now=at(13),
            note="Kommer mandag",
            target_session_id=later.id,
            **LETTERHEAD,
            **RULES,
        )
        s.commit()
        assert result.reinvitation.session_id == later.id
        lines = {ln.invitation.id: ln for ln in phone_list(s, SETTINGS, date(2027, 3, 1))}
        assert not lines[b].pending and not lines[c].pending
        assert lines[c].calls[-1].note == "Kommer mandag"
        # the no-shows' probabilities fell and the new invitation carries the new value
        citizen = s.get(Citizen, s.get(Invitation, c).citizen_id)
        assert citizen.missed_count == 1
        assert result.reinvitation.show_probability == citizen.show_probability
        ob = s.get(Obligation, result.reinvitation.obligation_id)
        assert ob.deadline == lines[c].deadline


def test_recording_a_call_on_someone_who_came_is_refused(app):
    w = build(app, caseworkers=1, citizens=1)
    with app.app_context(), db.fresh_session() as s:
        with pytest.raises(CallinError) as err:
            record_call(
                s,
                w.invitation_ids[0],
                CallOutcome.reached,
                SETTINGS,
                staff_id=w.staff_id,
                now=at(13),
                **LETTERHEAD,
                **RULES,
            )
        assert err.value.code == "not_no_show"
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "phone")) is None
        assert s.get(Invitation, w.invitation_ids[0]).state == InvitationState.invited
