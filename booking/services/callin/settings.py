"""The ``[callin]`` section of the settings: its typed model lives in :mod:`booking.settings`."""

from __future__ import annotations

from ...settings import CallinSettings

__all__ = ["CallinSettings"]
