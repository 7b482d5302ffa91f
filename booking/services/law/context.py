"""Which rule set computes obligations and which days the job centre is closed.

``[rules] active = "auto"`` computes every obligation under the set in force on its due date
(the engine's ``rule_set=None``); any other value pins one set for all of them. Where one set
must be named for a programme record, "auto" takes the set in force on the programme's start,
else the one in force today (local date in the configured zone).

A caller that passes no configuration (older code: ``refresh_citizen(session, citizen, day)``)
gets :data:`PER_PROGRAMME`: each programme under the set its record names, as before the law
was chosen by due date. Pass the app's configuration (:meth:`LawConfig.from_settings`) instead.

Closed days are the Danish public holidays (with ``[calendar] optional_closed``) and the local
:class:`~booking.models.ClosedDay` rows: the engine plans a deadline that falls on one of them
for the last working day before it, and keeps the statutory date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import rules
from ...models import ClosedDay
from ...settings import Settings
from ..calendar_days import closed_days
from ..clock import today_local

AUTO = "auto"
#: not a rule set id: each programme is computed under the set its record names
PER_PROGRAMME = "programme"
# years of public holidays around the day a context is made for (programmes run for years)
YEARS_BACK = 6
YEARS_AHEAD = 3


@dataclass(frozen=True)
class LawConfig:
    """The two settings the law services need: ``[rules] active`` and the optional closed
    days of ``[calendar]``."""

    active: str
    optional_closed: tuple[str, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> LawConfig:
        return cls(settings.rules.active, settings.calendar.optional_closed)

    @property
    def pinned(self) -> str | None:
        """The pinned rule set's id (or :data:`PER_PROGRAMME`), ``None`` for "by due date"."""
        return None if self.active == AUTO else self.active


BY_DUE_DATE = LawConfig(AUTO, ())
#: What a caller that passes no configuration gets (see the module docstring).
LEGACY = LawConfig(PER_PROGRAMME, ())


@dataclass(frozen=True)
class LawContext:
    """What the engine needs besides a citizen's own data: the pinned set (``None``: by due
    date; :data:`PER_PROGRAMME`: the programme's own) and the closed days."""

    rule_set: str | None
    closed: frozenset[date]

    def rule_set_for(self, programme_rule_set: str) -> str | None:
        """The engine's ``rule_set`` argument for a programme whose record names
        ``programme_rule_set``."""
        return programme_rule_set if self.rule_set == PER_PROGRAMME else self.rule_set


def local_closed_days(session: Session) -> dict[date, str]:
    """The job centre's own closed days (besides weekends and public holidays)."""
    return {row.day: row.reason for row in session.scalars(select(ClosedDay))}


def holidays_around(day: date, optional_closed: tuple[str, ...]) -> dict[date, str]:
    return closed_days(range(day.year - YEARS_BACK, day.year + YEARS_AHEAD + 1), optional_closed)


def law_context(
    session: Session, config: LawConfig | None = None, *, around: date | None = None
) -> LawContext:
    """The context for computing obligations near ``around`` (default: today); no
    ``config``: :data:`LEGACY`."""
    config = config or LEGACY
    day = around or today_local()
    closed = set(holidays_around(day, config.optional_closed)) | set(local_closed_days(session))
    return LawContext(config.pinned, frozenset(closed))


def rule_set_code_for(config: LawConfig | None, start: date, today: date | None = None) -> str:
    """The rule set a new programme record names (see the module docstring).

    Raises :class:`booking.rules.RuleSetError` when no set is in force on either day.
    """
    pinned = (config or BY_DUE_DATE).pinned
    if pinned is not None and pinned != PER_PROGRAMME:
        return pinned
    try:
        return rules.rule_set_for_date(start).id
    except rules.RuleSetError:
        return rules.rule_set_for_date(today or today_local()).id
