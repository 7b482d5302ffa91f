"""API keys: one per system around the job centre, with scopes; issued and revoked by admins.

A key reads ``rtd_<prefix>_<secret>``: the prefix (12 hex digits) finds the row, the secret
(32 random bytes, URL-safe base64) proves it. Only the prefix and a SHA-256 hash of the whole
key are stored, so the key is shown once, when issued.

Why a fast hash and not argon2 as for passwords: a password is short and guessable, so its hash
must be slow; a key is 256 random bits, which no amount of hashing speed lets anyone guess, and
it is checked on every request, where argon2 would cost tens of milliseconds each. An unkeyed
hash also survives a rotation of the app's secret key (a keyed one would revoke every key).
The stored form carries its scheme (``sha256$…``) so that it can change later.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...database import transaction
from ...models import ActorKind, ApiClient
from .. import audit
from ..clock import now_utc
from ..errors import FormErrors, NotFound, ServiceError

# what each scope allows; the API's routes name the one they need
SCOPES: dict[str, str] = {
    "citizens:read": "read citizens (CPR masked)",
    "citizens:write": "create citizens (with their first programme)",
    "programmes:read": "read citizens' programmes",
    "history:read": "read held conversations",
    "history:write": "record held conversations",
    "obligations:read": "read obligations (conversations due)",
    "slots:read": "read bookable slots",
    "bookings:read": "read bookings",
    "bookings:write": "book and cancel conversations",
}
PREFIX = "rtd"
_KEY = re.compile(r"^rtd_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
NAME_MAX = 120


@dataclass(frozen=True)
class IssuedKey:
    client: ApiClient
    key: str  # shown once; never stored


def key_hash(key: str) -> str:
    return "sha256$" + hashlib.sha256(key.encode()).hexdigest()


def parse_key(raw: str) -> str | None:
    """The prefix of a well-formed key, else None."""
    match = _KEY.match(raw.strip())
    return match[1] if match else None


def _checked(name: str, scopes: list[str]) -> tuple[str, list[str]]:
    name = " ".join(name.split())
    fields: dict[str, ServiceError] = {}
    if not name:
        fields["name"] = ServiceError("required")
    elif len(name) > NAME_MAX:
        fields["name"] = ServiceError("too_long", max=NAME_MAX)
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        fields["scopes"] = ServiceError("unknown_scope", scopes=", ".join(unknown))
    elif not scopes:
        fields["scopes"] = ServiceError("required")
    if fields:
        raise FormErrors(fields)
    return name, sorted(set(scopes))


def issue(session: Session, name: str, scopes: list[str], *, staff_id: int | None) -> IssuedKey:
    """A new client with a new key (committed; audited as ``api_key_issued``). FormErrors:
    ``name`` required / too_long / ``name_taken``; ``scopes`` required / unknown_scope."""
    name, scopes = _checked(name, scopes)
    prefix = secrets.token_hex(6)
    key = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    try:
        with transaction(session):
            if session.scalar(select(ApiClient.id).where(ApiClient.name == name)) is not None:
                raise FormErrors({"name": ServiceError("name_taken")})
            client = ApiClient(name=name, key_prefix=prefix, key_hash=key_hash(key),
                               scopes=scopes, created_by_staff_id=staff_id)
            session.add(client)
            session.flush()
            _audit(session, staff_id, "api_key_issued", client, {"scopes": scopes})
    except IntegrityError:  # the same name issued at the same moment
        raise FormErrors({"name": ServiceError("name_taken")}) from None
    return IssuedKey(client, key)


def revoke(session: Session, client_id: int, *, staff_id: int | None) -> ApiClient:
    """Revoke the client's key from now on (committed; revoking twice changes nothing)."""
    with transaction(session):
        client = session.get(ApiClient, client_id)
        if client is None:
            raise NotFound("api_client")
        if client.revoked_at is None:
            client.revoked_at = now_utc()
            _audit(session, staff_id, "api_key_revoked", client, None)
    return client


def find_by_name(session: Session, name: str) -> ApiClient:
    client = session.scalar(select(ApiClient).where(ApiClient.name == " ".join(name.split())))
    if client is None:
        raise NotFound("api_client")
    return client


def clients(session: Session) -> list[ApiClient]:
    """Every client, live ones first, newest first."""
    rows = session.scalars(select(ApiClient).order_by(ApiClient.created_at.desc(),
                                                      ApiClient.id.desc()))
    return sorted(rows, key=lambda c: c.revoked_at is not None)


def authenticate(session: Session, raw: str, *, now: datetime | None = None) -> ApiClient | None:
    """The live client whose key this is, else None; notes when it was last used (at most
    once a minute, so reads stay reads)."""
    prefix = parse_key(raw)
    if prefix is None:
        return None
    client = session.scalar(select(ApiClient).where(ApiClient.key_prefix == prefix))
    if client is None or not hmac.compare_digest(client.key_hash, key_hash(raw.strip())):
        return None
    if client.revoked_at is not None:
        return None
    now = now or now_utc()
    last = client.last_used_at
    if last is None or (now - last).total_seconds() >= 60:
        with transaction(session):
            client.last_used_at = now
    return client


def _audit(session: Session, staff_id: int | None, action: str, client: ApiClient,
           detail: dict[str, object] | None) -> None:
    audit.record(session, actor_kind=ActorKind.staff if staff_id else ActorKind.system,
                 actor_id=staff_id, action=action, object_type="api_client",
                 object_id=client.id, detail={"name": client.name, **(detail or {})})
