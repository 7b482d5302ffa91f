"""Material due dates, the solver's lead rule, meeting generation and closures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from booking.models import RehabClosure, RehabMeeting, RehabSchedule
from booking.services.rehab.schedule import (
    ClosureImportError,
    closed_between,
    effective_ready,
    generate_meetings,
    import_closures,
    material_due,
)

CLOSED = closed_between(date(2027, 1, 1), date(2027, 12, 31), ["Juleaftensdag", "Nytårsaften"])


@pytest.mark.parametrize(
    ("meeting", "lead", "due"),
    [
        (date(2027, 4, 13), 14, date(2027, 3, 30)),  # Tuesday − 14: a Tuesday, a working day
        (date(2027, 4, 8), 14, date(2027, 3, 24)),  # − 14 = Skærtorsdag → Wednesday before
        (date(2027, 4, 12), 14, date(2027, 3, 24)),  # − 14 = Anden påskedag → back past Easter
        (date(2027, 3, 16), 10, date(2027, 3, 5)),  # − 10 = Saturday → Friday
        (date(2027, 3, 15), 1, date(2027, 3, 12)),  # − 1 = Sunday → Friday
        (date(2027, 12, 28), 3, date(2027, 12, 23)),  # − 3 = Christmas Day; 24th closed too
    ],
)
def test_material_due_date_moves_back_over_weekends_and_holidays(meeting, lead, due):
    assert material_due(meeting, lead, CLOSED) == due


@given(
    st.lists(st.integers(0, 120), min_size=1, max_size=12, unique=True),
    st.integers(0, 130),
    st.integers(0, 28),
)
def test_effective_ready_admits_exactly_the_meetings_whose_material_can_arrive(
    offsets, ready_offset, lead
):
    base = date(2027, 3, 1)
    meetings = [base + timedelta(days=o) for o in offsets]
    ready = base + timedelta(days=ready_offset)
    shifted = effective_ready(ready, meetings, lead, CLOSED)
    solver_view = {m for m in meetings if m - timedelta(days=lead) >= shifted}
    truth = {m for m in meetings if material_due(m, lead, CLOSED) >= ready}
    assert solver_view == truth


def test_generate_meetings_skips_holidays_and_closures(session):
    session.add_all(
        [
            RehabSchedule(weekday=1, capacity=5, valid_from=date(2027, 3, 1)),
            RehabSchedule(weekday=3, capacity=4, valid_from=date(2027, 3, 1)),
            RehabClosure(start_date=date(2027, 4, 19), end_date=date(2027, 4, 23), reason="Kursus"),
        ]
    )
    session.flush()
    result = generate_meetings(session, date(2027, 3, 1), 8)
    dates = sorted(m.date for m in result.created)
    assert date(2027, 3, 25) not in dates  # Skærtorsdag
    assert not any(date(2027, 4, 19) <= d <= date(2027, 4, 23) for d in dates)
    assert {reason for _d, reason in result.skipped} == {"Skærtorsdag", "Kursus"}
    assert len(dates) == 16 - 3 and {d.weekday() for d in dates} == {1, 3}
    again = generate_meetings(session, date(2027, 3, 1), 8)
    assert again.created == []  # existing dates are kept, not doubled
    assert len(list(session.scalars(select(RehabMeeting)))) == 13


ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Region//DA
BEGIN:VEVENT
UID:summer-2027@region
DTSTAMP:20270101T000000Z
DTSTART;VALUE=DATE:20270712
DTEND;VALUE=DATE:20270731
SUMMARY:Sommerferie
END:VEVENT
BEGIN:VEVENT
UID:xmas-2027@region
DTSTAMP:20270101T000000Z
DTSTART;VALUE=DATE:20271223
DTEND;VALUE=DATE:20271224
SUMMARY:Juleafslutning
END:VEVENT
END:VCALENDAR
"""


def test_closures_import_from_ics_with_exclusive_all_day_end(session):
    closures = import_closures(session, ICS)
    spans = sorted((c.start_date, c.end_date, c.reason) for c in closures)
    assert spans == [
        (date(2027, 7, 12), date(2027, 7, 30), "Sommerferie"),
        (date(2027, 12, 23), date(2027, 12, 23), "Juleafslutning"),
    ]
    import_closures(session, ICS.replace(b"20270731", b"20270807"))  # same UIDs: updated
    rows = list(session.scalars(select(RehabClosure).order_by(RehabClosure.start_date)))
    assert len(rows) == 2 and rows[0].end_date == date(2027, 8, 6)


@pytest.mark.parametrize("data", [b"not a calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"])
def test_bad_ics_is_refused_in_danish(session, data, in_danish):
    with pytest.raises(ClosureImportError) as err:
        import_closures(session, data)
    assert "Filen" in in_danish(err.value)
    assert list(session.scalars(select(RehabClosure))) == []
