"""Every role's pages render, in Danish and English, with no traceback on errors."""

from __future__ import annotations

import pytest

from booking.db import db
from booking.models import Citizen
from tests.conftest import DEMO_PASSWORD, make_app

PAGES = {
    "sagsbehandler": ("/sagsbehandler/", "Ugeliste for", "Weekly list for"),
    "indkald": ("/indkald/", "Central indkaldelse", "Central call-in"),
    "planlaegger": ("/planlaegning/", "Kommende møder", "Upcoming meetings"),
    "leder": ("/ledelse/", "Rettidighed pr. uge", "Timeliness per week"),
    "admin": ("/admin/", "Revisionsspor", "Audit trail"),
}


@pytest.fixture
def staff_client(login):
    return lambda app, username: login(app, username, DEMO_PASSWORD)


@pytest.mark.parametrize("username", list(PAGES))
def test_role_home_in_danish_then_english(demo_app, username, staff_client):
    url, danish, english = PAGES[username]
    client = staff_client(demo_app, username)
    page = client.get(url)
    assert page.status_code == 200 and danish in page.text and 'lang="da"' in page.text
    client.get("/sprog/en")
    page = client.get(url)
    assert page.status_code == 200 and english in page.text and 'lang="en"' in page.text


def test_page_structure_is_accessible(demo_app, staff_client):
    page = staff_client(demo_app, "leder").get("/ledelse/").text
    for landmark in (
        "<header",
        "<nav aria-label=",
        '<main id="main"',
        "<footer",
        'class="skip-link" href="#main"',
        '<th scope="col">',
        "<caption>",
    ):
        assert landmark in page, landmark


def test_weekly_list_groups_citizens(demo_app, staff_client):
    page = staff_client(demo_app, "sagsbehandler").get("/sagsbehandler/").text
    assert "Overskredet" in page and "Forfalder inden 3 uger" in page


def test_cpr_lookup_finds_a_citizen_and_audits_it(demo_app, staff_client):
    client = staff_client(demo_app, "indkald")
    with demo_app.app_context(), db.fresh_session() as s:
        citizen = s.get(Citizen, 1)
        name, masked = citizen.name, citizen.cpr_masked
    # the demo's CPR numbers are derived from the birth date; rebuild citizen 1's number
    from booking.services.demo import _cpr

    number = _cpr(citizen.birth_date, 0)
    page = client.post("/borgere/", data={"cpr": number})
    assert page.status_code == 200 and name in page.text and masked in page.text
    assert number[6:] not in page.text  # never the full number
    audit = staff_client(demo_app, "admin").get("/admin/").text
    assert "citizen_lookup" in audit


@pytest.mark.parametrize(
    ("cpr", "status", "message"),
    [
        ("12", 422, "10 cifre"),
        ("3213901234", 422, "gyldig fødselsdato"),
        ("0101010101", 404, "Der findes ingen borger"),
    ],
)
def test_cpr_lookup_refuses_bad_numbers_in_danish(demo_app, cpr, status, message, staff_client):
    page = staff_client(demo_app, "indkald").post("/borgere/", data={"cpr": cpr})
    assert page.status_code == status and message in page.text
    assert 'aria-invalid="true"' in page.text


def test_404_page_is_danish_and_plain(demo_app):
    page = demo_app.test_client().get("/findes-ikke")
    assert page.status_code == 404 and "Siden findes ikke" in page.text


def test_api_errors_are_json(demo_app):
    response = demo_app.test_client().get("/api/v1/me")
    assert response.status_code == 401 and response.json["error"]["status"] == 401


def test_500_page_never_shows_a_traceback(sqlite_url):
    app = make_app(sqlite_url, flask={"TESTING": False, "PROPAGATE_EXCEPTIONS": False})

    @app.route("/boom")
    def boom():  # pragma: no cover - the body is the point
        raise RuntimeError("secret internals 0101901234")

    page = app.test_client().get("/boom")
    assert page.status_code == 500
    assert "Der skete en fejl" in page.text
    assert "Traceback" not in page.text and "secret internals" not in page.text


def test_api_obligations_for_staff(demo_app, staff_client):
    client = staff_client(demo_app, "sagsbehandler")
    data = client.get("/api/v1/citizens/1/obligations").json
    assert data["citizen"]["cpr"].endswith("-xxxx")
    assert all({"earliest", "deadline", "channels"} <= set(o) for o in data["obligations"])
    assert client.get("/api/v1/citizens/999999/obligations").status_code == 404


def test_danish_first_even_for_an_english_browser(demo_app):
    page = demo_app.test_client().get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert 'lang="da"' in page.text and "Velkommen" in page.text


def test_dates_follow_the_interface_language(demo_app):
    from datetime import date

    from flask import render_template_string, session

    def render(lang: str | None) -> str:
        with demo_app.test_request_context("/"):
            if lang:
                session["lang"] = lang
            return render_template_string("{{ d|long_date }}", d=date(2027, 3, 12))

    assert render(None) == "fredag 12. marts 2027"
    assert render("en") == "Friday 12 March 2027"
