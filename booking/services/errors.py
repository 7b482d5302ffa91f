"""Errors that cross the seam between the services and the web layer: codes, not sentences.

A service that refuses raises a :class:`ServiceError` subclass with a ``code`` (and ``params``
for the values the message shows); nothing has been changed when it does (the transaction was
rolled back). The web layer turns the code into text through the translation catalogue
(``booking/blueprints/messages.py``), so a refusal reads in Danish or English as the user chose.
"""

from __future__ import annotations

from typing import Any


class ServiceError(ValueError):
    """A refused request or a forbidden state change; nothing was changed."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class NotFound(ServiceError):
    """The object asked for does not exist, or is not the asker's to see (the web says 404)."""

    def __init__(self, what: str = "object") -> None:
        super().__init__("not_found", what=what)


class FormErrors(ServiceError):
    """Several fields refused at once: ``fields`` maps a field name to its error."""

    def __init__(self, fields: dict[str, ServiceError]) -> None:
        super().__init__("form_errors")
        self.fields = fields
