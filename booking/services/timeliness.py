"""The timeliness indicator, and the caseworker's and the manager's pages built from it and
from the weekly list (:mod:`booking.services.law.weekly`, re-exported here).

"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..database import transaction
from ..models import ActorKind, Caseworker, Citizen, Obligation, ObligationState, Unit
from ..settings import RulesSettings, TargetSettings
from . import audit
from .errors import NotFound, ServiceError
from .law.indicator import GroupIndicator, group_indicators
from .law.weekly import CitizenLine, Status, WeeklyList, classify, weekly_list
from .obligations import BOOKABLE_KINDS

Grouping = Literal["unit", "caseworker"]

__all__ = [
    "CitizenLine", "DayCount", "Forbidden", "Grouping", "Indicator", "ManagerPage", "Status",
    "WeeklyList", "WeeklyPage", "classify", "daily_counts", "indicator", "manager_page",
    "weekly_list", "weekly_page", "weeks_back",
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


def _judged(start: date, end: date, today: date) -> list[ColumnElement[bool]]:
    """The obligations the indicator judges: the job centre's mandatory conversations, not
    exempted, with a statutory deadline in ``[start, end)`` and before ``today``."""
    return [
        Obligation.kind.in_(BOOKABLE_KINDS),
        Obligation.holder == "jobcentre",
        Obligation.mandatory.is_(True),
        Obligation.state != ObligationState.waived,
        Obligation.statutory_deadline >= start,
        Obligation.statutory_deadline < min(end, today),
    ]


def _on_time() -> Any:
    return case(
        (
            and_(
                Obligation.fulfilled_on.is_not(None),
                Obligation.fulfilled_on <= Obligation.statutory_deadline,
            ),
            1,
        ),
        else_=0,
    )


def _grouping(by: Grouping) -> tuple[type[Unit] | type[Caseworker], InstrumentedAttribute[int],
                                     InstrumentedAttribute[str], ColumnElement[bool]]:
    if by == "unit":
        return Unit, Unit.id, Unit.name, Unit.id == Citizen.unit_id
    return Caseworker, Caseworker.id, Caseworker.name, Caseworker.id == Citizen.caseworker_id


def indicator(
    session: Session, start: date, end: date, today: date, *, by: Grouping = "unit"
) -> list[Indicator]:
    """Share of conversation obligations whose statutory deadline falls in [start, end) that
    were held on or before it. Only deadlines before ``today`` count (one still ahead cannot be
    judged yet); exempted obligations are not due. ``by`` is "unit" or "caseworker"."""
    entity, key_col, name_col, join_on = _grouping(by)
    stmt = (
        select(key_col, name_col, func.count(Obligation.id),
               func.coalesce(func.sum(_on_time()), 0))
        .select_from(Obligation)
        .join(Citizen, Citizen.id == Obligation.citizen_id)
        .join(entity, join_on)
        .where(*_judged(start, end, today))
        .group_by(key_col, name_col)
        .order_by(name_col)
    )
    return [Indicator(k, n, int(d), int(t)) for k, n, d, t in session.execute(stmt)]


@dataclass(frozen=True)
class DayCount:
    key: int
    name: str
    day: date  # the statutory deadline
    due: int
    on_time: int


def daily_counts(
    session: Session, start: date, end: date, today: date, *, by: Grouping = "unit"
) -> list[DayCount]:
    """The indicator's counts per unit (or caseworker) and statutory deadline day, in one
    query, for callers that sum them into weeks (the same obligations :func:`indicator`
    judges)."""
    entity, key_col, name_col, join_on = _grouping(by)
    stmt = (
        select(key_col, name_col, Obligation.statutory_deadline, func.count(Obligation.id),
               func.coalesce(func.sum(_on_time()), 0))
        .select_from(Obligation)
        .join(Citizen, Citizen.id == Obligation.citizen_id)
        .join(entity, join_on)
        .where(*_judged(start, end, today))
        .group_by(key_col, name_col, Obligation.statutory_deadline)
    )
    return [DayCount(k, n, d, int(due), int(t)) for k, n, d, due, t in session.execute(stmt)]


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
    caseworker: Caseworker | None  # None: a manager has not chosen whose list yet
    weekly: WeeklyList | None
    # the active caseworkers a manager may choose from (empty for a caseworker)
    choices: list[Caseworker] = field(default_factory=list)


def weekly_page(
    session: Session,
    rules_settings: RulesSettings,
    today: date,
    *,
    asked_id: int | None,
    own_id: int | None,
    own_only: bool,
    indicator_months: int | None = None,
    viewer_staff_id: int | None = None,
) -> WeeklyPage:
    """The weekly list of caseworker ``asked_id`` (else the asker's own, ``own_id``).

    :class:`NotFound` when there is no such caseworker; :class:`Forbidden` when ``own_only``
    (a caseworker) and the list is another caseworker's. With ``viewer_staff_id`` the citizens
    shown are audited as one entry (``weekly_list_view``) and committed.
    """
    wanted = asked_id or own_id
    choices = [] if own_only else list(session.scalars(
        select(Caseworker).where(Caseworker.active).order_by(Caseworker.name)))
    if wanted is None and not own_only:
        return WeeklyPage(None, None, choices)
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
    if viewer_staff_id is not None:
        with transaction(session):
            audit.record_list(
                session, actor_kind=ActorKind.staff, actor_id=viewer_staff_id,
                action="weekly_list_view", citizen_ids=[line.citizen.id for line in weekly.lines],
                object_type="caseworker", object_id=caseworker.id,
            )
    return WeeklyPage(caseworker, weekly, choices)


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
