"""The programme's clock (pauses: cumulative unemployment) and planning dates (working days)."""

from __future__ import annotations

from datetime import date

import pytest

from booking.rules import Clock, Pause, is_working_day, planning_date

START = date(2024, 1, 1)


def test_without_pauses_the_clock_is_the_calendar():
    assert Clock(START).at(date(2024, 7, 1)) == date(2024, 7, 1)
    assert Clock(START).at(START) == START


def test_each_paused_day_moves_later_dates_one_day():
    clock = Clock(START, [Pause(date(2024, 2, 1), date(2024, 2, 29), "work")])  # 29 days
    assert clock.at(date(2024, 1, 31)) == date(2024, 1, 31)  # before the pause: unchanged
    assert clock.at(date(2024, 2, 1)) == date(2024, 3, 1)
    assert clock.at(date(2024, 7, 1)) == date(2024, 7, 30)


def test_overlapping_and_adjacent_pauses_are_merged_and_the_start_day_is_never_paused():
    clock = Clock(START, [Pause(date(2024, 1, 10), date(2024, 1, 19)),
                          Pause(date(2024, 1, 15), date(2024, 1, 24)),
                          Pause(date(2024, 1, 25), date(2024, 1, 25)),
                          Pause(date(2023, 12, 1), START)])  # ends on the start day: ignored
    assert clock.at(date(2024, 2, 1)) == date(2024, 2, 17)  # 16 paused days


def test_an_open_pause_makes_later_dates_unknown():
    clock = Clock(START, [Pause(date(2024, 3, 1), None, "sick")])
    assert clock.at(date(2024, 2, 29)) == date(2024, 2, 29)
    assert clock.at(date(2024, 3, 1)) is None


def test_a_pause_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="before it starts"):
        Pause(date(2024, 3, 2), date(2024, 3, 1))


@pytest.mark.parametrize(
    ("target", "earliest", "expected"),
    [
        (date(2024, 3, 28), date(2024, 3, 21), date(2024, 3, 27)),  # Skærtorsdag → Wednesday
        (date(2024, 4, 1), date(2024, 3, 21), date(2024, 3, 27)),  # 2. påskedag, the whole Easter
        (date(2024, 6, 1), date(2024, 4, 1), date(2024, 5, 31)),  # Saturday → Friday
        (date(2024, 3, 31), date(2024, 3, 29), date(2024, 3, 29)),  # no working day: earliest
        (date(2024, 3, 27), date(2024, 3, 27), date(2024, 3, 27)),
    ],
)
def test_planning_date_is_the_last_working_day_on_or_before(dk, target, earliest, expected):
    assert planning_date(target, earliest, dk) == expected


def test_working_days_are_weekdays_not_closed(dk):
    assert is_working_day(date(2024, 3, 27), dk)
    assert not is_working_day(date(2024, 3, 28), dk)  # Skærtorsdag
    assert not is_working_day(date(2024, 3, 30))  # Saturday
    assert is_working_day(date(2024, 12, 24), dk)  # not a public holiday …
    assert not is_working_day(date(2024, 12, 24), dk | {date(2024, 12, 24)})  # … but closed
