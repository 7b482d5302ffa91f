"""The calendar the service works in: dates typed or uploaded outside it are refused.

Date arithmetic near ``date.min``/``date.max`` overflows (a week from 9999-12-27 does not
exist; a deadline computed from a pause ending in year 9999 neither), and no booking, pause,
closure or filter has any business outside these years. The web layer refuses such dates in
every form and query string (booking/web_errors.py); services that parse dates themselves (an
uploaded calendar, the citizen's week filter) check them here too.
"""

from __future__ import annotations

from datetime import date

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2099, 12, 31)


def within(day: date) -> bool:
    """True for a day from :data:`FIRST_DAY` to :data:`LAST_DAY`."""
    return FIRST_DAY <= day <= LAST_DAY
