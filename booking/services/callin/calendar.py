"""Which days a group call-in can be held on, and how much notice its letters give.

A session is held on a working day: Monday to Friday, not a Danish public holiday (the
``holidays`` package, language "da", with the ``[calendar] optional_closed`` days; see
:mod:`booking.services.calendar_days`) and not one of the job centre's own closed days
(:class:`~booking.models.ClosedDay`). Every call-in letter gives ``[callin]
min_notice_working_days`` working days' notice: the session's day is at least that many working
days after the day the letter is sent (:meth:`CallinCalendar.first_letter_day`; with 3, a
letter sent on a Monday calls in for Thursday at the earliest).

Reading only; the services that plan and invite raise the refusals in their own transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ..calendar_days import add_working_days, closed_days
from ..law.context import local_closed_days
from .errors import CallinError
from .settings import CallinSettings

YEARS_AHEAD = 2  # a notice or a re-invitation never looks further than this


@dataclass(frozen=True)
class CallinCalendar:
    holidays: Mapping[date, str]  # public holidays and the optional closed days, Danish names
    local: Mapping[date, str]  # the job centre's own closed days with their reasons
    notice: int  # working days of notice for a letter

    @property
    def closed(self) -> dict[date, str]:
        return {**self.holidays, **self.local}

    def refusal(self, day: date) -> CallinError | None:
        """Why no session can be held on ``day`` (None: it is a working day)."""
        if day in self.local:
            return CallinError("day_closed", day=day, reason=self.local[day])
        if day in self.holidays:
            return CallinError("day_holiday", day=day, name=self.holidays[day])
        if day.weekday() >= 5:
            return CallinError("day_weekend", day=day)
        return None

    def is_working_day(self, day: date) -> bool:
        return self.refusal(day) is None

    def first_letter_day(self, today: date) -> date:
        """The first day a letter sent on ``today`` can call a citizen in for."""
        day = add_working_days(today, self.notice, self.closed)
        while not self.is_working_day(day):  # notice 0 on a closed day: the next working day
            day = add_working_days(day, 1, self.closed)
        return day

    def check_day(self, day: date) -> None:
        err = self.refusal(day)
        if err is not None:
            raise err

    def check_notice(self, day: date, today: date) -> None:
        """A letter sent on ``today`` for a session on ``day`` gives enough notice, else the
        code ``notice`` (with the first day it could call in for)."""
        first = self.first_letter_day(today)
        if day < first:
            raise CallinError("notice", day=day, first=first, days=self.notice)


def callin_calendar(
    session: Session,
    settings: CallinSettings,
    optional_closed: Sequence[str],
    around: date,
) -> CallinCalendar:
    """The closed days from the year before ``around`` to :data:`YEARS_AHEAD` after it, and the
    notice of ``settings``."""
    years = range(around.year - 1, around.year + YEARS_AHEAD + 1)
    return CallinCalendar(
        closed_days(years, tuple(optional_closed)),
        local_closed_days(session),
        settings.min_notice_working_days,
    )
