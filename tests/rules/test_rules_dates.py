"""Calendar arithmetic: calendar months clamped at month end, weeks of 7 days."""

from __future__ import annotations

from datetime import date

import pytest

from booking.rules.dates import Offset, Window, add_months, months_before, spread_deadlines


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2017, 1, 31), 1, date(2017, 2, 28)),
        (date(2016, 1, 31), 1, date(2016, 2, 29)),  # leap year
        (date(2017, 1, 31), 2, date(2017, 3, 31)),  # from the anchor, not chained via February
        (date(2017, 8, 31), 1, date(2017, 9, 30)),
        (date(2017, 12, 15), 1, date(2018, 1, 15)),
        (date(2017, 1, 2), 6, date(2017, 7, 2)),
        (date(2017, 5, 31), -2, date(2017, 3, 31)),
        (date(2017, 4, 30), -2, date(2017, 2, 28)),
        (date(2018, 1, 15), -1, date(2017, 12, 15)),
        (date(2017, 1, 2), 0, date(2017, 1, 2)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_six_weeks_from_monday_2017_01_02_ends_2017_02_13():
    assert Offset(6, "weeks").after(date(2017, 1, 2)) == date(2017, 2, 13)
    assert Offset(42, "days").after(date(2017, 1, 2)) == date(2017, 2, 13)


def test_offsets_are_applied_to_the_anchor_in_one_step():
    start = date(2017, 1, 31)
    assert Offset(1, "months").after(start, times=2) == date(2017, 3, 31)


def test_months_before():
    assert months_before(date(2017, 5, 31), 2) == date(2017, 3, 31)


def test_unknown_unit_is_rejected():
    with pytest.raises(ValueError):
        Offset(1, "years")


def test_even_spread_uses_calendar_months_when_they_divide():
    start = date(2017, 1, 2)
    window = Window(start, date(2017, 7, 2), start, 0, 6)
    assert spread_deadlines(window, 6) == [
        date(2017, 2, 2), date(2017, 3, 2), date(2017, 4, 2),
        date(2017, 5, 2), date(2017, 6, 2), date(2017, 7, 2),
    ]


def test_even_spread_falls_back_to_days_when_months_do_not_divide():
    start = date(2024, 1, 1)
    window = Window(start, date(2024, 7, 1), start, 0, 6)  # 182 days
    assert spread_deadlines(window, 4) == [
        date(2024, 2, 15),  # 1·182/4 = 45 days
        date(2024, 4, 1),  # 2·6/4 = 3 months
        date(2024, 5, 16),  # 3·182/4 = 136 days
        date(2024, 7, 1),
    ]


def test_pinned_first_spreads_the_rest_over_the_whole_period():
    start = date(2024, 2, 5)
    window = Window(start, date(2024, 8, 5), start, 0, 6)
    assert spread_deadlines(window, 4, pinned_first=True)[1:] == [
        date(2024, 4, 5), date(2024, 6, 5), date(2024, 8, 5),
    ]
