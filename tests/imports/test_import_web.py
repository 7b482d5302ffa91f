"""The import pages: roles, a dry run with its counts, the confirm step, and bad rows as a
table (række, kolonne, fejl)."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from booking.db import db
from booking.models import AuditEntry, Role, Unit
from tests import factories
from tests.imports.helpers import sample


def _user(app, role: Role) -> str:
    with app.app_context(), db.fresh_session() as session:
        user = factories.staff(session, role)
        session.commit()
        return user.username


def _upload(client, kind: str, data: bytes, name: str = "fil.csv", dry_run: bool = True):
    form = {"kind": kind, "file": (io.BytesIO(data), name)}
    if dry_run:
        form["dry_run"] = "y"
    return client.post("/import/", data=form, content_type="multipart/form-data")


def _units(app) -> int:
    with app.app_context(), db.fresh_session() as session:
        return session.scalar(select(func.count(Unit.id))) or 0


def test_only_admin_and_planner_may_import(app, login):
    for role, status in ((Role.planner, 200), (Role.admin, 200), (Role.caseworker, 403),
                         (Role.manager, 403), (Role.callin, 403)):
        client = login(app, _user(app, role))
        assert client.get("/import/").status_code == status, role
        assert _upload(client, "units", sample("units")).status_code == status, role
    assert app.test_client().get("/import/").status_code == 302  # to the log-in


def test_nav_shows_import_to_planner_not_caseworker(app, login):
    planner = login(app, _user(app, Role.planner))
    assert 'href="/import/"' in planner.get("/import/").text
    caseworker = login(app, _user(app, Role.caseworker))
    assert 'href="/import/"' not in caseworker.get("/sagsbehandler/").text


def test_dry_run_shows_counts_then_confirm_imports(app, login):
    client = login(app, _user(app, Role.planner))
    page = _upload(client, "units", sample("units"))
    assert page.status_code == 200
    assert "Prøvekørsel: Enheder" in page.text
    assert 'id="created">2<' in page.text
    assert "Importér nu" in page.text
    assert _units(app) == 0
    token = page.text.split('name="token" type="hidden" value="')[1].split('"')[0]
    done = client.post("/import/bekraeft", data={"token": token})
    assert done.status_code == 200
    assert "Importen er gemt." in done.text
    assert _units(app) == 2
    again = client.post("/import/bekraeft", data={"token": token})  # used once only
    assert again.status_code == 422
    assert "Prøvekørslen er udløbet" in again.text
    with app.app_context(), db.fresh_session() as session:
        actions = list(session.scalars(select(AuditEntry.actor_kind).where(
            AuditEntry.action == "import.units")))
    assert [a.value for a in actions] == ["staff", "staff"]


def test_bad_rows_are_listed_and_nothing_is_saved(app, login):
    client = login(app, _user(app, Role.admin))
    page = _upload(client, "units", b"enhed;navn\nA;Enhed A\nB;\n", dry_run=False)
    assert page.status_code == 422
    assert "Intet er gemt." in page.text
    table = page.text.split('id="bad-rows"')[1]
    assert "<th scope=\"col\">Række</th>" in table and "Kolonne" in table and "Fejl" in table
    assert '<td class="num">3</td><td>navn</td><td>Feltet skal udfyldes.</td>' in table
    assert "Importér nu" not in page.text
    assert _units(app) == 0


def test_a_missing_file_is_a_form_error_not_a_500(app, login):
    client = login(app, _user(app, Role.planner))
    page = client.post("/import/", data={"kind": "units"}, content_type="multipart/form-data")
    assert page.status_code == 422
    assert "Vælg en fil." in page.text
    bogus = client.post("/import/", data={"kind": "planets", "file": (io.BytesIO(b"x"), "a")},
                        content_type="multipart/form-data")
    assert bogus.status_code == 422
