"""Who is a candidate and in which order; session figures; the 2-month indicator over time."""

from __future__ import annotations

from datetime import date, time

from booking.db import db
from booking.models import GroupSession, HeldConversation
from booking.services.callin.candidates import find_candidates
from booking.services.callin.desk import check_in, finish
from booking.services.callin.figures import resource_indicator, session_figures
from booking.services.callin.sessions import SessionPlan, capacity, plan_session, preview
from booking.services.obligations import refresh_citizen
from tests import factories
from tests.callin.helpers import DAY, LETTERS_SENT, RULES, SETTINGS, at, build


def test_candidates_resource_programme_first_then_deadline_then_lowest_probability(app):
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        cash = factories.citizen(s, unit, group="cash_benefit", start=date(2027, 2, 22))
        late = factories.citizen(s, unit, group="resource_programme", start=date(2027, 2, 1))
        early_sure = factories.citizen(s, unit, group="resource_programme", start=date(2027, 1, 4))
        early_risky = factories.citizen(s, unit, group="resource_programme", start=date(2027, 1, 4))
        phone_only = factories.citizen(s, unit, group="resource_programme", start=date(2027, 1, 4))
        phone_only.channels = ["phone"]
        # in a resource programme, no obligation due yet but no conversation for 2 months
        quiet = factories.citizen(s, unit, group="resource_programme", start=date(2026, 6, 1))
        quiet.conversations.append(HeldConversation(held_on=date(2026, 12, 1)))
        recent = factories.citizen(s, unit, group="resource_programme", start=date(2026, 6, 1))
        recent.conversations.append(HeldConversation(held_on=date(2027, 2, 15)))
        early_sure.show_probability, early_risky.show_probability = 0.9, 0.4
        for c in (cash, late, early_sure, early_risky, phone_only):
            refresh_citizen(s, c, DAY)
        s.flush()
        found = find_candidates(s, DAY, SETTINGS)
        order = [c.citizen.id for c in found]
        assert phone_only.id not in order and recent.id not in order
        # resource programme before cash benefit; earlier deadline first; risky before sure
        assert order.index(early_risky.id) < order.index(early_sure.id) < order.index(late.id)
        assert order[-1] == cash.id
        by_id = {c.citizen.id: c for c in found}
        assert by_id[quiet.id].reason == "indicator" and by_id[quiet.id].deadline <= DAY
        assert by_id[early_sure.id].obligation is not None


def test_preview_suggests_the_sized_number_and_excludes_the_invited(app):
    w = build(app, caseworkers=1, citizens=6, invite_all=False, end=time(10), minutes=30)
    with app.app_context(), db.fresh_session() as s:
        gs = s.get(GroupSession, w.session_id)
        assert capacity(gs) == 2
        pv = preview(s, gs, SETTINGS)
        assert len(pv.candidates) == 6
        assert pv.risk <= 0.10 and pv.sizing.count == pv.chosen
        adjusted = preview(s, gs, SETTINGS, count=6)
        assert adjusted.risk > 0.10 and adjusted.expected > pv.expected


def test_session_figures_count_idle_minutes(app):
    w = build(app, caseworkers=2, citizens=3, end=time(10))
    a, b, _c = w.invitation_ids
    with app.app_context(), db.fresh_session() as s:
        check_in(s, a, SETTINGS, now=at(9, 0), staff_id=None)
        s.commit()
        check_in(s, b, SETTINGS, now=at(9, 10), staff_id=None)
        s.commit()
        finish(s, a, now=at(9, 30), staff_id=None)
        s.commit()
        finish(s, b, now=at(9, 40), staff_id=None)
        s.commit()
        f = session_figures(s.get(GroupSession, w.session_id), at(10, 30))
        assert (f.invited, f.arrived, f.served, f.no_shows, f.capacity) == (3, 2, 2, 0, 4)
        assert f.pool_minutes == 120 and f.busy_minutes == 60 and f.idle_minutes == 60


def test_indicator_share_over_time(app):
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        seen = factories.citizen(s, unit, group="resource_programme", start=date(2026, 6, 1))
        seen.conversations.append(HeldConversation(held_on=date(2027, 2, 10)))
        factories.citizen(s, unit, group="resource_programme", start=date(2026, 6, 1))
        factories.citizen(s, unit, group="cash_benefit", start=date(2026, 6, 1))
        s.flush()
        points = resource_indicator(s, DAY, SETTINGS, weeks=4)
        assert [p.day for p in points][-1] == DAY and len(points) == 4
        assert points[-1].citizens == 2 and points[-1].with_conversation == 1
        assert points[0].with_conversation == 1 and points[0].day == date(2027, 2, 14)


def test_plan_session_stores_the_pool(app):
    with app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        cws = [factories.caseworker(s, unit) for _ in range(3)]
        gs = plan_session(
            s,
            SessionPlan(
                DAY,
                time(9),
                time(11, 45),
                "Lokale 1",
                45,
                tuple(c.id for c in cws),
                None,
                SETTINGS.overflow_risk,
            ),
            SETTINGS,
            staff_id=None,
            today=LETTERS_SENT,
            **RULES,
        ).group_session
        assert capacity(gs) == 3 * 3 and len(gs.pool) == 3
