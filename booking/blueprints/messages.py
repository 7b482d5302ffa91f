"""Service errors into words: each area's table maps a code to a translatable message.

Services raise :class:`booking.services.errors.ServiceError` with a code and parameters; the
blueprint of that area keeps a ``MESSAGES`` table (lazy gettext, so Danish and English come
from the catalogue) and calls :func:`translate`. A code without an entry falls back to a
general sentence rather than leaking the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from ..services.errors import ServiceError

FALLBACK = _l("Handlingen kunne ikke gennemføres.")


def translate(err: ServiceError, table: Mapping[str, Any]) -> str:
    """The message for ``err.code`` in the active language, with ``err.params`` filled in."""
    text = str(table.get(err.code, FALLBACK))
    return text % err.params if err.params else text
