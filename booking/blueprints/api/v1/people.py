"""Citizens, their programmes and their held conversations (history)."""

from __future__ import annotations

from ....db import db
from ....extensions import settings
from ....services.api import reads, writes
from ....services.api.schemas import (
    CitizenIn,
    CitizenOut,
    CitizenPage,
    CitizenQuery,
    CprLookup,
    HeldIn,
    HeldOut,
    HeldPage,
    PageQuery,
    PostHeaders,
    ProgrammePage,
)
from ....services.cpr_keys import CprKeys
from . import bp
from .spec import (
    Answer,
    body,
    caller,
    paged,
    post_responses,
    query,
    requires,
    responses,
    security,
    spec,
)

TAGS = ["citizens"]


@bp.get("/citizens")
@requires("citizens:read")
@spec.validate(query=CitizenQuery, resp=responses(HTTP_200=CitizenPage),
               tags=TAGS, security=security("citizens:read"), operation_id="listCitizens")
def list_citizens() -> Answer:
    """Citizens, a page at a time (CPR masked; each one shown is audited)."""
    q = query()
    found = reads.citizens(db.session, caller(), cursor=q.cursor, limit=q.limit,
                           unit_code=q.unit_code)
    return paged(CitizenPage, found)


@bp.post("/citizens")
@requires("citizens:write")
@spec.validate(json=CitizenIn, headers=PostHeaders,
               resp=post_responses(HTTP_201=CitizenOut), tags=TAGS,
               security=security("citizens:write"), operation_id="createCitizen")
def create_citizen() -> Answer:
    """Create a citizen with their first programme; obligations are computed.

    The CPR number is validated and kept only as a keyed hash and a masked form. A number
    already known is a 409 ``cpr_taken``."""
    made = writes.create_citizen(db.session, caller(), body(), settings=settings())
    return made, 201, {"Location": f"/api/v1/citizens/{made.id}"}


@bp.post("/citizens/search")
@requires("citizens:read")
@spec.validate(json=CprLookup, headers=PostHeaders, resp=post_responses(HTTP_200=CitizenOut),
               tags=TAGS, security=security("citizens:read"), operation_id="findCitizenByCpr")
def find_citizen_by_cpr() -> Answer:
    """Find a citizen by CPR number (sent in the body, so that it never reaches a URL or an
    access log); 404 when unknown. Found or not, the look-up is audited."""
    keys = CprKeys.from_settings(settings().security)
    return reads.citizen_by_cpr(db.session, caller(), body().cpr, keys)


@bp.get("/citizens/<int:citizen_id>")
@requires("citizens:read")
@spec.validate(resp=responses(HTTP_200=CitizenOut), tags=TAGS,
               security=security("citizens:read"), operation_id="getCitizen")
def get_citizen(citizen_id: int) -> Answer:
    """One citizen (CPR masked; audited)."""
    return reads.citizen(db.session, caller(), citizen_id)


@bp.get("/citizens/<int:citizen_id>/programmes")
@requires("programmes:read")
@spec.validate(query=PageQuery, resp=responses(HTTP_200=ProgrammePage),
               tags=["programmes"], security=security("programmes:read"),
               operation_id="listProgrammes")
def list_programmes(citizen_id: int) -> Answer:
    """The citizen's programmes (target group, start and end, rule set)."""
    q = query()
    found = reads.programmes(db.session, caller(), citizen_id, cursor=q.cursor, limit=q.limit)
    return paged(ProgrammePage, found)


@bp.get("/citizens/<int:citizen_id>/history")
@requires("history:read")
@spec.validate(query=PageQuery, resp=responses(HTTP_200=HeldPage),
               tags=["history"], security=security("history:read"),
               operation_id="listHistory")
def list_history(citizen_id: int) -> Answer:
    """The conversations (and other events) the citizen has held."""
    q = query()
    found = reads.history(db.session, caller(), citizen_id, cursor=q.cursor, limit=q.limit)
    return paged(HeldPage, found)


@bp.post("/citizens/<int:citizen_id>/history")
@requires("history:write")
@spec.validate(json=HeldIn, headers=PostHeaders, resp=post_responses(HTTP_201=HeldOut),
               tags=["history"], security=security("history:write"),
               operation_id="addHistory")
def add_history(citizen_id: int) -> Answer:
    """Record a held conversation; the citizen's obligations are recomputed."""
    made = writes.add_history(db.session, caller(), citizen_id, body(), settings=settings())
    return made, 201
