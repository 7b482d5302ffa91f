"""Whose plans a staff user sees: the units a user plans, and the refusal for the others.

Planners and administrators plan every unit. Call-in staff attached to a unit
(``StaffUser.unit_id``) plan that unit only; call-in staff without a unit are the central
call-in (central indkaldelse) and plan every unit, as they book for every unit. A run, an
obligation or a unit outside the user's units is treated as missing
(:class:`~booking.services.errors.NotFound`, or the refusal ``unknown_unit``), so the pages do
not tell which other units exist.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Role, Unit
from ...principal import StaffPrincipal


def unit_scope(user: StaffPrincipal) -> frozenset[int] | None:
    """The ids of the units ``user`` plans; None: every unit."""
    if user.role == Role.callin and user.unit_id is not None:
        return frozenset({user.unit_id})
    return None


def sees_unit(user: StaffPrincipal, unit_id: int) -> bool:
    scope = unit_scope(user)
    return scope is None or unit_id in scope


def visible_units(session: Session, user: StaffPrincipal) -> list[Unit]:
    """The units the user plans, by name. Reads only."""
    stmt = select(Unit).order_by(Unit.name, Unit.id)
    scope = unit_scope(user)
    if scope is not None:
        stmt = stmt.where(Unit.id.in_(sorted(scope)))
    return list(session.scalars(stmt))
