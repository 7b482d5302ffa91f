"""The manager page's query string, shared by the page and its export: ``uger`` (the period
in whole weeks, 1–52) and ``pr`` (``enhed`` or ``sagsbehandler``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from ...services.manager_view import DEFAULT_WEEKS, MAX_WEEKS
from ...services.timeliness import Grouping


@dataclass(frozen=True)
class Choice:
    weeks: int
    by: Grouping
    error: str | None = None  # the period could not be read (the default is shown)

    @property
    def pr(self) -> str:
        return "sagsbehandler" if self.by == "caseworker" else "enhed"


def read_choice(args: Mapping[str, str]) -> Choice:
    by: Grouping = "caseworker" if args.get("pr") == "sagsbehandler" else "unit"
    raw = (args.get("uger") or "").strip()
    if not raw:
        return Choice(DEFAULT_WEEKS, by)
    if raw.isdigit() and 1 <= int(raw) <= MAX_WEEKS:
        return Choice(int(raw), by)
    return Choice(DEFAULT_WEEKS, by, _("Vælg en periode på 1 til %(n)s uger. Siden viser de "
                                       "seneste %(d)s uger.", n=MAX_WEEKS, d=DEFAULT_WEEKS))
