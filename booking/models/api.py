"""Systems that use the JSON API (``/api/v1``): their keys and the answers kept for
``Idempotency-Key``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow


class ApiClient(Base):
    """One system around the job centre (e.g. the case system) with its own key and scopes.
    The key is shown once when issued; only its prefix (to find it) and a hash are kept."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class ApiIdempotentRequest(Base):
    """The answer given to a POST with an ``Idempotency-Key``: the same key and body get it
    again; the same key with another body is refused."""

    __tablename__ = "api_idempotent_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(300))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    client: Mapped[ApiClient] = relationship()

    __table_args__ = (
        UniqueConstraint("client_id", "key", name="uq_api_idempotent_requests_client_key"),
    )
