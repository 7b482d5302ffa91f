"""The citizen page (lookup.citizen), its forms, the rule calculator page and the manager's
pages: rendered in Danish, refusals as Danish messages, ids beyond the database's integer a 404
without a query, each view audited once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from booking.blueprints.lookup.messages import LAW_MESSAGES
from booking.blueprints.rules import bp as rules_bp
from booking.blueprints.rules.messages import MESSAGES as CALC_MESSAGES
from booking.db import db
from booking.models import AuditEntry, OutboxChannel, OutboxMessage, Programme, Role
from booking.services.clock import today_local
from tests import factories
from tests.conftest import make_app, use_settings
from tests.law.helpers import citizen, obligation

HUGE = "9" * 20


def _with_rules_page(app):
    if "rules" not in app.blueprints:  # until booking/blueprints/__init__.py registers it
        app.register_blueprint(rules_bp, url_prefix="/regler")
    return app


@pytest.fixture
def world(any_db_url, login, auto):
    app = _with_rules_page(make_app(any_db_url))
    use_settings(app, app.extensions["rettidig_settings"].with_changes(
        {"rules": {"active": "auto"}}))
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        cw_user = factories.staff(s, Role.caseworker, username="sb")
        factories.staff(s, Role.callin, username="indk")
        cw = factories.caseworker(s, unit, user=cw_user)
        today = today_local()
        c = citizen(s, unit, "insured_unemployed", date(2026, 9, 7), cw=cw,
                    held=[date(2026, 9, 15)], law=auto, today=today)
        others = [citizen(s, unit, "insured_unemployed", date(2026, 9, 7), law=auto,
                          today=today) for _ in range(4)]
        s.add(OutboxMessage(channel=OutboxChannel.email, recipient="b@example.org",
                            subject="Indkaldelse til samtale", body="…", citizen_id=c.id))
        s.commit()
        ids = (c.id, [o.id for o in others])
    yield app, login(app, "sb"), ids
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("value", [HUGE, str(2**31), "0"])
def test_citizen_page_ids_beyond_the_database_are_404(world, value):
    _app, client, _ids = world
    assert client.get(f"/borgere/{value}").status_code == 404
    assert client.post(f"/borgere/{value}/pauser").status_code == 404
    assert client.post(f"/borgere/1/pauser/{value}/slut").status_code == 404


def test_citizen_page_shows_the_law_and_is_audited(world):
    app, client, (citizen_id, _others) = world
    assert client.get("/borgere/999999").status_code == 404
    page = client.get(f"/borgere/{citizen_id}")
    assert page.status_code == 200
    text = page.text
    for part in ("Forløb", "Forsikrede ledige", "lovens frist", "planlagt senest",
                 "reform-2026-07", "ikke verificeret", "Konkret vurdering", "Fremmøde",
                 "Indkaldelse til samtale", "Registrér en pause", "Skift målgruppe",
                 "A-kassen"):
        assert part in text, part
    with app.app_context(), db.fresh_session() as s:
        seen = s.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "citizen_viewed", AuditEntry.citizen_id == citizen_id))
        assert seen == 1


def test_find_borger_links_to_the_page(world):
    app, client, (citizen_id, _others) = world
    from booking.services.citizens import find_by_cpr  # noqa: F401  (the search is unchanged)

    with app.test_request_context():
        from flask import url_for

        assert url_for("lookup.citizen", citizen_id=citizen_id) == f"/borgere/{citizen_id}"
    page = client.get("/borgere/").text
    assert "Find borger" in page


def test_forms_on_the_page_change_and_refuse_in_danish(world):
    app, client, (citizen_id, others) = world
    with app.app_context(), db.fresh_session() as s:
        programme_id = s.scalar(select(Programme.id).where(Programme.citizen_id == citizen_id))
        first = obligation(s, citizen_id, "jobcentre_months_3_to_6:1:1").id
        second = obligation(s, others[0], "jobcentre_months_3_to_6:1:1")
    back = client.post(f"/borgere/{citizen_id}/pauser", data={
        "programme": programme_id, "start": "2026-10-10", "end": "2026-10-01", "reason": "Job"})
    assert back.status_code == 302
    assert "Pausens slutdato ligger før dens startdato." in client.get(back.location).text
    client.post(f"/borgere/{citizen_id}/fritagelser", data={"obligation": first,
                                                             "reason": "Har fået job"})
    page = client.get(f"/borgere/{citizen_id}").text
    assert "Borgeren er fritaget for forpligtelsen." in page and "Advarsel: 20 %" in page
    refused = client.post(f"/borgere/{citizen_id}/fritagelser",
                          data={"obligation": second.id, "reason": "Job"})
    assert "loven tillader højst 25 %" in client.get(refused.location).text
    empty = client.post(f"/borgere/{citizen_id}/fritagelser", data={"obligation": first})
    assert "Skriv den konkrete vurdering." in client.get(empty.location).text
    client.post(f"/borgere/{citizen_id}/pauser", data={
        "programme": programme_id, "start": "2026-10-01", "reason": "Arbejde"})
    page = client.get(f"/borgere/{citizen_id}").text
    assert "Pausen er registreret" in page and "Arbejde" in page and "løber stadig" in page
    moved = client.post(f"/borgere/{citizen_id}/maalgruppe",
                        data={"group": "insured_unemployed", "start": "2026-12-01"})
    assert "Borgeren er allerede i den målgruppe." in client.get(moved.location).text


def test_read_only_roles_see_the_page_but_cannot_change(world, login):
    app, _client, (citizen_id, _others) = world
    callin = login(app, "indk")
    assert callin.get(f"/borgere/{citizen_id}").status_code == 200
    assert "Registrér en pause" not in callin.get(f"/borgere/{citizen_id}").text
    assert callin.post(f"/borgere/{citizen_id}/pauser", data={}).status_code == 403


def test_every_refusal_code_has_a_danish_message():
    codes = {"unknown_group", "no_programme", "same_group", "start_not_after_programme",
             "no_rule_set", "reason_required", "reason_too_long", "pause_order",
             "pause_before_programme", "pause_after_programme", "pause_overlap", "pause_ended",
             "not_under_share_rule", "already_exempt", "already_fulfilled", "obligation_booked",
             "share_exceeded", "already_revoked", "not_found"}
    assert codes <= set(LAW_MESSAGES)
    assert {"required", "not_a_date", "unknown_group", "unknown_rule_set", "bad_held",
            "unknown_kind", "unknown_holder", "bad_pause", "pause_order", "no_rule_set",
            "birth_date_required"} <= set(CALC_MESSAGES)


def test_rule_calculator_page(world, login):
    app, client, _ids = world
    assert client.get("/regler/").status_code == 200
    page = client.get("/regler/", query_string={
        "gruppe": "cash_benefit", "start": "2026-09-07", "regelsaet": "auto",
        "afholdt": "2026-09-10\n2026-10-01:conversation:jobcentre", "dato": "2026-11-30"})
    assert page.status_code == 200
    assert "lovens frist" in page.text and "reform-2026-07" in page.text
    bad = client.get("/regler/", query_string={"gruppe": "cash_benefit", "start": "2026-09-07",
                                               "afholdt": "2026-09-10:x"})
    assert bad.status_code == 422 and "Linje 1: ukendt art x." in bad.text
    assert 'aria-invalid="true"' in bad.text
    assert login(app, "indk").get("/regler/").status_code == 403


def test_manager_pages(world, login):
    app, _client, _ids = world
    with app.app_context(), db.fresh_session() as s:
        factories.staff(s, Role.manager, username="leder2")
        s.commit()
    boss = login(app, "leder2")
    home = boss.get("/ledelse/").text
    assert "Lovens krav pr. enhed og målgruppe" in home and "Forsikrede ledige" in home
    changes = boss.get("/ledelse/lovaendringer", query_string={"dato": "2026-07-01"})
    assert changes.status_code == 200 and "Ingen forløb kører på datoen." in changes.text
    later = boss.get("/ledelse/lovaendringer", query_string={"dato": "2026-12-01"})
    assert later.status_code == 200 and "Forsikrede ledige" in later.text
    early = boss.get("/ledelse/lovaendringer", query_string={"dato": "2010-01-01"})
    assert early.status_code == 422 and "Der er intet regelsæt i kraft dagen før" in early.text
    bad = boss.get("/ledelse/lovaendringer", query_string={"dato": "1. juli"})
    assert bad.status_code == 422 and "Skriv datoen som ÅÅÅÅ-MM-DD." in bad.text
