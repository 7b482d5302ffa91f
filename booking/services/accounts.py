"""Staff accounts, citizens' personal links and web sessions (the MitID adapter would sit
beside these).

:func:`log_in`, :func:`open_citizen_link`, :func:`add_staff_user`, :func:`issue_citizen_link`,
:func:`revoke_links` and :func:`log_out` are units of work of their own (they commit);
:func:`create_staff` and :func:`revoke_citizen_links` run in the caller's transaction.

A personal link carries the citizen's link version: a new link (or a revocation) raises it, so
every older link stops working. A web session carries the person's session version (and a
citizen's link version): :func:`load_principal` refuses a stale one, and :func:`log_out` raises
it, so a session cookie copied before log-out is worthless after it.
"""

from __future__ import annotations

import secrets

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from ..database import transaction
from ..models import ActorKind, Caseworker, Citizen, Role, StaffUser, utcnow
from ..principal import CitizenPrincipal, StaffPrincipal
from . import audit
from .errors import NotFound, ServiceError
from .security import LinkError, Passwords, make_citizen_token, read_citizen_token


def create_staff(
    session: Session,
    passwords: Passwords,
    *,
    username: str,
    full_name: str,
    password: str,
    role: Role,
    unit_id: int | None = None,
    email: str | None = None,
) -> StaffUser:
    """Add a staff user (runs in the caller's transaction)."""
    user = StaffUser(
        username=username.strip().lower(),
        full_name=full_name,
        password_hash=passwords.hash(password),
        role=role,
        unit_id=unit_id,
        email=email,
    )
    session.add(user)
    session.flush()
    return user


class AccountError(ServiceError):
    """``username_taken``: another staff user has this username."""


def add_staff_user(
    session: Session,
    passwords: Passwords,
    *,
    username: str,
    full_name: str,
    password: str,
    role: Role,
) -> StaffUser:
    """Create a staff user in a transaction of its own; AccountError when the name is taken."""
    with transaction(session):
        taken = session.scalar(
            select(StaffUser.id).where(func.lower(StaffUser.username) == username.strip().lower())
        )
        if taken is not None:
            raise AccountError("username_taken", username=username)
        return create_staff(
            session, passwords, username=username, full_name=full_name, password=password, role=role
        )


MAX_ID = 2**31 - 1  # ids and versions in a session id are PostgreSQL integers


def link_identity(session: Session, citizen_id: int) -> tuple[int, int]:
    """(citizen id, current link version) for a personal link; NotFound for no such citizen."""
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFound("citizen")
    return citizen.id, citizen.link_version


def authenticate(
    session: Session, passwords: Passwords, username: str, password: str
) -> StaffUser | None:
    """Return the active staff user for these credentials, or None (same answer either way).

    The password is checked (and a new hash computed, when the parameters changed) before the
    write transaction, so the slow hashing never holds the write lock; the log-in time and the
    audit entry are committed."""
    user = session.scalar(
        select(StaffUser).where(func.lower(StaffUser.username) == username.strip().lower())
    )
    if user is None or not user.active:
        passwords.hash(password)  # spend the same time as a real check
        return None
    if not passwords.verify(user.password_hash, password):
        return None
    new_hash = passwords.hash(password) if passwords.needs_rehash(user.password_hash) else None
    with transaction(session):
        if new_hash is not None:
            user.password_hash = new_hash
        user.last_login_at = utcnow()
        audit.record(session, actor_kind=ActorKind.staff, actor_id=user.id, action="login")
    return user


def log_in(
    session: Session, passwords: Passwords, username: str, password: str
) -> StaffPrincipal | None:
    """The staff member these credentials belong to, as the web session keeps them (the log-in
    is committed), or None."""
    user = authenticate(session, passwords, username, password)
    return None if user is None else staff_principal(session, user.id)


def staff_principal(session: Session, staff_id: int) -> StaffPrincipal | None:
    user = session.get(StaffUser, staff_id)
    if user is None or not user.active:
        return None
    caseworker_id = session.scalar(select(Caseworker.id).where(Caseworker.staff_user_id == user.id))
    return StaffPrincipal(
        staff_id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        unit_id=user.unit_id,
        caseworker_id=caseworker_id,
        session_version=user.session_version,
    )


# the columns only, the statement built once and run on the session's connection (Core, not
# the ORM's execution path): this runs before every page a citizen opens
_CITIZEN_PRINCIPAL = select(
    Citizen.link_version,
    Citizen.name,
    Citizen.language,
    Citizen.session_version,
    Citizen.page_version,
).where(Citizen.id == bindparam("citizen_id"))


def citizen_principal(
    session: Session, citizen_id: int, link_version: int
) -> CitizenPrincipal | None:
    citizen = session.connection().execute(_CITIZEN_PRINCIPAL, {"citizen_id": citizen_id}).first()
    if citizen is None or citizen.link_version != link_version:
        return None
    return CitizenPrincipal(
        citizen_id=citizen_id,
        link_version=citizen.link_version,
        name=citizen.name,
        language=citizen.language,
        session_version=citizen.session_version,
        page_version=citizen.page_version,
    )


