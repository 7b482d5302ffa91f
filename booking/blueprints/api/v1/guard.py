"""Before each API route: the key (401), the route's scope (403), and for a POST the media
type (415), the JSON (400) and the ``Idempotency-Key`` (a kept answer is given again; the key
with another body is a 422; a request with the key still running a 409). After the route the
answer is kept under the key (a 5xx or 429 is not: the client may try again)."""

from __future__ import annotations

import re

from flask import Response, current_app, g, request
from flask.typing import ResponseReturnValue

from ....db import db
from ....services.api import idempotency, keys
from ....services.api.reads import Caller
from . import bp
from .problems import ApiProblem

PUBLIC = frozenset({"api_v1.openapi"})
_HEADER_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
NOT_KEPT = (429,)


def bearer() -> str | None:
    value = request.headers.get("Authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def key_prefix() -> str:
    """The rate-limit counter of a request: its key's prefix, else the client's address."""
    token = bearer()
    prefix = keys.parse_key(token) if token else None
    if prefix:
        return "api-key:" + prefix
    from ....extensions import client_address

    return "api-addr:" + client_address()


@bp.before_request
def _guard() -> ResponseReturnValue | None:
    if request.endpoint in PUBLIC:
        return None
    token = bearer()
    client = keys.authenticate(db.session, token) if token else None
    if client is None:
        raise ApiProblem(401, code="unauthorized",
                         detail="A valid API key is needed: Authorization: Bearer rtd_…",
                         headers={"WWW-Authenticate": 'Bearer realm="rettidig-api"'})
    view = current_app.view_functions.get(request.endpoint or "")
    scope = getattr(view, "api_scope", None)
    if scope is not None and scope not in client.scopes:
        raise ApiProblem(403, code="insufficient_scope",
                         detail=f"This key lacks the scope {scope}.", scope=scope)
    g.api_caller = Caller(client.id, client.name)
    if request.method == "POST":
        return _post(client.id)
    return None


def _post(client_id: int) -> ResponseReturnValue | None:
    # (a form body was read by the input guard already: its media type is what tells)
    if request.mimetype not in ("", "application/json"):
        raise ApiProblem(415, code="unsupported_media_type",
                         detail="Send the body as application/json.")
    data = request.get_data(cache=True)
    if data.strip() and request.get_json(silent=True) is None:
        raise ApiProblem(400, code="malformed_json", detail="The body is not valid JSON.")
    key = request.headers.get("Idempotency-Key")
    if key is None:
        raise ApiProblem(400, code="idempotency_key_required",
                         detail="Every POST needs an Idempotency-Key header.",
                         errors=[{"path": "header.Idempotency-Key", "message": "required",
                                  "code": "missing"}])
    if not _HEADER_KEY.match(key):
        raise ApiProblem(400, code="idempotency_key_invalid",
                         detail="An Idempotency-Key is 1 to 200 visible ASCII characters.",
                         errors=[{"path": "header.Idempotency-Key", "message": "invalid",
                                  "code": "invalid"}])
    fingerprint = idempotency.request_hash(request.method, request.path, data)
    found = idempotency.claim(db.session, client_id, key, method=request.method,
                              path=request.path, fingerprint=fingerprint)
    if found.outcome == "mismatch":
        raise ApiProblem(422, code="idempotency_key_reused",
                         detail="This Idempotency-Key was used with another request.")
    if found.outcome == "in_progress":
        raise ApiProblem(409, code="idempotency_in_progress",
                         detail="A request with this Idempotency-Key is still running.",
                         headers={"Retry-After": "1"})
    if found.outcome == "replay":
        headers = dict(found.headers or {})
        mimetype = headers.pop("Content-Type", "application/json")
        response = current_app.response_class(found.body, found.status, headers=headers,
                                               mimetype=mimetype)
        response.headers["Idempotent-Replayed"] = "true"
        return response
    g.api_idempotency_row = found.row_id
    return None


@bp.after_request
def _keep(response: Response) -> Response:
    row_id = g.pop("api_idempotency_row", None)
    if row_id is None:
        return response
    if response.status_code >= 500 or response.status_code in NOT_KEPT:
        idempotency.release(db.session, row_id)
        return response
    headers = {k: v for k, v in response.headers.items() if k in idempotency.KEPT_HEADERS}
    headers["Content-Type"] = response.mimetype or "application/json"
    idempotency.finish(db.session, row_id, status=response.status_code,
                       body=response.get_data(as_text=True), headers=headers)
    return response


@bp.teardown_request
def _release(exc: BaseException | None) -> None:
    """A claim the answer never reached (the request broke off): free the key."""
    row_id = g.pop("api_idempotency_row", None)
    if row_id is not None:
        with db.fresh_session() as session:
            idempotency.release(session, row_id)
