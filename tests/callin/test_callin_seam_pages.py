"""The call-in pages over the seam: a missing object is a 404, a refusal's code reads in
Danish and English, and the plan's weekend/holiday/closed-day/notice refusal comes from the
service with its reason."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from booking.db import db
from booking.models import AuditEntry, ClosedDay, GroupSession, Invitation, Role
from booking.services.calendar_days import closed_days, is_working_day
from booking.services.clock import today_local
from tests import factories
from tests.callin.helpers import letter_day, session_today
from tests.callin.test_callin_pages import _plan_data, _world


def _next_day(working: bool, start: date | None = None) -> date:
    day = start or today_local()
    closed = closed_days([day.year, day.year + 1])
    while is_working_day(day, closed) != working:
        day += timedelta(days=1)
    return day


def _next_holiday() -> tuple[date, str]:
    today = today_local()
    named = closed_days([today.year, today.year + 1])
    day = min(d for d in named if d > today and d.weekday() < 5)
    return day, named[day]


def test_plan_refuses_weekends_holidays_closed_days_and_short_notice_with_the_reason(app, login):
    _unit, pool = _world(app)
    today = today_local()
    holiday, name = _next_holiday()
    closed = _next_day(working=True, start=letter_day(today) + timedelta(days=7))
    with app.app_context(), db.fresh_session() as s:
        s.add(ClosedDay(day=closed, reason="Personaledag"))
        s.commit()
    client = login(app, "indk")
    weekend = _next_day(working=False)
    while weekend.weekday() < 5:  # a Saturday or Sunday, not a weekday holiday
        weekend = _next_day(working=False, start=weekend + timedelta(days=1))
    too_soon = _next_day(working=True, start=today + timedelta(days=1))
    cases = [
        (weekend, "er en weekenddag. Fælles indkald holdes på hverdage."),
        (holiday, f"er en helligdag ({name})."),
        (closed, "Jobcentret holder lukket"),
        (too_soon, "Brevene skal give mindst 3 arbejdsdages varsel: et brev sendt i dag kan"),
    ]
    for day, text in cases:
        page = client.post("/indkald/ny", data=_plan_data(today, pool, day=day.isoformat()))
        assert page.status_code == 422 and text in page.text, (day, text)
        assert 'aria-invalid="true"' in page.text
    r = client.post("/indkald/ny", data=_plan_data(today, pool))
    assert r.status_code == 302 and "Det fælles indkald er planlagt." in client.get(r.location).text
    with app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count(GroupSession.id))) == 1


def test_missing_session_invitation_or_caseworker(app, login):
    unit_id, pool = _world(app)
    with app.app_context(), db.fresh_session() as s:
        factories.staff(s, Role.manager, username="leder2", unit_id=unit_id)
        s.commit()
    client = login(app, "indk")
    r = client.post("/indkald/ny", data=_plan_data(today_local(), pool))
    session_id = int(r.location.rstrip("/").split("/")[-1])
    client.post(f"/indkald/{session_id}/indkald", data={"count": "2"})
    manager = login(app, "leder2")  # (logging in is audited too)
    with app.app_context(), db.fresh_session() as s:
        invitation_id = s.scalar(select(Invitation.id).where(Invitation.session_id == session_id))
        audits = s.scalar(select(func.count(AuditEntry.id)))
    missing = 99999
    assert client.get(f"/indkald/{missing}").status_code == 404
    assert client.get(f"/indkald/{missing}/skranke").status_code == 404
    assert client.post(f"/indkald/{missing}/indkald", data={"count": "1"}).status_code == 404
    assert client.post(f"/indkald/{missing}/luk", data={"early": "1"}).status_code == 404
    for action in ("moedt", "faerdig"):
        url = f"/indkald/{missing}/skranke/{invitation_id}/{action}"
        assert client.post(url).status_code == 404
    assert manager.get(f"/sagsbehandler/koe?caseworker={missing}").status_code == 404
    url = f"/sagsbehandler/koe/{invitation_id}/faerdig"
    assert manager.post(url, data={"caseworker": str(missing)}).status_code == 404
    assert manager.get("/sagsbehandler/koe").status_code == 404  # names no caseworker
    with app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count(AuditEntry.id))) == audits
        assert s.get(Invitation, invitation_id).state.value == "invited"


def test_desk_refusals_read_in_danish_and_english(app, login):
    _unit, pool = _world(app)
    client = login(app, "indk")
    session_id, _ids = session_today(app, pool, count=2)
    cases = [
        (f"/indkald/{session_id}/skranke/99999/moedt", {}, "Indkaldelsen findes ikke."),
        (
            f"/indkald/{session_id}/luk",
            {},
            "Tidsrummet er ikke slut endnu. Sæt kryds for at lukke før tid.",
        ),
    ]
    english = {
        "Indkaldelsen findes ikke.": "The invitation does not exist.",
        "Tidsrummet er ikke slut endnu. Sæt kryds for at lukke før tid.": (
            "The time window has not ended yet. Tick the box to close early."
        ),
    }
    for url, data, danish in cases:
        assert danish in client.post(url, data=data, follow_redirects=True).text
    client.get("/sprog/en")
    for url, data, danish in cases:
        assert english[danish] in client.post(url, data=data, follow_redirects=True).text
