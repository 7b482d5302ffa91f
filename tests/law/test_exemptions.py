"""Exemptions under the 75 % rule: only where the rule applies, within the set's share per
unit and target group, reason required, audited, revoked not deleted (SQLite and
PostgreSQL)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from booking.models import AuditEntry, Obligation, ObligationExemption, ObligationState, Role
from booking.services.errors import NotFound
from booking.services.law.exemptions import exempt, revoke_exemption
from booking.services.law.programmes import LawError
from booking.services.obligations import open_obligations, refresh_citizen
from tests import factories
from tests.law.helpers import book, citizen, obligation

TODAY = date(2026, 11, 30)
START = date(2026, 9, 7)

WARN = 0.20  # [rules] exemption_warn_share in config.toml


def _unit(dbs, auto, n=5, held=()):
    unit = factories.unit(dbs)
    staff = factories.staff(dbs, Role.caseworker)
    people = [citizen(dbs, unit, "insured_unemployed", START, held=held, law=auto, today=TODAY)
              for _ in range(n)]
    dbs.commit()
    return unit, staff.id, people


def test_exempt_within_the_share_warns_and_is_audited(dbs, other, auto):
    _unit_, staff_id, people = _unit(dbs, auto)
    ob = obligation(dbs, people[0].id, "jobcentre_months_3_to_6:1:1")
    result = exempt(
        dbs, ob.id, "  Har fået job fra januar  ", staff_id=staff_id, warn_at=WARN, today=TODAY
    )
    assert result.share.exempted == 1 and result.share.citizens == 5
    assert result.share.warn and result.most == 0.25  # 20 %: warn, the law allows 25 %
    # the warning level is the setting ([rules] exemption_warn_share), not a constant
    assert not dataclasses.replace(result.share, warn_at=0.25).warn
    with other() as s:
        row = s.get(ObligationExemption, result.exemption.id)
        assert row.reason == "Har fået job fra januar" and row.created_by_staff_id == staff_id
        assert row.step_key == ob.step_key and row.revoked_at is None
        assert s.get(Obligation, ob.id).state == ObligationState.waived
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "obligation_exempted"))
        assert entry.citizen_id == people[0].id and entry.object_id == row.id
        assert entry.actor_id == staff_id and entry.detail["reason"] == row.reason
        assert ob.id not in [o.id for o in open_obligations(s, people[0].id)]  # not planned
    # a recompute keeps it waived; the same citizen's other obligation keeps the share at 1/5
    refresh_citizen(dbs, dbs.get(type(people[0]), people[0].id), TODAY, law=auto)
    dbs.commit()
    assert dbs.get(Obligation, ob.id).state == ObligationState.waived
    second = obligation(dbs, people[0].id, "jobcentre_months_3_to_6:1:2")
    assert exempt(dbs, second.id, "Samme vurdering", staff_id=staff_id, warn_at=WARN,
                  today=TODAY).share.exempted == 1


def test_exempting_past_the_share_is_refused(dbs, other, auto):
    _unit_, staff_id, people = _unit(dbs, auto)
    exempt(dbs, obligation(dbs, people[0].id, "jobcentre_months_3_to_6:1:1").id, "Job",
           staff_id=staff_id, warn_at=WARN, today=TODAY)
    with pytest.raises(LawError) as err:
        exempt(dbs, obligation(dbs, people[1].id, "jobcentre_months_3_to_6:1:1").id, "Job",
               staff_id=staff_id, warn_at=WARN, today=TODAY)
    assert err.value.code == "share_exceeded"
    assert err.value.params == {"share": 40, "most": 25}
    with other() as s:
        assert len(list(s.scalars(select(ObligationExemption)))) == 1
        assert len(list(s.scalars(select(AuditEntry)))) == 1


def test_exemption_refusals(dbs, other, auto):
    unit, staff_id, people = _unit(dbs, auto, n=8, held=[date(2026, 9, 10)])
    c = people[0]
    joint = obligation(dbs, c.id, "joint_by_16_months")
    cases = [
        (joint.id, "Job", "not_under_share_rule"),  # owed to everyone
        (obligation(dbs, c.id, "fund_first").id, "Job", "not_under_share_rule"),
        (obligation(dbs, c.id, "jobcentre_months_3_to_6:1:1").id, "", "reason_required"),
        (obligation(dbs, c.id, "jobcentre_months_3_to_6:1:1").id, "x" * 501, "reason_too_long"),
    ]
    for ob_id, reason, code in cases:
        with pytest.raises(LawError) as err:
            exempt(dbs, ob_id, reason, staff_id=staff_id, warn_at=WARN, today=TODAY)
        assert err.value.code == code, code
    cw = factories.caseworker(dbs, unit)
    booked = obligation(dbs, people[1].id, "jobcentre_months_3_to_6:1:1")
    book(dbs, cw, people[1], booked, datetime(2026, 12, 8, 9, tzinfo=UTC))
    dbs.commit()
    with pytest.raises(LawError) as err:
        exempt(dbs, booked.id, "Job", staff_id=staff_id, warn_at=WARN, today=TODAY)
    assert err.value.code == "obligation_booked"
    first = exempt(dbs, obligation(dbs, c.id, "jobcentre_months_3_to_6:1:1").id, "Job",
                   staff_id=staff_id, warn_at=WARN, today=TODAY)
    with pytest.raises(LawError) as err:
        exempt(dbs, obligation(dbs, c.id, "jobcentre_months_3_to_6:1:1").id, "Job",
               staff_id=staff_id, warn_at=WARN, today=TODAY)
    assert err.value.code == "already_exempt"
    with pytest.raises(NotFound):
        exempt(dbs, 999999, "Job", staff_id=staff_id, warn_at=WARN)
    # revoking: reason required, then open again and audited; never twice
    with pytest.raises(LawError) as err:
        revoke_exemption(dbs, first.exemption.id, " ", staff_id=staff_id)
    assert err.value.code == "reason_required"
    revoke_exemption(dbs, first.exemption.id, "Jobbet faldt bort", staff_id=staff_id)
    with pytest.raises(LawError) as err:
        revoke_exemption(dbs, first.exemption.id, "igen", staff_id=staff_id)
    assert err.value.code == "already_revoked"
    with pytest.raises(NotFound):
        revoke_exemption(dbs, 999999, "x", staff_id=staff_id)
    with other() as s:
        row = s.get(ObligationExemption, first.exemption.id)
        assert row.revoked_at is not None and row.revoke_reason == "Jobbet faldt bort"
        assert row.revoked_by_staff_id == staff_id
        ob = s.scalar(select(Obligation).where(Obligation.step_key == row.step_key,
                                               Obligation.citizen_id == c.id))
        assert ob.state == ObligationState.open
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions == ["obligation_exempted", "obligation_exemption_revoked"]
    # the citizen may be exempted again after a revocation (the live index allows one)
    again = exempt(dbs, obligation(dbs, c.id, "jobcentre_months_3_to_6:1:1").id, "Ny vurdering",
                   staff_id=staff_id, warn_at=WARN, today=TODAY)
    assert again.exemption.id != first.exemption.id
