"""Passwords, CPR numbers and citizens' personal links.

CPR numbers are validated with python-stdnum (``stdnum.dk.cpr``), looked up through a keyed
hash (HMAC-SHA256 with a secret key) and shown only masked (``010190-xxxx``). They never reach
a log, a calendar file or a page in clear text.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PayloadError
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError

from .errors import ServiceError

LINK_SALT = "rettidig-citizen-link"
DATABASE_ID = Annotated[int, Field(ge=1, le=2**31 - 1)]  # what a PostgreSQL integer column holds


class CprError(ServiceError):
    """An invalid CPR number. ``code``: ``empty`` (nothing but separators), ``length`` (not
    10 digits), ``format`` (other characters than digits and a hyphen) or ``birth_date``."""


@dataclass(frozen=True)
class CprInfo:
    digest: str
    masked: str
    birth_date: date


def parse_cpr(raw: str, key: str) -> CprInfo:
    """Validate a CPR number and return its keyed hash, masked form and birth date."""
    if not stdnum_cpr.compact(raw or ""):
        raise CprError("empty")
    try:
        number = stdnum_cpr.validate(raw)
    except ValidationError as exc:
        raise CprError(_cpr_code(exc)) from None
    return CprInfo(
        digest=cpr_digest(number, key),
        masked=f"{number[:6]}-xxxx",
        birth_date=stdnum_cpr.get_birth_date(number),
    )


def cpr_digest(number: str, key: str) -> str:
    compact = stdnum_cpr.compact(number)
    return hmac.new(key.encode(), compact.encode(), hashlib.sha256).hexdigest()


def _cpr_code(exc: ValidationError) -> str:
    name = type(exc).__name__
    if name == "InvalidLength":
        return "length"
    if name == "InvalidFormat":
        return "format"
    return "birth_date"


class Passwords:
    """Argon2id password hashing with parameters from config."""

    def __init__(self, time_cost: int = 3, memory_kib: int = 65536) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        return self._hasher.check_needs_rehash(stored)


class LinkError(ServiceError):
    """A personal link that cannot be used. ``code``: ``expired``, ``invalid`` (not signed by
    us, or cut short), ``malformed`` (signed, but not a citizen link) or ``revoked`` (a newer
    link has been sent)."""


class LinkPayload(BaseModel):
    """What a personal link carries, exactly: the citizen's id ``c`` and the link version ``v``,
    both positive ints (not bools, floats or strings); nothing else."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    c: DATABASE_ID
    v: DATABASE_ID


def make_citizen_token(secret: str, citizen_id: int, link_version: int) -> str:
    payload = LinkPayload(c=citizen_id, v=link_version)
    return URLSafeTimedSerializer(secret, salt=LINK_SALT).dumps(payload.model_dump())


def read_citizen_token(secret: str, token: str, max_age_days: int) -> tuple[int, int]:
    """Return (citizen id, link version) or raise :class:`LinkError`."""
    serializer = URLSafeTimedSerializer(secret, salt=LINK_SALT)
    try:
        data = serializer.loads(token, max_age=max_age_days * 86400)
    except SignatureExpired:
        raise LinkError("expired") from None
    except BadSignature:
        raise LinkError("invalid") from None
    try:
        payload = LinkPayload.model_validate(data)
    except PayloadError:
        raise LinkError("malformed") from None
    return payload.c, payload.v
