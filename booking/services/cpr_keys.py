"""Rotating the CPR hash key: look-ups that fall back to the previous key, and a sweep that
moves every row to the current key.

A CPR number is never stored, only its keyed hash (HMAC-SHA256 under ``[security]
cpr_hash_key``) beside the birth date. During a rotation ``cpr_hash_key_previous`` holds the
old key:

- :func:`find_citizen` (the staff look-up) tries the current key, then the previous one, and
  moves a row found by the previous key to the current key;
- :func:`rehash_all` (``flask --app booking cpr-rehash``) moves every other row too. It can,
  because the birth date leaves at most 6,000 numbers per row (four digits, of which the first
  must fit the birth year's century): it hashes each of them under the previous key and so
  learns the number of each row that key made, in memory only, and stores its hash under the
  current key. The same search is why a copy of the database plus a leaked key gives back
  every CPR number, and why the key must be long, secret and rotated when it may have leaked.

:func:`find_citizen` runs in the caller's transaction; :func:`rehash_all` commits its own
batches.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError

from ..database import transaction
from ..models import ActorKind, Citizen
from ..settings import SecuritySettings
from . import audit
from .security import cpr_digest

BATCH = 500  # rows re-hashed per write transaction of a sweep


@dataclass(frozen=True)
class CprKeys:
    """The current key and the one before the last rotation ("" for none)."""

    current: str
    previous: str

    @classmethod
    def from_settings(cls, security: SecuritySettings) -> CprKeys:
        return cls(security.cpr_hash_key, security.cpr_hash_key_previous)

    @property
    def rotating(self) -> bool:
        """A previous key is set and differs from the current one."""
        return bool(self.previous) and self.previous != self.current

    def digests(self, number: str) -> tuple[str, str | None]:
        """(hash under the current key, hash under the previous key or None)."""
        old = cpr_digest(number, self.previous) if self.rotating else None
        return cpr_digest(number, self.current), old


@dataclass(frozen=True)
class Found:
    citizen: Citizen | None
    # "current": found by the current key; "rehashed": found by the previous key and moved;
    # "duplicate": rows under both keys (the current one is returned, the other left for a
    # person to merge); "missing": no row
    how: str


def find_citizen(session: Session, number: str, keys: CprKeys) -> Found:
    """The citizen with this valid CPR number, re-hashed to the current key when found by the
    previous one (runs in the caller's transaction)."""
    current, previous = keys.digests(number)
    wanted = [current] if previous is None else [current, previous]
    rows = {
        c.cpr_hash: c for c in session.scalars(select(Citizen).where(Citizen.cpr_hash.in_(wanted)))
    }
    if current in rows:
        return Found(rows[current], "duplicate" if previous in rows else "current")
    if previous is not None and previous in rows:
        citizen = rows[previous]
        citizen.cpr_hash = current
        session.flush()
        return Found(citizen, "rehashed")
    return Found(None, "missing")


@dataclass(frozen=True)
class RehashReport:
    rows: int  # citizens in the database
    previous: int  # rows whose hash the previous key made (before this run)
    rehashed: int  # of those, moved to the current key by this run
    duplicates: int  # of those, left: a row under the current key has the same number
    dry_run: bool

    @property
    def left(self) -> int:
        """Rows that still carry the previous key's hash after this run."""
        return self.previous - self.rehashed

    def summary(self) -> str:
        moved = "would be re-hashed" if self.dry_run else "re-hashed"
        lines = [
            f"{self.rows} citizens; {self.previous} carried a hash of CPR_HASH_KEY_PREVIOUS",
            f"{self.previous - self.duplicates if self.dry_run else self.rehashed} {moved} to "
            "CPR_HASH_KEY",
        ]
        if self.duplicates:
            lines.append(
                f"{self.duplicates} left: the same CPR number also has a row under "
                "CPR_HASH_KEY (merge the two citizens by hand)"
            )
        lines.append(
            f"{self.left} rows still carry a hash of CPR_HASH_KEY_PREVIOUS"
            + ("" if self.left else "; it may be removed")
        )
        return "\n".join(lines)


def rehash_all(session: Session, keys: CprKeys, *, dry_run: bool = False) -> RehashReport:
    """Move every citizen whose hash the previous key made to the current key (see the module
    text for how); with ``dry_run`` only count them. Commits every :data:`BATCH` rows and
    audits the run (``cpr_rehash``, counts only). Rows under neither key (e.g. a key older
    than the previous one) are left as they are and counted as not carrying the previous
    key's hash."""
    if not keys.rotating:
        raise ValueError("no previous key to re-hash from")
    with transaction(session):
        rows = session.execute(
            select(Citizen.id, Citizen.birth_date, Citizen.cpr_hash).order_by(
                Citizen.birth_date, Citizen.id
            )
        ).all()
    taken = {row.cpr_hash for row in rows}
    moves: list[tuple[int, str]] = []
    previous = duplicates = 0
    for birth, group in groupby(rows, key=lambda row: row.birth_date):
        members = list(group)
        numbers = _numbers_by_hash(keys.previous, birth, {row.cpr_hash for row in members})
        for row in members:
            number = numbers.get(row.cpr_hash)
            if number is None:
                continue
            previous += 1
            new = cpr_digest(number, keys.current)
            if new in taken:
                duplicates += 1
            else:
                moves.append((row.id, new))
    rehashed = 0
    if not dry_run:
        for start in range(0, len(moves), BATCH):
            with transaction(session):
                for citizen_id, new in moves[start : start + BATCH]:
                    session.execute(
                        update(Citizen).where(Citizen.id == citizen_id).values(cpr_hash=new)
                    )
            rehashed += len(moves[start : start + BATCH])
    report = RehashReport(len(rows), previous, rehashed, duplicates, dry_run)
    with transaction(session):
        audit.record(
            session,
            actor_kind=ActorKind.system,
            actor_id=None,
            action="cpr_rehash",
            detail={
                "rows": report.rows,
                "previous": report.previous,
                "rehashed": report.rehashed,
                "duplicates": report.duplicates,
                "dry_run": dry_run,
            },
        )
    return report


def _numbers_by_hash(key: str, birth: date, wanted: set[str]) -> dict[str, str]:
    """{hash: number} for the hashes in ``wanted`` that ``key`` makes of a CPR number with
    this birth date (the numbers stay in memory)."""
    keyed = hmac.new(key.encode(), digestmod=hashlib.sha256)
    found: dict[str, str] = {}
    for number in _candidates(birth):
        mac = keyed.copy()
        mac.update(number.encode())
        digest = mac.hexdigest()
        if digest in wanted:
            found[digest] = number
            if len(found) == len(wanted):
                break
    return found


def _candidates(birth: date) -> Iterator[str]:
    """Every CPR number whose embedded birth date is ``birth`` (python-stdnum's century
    rule on the seventh digit)."""
    prefix = f"{birth:%d%m%y}"
    for seventh in "0123456789":
        try:
            fits = stdnum_cpr.get_birth_date(f"{prefix}{seventh}000") == birth
        except ValidationError:
            fits = False
        if fits:
            for rest in range(1000):
                yield f"{prefix}{seventh}{rest:03d}"