def load_principal(session: Session, user_id: str) -> StaffPrincipal | CitizenPrincipal | None:
    """Flask-Login's user loader: ``s:<id>:<session version>`` or
    ``c:<id>:<link version>:<session version>``; None for any other form (an id from before
    session versions included) and for a version that is not the current one."""
    kind, *rest = user_id.split(":")
    numbers = _positive_ints(rest)
    if kind == "s" and numbers is not None and len(numbers) == 2:
        staff_id, session_version = numbers
        staff = staff_principal(session, staff_id)
        return staff if staff is not None and staff.session_version == session_version else None
    if kind == "c" and numbers is not None and len(numbers) == 3:
        citizen_id, link_version, session_version = numbers
        citizen = citizen_principal(session, citizen_id, link_version)
        if citizen is not None and citizen.session_version == session_version:
            return citizen
    return None


def _positive_ints(parts: list[str]) -> list[int] | None:
    if not all(p.isascii() and p.isdigit() and len(p) <= 10 for p in parts):
        return None
    numbers = [int(p) for p in parts]
    return numbers if all(1 <= n <= MAX_ID for n in numbers) else None


def log_out(session: Session, principal: StaffPrincipal | CitizenPrincipal) -> None:
    """End every web session of this person (the session version rises; committed, audited).
    A citizen's personal link keeps working; a revoked link is :func:`revoke_links`."""
    with transaction(session):
        if isinstance(principal, StaffPrincipal):
            user = session.get(StaffUser, principal.staff_id)
            if user is not None:
                user.session_version = StaffUser.session_version + 1
            audit.record(
                session, actor_kind=ActorKind.staff, actor_id=principal.staff_id, action="logout"
            )
        else:
            citizen = session.get(Citizen, principal.citizen_id)
            if citizen is not None:
                citizen.session_version = Citizen.session_version + 1
            audit.record(
                session,
                actor_kind=ActorKind.citizen,
                actor_id=principal.citizen_id,
                action="citizen_logout",
                citizen_id=principal.citizen_id,
            )


def citizen_link_token(secret: str, citizen: Citizen) -> str:
    return make_citizen_token(secret, citizen.id, citizen.link_version)


def open_citizen_link(
    session: Session, secret: str, token: str, max_age_days: int
) -> CitizenPrincipal:
    """Check a personal link and record that it was opened (committed); raise
    :class:`LinkError` (``expired``, ``invalid``, ``malformed``, ``revoked``) when it cannot be
    used."""
    citizen_id, version = read_citizen_token(secret, token, max_age_days)
    with transaction(session):
        principal = citizen_principal(session, citizen_id, version)
        if principal is None:
            raise LinkError("revoked")
        audit.record(
            session,
            actor_kind=ActorKind.citizen,
            actor_id=citizen_id,
            action="citizen_link_opened",
            citizen_id=citizen_id,
        )
    return principal


def revoke_citizen_links(session: Session, citizen: Citizen) -> int:
    """End every personal link sent so far, and every session opened with one; return the new
    link version (runs in the caller's transaction). One SQL increment, so two at once give two
    versions."""
    citizen.link_version = Citizen.link_version + 1
    session.flush()
    return citizen.link_version


def issue_citizen_link(
    session: Session, citizen_id: int, *, staff_id: int | None = None
) -> tuple[int, int]:
    """A new personal link for the citizen: (citizen id, link version) for
    :func:`~.security.make_citizen_token`. The version rises, so every older link stops working
    (committed, audited: ``citizen_link_issued``). NotFound for no such citizen."""
    with transaction(session):
        citizen = session.get(Citizen, citizen_id)
        if citizen is None:
            raise NotFound("citizen")
        version = revoke_citizen_links(session, citizen)
        audit.record(
            session,
            actor_kind=ActorKind.system if staff_id is None else ActorKind.staff,
            actor_id=staff_id,
            action="citizen_link_issued",
            citizen_id=citizen_id,
            detail={"link_version": version},
        )
    return citizen_id, version


def revoke_links(session: Session, citizen_id: int, *, staff_id: int) -> None:
    """Staff revoke every personal link of the citizen (and the sessions opened with them);
    the citizen needs a new link to log in again. Committed, audited
    (``citizen_links_revoked``). NotFound for no such citizen."""
    with transaction(session):
        citizen = session.get(Citizen, citizen_id)
        if citizen is None:
            raise NotFound("citizen")
        version = revoke_citizen_links(session, citizen)
        audit.record(
            session,
            actor_kind=ActorKind.staff,
            actor_id=staff_id,
            action="citizen_links_revoked",
            citizen_id=citizen_id,
            detail={"link_version": version},
        )


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)
