"""Working days and notice for call-in letters; the phone list's real deadlines, earliest
first; "Ikke truffet" re-invites only with the notice, or says why it could not."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from booking.db import db
from booking.models import (
    CallOutcome,
    ClosedDay,
    Invitation,
    Obligation,
    ObligationState,
)
from booking.services.callin import CallinError
from booking.services.callin.calendar import callin_calendar
from booking.services.callin.desk import close_window
from booking.services.callin.phone_list import (
    INDICATOR,
    phone_list,
    record_call,
    upcoming_targets,
)
from booking.services.callin.sessions import SessionPlan, plan_session
from tests.callin.helpers import DAY, LETTERHEAD, RULES, SETTINGS, at, build


def test_first_letter_day_counts_working_days_past_weekends_holidays_and_closed_days(app):
    with app.app_context(), db.fresh_session() as s:
        s.add(ClosedDay(day=date(2027, 4, 1), reason="Personaledag"))
        s.commit()
        cal = callin_calendar(s, SETTINGS, RULES["optional_closed"], date(2027, 3, 1))
        assert cal.first_letter_day(date(2027, 3, 1)) == date(2027, 3, 4)  # Mon → Thu
        assert cal.first_letter_day(date(2027, 3, 4)) == date(2027, 3, 9)  # Thu → Tue
        assert cal.first_letter_day(date(2027, 3, 6)) == date(2027, 3, 10)  # Sat → Wed
        # Easter: Skærtorsdag, Langfredag and 2. påskedag are not working days
        assert cal.first_letter_day(date(2027, 3, 22)) == date(2027, 3, 30)
        # the job centre's own closed day counts like a holiday (else 1 April)
        assert cal.first_letter_day(date(2027, 3, 29)) == date(2027, 4, 2)
        assert cal.refusal(date(2027, 3, 6)).code == "day_weekend"
        holiday = cal.refusal(date(2027, 3, 25))
        assert holiday.code == "day_holiday" and holiday.params["name"] == "Skærtorsdag"
        closed = cal.refusal(date(2027, 4, 1))
        assert closed.code == "day_closed" and closed.params["reason"] == "Personaledag"
        assert cal.refusal(date(2027, 3, 31)) is None
        none = SETTINGS.model_copy(update={"min_notice_working_days": 0})
        cal0 = callin_calendar(s, none, (), date(2027, 3, 1))
        assert cal0.first_letter_day(date(2027, 3, 6)) == date(2027, 3, 8)  # next working day


def _session(s, w, day: date, *, today: date = date(2027, 3, 1)):
    plan = SessionPlan(
        day, time(9), time(11), "Lokale 9", 30, tuple(w.caseworker_ids), w.unit_id, 0.5
    )
    return plan_session(s, plan, SETTINGS, staff_id=w.staff_id, today=today, **RULES).group_session


def test_not_reached_skips_sessions_within_the_notice_and_says_why(app):
    w = build(app, caseworkers=1, citizens=2)
    a, b = w.invitation_ids
    with app.app_context(), db.fresh_session() as s:
        close_window(s, w.session_id, SETTINGS, now=at(12, 5), staff_id=w.staff_id)
        # planned earlier (a letter then gave notice), the 3rd is too soon for a letter today
        soon = _session(s, w, date(2027, 3, 3), today=date(2027, 2, 24))
        result = record_call(
            s, a, CallOutcome.not_reached, SETTINGS, staff_id=w.staff_id, now=at(13),
            **LETTERHEAD, **RULES,
        )
        assert result.reinvitation is None and result.no_session
        assert result.first_day == date(2027, 3, 4) and result.deadline == date(2027, 3, 18)
        # a new time in the too-soon session is refused as well, with the first day
        with pytest.raises(CallinError) as err:
            record_call(
                s, b, CallOutcome.new_time, SETTINGS, staff_id=w.staff_id, now=at(13),
                target_session_id=soon.id, **LETTERHEAD, **RULES,
            )
        assert err.value.code == "notice" and err.value.params["first"] == date(2027, 3, 4)
        assert upcoming_targets(s, at(13), date(2027, 3, 4)) == []
        fine = _session(s, w, date(2027, 3, 4))
        assert upcoming_targets(s, at(13), date(2027, 3, 4)) == [fine]
        result = record_call(
            s, b, CallOutcome.not_reached, SETTINGS, staff_id=w.staff_id, now=at(13),
            **LETTERHEAD, **RULES,
        )
        assert result.reinvitation is not None and result.reinvitation.session_id == fine.id


def test_phone_list_has_real_deadlines_earliest_first_and_marks_the_passed(app):
    w = build(app, caseworkers=1, citizens=3)
    a, b, c = w.invitation_ids
    with app.app_context(), db.fresh_session() as s:
        # c was called in on the resource-programme indicator: no obligation behind it, and
        # none open (the root of "Ingen åben samtale" on the demo's list)
        inv_c = s.get(Invitation, c)
        inv_c.obligation_id = None
        for ob in s.scalars(select(Obligation).where(Obligation.citizen_id == inv_c.citizen_id)):
            ob.state = ObligationState.waived
        s.commit()
        close_window(s, w.session_id, SETTINGS, now=at(12, 5), staff_id=w.staff_id)
        lines = phone_list(s, SETTINGS, DAY)
        assert [ln.deadline for ln in lines] == sorted(ln.deadline for ln in lines)
        by_id = {ln.invitation.id: ln for ln in lines}
        assert by_id[a].due.kind == by_id[b].due.kind == "conversation"
        indicator = by_id[c].due
        # programme start 1 February, no conversation since: out of the indicator 1 April
        assert indicator.kind == INDICATOR and indicator.day == date(2027, 4, 1)
        assert lines[-1].invitation.id == c
        assert not any(ln.overdue for ln in lines)
        later = phone_list(s, SETTINGS, date(2027, 4, 2))
        assert all(ln.overdue for ln in later)
