"""Who is logged in: a staff user or a citizen (through a personal link).

Flask-Login keeps one id in the session: ``s:<id>:<session version>`` for staff,
``c:<id>:<link version>:<session version>`` for a citizen. The user loader
(``services.accounts.load_principal``) refuses an id whose versions are not the current ones, so
bumping a citizen's link version ends every session opened with an older link, and log-out
(which bumps the session version) ends every session of that person, a copied cookie included.
Plain dataclasses with the four members Flask-Login asks of a user (``is_authenticated``,
``is_active``, ``is_anonymous``, ``get_id``), so the services that build them need no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Role


class _LoggedIn:
    is_authenticated = True
    is_active = True
    is_anonymous = False


@dataclass
class StaffPrincipal(_LoggedIn):
    staff_id: int
    username: str
    full_name: str
    role: Role
    unit_id: int | None
    caseworker_id: int | None
    session_version: int

    kind = "staff"

    def get_id(self) -> str:
        return f"s:{self.staff_id}:{self.session_version}"

    def has_role(self, *roles: Role | str) -> bool:
        return self.role == Role.admin or self.role in roles

    @property
    def display_name(self) -> str:
        return self.full_name


@dataclass
class CitizenPrincipal(_LoggedIn):
    citizen_id: int
    link_version: int
    name: str
    language: str
    session_version: int
    page_version: int = 1  # what the citizen's own pages show (booking.page_versions)

    kind = "citizen"
    role = Role.citizen

    def get_id(self) -> str:
        return f"c:{self.citizen_id}:{self.link_version}:{self.session_version}"

    def has_role(self, *roles: Role | str) -> bool:
        return Role.citizen in roles

    @property
    def display_name(self) -> str:
        return self.name
