"""The demo builds with the law chosen by due date ([rules] active = "auto"), for a planning
date after the 2026 reform and for today, deterministically."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from booking.db import db
from booking.models import (
    Citizen,
    HeldConversation,
    Holder,
    Obligation,
    ObligationState,
    Programme,
)
from booking.rules import load_rule_set
from booking.services.clock import today_local
from booking.services.demo import DemoOptions, build_demo
from booking.services.obligations import open_obligations
from tests.conftest import make_app

CITIZENS = 150  # with 60, some dates leave fewer than three citizens for the links


def _build(path, today):
    app = make_app(f"sqlite:///{path}")
    settings = app.extensions["rettidig_settings"]
    with app.app_context(), db.fresh_session() as s:
        result = build_demo(s, app.extensions["passwords"], settings, DemoOptions(
            today=today, citizens=CITIZENS, rule_set="auto",
            optional_closed=settings.calendar.optional_closed))
        sets = set(s.scalars(select(Obligation.rule_set_code)))
        programmes = set(s.scalars(select(Programme.rule_set_code)))
        starts = [(p.target_group, p.start_date, p.rule_set_code)
                  for p in s.scalars(select(Programme))]
        fund = s.scalar(select(func.count(HeldConversation.id)).where(
            HeldConversation.holder == Holder.unemployment_fund))
        keys = [(o.citizen_id, o.step_key, o.deadline, o.rule_set_code)
                for o in s.scalars(select(Obligation).order_by(Obligation.id))]
        links = _links(s, today)
    app.extensions["rettidig_db"].dispose()
    return result, sets, programmes, fund, keys, links, starts


def _links(s, today):
    """The citizens the printed links should show, by their next obligation: open, its window
    opened or opening within 14 days, due in 10 days or more; those due within 40 days first."""
    soon, later = [], []
    for citizen_id in s.scalars(select(Citizen.id).order_by(Citizen.id)):
        ahead = [ob for ob in open_obligations(s, citizen_id) if ob.deadline >= today]
        if not ahead or ahead[0].state != ObligationState.open:
            continue
        opens_in, due_in = (ahead[0].earliest - today).days, (ahead[0].deadline - today).days
        if opens_in <= 14 and due_in >= 10:
            (soon if due_in <= 40 else later).append(citizen_id)
    return soon[:3] + later


@pytest.mark.parametrize("today", [date(2027, 3, 1), today_local()], ids=["2027-03-01", "today"])
def test_demo_by_due_date(tmp_path, today):
    result, sets, programmes, fund, keys, links, starts = _build(tmp_path / "a.sqlite3", today)
    assert result.counts["citizens"] == CITIZENS and result.counts["bookings"] > 0
    # the printed links: citizens who can book their next conversation themselves now
    assert len(links) >= 3, "too few citizens for three links: build a bigger demo"
    assert [citizen_id for citizen_id, _, _ in result.showcase] == links[:3]
    assert "reform-2026-07" in sets  # obligations falling due after 1 July 2026
    assert programmes <= sets | {"lab-2024", "lab-2025", "lab-2025-07", "reform-2026-07"}
    assert fund > 0  # the unemployment fund's own conversations are part of the history
    # no programme of a group closed to new ones when it began (resource programmes from
    # 1 July 2026), but those begun before remain
    for group, start, code in starts:
        requirements = load_rule_set(code).group(group).requirements
        assert not requirements or any(r.serves(start) for r in requirements), (group, start)
    assert any(group == "resource_programme" for group, _, _ in starts)
    again = _build(tmp_path / "b.sqlite3", today)
    assert again[4] == keys  # deterministic
