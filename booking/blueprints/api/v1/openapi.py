"""``/api/v1/openapi.json``: the OpenAPI 3.1 document SpecTree generates from the routes and
their pydantic models (public: it holds no data)."""

from __future__ import annotations

import copy
from typing import Any

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue

from . import bp
from .problems import MEDIA_TYPE
from .spec import spec

CACHE_KEY = "rettidig_api_openapi"


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    document = current_app.extensions.get(CACHE_KEY)
    if document is None:
        document = build()
        current_app.extensions[CACHE_KEY] = document
    return jsonify(document)


def build() -> dict[str, Any]:
    """SpecTree's document, with the error answers given their media type (problem+json)."""
    document = copy.deepcopy(spec.spec)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if status.startswith(("4", "5")) and "application/json" in content:
                    content[MEDIA_TYPE] = content.pop("application/json")
    return document
