"""Staff accounts as the administrator keeps them: create, edit name, e-mail, role and unit,
deactivate and re-activate, and one-time links that set a new password.

Every function is a unit of work of its own (it commits) and audits what it changed
(``admin.user_created``, ``admin.role_changed``, ``admin.unit_changed``, ``admin.user_updated``,
``admin.user_deactivated``, ``admin.user_reactivated``, ``admin.password_link_issued``,
``password_reset``). A refusal raises :class:`AdminError` and changes nothing.

A caseworker account has a :class:`~booking.models.Caseworker` row (unit, initials) so it can
hold conversations; it follows the account's name, unit and state, and is kept (inactive) when
the account stops being a caseworker, so its history stays.

A password link is signed (itsdangerous) over the user's id, a fingerprint of the current
password hash and the session version. Setting the password changes the hash and raises the
version, so the link works once; a newer link raises the version too, so only the newest one
works (and the user's open web sessions end, as a reset should).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PayloadError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..database import transaction
from ..models import ActorKind, Caseworker, OutboxChannel, Role, StaffUser, Unit
from . import audit, letters, outbox
from .accounts import new_calendar_token
from .clock import now_utc
from .errors import FormErrors, NotFound, ServiceError
from .security import DATABASE_ID, Passwords

RESET_SALT = "rettidig-password-reset"
PASSWORD_MIN = 12
PASSWORD_MAX = 200
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
RESET_MAIL = "staff_password_link.txt"


class AdminError(ServiceError):
    """A refused change of a staff account. ``code``: ``username_taken``, ``username_invalid``,
    ``email_invalid``, ``unit_required`` (a caseworker needs a unit), ``unit_unknown``,
    ``own_account`` (an administrator cannot deactivate themselves or change their own role),
    ``last_admin`` (the last active administrator stays), ``already_active``,
    ``already_inactive``, ``password_short``, ``password_long``, ``password_is_username``."""


class ResetLinkError(ServiceError):
    """A password link that cannot be used: ``expired``, ``invalid`` (not ours, cut short,
    or not a password link) or ``used`` (used already, or replaced by a newer link, or the
    account is deactivated)."""


@dataclass(frozen=True)
class UserInput:
    """What the administrator's form says about an account (``username`` only on creation)."""

    full_name: str
    role: Role
    unit_id: int | None = None
    email: str | None = None
    initials: str | None = None
    username: str = ""


@dataclass(frozen=True)
class PasswordLink:
    user_id: int
    full_name: str
    url: str
    expires_at: datetime
    emailed_to: str | None  # the address it was queued to, or None


@dataclass(frozen=True)
class ResetTarget:
    """Whom a valid password link belongs to (the reset page greets them)."""

    user_id: int
    username: str
    full_name: str


