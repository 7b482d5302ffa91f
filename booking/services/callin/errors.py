"""The one error the call-in services raise: a code the blueprint turns into Danish text."""

from __future__ import annotations

from ..errors import ServiceError


class CallinError(ServiceError):
    """Refused input or a forbidden state change; nothing was changed.

    ``code`` names the reason (the blueprint maps it to a translated message), ``params``
    carry the values the message shows.
    """
