"""Is the service able to answer? (the load balancer's health check)"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session


def database_reachable(session: Session) -> bool:
    """True when the database answers a trivial query (reads only)."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
