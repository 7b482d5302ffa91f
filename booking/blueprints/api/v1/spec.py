"""The SpecTree instance behind the OpenAPI document, and the helpers the routes share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import g, request
from pydantic import BaseModel, ValidationError
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree
from spectree.models import SecureType

from ....services.api.pagination import Page
from ....services.api.reads import Caller
from ....services.api.schemas import PageQuery, PostHeaders, Problem
from .problems import ApiProblem, field_errors

SCHEME = "apiKey"
# what the views return: a pydantic model (with status and headers), which SpecTree turns into
# the JSON response
Answer = Any
F = TypeVar("F", bound=Callable[..., Any])


def _validation_failed(req: Any, resp: Any, err: Exception | None, instance: Any,
                       adapter: Any) -> None:
    """SpecTree's hook after it validated a request: a refusal is a 422 problem with each bad
    value's path (``$.programme.start_date`` in the body, ``query.limit``, ``header.…``)."""
    if err is None:
        return
    if not isinstance(err, ValidationError):
        raise ApiProblem(422, code="invalid", detail=str(err)[:200])
    where = "$"
    if issubclass(_model(err.title), PageQuery):
        where = "query"
    elif err.title == PostHeaders.__name__:
        where = "header"
    raise ApiProblem(422, code="invalid", detail="The request has invalid values.",
                     errors=field_errors(err, where))


def _model(title: str) -> type:
    from ....services.api import schemas

    found = getattr(schemas, title, None)
    return found if isinstance(found, type) else object


spec = SpecTree(
    "flask",
    mode="strict",
    title="Rettidig API",
    version="1.0.0",
    description=(
        "JSON API for the systems around a job centre. Authenticate with "
        "`Authorization: Bearer rtd_…` (a key issued by an administrator, with scopes). Every "
        "POST needs an `Idempotency-Key`. Lists are cursor pages. Errors are RFC 9457 "
        "problem+json."
    ),
    path="apidoc",
    naming_strategy=lambda model: model.__name__,  # the models' names are unique
    nested_naming_strategy=lambda _parent, child: child,
    annotations=False,
    validation_error_status=422,
    validation_error_model=Problem,
    before=_validation_failed,
    security_schemes=[SecurityScheme(name=SCHEME, data=SecuritySchemeData(
        type=SecureType.HTTP, scheme="bearer", bearer_format="rtd_<prefix>_<secret>",
        description="An API key; the operation's scope is listed with it."))],
)

ERRORS: dict[str, Any] = {f"HTTP_{code}": Problem for code in (400, 401, 403, 404, 429)}


def responses(**ok: Any) -> Response:
    return Response(**ok, **ERRORS)


def post_responses(**ok: Any) -> Response:
    return Response(**ok, **ERRORS, HTTP_409=Problem, HTTP_415=Problem)


def requires(scope: str) -> Callable[[F], F]:
    """The scope a route needs (checked by the guard before the view runs)."""

    def mark(view: F) -> F:
        view.api_scope = scope  # type: ignore[attr-defined]
        return view

    return mark


def security(scope: str) -> dict[str, list[str]]:
    return {SCHEME: [scope]}


def caller() -> Caller:
    found: Caller = g.api_caller
    return found


def query() -> Any:
    return request.context.query  # type: ignore[attr-defined]


def body() -> Any:
    found = request.context.json  # type: ignore[attr-defined]
    if found is None:  # SpecTree reads JSON bodies only
        raise ApiProblem(415, code="unsupported_media_type",
                         detail="Send the body as application/json.")
    return found


def paged(envelope: type[BaseModel], found: Page[Any]) -> Answer:
    """The page with its ``next`` link (also as a ``Link`` header)."""
    headers: dict[str, str] = {}
    next_url = None
    if found.next_cursor is not None:
        args = request.args.to_dict()
        args["cursor"] = found.next_cursor
        next_url = f"{request.path}?{urlencode(args)}"
        headers["Link"] = f'<{next_url}>; rel="next"'
    return envelope(data=found.rows, next_cursor=found.next_cursor, next=next_url), 200, headers
