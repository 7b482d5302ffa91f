"""A change of target group and pauses: one transaction each, audited, obligations recomputed
(on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from booking.models import (
    AuditEntry,
    Citizen,
    HeldConversation,
    Obligation,
    Programme,
    ProgrammePause,
    Role,
)
from booking.services.errors import NotFound
from booking.services.law.programmes import (
    LawError,
    add_pause,
    change_target_group,
    end_pause,
)
from booking.services.obligations import refresh_citizen
from tests import factories

TODAY = date(2026, 11, 30)


def _insured(dbs, auto, start=date(2026, 7, 6), held=()):
    unit = factories.unit(dbs)
    staff = factories.staff(dbs, Role.caseworker)
    citizen = factories.citizen(dbs, unit, group="insured_unemployed", start=start,
                                rule_set="reform-2026-07")
    for day in held:
        citizen.conversations.append(HeldConversation(held_on=day))
    dbs.flush()
    refresh_citizen(dbs, citizen, TODAY, law=auto)
    dbs.commit()
    return citizen.id, staff.id


def test_change_of_target_group_counts_each_conversation_once(dbs, other, auto):
    held = [date(2026, 10, 7), date(2026, 10, 20), date(2026, 11, 3), date(2026, 11, 17)]
    citizen_id, staff_id = _insured(dbs, auto, held=held)
    change = change_target_group(dbs, citizen_id, "cash_benefit", date(2026, 11, 1),
                                 staff_id=staff_id, config=auto, today=TODAY)
    assert change.ended.end_date == date(2026, 10, 31)
    with other() as s:
        programmes = list(s.scalars(select(Programme).where(Programme.citizen_id == citizen_id)
                                    .order_by(Programme.start_date)))
        assert [p.target_group for p in programmes] == ["insured_unemployed", "cash_benefit"]
        old, new = programmes
        assert (old.end_date, old.end_reason) == (date(2026, 10, 31), "target_group_changed")
        assert new.start_date == date(2026, 11, 1) and new.end_date is None
        rows = list(s.scalars(select(Obligation).where(Obligation.citizen_id == citizen_id)))
        used = Counter(o.fulfilled_on for o in rows if o.fulfilled_on is not None)
        assert all(n == 1 for n in used.values()), used  # no conversation counts twice
        by_programme = {o.fulfilled_on: o.programme_id for o in rows if o.fulfilled_on}
        assert {d for d, p in by_programme.items() if p == new.id} <= {date(2026, 11, 3),
                                                                      date(2026, 11, 17)}
        assert date(2026, 11, 3) in by_programme and by_programme[date(2026, 11, 3)] == new.id
        assert all(o.fulfilled_on is None or o.fulfilled_on <= old.end_date
                   for o in rows if o.programme_id == old.id)
        audit = s.scalar(select(AuditEntry).where(AuditEntry.action == "target_group_changed"))
        assert audit is not None and audit.citizen_id == citizen_id
        assert audit.actor_id == staff_id and audit.detail["to"] == "cash_benefit"


def test_change_of_target_group_refusals_change_nothing(dbs, other, auto):
    citizen_id, staff_id = _insured(dbs, auto)
    cases = [
        ("education", date(2026, 11, 1), "unknown_group"),
        ("insured_unemployed", date(2026, 11, 1), "same_group"),
        ("cash_benefit", date(2026, 7, 6), "start_not_after_programme"),
        ("cash_benefit", date(2026, 7, 1), "no_programme"),
    ]
    for group, start, code in cases:
        with pytest.raises(LawError) as err:
            change_target_group(dbs, citizen_id, group, start, staff_id=staff_id, config=auto,
                                today=TODAY)
        assert err.value.code == code
    with pytest.raises(NotFound):
        change_target_group(dbs, 999999, "cash_benefit", date(2026, 11, 1), staff_id=staff_id)
    with other() as s:
        assert s.scalar(select(Citizen).where(Citizen.id == citizen_id)) is not None
        assert len(list(s.scalars(select(Programme)))) == 1
        assert s.scalar(select(AuditEntry.id)) is None


def _jobcentre_deadlines(s, citizen_id):
    return sorted(
        (o.step_key, o.statutory_deadline, o.deadline)
        for o in s.scalars(select(Obligation).where(Obligation.citizen_id == citizen_id))
        if o.step_key.startswith("insured_unemployed:jobcentre_months_3_to_6")
    )


def test_a_pause_moves_an_insured_citizens_deadlines(dbs, other, auto):
    citizen_id, staff_id = _insured(dbs, auto, start=date(2026, 8, 3))
    with other() as s:
        before = _jobcentre_deadlines(s, citizen_id)
    assert before and before[0][1] == date(2027, 2, 3)
    programme_id = dbs.scalar(select(Programme.id).where(Programme.citizen_id == citizen_id))
    pause = add_pause(dbs, programme_id, date(2026, 9, 1), date(2026, 9, 30), "Arbejde",
                      staff_id=staff_id, config=auto, today=TODAY)
    with other() as s:
        after = _jobcentre_deadlines(s, citizen_id)
        stored = s.get(ProgrammePause, pause.id)
        assert stored.reason == "Arbejde" and stored.created_by_staff_id == staff_id
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "programme_pause_added"))
        assert entry.citizen_id == citizen_id and entry.object_id == pause.id
    assert [k for k, _s, _d in after] == [k for k, _s, _d in before]
    for (_k, old, _p), (_k2, new, _p2) in zip(before, after, strict=True):
        assert new == old + timedelta(days=30)  # 30 paused days later


def test_an_open_pause_ends_and_refusals(dbs, other, auto):
    citizen_id, staff_id = _insured(dbs, auto, start=date(2026, 8, 3))
    programme_id = dbs.scalar(select(Programme.id).where(Programme.citizen_id == citizen_id))
    with pytest.raises(LawError) as err:
        add_pause(dbs, programme_id, date(2026, 9, 1), None, "  ", staff_id=staff_id)
    assert err.value.code == "reason_required"
    with pytest.raises(LawError) as err:
        add_pause(dbs, programme_id, date(2026, 9, 10), date(2026, 9, 1), "x", staff_id=staff_id)
    assert err.value.code == "pause_order"
    with pytest.raises(LawError) as err:
        add_pause(dbs, programme_id, date(2026, 7, 1), None, "x", staff_id=staff_id)
    assert err.value.code == "pause_before_programme"
    pause = add_pause(dbs, programme_id, date(2026, 9, 1), None, "Arbejde", staff_id=staff_id,
                      config=auto, today=TODAY)
    with pytest.raises(LawError) as err:
        add_pause(dbs, programme_id, date(2026, 10, 1), date(2026, 10, 2), "x",
                  staff_id=staff_id)
    assert err.value.code == "pause_overlap"
    with pytest.raises(LawError) as err:
        end_pause(dbs, pause.id, date(2026, 8, 1), staff_id=staff_id)
    assert err.value.code == "pause_order"
    end_pause(dbs, pause.id, date(2026, 9, 14), staff_id=staff_id, config=auto, today=TODAY)
    with pytest.raises(LawError) as err:
        end_pause(dbs, pause.id, date(2026, 9, 20), staff_id=staff_id)
    assert err.value.code == "pause_ended"
    with pytest.raises(NotFound):
        end_pause(dbs, 999999, date(2026, 9, 20), staff_id=staff_id)
    with other() as s:
        assert s.get(ProgrammePause, pause.id).end_date == date(2026, 9, 14)
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions == ["programme_pause_added", "programme_pause_ended"]
        after = _jobcentre_deadlines(s, citizen_id)
    assert after[0][1] == date(2027, 2, 3) + timedelta(days=14)
