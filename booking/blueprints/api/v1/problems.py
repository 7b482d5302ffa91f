"""RFC 9457 problem details for everything under ``/api/v1``.

The API's own refusals are :class:`ApiProblem`s and service errors, answered here. Errors the
app answers before a route of this blueprint is known (404 for an unknown path, 405, the input
guard's 400, 503 without the database) and those of the session-based staff routes arrive as
``{"error": {...}}`` JSON; :func:`_as_problem` rewrites them as problem+json and keeps the
``error`` member (an RFC 9457 extension) for the clients that read it.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from flask import Response, current_app, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from ....services.api.pagination import CursorError
from ....services.errors import FormErrors, NotFound, ServiceError
from ....services.reservations import ReservationError
from . import bp

PREFIX = "/api/v1"
MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:rettidig:problem:"
PASSED_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "X-RateLimit-Limit",
                  "X-RateLimit-Remaining", "X-RateLimit-Reset")
# refusals of the booking service: which are conflicts with the present state
CONFLICTS = {"slot_taken", "already_booked", "cpr_taken", "external_id_taken"}


class ApiProblem(Exception):
    def __init__(self, status: int, *, code: str | None = None, detail: str | None = None,
                 errors: list[dict[str, str]] | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(code or str(status))
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra


def problem(status: int, *, code: str | None = None, detail: str | None = None,
            errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None,
            **extra: Any) -> Response:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    document: dict[str, Any] = {
        "type": TYPE_BASE + code if code else "about:blank",
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": request.path,
    }
    if code:
        document["code"] = code
    if errors:
        document["errors"] = errors
    document.update({k: v for k, v in extra.items() if v is not None})
    response = current_app.response_class(json.dumps(document, default=str), status,
                                          mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return response


def field_errors(err: ValidationError, where: str) -> list[dict[str, str]]:
    out = []
    for item in err.errors(include_url=False):
        path = where
        for part in item["loc"]:
            path += f"[{part}]" if isinstance(part, int) else f".{part}"
        out.append({"path": path, "message": item["msg"], "code": item["type"]})
    return out


def service_errors(err: FormErrors) -> list[dict[str, str]]:
    out = []
    for path, error in err.fields.items():
        params = ", ".join(f"{k}={v}" for k, v in error.params.items())
        out.append({"path": path, "message": error.code + (f" ({params})" if params else ""),
                    "code": error.code})
    return out


@bp.errorhandler(ApiProblem)
def _problem(exc: ApiProblem) -> Response:
    return problem(exc.status, code=exc.code, detail=exc.detail, errors=exc.errors,
                   headers=exc.headers, **exc.extra)


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException) -> Response:
    status = exc.code or 500
    headers = {k: v for k, v in exc.get_headers() if k in PASSED_HEADERS}
    if isinstance(exc.response, Response):  # e.g. Flask-Limiter's answer with its headers
        headers.update({k: v for k, v in exc.response.headers.items() if k in PASSED_HEADERS})
    if status == 429:
        return problem(429, code="rate_limited", headers=headers,
                       detail=f"Too many requests with this key (limit {exc.description}).")
    return problem(status, detail=exc.description if status != 500 else None, headers=headers)


@bp.errorhandler(CursorError)
def _cursor(exc: CursorError) -> Response:
    return problem(422, code="bad_cursor", detail="The cursor is not one this API gave out.",
                   errors=[{"path": "query.cursor", "message": "unknown cursor",
                            "code": "bad_cursor"}])


@bp.errorhandler(FormErrors)
def _form(exc: FormErrors) -> Response:
    return problem(422, code="invalid", detail="The request has invalid values.",
                   errors=service_errors(exc))


@bp.errorhandler(NotFound)
def _not_found(exc: NotFound) -> Response:
    what = str(exc.params.get("what", "object"))
    return problem(404, code="not_found", detail=f"No such {what}.")


@bp.errorhandler(ReservationError)
def _reservation(exc: ReservationError) -> Response:
    status = 404 if exc.code == "not_found" else 409 if exc.code in CONFLICTS else 422
    extra: dict[str, Any] = {}
    if exc.alternatives:
        extra["alternatives"] = [{"slot_id": a.slot_id, "starts_at": a.starts_at.isoformat()}
                                 for a in exc.alternatives]
    if exc.params:
        extra["params"] = {k: str(v) for k, v in exc.params.items()}
    return problem(status, code=exc.code, detail=f"The booking was refused: {exc.code}.",
                   **extra)


@bp.errorhandler(ServiceError)
def _service(exc: ServiceError) -> Response:
    status = 409 if exc.code in CONFLICTS else 422
    return problem(status, code=exc.code, detail=f"Refused: {exc.code}.",
                   params={k: str(v) for k, v in exc.params.items()} or None)


@bp.after_app_request
def _as_problem(response: Response) -> Response:
    """The app's own JSON errors under /api/v1 as problem+json (the ``error`` member kept)."""
    path = request.path
    if (response.status_code < 400 or response.mimetype != "application/json"
            or not (path == PREFIX or path.startswith(PREFIX + "/"))):
        return response
    try:
        old = json.loads(response.get_data())
    except ValueError:
        return response
    if not isinstance(old, dict) or not isinstance(old.get("error"), dict):
        return response
    error = old["error"]
    new = problem(response.status_code, code=error.get("code"),
                  detail=str(error.get("message") or "") or None, error=error)
    for name, value in response.headers.items():
        if name not in ("Content-Type", "Content-Length"):
            new.headers.setdefault(name, value)
    if response.status_code == 405 and "Allow" not in new.headers:
        allowed = current_app.url_map.bind_to_environ(request.environ).allowed_methods()
        if allowed:
            new.headers["Allow"] = ", ".join(sorted(allowed))
    return new
