"""Factories for test data: small, explicit, valid by default."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy.orm import Session

from booking.models import Caseworker, Citizen, Programme, Role, StaffUser, Unit
from booking.services.accounts import new_calendar_token
from booking.services.security import Passwords, cpr_digest

_seq = itertools.count(1)
PASSWORD = "correct horse battery"
CPR_KEY = "dev-only-cpr-key"


def unit(session: Session, code: str | None = None) -> Unit:
    n = next(_seq)
    u = Unit(code=code or f"U{n}", name=f"Enhed {n}")
    session.add(u)
    session.flush()
    return u


def staff(
    session: Session,
    role: Role,
    *,
    username: str | None = None,
    unit_id: int | None = None,
    password: str = PASSWORD,
) -> StaffUser:
    n = next(_seq)
    user = StaffUser(
        username=username or f"{role.value}{n}",
        full_name=f"{role.value.title()} {n}",
        password_hash=Passwords(1, 8192).hash(password),
        role=role,
        unit_id=unit_id,
    )
    session.add(user)
    session.flush()
    return user


def caseworker(session: Session, unit_obj: Unit, *, user: StaffUser | None = None) -> Caseworker:
    n = next(_seq)
    cw = Caseworker(
        unit_id=unit_obj.id,
        name=f"Sagsbehandler {n}",
        initials=f"SB{n}",
        staff_user_id=user.id if user else None,
        max_per_day=6,
        calendar_token=new_calendar_token(),
    )
    session.add(cw)
    session.flush()
    return cw


def citizen(
    session: Session,
    unit_obj: Unit,
    *,
    cw: Caseworker | None = None,
    group: str = "cash_benefit",
    start: date = date(2027, 1, 4),
    rule_set: str = "lab-2024",
    birth: date = date(1990, 1, 1),
) -> Citizen:
    n = next(_seq)
    number = (
        f"{birth:%d%m%y}{1000 + n:04d}"[:10] if birth.year < 2000 else f"{birth:%d%m%y}4{n:03d}"
    )
    c = Citizen(
        cpr_hash=cpr_digest(number, CPR_KEY),
        cpr_masked=f"{number[:6]}-xxxx",
        birth_date=birth,
        name=f"Borger {n}",
        unit_id=unit_obj.id,
        caseworker_id=cw.id if cw else None,
        email=f"borger{n}@example.org",
        phone="+45 20 30 40 50",
    )
    c.programmes.append(Programme(target_group=group, start_date=start, rule_set_code=rule_set))
    session.add(c)
    session.flush()
    return c
