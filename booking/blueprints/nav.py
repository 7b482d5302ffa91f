"""The navigation each role sees."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..models import Role

_ITEMS: list[tuple[str, Any, tuple[Role, ...]]] = [
    ("citizen.home", _l("Mine samtaler"), (Role.citizen,)),
    ("caseworker.home", _l("Ugeliste"), (Role.caseworker, Role.manager)),
    ("caseworker.calendar_day", _l("Kalender"), (Role.caseworker,)),
    ("caseworker.queue", _l("Min kø"), (Role.caseworker,)),
    ("staff_time.template_page", _l("Arbejdstid"), (Role.caseworker, Role.planner)),
    ("callin.home", _l("Central indkaldelse"), (Role.callin,)),
    ("callin.phone_list", _l("Ringeliste"), (Role.callin,)),
    ("planner.home", _l("Rehabiliteringsteam"), (Role.planner,)),
    ("plan.home", _l("Planlæg samtaler"), (Role.planner, Role.callin)),
    ("manager.home", _l("Rettidighed"), (Role.manager,)),
    ("whatif.home", _l("Hvad hvis"), (Role.planner, Role.manager)),
    (
        "lookup.search",
        _l("Find borger"),
        (Role.caseworker, Role.callin, Role.planner, Role.manager),
    ),
    ("rules.calculator", _l("Regelberegner"), (Role.caseworker, Role.planner, Role.manager)),
    ("admin.home", _l("Administration"), (Role.admin,)),
    ("imports.home", _l("Import"), (Role.admin, Role.planner)),
]
# pages of one's own conversations: only for a user who is a caseworker (an admin is not)
_OWN_CASEWORK = {"caseworker.queue"}


def navigation(user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for endpoint, label, roles in _ITEMS:
        if user.kind == "citizen":
            allowed = Role.citizen in roles
        else:
            allowed = Role.citizen not in roles and user.has_role(*roles)
        if endpoint in _OWN_CASEWORK and getattr(user, "caseworker_id", None) is None:
            allowed = False
        if allowed:
            items.append({"endpoint": endpoint, "url": url_for(endpoint), "label": label})
    return items
