"""Local time: the configured time zone, now (UTC) and today (local).

Instants are stored in UTC; dates and wall-clock times are local to the job centre, in the zone
``[app] timezone`` names. The app factory, the CLI and the worker call :func:`use_zone` once at
start with that setting; every service reads it through :func:`zone` (one process serves one
municipality, so the zone is process-wide like the logging configuration).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Europe/Copenhagen"
_zone = ZoneInfo(DEFAULT_ZONE)


def use_zone(zone: ZoneInfo | str) -> None:
    """Make ``zone`` the local time zone of every service (called at start-up)."""
    global _zone
    _zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def zone() -> ZoneInfo:
    """The configured local time zone."""
    return _zone


def now_utc() -> datetime:
    return datetime.now(UTC)


def today_local() -> date:
    return datetime.now(_zone).date()


def local_date(instant: datetime) -> date:
    """The local calendar date of an aware instant."""
    return instant.astimezone(_zone).date()
