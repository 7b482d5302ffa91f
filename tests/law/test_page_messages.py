"""Each refusal of a change on the citizen page reads in Danish (and in English once the
catalogue has it) and changes nothing."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from sqlalchemy import func, select

from booking.blueprints.lookup.messages import LAW_MESSAGES
from booking.db import db
from booking.models import (
    AuditEntry,
    Caseworker,
    Citizen,
    ObligationExemption,
    ObligationState,
    Programme,
    ProgrammePause,
    Role,
)
from booking.services.clock import today_local
from booking.services.law.exemptions import exempt, revoke_exemption
from booking.services.law.programmes import add_pause, change_target_group
from tests import factories
from tests.conftest import use_settings
from tests.law.helpers import book, citizen, obligation

MO = Path(__file__).resolve().parents[2] / "booking/translations/en/LC_MESSAGES/messages.mo"
START = date(2026, 9, 7)


def _english(msgid: str) -> str | None:
    with MO.open("rb") as fh:
        found = read_mo(fh).get(msgid)
    return found.string if found is not None and found.string else None


@pytest.fixture
def page_world(app, login, auto):
    use_settings(app, app.extensions["rettidig_settings"].with_changes(
        {"rules": {"active": "auto"}}))
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        user = factories.staff(s, Role.caseworker, username="sb")
        cw = factories.caseworker(s, unit, user=user)
        today = today_local()
        c = citizen(s, unit, "insured_unemployed", START, cw=cw, law=auto, today=today)
        others = [citizen(s, unit, "insured_unemployed", START, law=auto, today=today).id
                  for _ in range(4)]
        s.commit()
        ids = {"citizen": c.id, "others": others, "cw": cw.id, "staff": user.id,
               "programme": s.scalar(select(Programme.id).where(Programme.citizen_id == c.id))}
    return login(app, "sb"), ids


def _ob(s, citizen_id, part="jobcentre_months_3_to_6:1:1"):
    return obligation(s, citizen_id, part)


def _scenario(code, s, ids, auto):
    """Prepare the refusal ``code``; returns (path, form data)."""
    c, p = ids["citizen"], ids["programme"]
    group = f"/borgere/{c}/maalgruppe"
    pause = f"/borgere/{c}/pauser"
    exemption = f"/borgere/{c}/fritagelser"
    if code == "same_group":
        return group, {"group": "insured_unemployed", "start": "2026-12-01"}
    if code == "start_not_after_programme":
        return group, {"group": "cash_benefit", "start": START.isoformat()}
    if code == "no_programme":
        return group, {"group": "cash_benefit", "start": "2026-09-01"}
    if code == "pause_order":
        return pause, {"programme": p, "start": "2026-10-10", "end": "2026-10-01", "reason": "x"}
    if code == "pause_before_programme":
        return pause, {"programme": p, "start": "2026-09-01", "reason": "x"}
    if code == "pause_after_programme":
        change_target_group(s, c, "cash_benefit", date(2026, 11, 1), staff_id=ids["staff"],
                            config=auto)
        return pause, {"programme": p, "start": "2026-11-10", "reason": "x"}
    if code == "pause_overlap":
        add_pause(s, p, date(2026, 10, 1), date(2026, 10, 5), "Job", staff_id=None, config=auto)
        return pause, {"programme": p, "start": "2026-10-03", "end": "2026-10-04",
                       "reason": "x"}
    if code == "pause_ended":
        made = add_pause(s, p, date(2026, 10, 1), date(2026, 10, 5), "Job", staff_id=None,
                         config=auto)
        return f"/borgere/{c}/pauser/{made.id}/slut", {"end": "2026-10-09"}
    if code == "not_under_share_rule":
        return exemption, {"obligation": _ob(s, c, "joint_by_16_months").id, "reason": "x"}
    if code == "already_exempt":
        ob = _ob(s, c)
        exempt(s, ob.id, "Job", staff_id=None, warn_at=0.20)
        return exemption, {"obligation": ob.id, "reason": "x"}
    if code == "already_fulfilled":
        ob = _ob(s, c)
        ob.fulfilled_on, ob.state = date(2026, 12, 8), ObligationState.fulfilled
        s.commit()
        return exemption, {"obligation": ob.id, "reason": "x"}
    if code == "obligation_booked":
        ob = _ob(s, c)
        book(s, s.get(Caseworker, ids["cw"]), s.get(Citizen, c), ob,
             datetime(2026, 12, 8, 9, tzinfo=UTC))
        s.commit()
        return exemption, {"obligation": ob.id, "reason": "x"}
    if code == "share_exceeded":
        exempt(s, _ob(s, ids["others"][0]).id, "Job", staff_id=None, warn_at=0.20)
        return exemption, {"obligation": _ob(s, c).id, "reason": "x"}
    if code == "already_revoked":
        made = exempt(s, _ob(s, c).id, "Job", staff_id=None, warn_at=0.20)
        revoke_exemption(s, made.exemption.id, "Igen", staff_id=None)
        return f"/borgere/{c}/fritagelser/{made.exemption.id}/tilbagekald", {"reason": "x"}
    raise AssertionError(code)


CODES = ["same_group", "start_not_after_programme", "no_programme", "pause_order",
         "pause_before_programme", "pause_after_programme", "pause_overlap", "pause_ended",
         "not_under_share_rule", "already_exempt", "already_fulfilled", "obligation_booked",
         "share_exceeded", "already_revoked"]


def _counts(s):
    changes = select(func.count(AuditEntry.id)).where(AuditEntry.action != "citizen_viewed")
    return (s.scalar(changes),
            s.scalar(select(func.count(ProgrammePause.id))),
            s.scalar(select(func.count(ObligationExemption.id))),
            s.scalar(select(func.count(Programme.id))))


@pytest.mark.parametrize("code", CODES)
def test_each_refusal_reads_in_danish_and_english_and_changes_nothing(app, page_world, auto,
                                                                        code):
    client, ids = page_world
    with app.app_context(), db.fresh_session() as s:
        path, data = _scenario(code, s, ids, auto)
        s.commit()
        before = _counts(s)
    page = client.post(path, data=data, follow_redirects=True)
    assert page.status_code == 200
    with app.test_request_context():
        template = str(LAW_MESSAGES[code])
    fixed = template.split("%(")[0]  # the text before the first parameter
    assert fixed and fixed in html.unescape(page.text), code
    with app.app_context(), db.fresh_session() as s:
        assert _counts(s) == before
    english = _english(template)
    if english is None:
        pytest.fail("msgid not in the English catalogue")
    client.get("/sprog/en")
    page = client.post(path, data=data, follow_redirects=True)
    assert english.split("%(")[0] in html.unescape(page.text)
