"""Fixtures of the trust tests: an app on SQLite and on PostgreSQL with one unit, a caseworker,
a manager, a call-in worker and a citizen."""

from __future__ import annotations

import pytest

from booking.db import db
from booking.models import Role
from tests import factories


@pytest.fixture
def people(db_app):
    """Usernames per role and the citizen's id."""
    with db_app.app_context(), db.fresh_session() as s:
        unit = factories.unit(s)
        users = {
            role: factories.staff(s, role, unit_id=unit.id)
            for role in (Role.caseworker, Role.manager, Role.callin, Role.admin)
        }
        cw = factories.caseworker(s, unit, user=users[Role.caseworker])
        citizen = factories.citizen(s, unit, cw=cw)
        s.commit()
        return {
            "users": {role: user.username for role, user in users.items()},
            "staff_ids": {role: user.id for role, user in users.items()},
            "citizen": citizen.id,
        }
