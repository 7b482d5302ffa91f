"""The manager's view-model at a fixed date: the chosen period of whole weeks and the current
week so far, per unit, per caseworker and for the municipality, the same figures as the
indicator, the targets (80 % and 90 %, the law's 75 % from 1 July 2026) and their levels."""

from __future__ import annotations

from datetime import date

from booking.services.manager_view import (
    Count,
    Targets,
    blocks_of,
    law_target,
    manager_view,
    week_starts,
)
from booking.services.timeliness import indicator
from tests import factories
from tests.law.helpers import citizen

TODAY = date(2027, 3, 17)  # a Wednesday in ISO week 11
START = date(2026, 9, 7)
ON_TIME = [date(2026, 9, 10), date(2026, 10, 1), date(2026, 12, 1), date(2027, 2, 1)]


def _world(dbs, auto):
    north, south = factories.unit(dbs), factories.unit(dbs)
    cw_a, cw_b = factories.caseworker(dbs, north), factories.caseworker(dbs, south)
    for _ in range(3):
        citizen(dbs, north, "cash_benefit", START, held=ON_TIME, cw=cw_a, law=auto, today=TODAY)
    citizen(dbs, north, "cash_benefit", START, cw=cw_a, law=auto, today=TODAY)
    for _ in range(2):
        citizen(dbs, south, "cash_benefit", START, held=[date(2027, 3, 10)], cw=cw_b,
                law=auto, today=TODAY)
    # a first conversation due on Monday of this week, missed: the current week so far
    citizen(dbs, south, "cash_benefit", date(2027, 3, 8), cw=cw_b, law=auto, today=TODAY)
    dbs.commit()
    return north, south


def test_weeks_run_monday_to_monday_and_end_with_the_current_week():
    starts = week_starts(TODAY, 4)
    assert starts == [date(2027, 2, 15), date(2027, 2, 22), date(2027, 3, 1), date(2027, 3, 8),
                      date(2027, 3, 15)]


def test_the_view_sums_the_indicator_week_by_week(dbs, settings, auto):
    north, south = _world(dbs, auto)
    view = manager_view(dbs, settings.targets, TODAY, weeks=26, by="unit",
                        exemption_warn_share=0.2)
    assert view.weeks == 26 and len(view.rows) == 27
    assert [w.current for w in view.rows] == [False] * 26 + [True]
    assert view.current.number == 11 and view.current.start == date(2027, 3, 15)
    assert view.first_day == date(2026, 9, 14) and view.last_day == date(2027, 3, 16)
    for week in view.rows:
        expected = {i.key: (i.due, i.on_time)
                    for i in indicator(dbs, week.start, week.end, TODAY, by="unit")}
        assert {k: (c.due, c.on_time) for k, c in week.cells.items() if c.due} == expected
        assert week.total.due == sum(d for d, _t in expected.values())
    whole = {i.key: (i.due, i.on_time)
             for i in indicator(dbs, view.first_day, TODAY, TODAY, by="unit")}
    assert {k: (c.due, c.on_time) for k, c in view.totals.items()} == whole
    assert view.municipality == Count(sum(d for d, _ in whole.values()),
                                      sum(t for _, t in whole.values()))
    assert view.current.total.due >= 1 and view.current.total.on_time == 0
    assert [t.key for t in view.trends] == [0, north.id, south.id]
    assert view.trends[0].total == view.municipality
    assert [c.share for c in view.trends[1].counts] == view.trends[1].shares
    assert view.groups and {g.unit_id for g in view.groups} == {north.id, south.id}


def test_per_caseworker_the_weeks_are_grouped_into_columns(dbs, settings, auto):
    _world(dbs, auto)
    view = manager_view(dbs, settings.targets, TODAY, weeks=26, by="caseworker",
                        exemption_warn_share=0.2)
    assert len(view.entities) == 2
    assert len(view.blocks) <= 8 and sum(len(b.weeks) for b in view.blocks) == 27
    assert view.blocks[-1].current and not any(b.current for b in view.blocks[:-1])
    for entity in view.entities:
        assert sum((b.cells[entity.key] for b in view.blocks), Count()) == view.totals[entity.key]
    short = manager_view(dbs, settings.targets, TODAY, weeks=4, by="caseworker",
                         exemption_warn_share=0.2)
    assert [len(b.weeks) for b in short.blocks] == [1] * 5


def test_blocks_keep_the_newest_weeks_whole():
    rows = [type("W", (), {"cells": {}, "current": False})() for _ in range(27)]
    sizes = [len(b.weeks) for b in blocks_of(rows, [])]
    assert sizes == [3, 4, 4, 4, 4, 4, 4]


def test_the_period_is_kept_within_one_to_52_weeks(dbs, settings, auto):
    _world(dbs, auto)
    assert manager_view(dbs, settings.targets, TODAY, weeks=0, by="unit",
                        exemption_warn_share=0.2).weeks == 1
    assert len(manager_view(dbs, settings.targets, TODAY, weeks=99, by="unit",
                            exemption_warn_share=0.2).rows) == 53


def test_targets_and_levels():
    law, since = law_target()
    assert law == 0.75 and since == date(2026, 7, 1)
    t = Targets(0.8, 0.9, law, since)
    assert [t.level(s) for s in (None, 0.5, 0.8, 0.85, 0.9, 1.0)] == [
        "none", "below", "interim", "interim", "goal", "goal"]
    assert not t.law_applies(date(2026, 7, 1)) and t.law_applies(date(2026, 7, 2))
