"""Weekly lists (timely / due within 3 weeks / overdue) and the timeliness indicator, with
the caseworker's and the manager's page built from them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from .. import rules
from ..models import Caseworker, Citizen, Obligation, ObligationState, Programme, Unit
from ..settings import RulesSettings, TargetSettings
from .errors import NotFound, ServiceError
from .obligations import BOOKABLE_KINDS, as_rule_obligation

Grouping = Literal["unit", "caseworker"]


@dataclass
class CitizenLine:
    citizen: Citizen
    status: rules.TimelinessStatus
    next_obligation: Obligation | None


@dataclass
class WeeklyList:
    today: date
    overdue: list[CitizenLine] = field(default_factory=list)
    due_soon: list[CitizenLine] = field(default_factory=list)
    timely: list[CitizenLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.timely)


def weekly_list(
    session: Session,
    today: date,
    *,
    caseworker_id: int | None = None,
    unit_id: int | None = None,
    due_soon_days: int,
    lookback_days: int,
) -> WeeklyList:
    """Citizens of a caseworker (or unit) sorted into overdue / due soon / timely.

    A conversation missed or held late counts as overdue while its statutory deadline lies
    within the last ``lookback_days``; an open one still past its deadline always does.
    """
    stmt = select(Citizen)
    if caseworker_id is not None:
        stmt = stmt.where(Citizen.caseworker_id == caseworker_id)
    if unit_id is not None:
        stmt = stmt.where(Citizen.unit_id == unit_id)
    citizens = list(session.scalars(stmt.order_by(Citizen.name)))
    by_citizen: dict[int, list[Obligation]] = defaultdict(list)
    groups: dict[int, str] = {}
    if citizens:
        ids = [c.id for c in citizens]
        rows = session.execute(
            select(Obligation, Programme.target_group)
            .join(Programme, Programme.id == Obligation.programme_id)
            .where(
                Obligation.citizen_id.in_(ids),
                Obligation.kind.in_(BOOKABLE_KINDS),
                Obligation.holder == "jobcentre",
            )
            .order_by(Obligation.deadline)
        )
        for ob, group in rows:
            by_citizen[ob.citizen_id].append(ob)
            groups[ob.id] = group
    result = WeeklyList(today=today)
    for citizen in citizens:
        obs = by_citizen.get(citizen.id, [])
        converted = [as_rule_obligation(o, groups[o.id]) for o in obs]
        status = rules.timeliness_status(
            converted,
            today,
            due_soon_days=due_soon_days,
            since=today - timedelta(days=lookback_days),
        )
        if status != rules.TimelinessStatus.OVERDUE and any(
            o.fulfilled_on is None
            and o.statutory_deadline < today
            and o.mandatory
            and o.holder == "jobcentre"
            for o in converted
            if o.closes is None or o.closes >= today
        ):
            status = rules.TimelinessStatus.OVERDUE
        pending = [o for o in obs if o.state in (ObligationState.open, ObligationState.booked)]
        line = CitizenLine(citizen, status, pending[0] if pending else None)
        getattr(result, status.value).append(line)
    key = _line_deadline
    result.overdue.sort(key=key)
    result.due_soon.sort(key=key)
    return result


def _line_deadline(line: CitizenLine) -> date:
    return line.next_obligation.deadline if line.next_obligation else date.max


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
    """Share of conversation obligations falling due in [start, end) that were held on time.

    Only deadlines before ``today`` count (a deadline still ahead cannot be judged yet).
    ``by`` is "unit" or "caseworker".
    """
    on_time = case(
        (
            and_(
                Obligation.fulfilled_on.is_not(None), Obligation.fulfilled_on <= Obligation.deadline
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
            Obligation.deadline >= start,
            Obligation.deadline < min(end, today),
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


def manager_page(
    session: Session, targets: TargetSettings, today: date, *, weeks: int, by: Grouping
) -> ManagerPage:
    """The indicator for each of the last ``weeks`` whole weeks and for all of them."""
    periods = weeks_back(today, weeks)

    def by_key(start: date, end: date) -> dict[int, Indicator]:
        return {i.key: i for i in indicator(session, start, end, today, by=by)}

    columns = [IndicatorColumn(start, end, by_key(start, end)) for start, end in periods]
    total = by_key(periods[0][0], periods[-1][1])
    return ManagerPage(weeks, by, columns, total, targets)
