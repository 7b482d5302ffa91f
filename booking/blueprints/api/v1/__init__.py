"""The JSON API for the systems around a job centre (``/api/v1``): API keys with scopes (no
cookies, so no CSRF), ``Idempotency-Key`` on every POST, cursor pages, RFC 9457 problem+json
errors, and an OpenAPI 3.1 document generated from the code (SpecTree, pydantic models) at
``/api/v1/openapi.json``. The session-based staff routes of ``booking.blueprints.api`` share
the prefix and keep working. See docs/api.md."""

from flask import Blueprint

from ....extensions import csrf, limiter, settings

bp = Blueprint("api_v1", __name__)
csrf.exempt(bp)

from . import bookings, guard, openapi, people, problems  # noqa: E402,F401

# per key (``[security] api_rate_limit``); 429 answers are problem+json (problems.py)
limiter.limit(lambda: settings().security.api_rate_limit, key_func=guard.key_prefix)(bp)
