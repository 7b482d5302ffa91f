"""Recompute every citizen's stored obligations under the sets in force (after a migration or
a new rule set) and report what moved.

One transaction: either every citizen is recomputed or none is; ``dry_run`` rolls it back
after counting. The report counts per target group the obligations added, removed and moved
(deadline or statutory deadline changed), and checks that every live booking and pending group
call-in invitation still holds an obligation. A booked row whose step is no longer computed
hands its booking to a fitting open step of the same programme (same kind and holder, the
booked day within its period: *rehomed*); failing that it is kept (*orphaned*) and listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...database import transaction
from ...models import Booking, BookingState, Citizen, Invitation, Programme
from ..obligations import PENDING_INVITATION, Refresh, refresh, rehome_bookings
from .context import LawConfig, law_context


@dataclass
class GroupCounts:
    added: int = 0
    removed: int = 0
    moved: int = 0
    rehomed: int = 0  # bookings moved to the step that replaced theirs
    orphaned: int = 0


@dataclass
class RecomputeReport:
    today: date
    dry_run: bool
    citizens: int = 0
    groups: dict[str, GroupCounts] = field(default_factory=dict)
    booked: int = 0  # live bookings and invitations holding an obligation before
    kept: int = 0  # of them, still holding one after
    orphaned: list[tuple[int, str]] = field(default_factory=list)  # (citizen, step key)

    @property
    def lost(self) -> int:
        return self.booked - self.kept

    def group(self, name: str) -> GroupCounts:
        return self.groups.setdefault(name, GroupCounts())


class _RollBack(Exception):
    """Ends a dry run's transaction (rolled back) once the report is made."""


def recompute_all(
    session: Session, today: date, *, config: LawConfig | None = None, dry_run: bool = False
) -> RecomputeReport:
    """Recompute all citizens' obligations as of ``today`` (see the module docstring)."""
    report = RecomputeReport(today, dry_run)
    try:
        with transaction(session):
            _recompute(session, today, config, report)
            if dry_run:
                raise _RollBack
    except _RollBack:
        pass
    return report


def _recompute(
    session: Session, today: date, config: LawConfig | None, report: RecomputeReport
) -> None:
    context = law_context(session, config, around=today)
    groups = {pid: group for pid, group in
              session.execute(select(Programme.id, Programme.target_group))}
    citizens = list(session.scalars(
        select(Citizen)
        .options(selectinload(Citizen.programmes).selectinload(Programme.pauses),
                 selectinload(Citizen.conversations))
        .order_by(Citizen.id)
    ))
    before = _live_links(session)
    report.booked = len(before)
    for group in sorted(set(groups.values())):
        report.group(group)
    for citizen in citizens:
        result = refresh(session, citizen, today, law=context)
        report.citizens += 1
        _count(report, groups, result)
        if result.orphaned:
            rehomed = rehome_bookings(session, result)
            if rehomed:
                first = result
                result = refresh(session, citizen, today, law=context)
                _count(report, groups, result)
                report.group(groups.get(first.orphaned[0].programme_id, "?")).rehomed += rehomed
        for row in result.orphaned:
            report.group(groups.get(row.programme_id, "?")).orphaned += 1
            report.orphaned.append((citizen.id, row.step_key))
    session.flush()
    after = _live_links(session)
    report.kept = sum(1 for link in before if after.get(link) is not None)


def _live_links(session: Session) -> dict[tuple[str, int], int]:
    """Each live booking and pending invitation that holds an obligation, and which."""
    links: dict[tuple[str, int], int] = {}
    for booking_id, ob_id in session.execute(
        select(Booking.id, Booking.obligation_id).where(Booking.state == BookingState.booked)
    ):
        if ob_id is not None:
            links[("booking", booking_id)] = ob_id
    for invitation_id, ob_id in session.execute(
        select(Invitation.id, Invitation.obligation_id)
        .where(Invitation.state.in_(PENDING_INVITATION))
    ):
        if ob_id is not None:
            links[("invitation", invitation_id)] = ob_id
    return links


def _count(report: RecomputeReport, groups: dict[int, str], result: Refresh) -> None:
    for row in result.added:
        report.group(groups.get(row.programme_id, "?")).added += 1
    for row, _before in result.moved:
        report.group(groups.get(row.programme_id, "?")).moved += 1
    for programme_id, _key, _deadline, _statutory in result.removed:
        report.group(groups.get(programme_id, "?")).removed += 1
