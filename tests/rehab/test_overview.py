"""Alerts: material due within N days (soonest first); cases at risk."""

from __future__ import annotations

from datetime import date, timedelta

from booking.models import MaterialState, RehabCase, RehabMeeting
from booking.services.rehab.overview import case_lines, material_alerts
from booking.services.rehab.schedule import closed_between
from tests import factories

TODAY = date(2027, 3, 1)
CLOSED = closed_between(TODAY, TODAY + timedelta(days=90))


def test_material_alerts_and_risk(session):
    unit = factories.unit(session)
    people = [factories.citizen(session, unit, group="job_clarification") for _ in range(4)]
    soon = RehabMeeting(date=date(2027, 3, 16), capacity=5)  # material due 2 March
    later = RehabMeeting(date=date(2027, 3, 18), capacity=5)  # material due 4 March
    far = RehabMeeting(date=date(2027, 4, 13), capacity=5)  # material due 30 March
    session.add_all([soon, later, far])
    session.flush()
    cases = [
        RehabCase(citizen_id=people[0].id, ready_date=TODAY, deadline=date(2027, 3, 20),
                  meeting_id=later.id),
        RehabCase(citizen_id=people[1].id, ready_date=TODAY, deadline=date(2027, 3, 20),
                  meeting_id=soon.id),
        RehabCase(citizen_id=people[2].id, ready_date=TODAY, deadline=date(2027, 3, 20),
                  meeting_id=far.id),  # placed after its deadline: at risk
        RehabCase(citizen_id=people[3].id, ready_date=TODAY, deadline=date(2027, 3, 20),
                  meeting_id=soon.id, material_state=MaterialState.sent),
    ]
    session.add_all(cases)
    session.flush()
    lines = case_lines(session, TODAY, 14, CLOSED)
    alerts = material_alerts(lines, TODAY, 5)
    assert [line.case.id for line in alerts] == [cases[1].id, cases[0].id]  # soonest first
    assert [line.material_due for line in alerts] == [date(2027, 3, 2), date(2027, 3, 4)]
    at_risk = {line.case.id for line in lines if line.at_risk}
    assert at_risk == {cases[2].id}
