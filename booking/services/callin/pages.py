"""The call-in room's session screens, one service call each: the overview, the figures, the
plan form's choices, a session (choose invitees) and its check-in desk.

A screen that shows citizens reads them and records who saw them (:func:`record_seen`) in one
transaction, which it commits; it returns a view-model. A session that does not exist is
:class:`NotFound`. The phone list, the central-booking list and the caseworker's queue are in
:mod:`.list_pages`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...database import transaction
from ...models import Caseworker, GroupSession, Invitation, SessionState, Unit
from ..errors import NotFound
from .board import Board, board, board_version
from .calendar import callin_calendar
from .candidates import Candidate
from .desk import checkin_opens
from .figures import IndicatorPoint, SessionFigures, resource_indicator, session_figures
from .history import record_seen
from .sessions import InvitePreview, capacity, list_sessions, preview, session_day, window_minutes
from .settings import CallinSettings

CANDIDATES_SHOWN = 15  # candidate rows shown beyond the number chosen

SessionRow = tuple[GroupSession, SessionFigures]


@dataclass
class OverviewPage:
    rows: list[SessionRow] = field(default_factory=list)


def overview_page(session: Session, *, now: datetime) -> OverviewPage:
    """The sessions, latest first, each with its figures so far."""
    return OverviewPage([(gs, session_figures(gs, now)) for gs in list_sessions(session)])


@dataclass
class FiguresPage:
    rows: list[SessionRow]
    points: list[IndicatorPoint]


def figures_page(
    session: Session, settings: CallinSettings, *, today: date, now: datetime
) -> FiguresPage:
    """Each session's figures and the resource-programme indicator week by week."""
    rows = [(gs, session_figures(gs, now)) for gs in list_sessions(session)]
    return FiguresPage(rows, resource_indicator(session, today, settings))


UnitPool = tuple[Unit, list[Caseworker]]


def plan_choices(session: Session) -> list[UnitPool]:
    """The plan form's choices: every unit (by name) with its active caseworkers."""
    units = session.scalars(select(Unit).order_by(Unit.name)).all()
    workers = session.scalars(
        select(Caseworker).where(Caseworker.active).order_by(Caseworker.name)
    ).all()
    return [(u, [cw for cw in workers if cw.unit_id == u.id]) for u in units]


@dataclass
class SessionPage:
    group_session: GroupSession
    day: date
    capacity: int
    window: int  # minutes
    figures: SessionFigures
    preview: InvitePreview | None  # None once the session is closed
    shown: list[Candidate]
    invitations: list[Invitation]
    first_letter_day: date  # the first day a letter sent today gives the minimum notice for

    @property
    def letters_allowed(self) -> bool:
        return self.day >= self.first_letter_day


def session_page(
    session: Session,
    session_id: int,
    settings: CallinSettings,
    *,
    staff_id: int | None,
    count: int | None,
    now: datetime,
    today: date,
    optional_closed: Sequence[str],
) -> SessionPage:
    """A session with its candidates (sized for ``count``, else the suggested number) and
    its invitees; audits the citizens shown ("callin_session_view") and commits."""
    with transaction(session):
        gs = session.get(GroupSession, session_id)
        if gs is None:
            raise NotFound("group_session")
        closed = gs.state == SessionState.closed
        pv = None if closed else preview(session, gs, settings, count=count)
        shown = pv.candidates[: pv.chosen + CANDIDATES_SHOWN] if pv else []
        invitations = sorted(gs.invitations, key=lambda i: i.citizen.name)
        record_seen(
            session,
            staff_id,
            "callin_session_view",
            [c.citizen.id for c in shown] + [i.citizen_id for i in invitations],
            object_type="group_session",
            object_id=gs.id,
        )
        return SessionPage(
            group_session=gs,
            day=session_day(gs),
            capacity=capacity(gs),
            window=window_minutes(gs),
            figures=session_figures(gs, now),
            preview=pv,
            shown=shown,
            invitations=invitations,
            first_letter_day=callin_calendar(
                session, settings, optional_closed, today
            ).first_letter_day(today),
        )


@dataclass
class DeskPage:
    group_session: GroupSession
    board: Board
    figures: SessionFigures
    window_over: bool
    checkin_opens: datetime  # when arrivals can be registered
    now: datetime
    version: str  # the board's fingerprint (:func:`.board.board_version`)

    @property
    def checkin_open(self) -> bool:
        return self.now >= self.checkin_opens


def desk_page(
    session: Session,
    session_id: int,
    settings: CallinSettings,
    *,
    staff_id: int | None,
    name_filter: str,
    now: datetime,
) -> DeskPage:
    """The check-in desk's board (invitees not yet arrived filtered by name); audits the
    citizens shown ("callin_desk_view") and commits."""
    with transaction(session):
        gs = session.get(GroupSession, session_id)
        if gs is None:
            raise NotFound("group_session")
        b = board(session, gs, settings, now=now, name_filter=name_filter)
        record_seen(
            session,
            staff_id,
            "callin_desk_view",
            [i.citizen_id for i in (*b.invited, *b.waiting, *b.in_progress)],
            object_type="group_session",
            object_id=gs.id,
        )
        return DeskPage(
            gs,
            b,
            session_figures(gs, now),
            now >= gs.ends_at,
            checkin_opens(gs, settings),
            now,
            board_version(session, gs.id, settings, now=now) or "",
        )
