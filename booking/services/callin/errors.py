"""The one error the call-in services raise: a code the blueprint turns into Danish text."""

from __future__ import annotations

from typing import Any


class CallinError(ValueError):
    """Refused input or a forbidden state change; nothing was changed.

    ``code`` names the reason (the blueprint maps it to a translated message), ``params``
    carry the values the message shows.
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