class _ResetPayload(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    u: DATABASE_ID
    p: str
    v: DATABASE_ID


# --- create and edit --------------------------------------------------------------------------


def create_user(
    session: Session, passwords: Passwords, data: UserInput, *, actor_id: int, secret: str,
    hours: int, link: Callable[[str], str],
) -> tuple[StaffUser, PasswordLink]:
    """A new staff account with an unknown password and a one-time link to set one (shown to
    the administrator; e-mailed too when the account has an address). Committed, audited
    (``admin.user_created``, ``admin.password_link_issued``)."""
    username = data.username.strip().lower()
    problems = _check(session, data)
    if not USERNAME_PATTERN.fullmatch(username):
        problems["username"] = AdminError("username_invalid")
    if "username" not in problems and _username_taken(session, username):
        problems["username"] = AdminError("username_taken", username=username)
    if problems:
        raise FormErrors(problems)
    unusable = passwords.hash(secrets.token_urlsafe(32))  # hashed before the write lock
    with transaction(session):
        user = StaffUser(
            username=username,
            full_name=data.full_name.strip(),
            email=_email(data.email),
            password_hash=unusable,
            role=data.role,
            unit_id=data.unit_id,
            active=True,
        )
        session.add(user)
        session.flush()
        _sync_caseworker(session, user, data.initials)
        _record(session, actor_id, "admin.user_created", user,
                {"username": username, "role": data.role.value, "unit_id": data.unit_id})
        made = _issue(session, user, actor_id=actor_id, secret=secret, hours=hours, link=link)
    return user, made


def update_user(session: Session, user_id: int, data: UserInput, *, actor_id: int) -> StaffUser:
    """Change an account's name, e-mail, role, unit and (caseworkers) initials. A new role ends
    the user's web sessions. Committed, audited: ``admin.role_changed``, ``admin.unit_changed``,
    ``admin.user_updated`` (which fields), one entry each. :class:`NotFound`; FormErrors."""
    with transaction(session):
        admins = _lock_admins(session)
        user = _user(session, user_id, lock=True)
        problems = _check(session, data)
        if data.role != user.role:
            if user.id == actor_id:
                problems["role"] = AdminError("own_account")
            elif user.role == Role.admin and user.active and _other_admins(admins, user.id) == 0:
                problems["role"] = AdminError("last_admin")
        if problems:
            raise FormErrors(problems)
        if data.role != user.role:
            _record(session, actor_id, "admin.role_changed", user,
                    {"from": user.role.value, "to": data.role.value})
            user.role = data.role
            user.session_version = StaffUser.session_version + 1
        if data.unit_id != user.unit_id:
            _record(session, actor_id, "admin.unit_changed", user,
                    {"from": user.unit_id, "to": data.unit_id})
            user.unit_id = data.unit_id
        changed = []
        if data.full_name.strip() != user.full_name:
            user.full_name = data.full_name.strip()
            changed.append("full_name")
        if _email(data.email) != user.email:
            user.email = _email(data.email)
            changed.append("email")
        session.flush()
        if _sync_caseworker(session, user, data.initials):
            changed.append("initials")
        if changed:
            _record(session, actor_id, "admin.user_updated", user, {"fields": changed})
    return user


def set_active(session: Session, user_id: int, active: bool, *, actor_id: int) -> StaffUser:
    """Deactivate (its web sessions end, it cannot log in) or re-activate an account.
    Committed, audited (``admin.user_deactivated``/``admin.user_reactivated``). Refused:
    ``own_account``, ``last_admin``, ``already_active``/``already_inactive``; NotFound."""
    with transaction(session):
        admins = _lock_admins(session)
        user = _user(session, user_id, lock=True)
        if user.active == active:
            raise AdminError("already_active" if active else "already_inactive")
        if not active:
            if user.id == actor_id:
                raise AdminError("own_account")
            if user.role == Role.admin and _other_admins(admins, user.id) == 0:
                raise AdminError("last_admin")
            user.session_version = StaffUser.session_version + 1
        user.active = active
        session.flush()
        _sync_caseworker(session, user, None)
        action = "admin.user_reactivated" if active else "admin.user_deactivated"
        _record(session, actor_id, action, user, {"username": user.username})
    return user


def _check(session: Session, data: UserInput) -> dict[str, ServiceError]:
    problems: dict[str, ServiceError] = {}
    if data.email is not None and data.email.strip() and not _email_ok(data.email.strip()):
        problems["email"] = AdminError("email_invalid")
    if data.unit_id is not None and session.get(Unit, data.unit_id) is None:
        problems["unit"] = AdminError("unit_unknown")
    elif data.role == Role.caseworker and data.unit_id is None:
        problems["unit"] = AdminError("unit_required")
    return problems


def _email_ok(address: str) -> bool:
    local, at, domain = address.partition("@")
    return bool(at and local and "." in domain and " " not in address and len(address) <= 200)


def _email(raw: str | None) -> str | None:
    return raw.strip() or None if raw is not None else None


def _username_taken(session: Session, username: str) -> bool:
    found = session.scalar(select(StaffUser.id).where(func.lower(StaffUser.username) == username))
    return found is not None


def _user(session: Session, user_id: int, *, lock: bool = False) -> StaffUser:
    stmt = select(StaffUser).where(StaffUser.id == user_id)
    stmt = stmt.with_for_update() if lock else stmt
    user = session.scalar(stmt.execution_options(populate_existing=True))
    if user is None:
        raise NotFound("staff_user")
    return user


def _lock_admins(session: Session) -> list[int]:
    """The active administrators' ids, their rows locked in id order (PostgreSQL) before the
    account being changed is: two administrators demoting each other at once wait for each
    other (no deadlock), and the second sees the first's change, so none cannot be left."""
    return list(session.scalars(
        select(StaffUser.id).where(StaffUser.role == Role.admin, StaffUser.active.is_(True))
        .order_by(StaffUser.id).with_for_update()
    ))


def _other_admins(admins: list[int], user_id: int) -> int:
    return len([i for i in admins if i != user_id])


def _sync_caseworker(session: Session, user: StaffUser, initials: str | None) -> bool:
    """Give a caseworker account its Caseworker row (or bring it in line: name, unit, state);
    other roles keep theirs inactive. True when the initials changed."""
    cw = session.scalar(select(Caseworker).where(Caseworker.staff_user_id == user.id))
    wanted = (initials or "").strip().upper()[:8]
    if user.role != Role.caseworker:
        if cw is not None and cw.active:
            cw.active = False
        return False
    assert user.unit_id is not None  # _check: a caseworker has a unit
    if cw is None:
        cw = Caseworker(
            staff_user_id=user.id,
            unit_id=user.unit_id,
            name=user.full_name,
            initials=wanted or _initials(user.full_name),
            calendar_token=new_calendar_token(),
            active=user.active,
        )
        session.add(cw)
        session.flush()
        return False
    cw.name, cw.unit_id, cw.active = user.full_name, user.unit_id, user.active
    if wanted and wanted != cw.initials:
        cw.initials = wanted
        return True
    return False


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split() if part)[:8].upper() or "?"


