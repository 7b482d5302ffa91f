"""``Idempotency-Key`` on every POST of the API: the same key with the same request gets the
same answer again; the same key with another request is refused.

Before the request runs, :func:`claim` writes a placeholder row (status 0) under the client's
key, so that a second request with the key, arriving while the first still runs, is told
``in_progress`` instead of doing the work twice (the unique constraint on (client, key) decides
the race). :func:`finish` stores the answer in that row; :func:`release` removes it when the
request failed on our side (a 5xx), so that the client may try again with the same key.
Rows older than the retention are removed by :func:`purge`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...database import transaction
from ...models import ApiIdempotentRequest
from ..clock import now_utc

KEY_MAX = 200
PENDING = 0
RETENTION = timedelta(hours=24)
KEPT_HEADERS = ("Location", "Link", "Content-Type")


def request_hash(method: str, path: str, body: bytes) -> str:
    """A fingerprint of the request: the same JSON document in other whitespace or key order
    counts as one and the same."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"),
                               ensure_ascii=False).encode()
    except ValueError:
        canonical = body
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


@dataclass(frozen=True)
class Claim:
    """``outcome``: ``claimed`` (go on; ``row_id`` is the placeholder), ``replay`` (answer with
    ``status``/``body``/``headers``), ``mismatch`` (the key was used for another request) or
    ``in_progress``."""

    outcome: str
    row_id: int | None = None
    status: int = 0
    body: str = ""
    headers: dict[str, Any] | None = None


def claim(session: Session, client_id: int, key: str, *, method: str, path: str,
          fingerprint: str) -> Claim:
    try:
        with transaction(session):
            found = _find(session, client_id, key)
            if found is None:
                row = ApiIdempotentRequest(client_id=client_id, key=key, method=method.upper(),
                                           path=path[:300], request_hash=fingerprint,
                                           status_code=PENDING, body="", headers=None)
                session.add(row)
                session.flush()
                return Claim("claimed", row.id)
    except IntegrityError:  # lost the race to a request with the same key: look again
        found = _find(session, client_id, key)
        if found is None:
            return Claim("in_progress")
    if found.request_hash != fingerprint:
        return Claim("mismatch")
    if found.status_code == PENDING:
        return Claim("in_progress")
    return Claim("replay", found.id, found.status_code, found.body, found.headers)


def _find(session: Session, client_id: int, key: str) -> ApiIdempotentRequest | None:
    return session.scalar(select(ApiIdempotentRequest).where(
        ApiIdempotentRequest.client_id == client_id, ApiIdempotentRequest.key == key
    ).execution_options(populate_existing=True))


def finish(session: Session, row_id: int, *, status: int, body: str,
           headers: dict[str, Any]) -> None:
    """Keep the answer given under the claimed key."""
    with transaction(session):
        row = session.get(ApiIdempotentRequest, row_id)
        if row is not None:
            row.status_code = status
            row.body = body
            row.headers = {k: v for k, v in headers.items() if k in KEPT_HEADERS} or None


def release(session: Session, row_id: int) -> None:
    """Forget the claim (the request failed on our side): the key may be used again."""
    with transaction(session):
        session.execute(delete(ApiIdempotentRequest).where(ApiIdempotentRequest.id == row_id))


def purge(session: Session, *, now: datetime | None = None,
          keep: timedelta = RETENTION) -> int:
    """Remove kept answers older than ``keep``; returns how many."""
    cutoff = (now or now_utc()) - keep
    with transaction(session):
        result = session.execute(
            delete(ApiIdempotentRequest).where(ApiIdempotentRequest.created_at < cutoff)
        )
    return int(getattr(result, "rowcount", 0) or 0)
