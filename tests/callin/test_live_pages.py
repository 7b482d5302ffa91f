"""Issue 16 over HTTP: the desk and "Min kø" refresh by themselves (a fingerprint without
citizens, then the part itself), undo of a check-in, the phone list's missing outcome, figures
in Danish number format and the figures page's charts."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from booking.db import db
from booking.models import AuditEntry, Citizen, Invitation, InvitationState, PhoneCall
from booking.services.callin.desk import close_window
from booking.services.clock import now_utc, today_local
from booking.web_security import NO_CITIZEN_ENDPOINTS
from tests.callin.helpers import SETTINGS, session_today
from tests.callin.test_callin_pages import _world


def _audits(app, action: str) -> int:
    with app.app_context(), db.fresh_session() as s:
        return s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action))


def test_desk_polls_a_fingerprint_without_citizens_and_fetches_the_board_when_it_changed(
    app, login
):
    _unit, pool = _world(app)
    session_id, ids = session_today(app, pool, count=3)
    client = login(app, "indk")
    desk = client.get(f"/indkald/{session_id}/skranke")
    assert desk.status_code == 200 and "live.js" in desk.text and "<script>" not in desk.text
    version = re.search(r'data-live-version="([0-9a-f]+)"', desk.text).group(1)
    views = _audits(app, "callin_desk_view")
    status = client.get(f"/indkald/{session_id}/skranke/status")
    assert status.is_json and status.get_json() == {"version": version}
    assert status.headers["Cache-Control"] == "no-store"
    with app.app_context(), db.fresh_session() as s:
        names = [s.get(Citizen, s.get(Invitation, i).citizen_id).name for i in ids]
    assert not any(name in status.text for name in names)
    assert _audits(app, "callin_desk_view") == views  # the fingerprint shows nobody
    assert {"callin.desk_status", "caseworker.queue_status"} <= NO_CITIZEN_ENDPOINTS
    # an arrival (at another desk) changes the fingerprint; the board part shows it
    client.post(f"/indkald/{session_id}/skranke/{ids[0]}/moedt")
    changed = client.get(f"/indkald/{session_id}/skranke/status").get_json()["version"]
    assert changed != version
    part = client.get(f"/indkald/{session_id}/skranke/tavle")
    assert part.headers["X-Live-Version"] == changed
    assert "<html" not in part.text and "Fortryd fremmøde" in part.text
    assert _audits(app, "callin_desk_view") > views  # the part is a page about citizens
    # the undo button works within the minutes, and is audited
    r = client.post(f"/indkald/{session_id}/skranke/{ids[0]}/fortryd", follow_redirects=True)
    assert "er fortrudt. Borgeren står igen som ikke mødt." in r.text
    assert _audits(app, "callin_checkin_undone") == 1
    with app.app_context(), db.fresh_session() as s:
        assert s.get(Invitation, ids[0]).state == InvitationState.invited
    r = client.post(f"/indkald/{session_id}/skranke/{ids[0]}/fortryd", follow_redirects=True)
    assert "er ikke registreret som mødt." in r.text
    assert client.get("/indkald/99999/skranke/status").status_code == 404


def test_caseworker_queue_polls_and_swaps(app, login):
    _unit, pool = _world(app)
    session_id, ids = session_today(app, pool, count=2)
    sb = login(app, "sb")
    page = sb.get("/sagsbehandler/koe")
    assert "live.js" in page.text and "Skranken sender den næste borger til dig." in page.text
    version = re.search(r'data-live-version="([0-9a-f]+)"', page.text).group(1)
    assert sb.get("/sagsbehandler/koe/status").get_json() == {"version": version}
    views = _audits(app, "callin_queue_view")
    login(app, "indk").post(f"/indkald/{session_id}/skranke/{ids[0]}/moedt")
    changed = sb.get("/sagsbehandler/koe/status").get_json()["version"]
    assert changed != version
    part = sb.get("/sagsbehandler/koe/tavle")
    assert part.headers["X-Live-Version"] == changed and "<html" not in part.text
    assert _audits(app, "callin_queue_view") > views


def test_phone_list_without_an_outcome_says_so_at_the_call_and_records_nothing(app, login):
    _unit, pool = _world(app)
    session_id, ids = session_today(app, pool, count=2)
    with app.app_context(), db.fresh_session() as s:
        close_window(s, session_id, SETTINGS, now=now_utc(), staff_id=None, early=True)
    client = login(app, "indk")
    listing = client.get("/indkald/ringeliste")
    assert "Ingen åben samtale" not in listing.text
    assert "ressourceforløbets indikator" in listing.text or re.search(
        r"Frist</dt><dd>\d", listing.text
    )
    r = client.post(f"/indkald/ringeliste/{ids[0]}", data={f"c{ids[0]}-note": "Ingen svar"})
    assert r.status_code == 422
    assert "er ikke gemt" in r.text and "Vælg resultatet af opkaldet." in r.text
    assert f'id="c{ids[0]}-outcome-error"' in r.text and 'aria-invalid="true"' in r.text
    assert "Ingen svar" in r.text  # what was typed is kept
    with app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count(PhoneCall.id))) == 0


def test_figures_in_danish_number_format_and_charts_with_title_desc_and_legend(app, login):
    _unit, pool = _world(app)
    session_id, ids = session_today(app, pool, count=3)
    client = login(app, "indk")
    client.post(f"/indkald/{session_id}/skranke/{ids[0]}/moedt")
    client.post(f"/indkald/{session_id}/luk", data={"early": "1"})
    figures = client.get("/indkald/tal").text
    assert re.search(r"<td>\d+,\d %</td>", figures.replace("\u00a0", " "))  # 33,3 %
    assert not re.search(r"<td>\d+\.\d{1,2}( %)?</td>", figures)  # ("1.630" groups thousands)
    charts = re.findall(r"<svg .*?</svg>", figures, flags=re.S)
    assert len(charts) == 2
    for svg in charts:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    show = charts[1]
    assert "Fremmøde pr. afsluttet fælles indkald" in show
    # the legend repeats each line's style: solid "Mødt", dashed "Forventet"
    legend = re.findall(r'<g class="legend-entry"><line [^>]*?(stroke-dasharray="8 4")?/>'
                        r'<text [^>]*>([^<]+)</text>', show)
    assert legend == [("", "Mødt"), ('stroke-dasharray="8 4"', "Forventet")]
    session = client.get(f"/indkald/{session_id}").text
    assert re.search(r'class="figure">\d+,\d<', session)  # expected attendance, "1,8"


def test_a_session_within_the_notice_takes_no_letters_and_the_desk_opens_on_time(app, login):
    _unit, pool = _world(app)
    later = today_local() + timedelta(days=2)  # check-in opens 23:30 tomorrow
    session_id, ids = session_today(app, pool, count=1, day=later)
    client = login(app, "indk")
    page = client.get(f"/indkald/{session_id}").text
    assert "Brevene skal give mindst 3 arbejdsdages varsel, så der kan ikke længere" in page
    assert "og send breve" not in page  # no invite button
    r = client.post(f"/indkald/{session_id}/indkald", data={"count": "1"}, follow_redirects=True)
    assert "Brevene skal give mindst 3 arbejdsdages varsel: et brev sendt i dag kan" in r.text
    desk = client.get(f"/indkald/{session_id}/skranke").text
    assert "Fremmøde kan registreres fra kl. 23:30" in desk and "/moedt" not in desk
    r = client.post(f"/indkald/{session_id}/skranke/{ids[0]}/moedt", follow_redirects=True)
    assert "(30 minutter før tidsrummet)" in r.text
    with app.app_context(), db.fresh_session() as s:
        assert s.get(Invitation, ids[0]).state == InvitationState.invited