def _record(
    session: Session, actor_id: int, action: str, user: StaffUser, detail: dict[str, object]
) -> None:
    audit.record(session, actor_kind=ActorKind.staff, actor_id=actor_id, action=action,
                 object_type="staff_user", object_id=user.id, detail=detail)


# --- one-time password links ------------------------------------------------------------------


def issue_password_link(
    session: Session, user_id: int, *, actor_id: int, secret: str, hours: int,
    link: Callable[[str], str],
) -> PasswordLink:
    """A one-time link that sets a new password for an active account (``link`` makes the URL
    of a token). Older links stop working and the user's web sessions end. E-mailed through
    the outbox when the account has an address. Committed, audited
    (``admin.password_link_issued``). NotFound; ``already_inactive`` for a deactivated one."""
    with transaction(session):
        user = _user(session, user_id, lock=True)
        if not user.active:
            raise AdminError("already_inactive")
        user.session_version = StaffUser.session_version + 1
        session.flush()
        session.refresh(user, ["session_version"])
        return _issue(session, user, actor_id=actor_id, secret=secret, hours=hours, link=link)


def _issue(
    session: Session, user: StaffUser, *, actor_id: int, secret: str, hours: int,
    link: Callable[[str], str],
) -> PasswordLink:
    payload = _ResetPayload(u=user.id, p=_fingerprint(user.password_hash), v=user.session_version)
    token = URLSafeTimedSerializer(secret, salt=RESET_SALT).dumps(payload.model_dump())
    url = link(token)
    expires_at = now_utc() + timedelta(hours=hours)
    if user.email:
        text = letters.render(RESET_MAIL, full_name=user.full_name, username=user.username,
                              url=url, expires_at=expires_at)
        outbox.enqueue(session, channel=OutboxChannel.email, recipient=user.email,
                       subject=text.subject, body=text.body)
    _record(session, actor_id, "admin.password_link_issued", user,
            {"hours": hours, "emailed": bool(user.email)})
    return PasswordLink(user.id, user.full_name, url, expires_at, user.email)


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _read(session: Session, secret: str, token: str, hours: int, *, lock: bool) -> StaffUser:
    serializer = URLSafeTimedSerializer(secret, salt=RESET_SALT)
    try:
        raw = serializer.loads(token, max_age=hours * 3600)
    except SignatureExpired:
        raise ResetLinkError("expired") from None
    except BadSignature:
        raise ResetLinkError("invalid") from None
    try:
        payload = _ResetPayload.model_validate(raw)
    except PayloadError:
        raise ResetLinkError("invalid") from None
    stmt = select(StaffUser).where(StaffUser.id == payload.u)
    stmt = stmt.with_for_update() if lock else stmt
    user = session.scalar(stmt.execution_options(populate_existing=True))
    if (
        user is None
        or not user.active
        or user.session_version != payload.v
        or _fingerprint(user.password_hash) != payload.p
    ):
        raise ResetLinkError("used")
    return user


def check_password_link(session: Session, secret: str, token: str, hours: int) -> ResetTarget:
    """Whom a usable link belongs to; :class:`ResetLinkError` otherwise (nothing written)."""
    user = _read(session, secret, token, hours, lock=False)
    return ResetTarget(user.id, user.username, user.full_name)


def check_password(password: str, username: str) -> None:
    """The password rule: ``password_short`` (under PASSWORD_MIN characters),
    ``password_long`` or ``password_is_username``."""
    if len(password) < PASSWORD_MIN:
        raise AdminError("password_short", least=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        raise AdminError("password_long", most=PASSWORD_MAX)
    if password.strip().lower() == username.lower():
        raise AdminError("password_is_username")


def use_password_link(
    session: Session, passwords: Passwords, secret: str, token: str, hours: int, password: str
) -> ResetTarget:
    """Set the password a link was made for; the link stops working and the user's web
    sessions end. Committed, audited (``password_reset``, by the user). ResetLinkError;
    AdminError for a password the rule refuses."""
    target = check_password_link(session, secret, token, hours)
    check_password(password, target.username)
    new_hash = passwords.hash(password)  # the slow part, before the write lock
    with transaction(session):
        user = _read(session, secret, token, hours, lock=True)  # again: used meanwhile?
        user.password_hash = new_hash
        user.session_version = StaffUser.session_version + 1
        audit.record(session, actor_kind=ActorKind.staff, actor_id=user.id,
                     action="password_reset", object_type="staff_user", object_id=user.id)
    return target
