"""The call-in room over HTTP: plan → invite → desk → caseworker queue → close → phone list."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from booking.db import db
from booking.models import (
    AuditEntry,
    GroupSession,
    HeldConversation,
    Invitation,
    InvitationState,
    OutboxMessage,
    PhoneCall,
    Role,
)
from booking.services.clock import today_local
from booking.services.obligations import refresh_citizen
from tests import factories
from tests.callin.helpers import letter_day, session_today


def _world(app):
    today = today_local()
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        factories.staff(s, Role.callin, username="indk")
        cw_user = factories.staff(s, Role.caseworker, username="sb", unit_id=unit.id)
        pool = [factories.caseworker(s, unit, user=cw_user), factories.caseworker(s, unit)]
        for i in range(5):
            c = factories.citizen(
                s, unit, cw=pool[0], group="resource_programme", start=today - timedelta(days=28)
            )
            c.show_probability = 0.5 + 0.1 * i
            refresh_citizen(s, c, today)
        s.commit()
        return unit.id, [cw.id for cw in pool]


def _plan_data(today, caseworkers, **changes):
    """A valid plan: on the first day a letter sent ``today`` gives notice for."""
    data = {
        "day": letter_day(today).isoformat(),
        "start": "09:00",
        "end": "12:00",
        "location": "Jobcentret, lokale 7",
        "minutes": "60",
        "unit": "0",
        "risk": "10",
        "pool": [str(cw) for cw in caseworkers],
    }
    data.update(changes)
    return data


def test_plan_refuses_bad_input_in_danish_and_changes_nothing(app, login):
    _unit, pool = _world(app)
    client = login(app, "indk")
    today = today_local()
    cases = [
        (_plan_data(today, pool, start="12:00", end="09:00"), "Sluttidspunktet skal ligge efter"),
        (_plan_data(today, pool, pool=[]), "Vælg mindst én sagsbehandler"),
        (_plan_data(today, pool, pool=["99999"]), "findes ikke eller er ikke aktiv"),
        (_plan_data(today, pool, day=(today - timedelta(days=1)).isoformat()), "overskredet"),
        (_plan_data(today, pool, minutes="2"), "mellem 5 og 240"),
        (_plan_data(today, pool, start="09:00", end="09:20", minutes="30"), "kortere end én"),
        (_plan_data(today, pool, risk="90"), "mellem 1 og 50 %"),
    ]
    for data, text in cases:
        page = client.post("/indkald/ny", data=data)
        assert page.status_code == 422 and text in page.text, text
        assert 'aria-invalid="true"' in page.text or 'class="error"' in page.text
    with app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count(GroupSession.id))) == 0


def test_whole_cycle_over_http(app, login):
    _unit, pool = _world(app)
    client = login(app, "indk")
    today = today_local()
    assert "Fælles indkald" in client.get("/indkald/").text
    assert "Central booking" in client.get("/indkald/central").text
    r = client.post("/indkald/ny", data=_plan_data(today, pool))
    assert r.status_code == 302
    page = client.get(r.location)
    assert "Foreslået antal" in page.text and "Kandidater (5 i alt)" in page.text
    adjusted = client.get(r.location + "?antal=4").text
    assert re.search(r"Valgt antal</p><p class=\"figure\">4<", adjusted)
    future_id = int(r.location.rstrip("/").split("/")[-1])
    r = client.post(f"/indkald/{future_id}/indkald", data={"count": "1"})
    assert "1 borgere er indkaldt" in client.get(r.location).text
    assert client.post(f"/indkald/{future_id}/indkald", data={"count": "x"}).status_code == 302
    # the day itself is run on a session today (planned as the demo does: no calendar rules)
    session_id, ids = session_today(app, pool, count=4)
    with app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count(OutboxMessage.id))) == 5
    desk = client.get(f"/indkald/{session_id}/skranke")
    assert desk.status_code == 200 and "Ikke mødt endnu" in desk.text
    r = client.post(f"/indkald/{session_id}/skranke/{ids[0]}/moedt", follow_redirects=True)
    assert "er mødt. Send borgeren til" in r.text
    r = client.post(f"/indkald/{session_id}/skranke/{ids[0]}/moedt", follow_redirects=True)
    assert r.status_code == 200 and "er allerede registreret" in r.text
    r = client.post(f"/indkald/{session_id}/skranke/999/moedt", follow_redirects=True)
    assert r.status_code == 200 and "Indkaldelsen findes ikke" in r.text
    # the caseworker sees the citizen on their own screen and marks the conversation done
    sb = login(app, "sb")
    queue = sb.get("/sagsbehandler/koe")
    assert "Du taler med" in queue.text or "Skranken sender" in queue.text
    with app.app_context(), db.fresh_session() as s:
        first = s.get(Invitation, ids[0])
        mine = first.caseworker_id == pool[0]
    if mine:
        r = sb.post(f"/sagsbehandler/koe/{ids[0]}/faerdig", follow_redirects=True)
        assert "registreret som afholdt" in r.text
    else:
        r = client.post(f"/indkald/{session_id}/skranke/{ids[0]}/faerdig", follow_redirects=True)
        assert "registreret som afholdt" in r.text
    # close early: the three who did not come go to the phone list
    r = client.post(f"/indkald/{session_id}/luk", follow_redirects=True)
    assert "Sæt kryds for at lukke før tid" in r.text
    r = client.post(f"/indkald/{session_id}/luk", data={"early": "1"}, follow_redirects=True)
    assert "3 udeblevne er sat på ringelisten" in r.text and "+45 20 30 40 50" in r.text
    r = client.post(f"/indkald/ringeliste/{ids[1]}", data={f"c{ids[1]}-outcome": "bogus"})
    assert r.status_code == 422 and "Opkaldet til" in r.text and "er ikke gemt" in r.text
    r = client.post(
        f"/indkald/ringeliste/{ids[1]}",
        data={f"c{ids[1]}-outcome": "not_reached", f"c{ids[1]}-target": "0"},
        follow_redirects=True,
    )
    # not reached: called in again to the first session a letter can give notice for
    assert "Opkaldet er registreret, og borgeren er indkaldt igen til" in r.text
    with app.app_context(), db.fresh_session() as s:
        again = s.scalar(
            select(Invitation).where(
                Invitation.session_id == future_id,
                Invitation.citizen_id == s.get(Invitation, ids[1]).citizen_id,
            )
        )
        assert again is not None
    r = client.post(
        f"/indkald/ringeliste/{ids[2]}",
        data={f"c{ids[2]}-outcome": "reached", f"c{ids[2]}-note": "Syg"},
        follow_redirects=True,
    )
    assert "Opkaldet er registreret." in r.text and "Afsluttede" in r.text
    figures = client.get("/indkald/tal")
    assert "Ressourceforløbsborgere med en samtale" in figures.text
    assert figures.text.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2  # both charts
    with app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count(HeldConversation.id))) == 1
        assert s.scalar(select(func.count(PhoneCall.id))) == 2
        states = s.scalars(select(Invitation.state).where(Invitation.id.in_(ids))).all()
        assert states.count(InvitationState.no_show) == 3
        actions = set(s.scalars(select(AuditEntry.action)))
        assert {"callin_desk_view", "callin_phone_list_view", "callin_queue_view"} <= actions
        assert {"callin_checked_in", "callin_no_show", "callin_invited"} <= actions


def test_caseworker_queue_without_sessions_and_roles(app, login):
    _world(app)
    page = login(app, "sb").get("/sagsbehandler/koe")
    assert page.status_code == 200 and "ikke med i et fælles indkald i dag" in page.text
    assert login(app, "sb").get("/indkald/").status_code == 403
    assert login(app, "indk").get("/indkald/12345").status_code == 404
