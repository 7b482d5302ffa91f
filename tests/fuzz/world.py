"""A small demo municipality to fuzz, and a logged-in client for every role."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.db import db
from booking.models import (
    Booking,
    BookingState,
    Citizen,
    GroupSession,
    Obligation,
    ObligationState,
)
from booking.services.accounts import citizen_link_token
from booking.services.clock import now_utc, zone
from booking.settings import Settings
from tests.conftest import DEMO_PASSWORD, make_app

from .crawl import Form, parse_page

# small and quick: the solver and the projection are cut short, the demo is small
OVERRIDES: dict[str, object] = {
    "demo": {"citizens": 40, "caseworkers_per_unit": 3, "weeks_of_slots": 4},
    "solver": {"time_limit_s": 0.5, "num_workers": 1},
    "rehab": {"projection_runs": 1},
}
if "whatif" in Settings.model_fields:  # capacity what-ifs: one short simulation, in-process
    OVERRIDES["whatif"] = {"seeds": 1, "weeks": 2, "jobs": 1}

STAFF = {
    "caseworker": "sagsbehandler",
    "callin": "indkald",
    "planner": "planlaegger",
    "manager": "leder",
    "admin": "admin",
}


@dataclass
class World:
    app: Flask
    clients: dict[str, FlaskClient]
    starts: dict[str, list[str]]

    def fresh_client(self, role: str) -> FlaskClient:
        """A new client for ``role`` (after a request may have logged the old one out)."""
        if role == "anonymous":
            return self.app.test_client()
        if role in STAFF:
            return _staff(self.app, STAFF[role])
        return _citizen(self.app, self.citizen_tokens[role])

    citizen_tokens: dict[str, str] | None = None  # type: ignore[assignment]


def _staff(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, (username, response.status_code)
    return client


def _citizen(app: Flask, token: str) -> FlaskClient:
    client = app.test_client()
    assert client.get(f"/b/{token}").status_code == 302
    return client


def build_world(url: str) -> World:
    app = make_app(url, **OVERRIDES)
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    tokens: dict[str, str] = {}
    with app.app_context(), db.fresh_session() as s:
        booked = s.scalars(
            select(Booking).where(Booking.state == BookingState.booked).order_by(Booking.id)
        ).first()
        open_ob = s.scalars(
            select(Obligation)
            .where(Obligation.state == ObligationState.open)
            .order_by(Obligation.id)
        ).all()
        secret = app.config["SECRET_KEY"]
        if booked is not None:
            tokens["citizen-booked"] = citizen_link_token(secret, s.get(Citizen, booked.citizen_id))
        candidates = [
            (ob.id, citizen_link_token(secret, s.get(Citizen, ob.citizen_id)))
            for ob in open_ob
            if booked is None or ob.citizen_id != booked.citizen_id
        ]
    for obligation_id, token in candidates[:40]:
        client = _citizen(app, token)
        if f"/borger/samtale/{obligation_id}" in client.get("/borger/").get_data(as_text=True):
            tokens["citizen"] = token
            break
    clients: dict[str, FlaskClient] = {"anonymous": app.test_client()}
    starts: dict[str, list[str]] = {"anonymous": ["/", "/login", "/health", "/sprog/en"]}
    for role, username in STAFF.items():
        clients[role] = _staff(app, username)
        starts[role] = ["/"]
    for role, token in tokens.items():
        clients[role] = _citizen(app, token)
        starts[role] = ["/borger/"]
    world = World(app, clients, starts)
    world.citizen_tokens = tokens
    prime(world)
    return world


# --- priming: a few ordinary actions, so that the pages show every kind of form ---------------


def _forms(client: FlaskClient, url: str) -> list[Form]:
    response = client.get(url)
    if response.status_code != 200:
        return []
    return parse_page(url, response.get_data(as_text=True))[0]


def _submit(client: FlaskClient, form: Form, **values: object) -> int:
    data: dict[str, object] = {}
    for f in form.fields:
        if f.kind in ("checkbox", "radio", "select-multiple") and f.values:
            data[f.name] = f.values if f.kind != "radio" else f.values[0]
        elif f.kind == "select" and f.values:
            data[f.name] = next((v for v in f.values if v), f.values[0])
        elif f.values:
            data[f.name] = f.values[0]
    data.update(values)
    return client.post(form.action, data=data).status_code


def _first(forms: list[Form], fragment: str) -> Form | None:
    return next((f for f in forms if f.method == "POST" and fragment in f.action), None)


def prime(world: World) -> None:
    """Start a plan run, a scenario, a call-in with arrivals and no-shows, a pause: the pages
    then carry the forms that act on them. A step that is refused only narrows the crawl."""
    callin, planner = world.clients["callin"], world.clients["planner"]
    caseworker = world.clients["caseworker"]
    form = _first(_forms(callin, "/planlaegning/samtaler/"), "/planlaegning/samtaler/")
    if form is not None:
        _submit(callin, form, uger="4")
    form = _first(_forms(planner, "/planlaegning/scenarier"), "/scenarier")
    if form is not None:
        _submit(planner, form, name="Fuzz", weeks="4")
    today = now_utc().astimezone(zone()).date().isoformat()
    form = _first(_forms(callin, "/indkald/ny"), "/indkald/ny")
    if form is not None:
        _submit(callin, form, day=today, start="00:05", end="23:55")
    sessions = sorted(_session_ids(world.app))
    for session_id in sessions:
        for form in _forms(callin, f"/indkald/{session_id}"):
            if form.action.endswith("/indkald"):
                _submit(callin, form, count="3")
    if sessions:
        desk = _forms(callin, f"/indkald/{sessions[0]}/skranke")
        arrive = _first(desk, "/moedt")
        if arrive is not None:
            _submit(callin, arrive)
    if len(sessions) > 1:
        close = _first(_forms(callin, f"/indkald/{sessions[-1]}/skranke"), "/luk")
        if close is not None:
            _submit(callin, close, early="1")
    citizen_page = _first(_forms(caseworker, "/borgere/1"), "/pauser")
    if citizen_page is not None:
        _submit(caseworker, citizen_page, start=today, reason="Arbejde")


def _session_ids(app: Flask) -> list[int]:
    with app.app_context(), db.fresh_session() as s:
        return list(s.scalars(select(GroupSession.id)))
