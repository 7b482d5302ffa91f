"""Today's date in Europe/Copenhagen (dates are local; instants are stored in UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from .calendar_days import ZONE


def now_utc() -> datetime:
    return datetime.now(UTC)


def today_local() -> date:
    return datetime.now(ZONE).date()
