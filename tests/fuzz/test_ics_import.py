"""Closure events from an .ics file: every property checked, the first bad event named."""

from __future__ import annotations

from datetime import date

import pytest

from booking.services.ics_import import ClosureImportError, read_closure_events


def _ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e}END:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//\r\n{body}END:VCALENDAR\r\n".encode()


def test_good_events_all_day_timed_duration_and_single_day():
    events = read_closure_events(
        _ics(
            "UID:a\r\nDTSTART;VALUE=DATE:20270712\r\nDTEND;VALUE=DATE:20270731\r\nSUMMARY:Sommer\r\n",
            "UID:b\r\nDTSTART:20271223T080000Z\r\nDTEND:20271223T150000Z\r\n",
            "DTSTART;VALUE=DATE:20270401\r\nDURATION:P3D\r\nSUMMARY:Påske\r\n",
            "DTSTART;VALUE=DATE:20270605\r\n",
        )
    )
    assert [(e.start, e.end, e.reason, e.uid) for e in events] == [
        (date(2027, 7, 12), date(2027, 7, 30), "Sommer", "a"),
        (date(2027, 12, 23), date(2027, 12, 23), "Lukket", "b"),
        (date(2027, 4, 1), date(2027, 4, 3), "Påske", None),
        (date(2027, 6, 5), date(2027, 6, 5), "Lukket", None),
    ]


@pytest.mark.parametrize(
    ("event", "code"),
    [
        ("DTSTART:P1D\r\n", "ics_bad_start"),
        ("DTSTART:\r\n", "ics_bad_start"),
        ("DTSTART:20270230\r\n", "ics_bad_start"),
        ("DTSTART:20270701T250000\r\n", "ics_bad_start"),
        ("DTSTART:T090000\r\n", "ics_bad_start"),
        ("DTEND;VALUE=DATE:20270702\r\n", "ics_no_start"),
        ("DTSTART;VALUE=DATE:20270701\r\nDTEND:soon\r\n", "ics_bad_end"),
        ("DTSTART;VALUE=DATE:20270701\r\nDTEND;VALUE=DATE:20270601\r\n", "ics_end_before_start"),
        ("DTSTART;VALUE=DATE:20270701\r\nDURATION:-P2D\r\n", "ics_bad_duration"),
        ("DTSTART;VALUE=DATE:20270701\r\nDURATION:P99999D\r\n", "ics_out_of_range"),
        ("DTSTART;VALUE=DATE:99991231\r\n", "ics_out_of_range"),
        ("DTSTART:00010101T000000Z\r\n", "ics_out_of_range"),
        ("UID:" + "x" * 256 + "\r\nDTSTART;VALUE=DATE:20270701\r\n", "ics_uid_too_long"),
        ("UID:a\x00b\r\nDTSTART;VALUE=DATE:20270701\r\n", "ics_control_characters"),
        ("SUMMARY:a\x1bb\r\nDTSTART;VALUE=DATE:20270701\r\n", "ics_control_characters"),
    ],
)
def test_the_second_event_refused_names_it(event, code):
    good = "UID:ok\r\nDTSTART;VALUE=DATE:20270712\r\nSUMMARY:Sommer\r\n"
    with pytest.raises(ClosureImportError) as err:
        read_closure_events(_ics(good, event))
    assert err.value.code == code
    assert err.value.params["n"] == 2


def test_a_uid_of_255_characters_fits():
    (event,) = read_closure_events(_ics("UID:" + "x" * 255 + "\r\nDTSTART;VALUE=DATE:20270701\r\n"))
    assert event.uid == "x" * 255


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xff\xfe\x00", "not_icalendar"),
        (b"not a calendar", "not_icalendar"),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "no_events"),
        (_ics(*["DTSTART;VALUE=DATE:20270701\r\n"] * 2001), "too_many_events"),
    ],
)
def test_whole_file_problems(data, code):
    with pytest.raises(ClosureImportError) as err:
        read_closure_events(data)
    assert err.value.code == code
