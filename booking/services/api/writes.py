"""What the API writes: citizens (with their first programme), held conversations, bookings.

Citizens and history follow the same rules as the pages and the file import: the CPR number is
validated with python-stdnum and kept only as a keyed hash and a masked form
(:func:`~booking.services.security.parse_cpr`; a number already known under the previous key
of a rotation is found through :func:`~booking.services.cpr_keys.find_citizen`); obligations
are recomputed after each change. Bookings go through
:mod:`booking.services.reservations`, the same code as the citizen's own booking. Each write is
audited with actor kind ``api_client`` and the API client's id, and commits on its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ... import rules
from ...database import transaction
from ...models import (
    ActorKind,
    Booking,
    BookingSource,
    Caseworker,
    Citizen,
    HeldConversation,
    Holder,
    Obligation,
    Programme,
    Unit,
)
from ...settings import Settings
from .. import audit, reservations
from ..clock import today_local
from ..cpr_keys import CprKeys, find_citizen
from ..errors import FormErrors, NotFound, ServiceError
from ..law.context import LawConfig, law_context, rule_set_code_for
from ..obligations import refresh
from ..security import CprError, parse_cpr
from . import serialisers
from .reads import Caller
from .schemas import CitizenIn, HeldIn


class Conflict(ServiceError):
    """The write clashes with what is there (``cpr_taken``, ``external_id_taken``)."""


def _audit(session: Session, caller: Caller, action: str, citizen_id: int,
           object_type: str, object_id: int) -> None:
    audit.record(session, actor_kind=ActorKind.api_client, actor_id=caller.client_id,
                 action=action, citizen_id=citizen_id, object_type=object_type,
                 object_id=object_id, detail={"api_client": caller.name})


def _external_taken(session: Session, model: type[Programme] | type[HeldConversation],
                    external_id: str | None) -> bool:
    return external_id is not None and session.scalar(
        select(model.id).where(model.external_id == external_id)) is not None


def create_citizen(session: Session, caller: Caller, data: CitizenIn, *, settings: Settings,
                   today: date | None = None) -> Any:
    """A new citizen with their first programme; obligations computed. FormErrors keyed by the
    body's JSON path; :class:`Conflict` ``cpr_taken`` / ``external_id_taken``."""
    today = today or today_local()
    keys = CprKeys.from_settings(settings.security)
    fields: dict[str, ServiceError] = {}
    try:
        info = parse_cpr(data.cpr, keys.current)
    except CprError as err:
        fields["$.cpr"] = err
    name = " ".join(data.name.split())
    if not name:
        fields["$.name"] = ServiceError("required")
    config = LawConfig.from_settings(settings)
    try:
        code = rule_set_code_for(config, data.programme.start_date, today)
    except rules.RuleSetError:
        fields["$.programme.start_date"] = ServiceError("no_rule_set")
    if fields:
        raise FormErrors(fields)
    try:
        with transaction(session):
            unit = session.scalar(select(Unit).where(Unit.code == data.unit_code))
            if unit is None:
                raise FormErrors({"$.unit_code": ServiceError("unknown_unit")})
            if data.caseworker_id is not None:
                cw = session.get(Caseworker, data.caseworker_id)
                if cw is None or cw.unit_id != unit.id:
                    raise FormErrors({"$.caseworker_id": ServiceError("unknown_caseworker")})
            if find_citizen(session, data.cpr, keys).citizen is not None:
                raise Conflict("cpr_taken")
            if _external_taken(session, Programme, data.programme.external_id):
                raise Conflict("external_id_taken")
            row = Citizen(
                cpr_hash=info.digest, cpr_masked=info.masked, birth_date=info.birth_date,
                name=name, phone=data.phone, email=data.email, language=data.language,
                unit_id=unit.id, caseworker_id=data.caseworker_id,
                channels=[c.value for c in data.channels] if data.channels else None,
            )
            row.programmes.append(Programme(
                target_group=data.programme.target_group.value,
                start_date=data.programme.start_date, rule_set_code=code,
                external_id=data.programme.external_id,
            ))
            session.add(row)
            session.flush()
            refresh(session, row, today, law=law_context(session, config, around=today))
            _audit(session, caller, "api_citizen_created", row.id, "citizen", row.id)
            return serialisers.citizen(row)
    except IntegrityError:  # the same number or key written at the same moment
        raise Conflict("cpr_taken") from None


def add_history(session: Session, caller: Caller, citizen_id: int, data: HeldIn, *,
                settings: Settings, today: date | None = None) -> Any:
    """Record a held conversation (or offer, presentation …); obligations recomputed."""
    today = today or today_local()
    if data.joint and data.holder == Holder.unemployment_fund:
        raise FormErrors({"$.joint": ServiceError("joint_held_by_jobcentre")})
    if data.held_on > today:
        raise FormErrors({"$.held_on": ServiceError("in_future")})
    config = LawConfig.from_settings(settings)
    try:
        with transaction(session):
            row = session.get(Citizen, citizen_id)
            if row is None:
                raise NotFound("citizen")
            if _external_taken(session, HeldConversation, data.external_id):
                raise Conflict("external_id_taken")
            held = HeldConversation(
                citizen_id=row.id, held_on=data.held_on, kind=data.kind, holder=data.holder,
                joint=data.joint, fund_declined=data.fund_declined, channel=data.channel,
                external_id=data.external_id,
            )
            session.add(held)
            session.flush()
            session.refresh(row, ["conversations"])
            refresh(session, row, today, law=law_context(session, config, around=today))
            _audit(session, caller, "api_history_added", row.id, "held_conversation", held.id)
            return serialisers.held(held)
    except IntegrityError:
        raise Conflict("external_id_taken") from None


def _actor(caller: Caller) -> reservations.Actor:
    return reservations.Actor(ActorKind.api_client, caller.client_id)


def book(session: Session, caller: Caller, obligation_id: int, slot_id: int, *,
         settings: Settings) -> Any:
    """Book the slot for the obligation's citizen, by the citizen's own rules (window,
    channels, caseworker, one seat). :class:`reservations.ReservationError` on refusal."""
    with transaction(session):
        ob = session.get(Obligation, obligation_id)
        if ob is None:
            raise NotFound("obligation")
        citizen_id = ob.citizen_id
    outcome = reservations.book(
        session, citizen_id=citizen_id, obligation_id=obligation_id, slot_id=slot_id,
        request_key=None, settings=settings, actor=_actor(caller), source=BookingSource.staff,
    )
    with transaction(session):
        return serialisers.booking(session.get_one(Booking, outcome.booking.id))


def cancel(session: Session, caller: Caller, booking_id: int, *, settings: Settings) -> Any:
    """Cancel a booking before the cutoff (cancelling a cancelled one changes nothing)."""
    with transaction(session):
        found = session.get(Booking, booking_id)
        if found is None:
            raise NotFound("booking")
        citizen_id = found.citizen_id
    outcome = reservations.cancel(session, citizen_id=citizen_id, booking_id=booking_id,
                                  settings=settings, actor=_actor(caller))
    with transaction(session):
        return serialisers.booking(session.get_one(Booking, outcome.booking.id))
