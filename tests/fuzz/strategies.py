"""Hypothesis strategies for what a browser (or anyone with curl) can send to a field."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from .crawl import Field

HUGE = "9" * 20

# values that have broken web apps before: control characters, numbers a database or float
# cannot hold, dates at the ends of the calendar, very long text
NASTY: list[str] = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\t",
    "a\nb",
    "a\r\nb",
    HUGE,
    "-" + HUGE,
    str(2**31),
    str(2**31 - 1),
    str(2**63),
    "-1",
    "0",
    "1",
    "1.5",
    "1,5",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "-1e309",
    "1e-400",
    "0x1F",
    "٣",
    "9999-12-31",
    "9999-12-27",
    "0001-01-01",
    "1900-01-01",
    "1999-12-31",
    "2000-01-01",
    "2099-12-31",
    "2100-01-01",
    "2027-02-30",
    "2027-13-01",
    "10000-01-01",
    "2027-W05",
    "P1D",
    "24:00",
    "23:59",
    "99:99",
    "x" * 300,
    "ø" * 5000,
    "ÆØÅ æøå",
    "😀",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "//evil.example/",
    "null",
    "[]",
]

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
_INTS = st.integers(min_value=-(2**70), max_value=2**70).map(str)


def field_value(f: Field) -> st.SearchStrategy[str]:
    """One value for ``f``: often one the page offers (so validation passes and the request
    goes deeper), else a nasty, random, numeric or date-like one."""
    offered = [v for v in f.values if isinstance(v, str)]
    choices: list[st.SearchStrategy[str]] = [st.sampled_from(NASTY), _TEXT, _INTS, _DAYS]
    if offered:
        return st.one_of(st.sampled_from(offered), st.sampled_from(offered), *choices)
    return st.one_of(*choices)


# --- iCalendar files -------------------------------------------------------------------------

ICS_VALUES: list[str] = [
    "20270701",
    "20270710",
    "20270701T090000",
    "20270701T090000Z",
    "99991231",
    "00010101",
    "19000101",
    "2027XX01",
    "P1D",
    "garbage",
    "",
    "20270230",
    "20270701T250000",
]


@st.composite
def ics_event(draw: st.DrawFn) -> str:
    lines = ["BEGIN:VEVENT"]
    if draw(st.booleans()):
        uid = draw(st.sampled_from(["a1", "x" * 300, "u\x00v", "", "b2"]) | _TEXT)
        lines.append(f"UID:{uid}")
    for prop in ("DTSTART", "DTEND"):
        if draw(st.integers(0, 4)):
            param = draw(st.sampled_from(["", ";VALUE=DATE", ";VALUE=DATE-TIME", ";TZID=X/Y"]))
            lines.append(f"{prop}{param}:{draw(st.sampled_from(ICS_VALUES) | _TEXT)}")
    if draw(st.booleans()):
        summary = draw(st.sampled_from(["Sommerferie", "x" * 400, "a\x00b", "æøå"]) | _TEXT)
        lines.append(f"SUMMARY:{summary}")
    if draw(st.integers(0, 5)) == 0:
        lines.append("DURATION:P1D")
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


@st.composite
def ics_file(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.binary(max_size=200))
    if kind == 1:
        return draw(_TEXT).encode("utf-8")
    events = draw(st.lists(ics_event(), max_size=4))
    if kind == 2:
        events = events * 200  # many events
    body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//", *events])
    if draw(st.integers(0, 5)):
        body += "\r\nEND:VCALENDAR"
    return (body + "\r\n").encode("utf-8")
