"""The timeliness indicator, and the caseworker's and the manager's pages built from it and
from the weekly list (:mod:`booking.services.law.weekly`, re-exported here).

"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..models import Caseworker, Citizen, Obligation, ObligationState, Unit
from ..settings import RulesSettings, TargetSettings
from .errors import NotFound, ServiceError
from .law.indicator import GroupIndicator, group_indicators
from .law.weekly import CitizenLine, Status, WeeklyList, classify, weekly_list
from .obligations import BOOKABLE_KINDS

Grouping = Literal["unit", "caseworker"]

__all__ = [
    "CitizenLine", "Forbidden", "Grouping", "Indicator", "ManagerPage", "Status", "WeeklyList",
    "WeeklyPage", "classify", "indicator", "manager_page", "weekly_list", "weekly_page",
    "weeks_back",
]


@dataclass(frozen=True)
class Indicator:
    key: int
    name: str
    due: int
    on_time: int

    @property
    def share(self) -> float | None:
        return self.on_time / self.due if self.due else None


def indicator(
    session: Session, start: date, end: date, today: date, *, by: Grouping = "unit"
) -> list[Indicator]:
    """Share of conversation obligations whose statutory deadline falls in [start, end) that
    were held on or before it. Only deadlines before ``today`` count (one still ahead cannot be
    judged yet); exempted obligations are not due. ``by`` is "unit" or "caseworker"."""
    on_time = case(
        (
            and_(
                Obligation.fulfilled_on.is_not(None),
                Obligation.fulfilled_on <= Obligation.statutory_deadline,
            ),
            1,
        ),
        else_=0,
    )
    entity: type[Unit] | type[Caseworker]
    key_col: InstrumentedAttribute[int]
    name_col: InstrumentedAttribute[str]
    join_on: ColumnElement[bool]
    if by == "unit":
        entity, key_col, name_col = Unit, Unit.id, Unit.name
        join_on = Unit.id == Citizen.unit_id
    else:
        entity, key_col, name_col = Caseworker, Caseworker.id, Caseworker.name
        join_on = Caseworker.id == Citizen.caseworker_id
    stmt = (
        select(key_col, name_col, func.count(Obligation.id), func.coalesce(func.sum(on_time), 0))
        .select_from(Obligation)
        .join(Citizen, Citizen.id == Obligation.citizen_id)
        .join(entity, join_on)
        .where(
            Obligation.kind.in_(BOOKABLE_KINDS),
            Obligation.holder == "jobcentre",
            Obligation.mandatory.is_(True),
            Obligation.state != ObligationState.waived,
            Obligation.statutory_deadline >= start,
            Obligation.statutory_deadline < min(end, today),
        )
        .group_by(key_col, name_col)
        .order_by(name_col)
    )
    return [Indicator(k, n, int(d), int(t)) for k, n, d, t in session.execute(stmt)]


def weeks_back(today: date, weeks: int) -> list[tuple[date, date]]:
    """The last ``weeks`` whole ISO weeks before today's week, oldest first."""
    monday = today - timedelta(days=today.weekday())
    return [
        (monday - timedelta(weeks=i), monday - timedelta(weeks=i - 1)) for i in range(weeks, 0, -1)
    ]


# --- pages ----------------------------------------------------------------------------------


class Forbidden(ServiceError):
    """The asker may not see this (the web says 403)."""

    def __init__(self, what: str = "object") -> None:
        super().__init__("forbidden", what=what)


@dataclass
class WeeklyPage:
    caseworker: Caseworker
    weekly: WeeklyList


def weekly_page(
    session: Session,
    rules_settings: RulesSettings,
    today: date,
    *,
    asked_id: int | None,
    own_id: int | None,
    own_only: bool,
    indicator_months: int | None = None,
) -> WeeklyPage:
    """The weekly list of caseworker ``asked_id`` (else the asker's own, ``own_id``).

    :class:`NotFound` when there is no such caseworker; :class:`Forbidden` when ``own_only``
    (a caseworker) and the list is another caseworker's.
    """
    wanted = asked_id or own_id
    caseworker = session.get(Caseworker, wanted) if wanted else None
    if caseworker is None:
        raise NotFound("caseworker")
    if own_only and caseworker.id != own_id:
        raise Forbidden("caseworker")
    weekly = weekly_list(
        session,
        today,
        caseworker_id=caseworker.id,
        due_soon_days=rules_settings.due_soon_days,
        lookback_days=rules_settings.overdue_lookback_days,
        indicator_months=indicator_months,
    )
    return WeeklyPage(caseworker, weekly)


@dataclass
class IndicatorColumn:
    start: date
    end: date  # exclusive
    rows: dict[int, Indicator]  # by unit or caseworker id


@dataclass
class ManagerPage:
    weeks: int
    by: Grouping
    columns: list[IndicatorColumn]
    total: dict[int, Indicator]  # the whole period, by unit or caseworker id
    targets: TargetSettings
    groups: list[GroupIndicator] = field(default_factory=list)  # per unit and target group


def manager_page(
    session: Session,
    targets: TargetSettings,
    today: date,
    *,
    weeks: int,
    by: Grouping,
    exemption_warn_share: float,
) -> ManagerPage:
    """The indicator for each of the last ``weeks`` whole weeks and for all of them, and per
    unit and target group against the targets and the law's shares."""
    periods = weeks_back(today, weeks)

    def by_key(start: date, end: date) -> dict[int, Indicator]:
        return {i.key: i for i in indicator(session, start, end, today, by=by)}

    columns = [IndicatorColumn(start, end, by_key(start, end)) for start, end in periods]
    total = by_key(periods[0][0], periods[-1][1])
    groups = group_indicators(
        session, periods[0][0], periods[-1][1], today, warn_at=exemption_warn_share
    )
    return ManagerPage(weeks, by, columns, total, targets, groups)
