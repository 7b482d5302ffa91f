"""The call-in room's list screens, one service call each: the phone list of no-shows, the
central-booking list and a caseworker's own queue.

Each reads the citizens it shows and records who saw them (:func:`record_seen`) in one
transaction, which it commits, and returns a view-model. A caseworker that does not exist is
:class:`NotFound`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from ...database import transaction
from ...models import Caseworker, GroupSession
from ..central import CentralItem, central_booking_list
from ..clock import zone
from ..errors import NotFound
from .board import QueueView, queue_for, queue_version
from .calendar import callin_calendar
from .history import record_seen
from .phone_list import PhoneLine, phone_list, upcoming_targets
from .settings import CallinSettings

CENTRAL_SHOWN = 200  # rows of the central-booking list shown (and audited)


@dataclass
class PhonePage:
    lines: list[PhoneLine]
    targets: list[GroupSession]  # sessions a new time can be agreed in (with notice)
    today: date
    first_day: date  # the first day a letter sent today gives the minimum notice for


def phone_page(
    session: Session,
    settings: CallinSettings,
    *,
    staff_id: int | None,
    now: datetime,
    optional_closed: Sequence[str],
) -> PhonePage:
    """The phone list and the sessions a call can agree a new time in; audits the citizens
    shown ("callin_phone_list_view") and commits."""
    today = now.astimezone(zone()).date()
    with transaction(session):
        lines = phone_list(session, settings, today)
        first_day = callin_calendar(session, settings, optional_closed, today).first_letter_day(
            today
        )
        targets = upcoming_targets(session, now, first_day)
        record_seen(
            session,
            staff_id,
            "callin_phone_list_view",
            [line.citizen.id for line in lines],
            object_type="phone_list",
            object_id=None,
        )
        return PhonePage(lines, targets, today, first_day)


@dataclass
class CentralPage:
    items: list[CentralItem]  # all of them; the page shows the first CENTRAL_SHOWN
    today: date


def central_page(
    session: Session, today: date, *, local_days: int, staff_id: int | None
) -> CentralPage:
    """Citizens the job centre must book centrally; audits the citizens shown
    ("callin_central_list_view") and commits."""
    with transaction(session):
        items = central_booking_list(session, today, local_days=local_days)
        record_seen(
            session,
            staff_id,
            "callin_central_list_view",
            [item.obligation.citizen_id for item in items[:CENTRAL_SHOWN]],
            object_type="central_list",
            object_id=None,
        )
        return CentralPage(items, today)


@dataclass
class QueuePage:
    caseworker: Caseworker
    views: list[QueueView]
    version: str  # the screen's fingerprint (:func:`.board.queue_version`)


def queue_page(
    session: Session, caseworker_id: int, *, staff_id: int | None, today: date
) -> QueuePage:
    """A caseworker's own screen for today's group sessions; audits the citizens they talk to
    now ("callin_queue_view") and commits."""
    with transaction(session):
        caseworker = session.get(Caseworker, caseworker_id)
        if caseworker is None:
            raise NotFound("caseworker")
        views = queue_for(session, caseworker.id, today)
        record_seen(
            session,
            staff_id,
            "callin_queue_view",
            [v.current.citizen_id for v in views if v.current],
            object_type="caseworker_queue",
            object_id=caseworker.id,
        )
        return QueuePage(caseworker, views, queue_version(session, caseworker.id, today))
