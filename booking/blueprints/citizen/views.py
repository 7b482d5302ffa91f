"""The citizen's own pages (reached only through a personal link): see, book, move, cancel."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields import SelectChoice

from ...database import begin_write
from ...db import db
from ...extensions import settings
from ...models import ActorKind, Booking, BookingState, Citizen, Obligation, ObligationState
from ...services import audit, booking_mail, reservations
from ...services.citizen_view import citizen_overview
from ...services.clock import now_utc, zone
from ...services.slot_search import (
    allowed_channels,
    bookable_slots,
    self_booking_until,
    weeks_with_slots,
)
from . import bp
from .forms import CHANNEL_LABELS, CancelForm, ChooseSlotForm, FilterForm


def _citizen() -> Citizen:
    citizen = db.session.get(Citizen, current_user.citizen_id)
    if citizen is None:
        abort(404)
    return citizen


def _own_obligation(obligation_id: int) -> Obligation:
    ob = db.session.get(Obligation, obligation_id)
    if ob is None or ob.citizen_id != current_user.citizen_id:
        abort(404)
    return ob


def _own_booking(booking_id: int) -> Booking:
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.citizen_id != current_user.citizen_id:
        abort(404)
    return booking


def _viewed(action: str, citizen_id: int, object_type: str | None = None, oid: int | None = None):  # type: ignore[no-untyped-def]
    """Audit a view in its own short write transaction (``BEGIN IMMEDIATE`` on SQLite: a read
    transaction upgraded to a write could fail when another writer came in between)."""
    begin_write(db.session)
    audit.record(
        db.session,
        actor_kind=ActorKind.citizen,
        actor_id=citizen_id,
        action=action,
        citizen_id=citizen_id,
        object_type=object_type,
        object_id=oid,
    )
    db.session.commit()


def error_message(code: str) -> str:
    hours = reservations.cutoff_hours(settings())
    return {
        "slot_taken": _("Tiden er lige blevet taget. Vælg en anden tid."),
        "not_bookable": _("Den valgte tid kan ikke bookes. Vælg en af de viste tider."),
        "already_booked": _("Du har allerede booket en tid til denne samtale."),
        "cutoff_passed": _(
            "Tiden kan ikke flyttes eller aflyses her, når der er mindre end %(hours)s timer "
            "til samtalen. Ring til jobcentret.",
            hours=hours,
        ),
        "deadline_passed": _(
            "Fristen for selv at booke er overskredet. Jobcentret booker en tid til dig og "
            "sender den i Digital Post."
        ),
        "not_found": _("Vi kunne ikke finde bookingen."),
    }.get(code, _("Det lykkedes ikke. Prøv igen."))


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    citizen = _citizen()
    overview = citizen_overview(db.session, citizen, settings())
    _viewed("citizen_viewed_own", citizen.id)
    return render_template(
        "citizen/home.html",
        citizen=citizen,
        overview=overview,
        channel_labels=CHANNEL_LABELS,
    )


def _filters(citizen: Citizen, ob: Obligation, until: date, today: date):  # type: ignore[no-untyped-def]
    form = FilterForm(formdata=request.args)
    channels = allowed_channels(ob, citizen)
    form.kanal.choices = [SelectChoice("", _("Alle"))] + [
        SelectChoice(c, str(CHANNEL_LABELS[c])) for c in channels
    ]
    weeks = weeks_with_slots(db.session, citizen, ob, until=until, today=today)
    form.uge.choices = [SelectChoice("", _("Alle uger"))] + [
        SelectChoice(
            monday.isoformat(),
            _("Uge %(n)s (fra %(date)s)", n=monday.isocalendar()[1], date=_short(monday)),
        )
        for monday in weeks
    ]
    channel = request.args.get("kanal") or None
    week: date | None = None
    errors = []
    if channel is not None and channel not in channels:
        errors.append(_("Vælg en af de viste fremmødeformer."))
        channel = None
        form.kanal.data = ""
    raw_week = request.args.get("uge") or ""
    if raw_week:
        try:
            week = date.fromisoformat(raw_week)
            week -= timedelta(days=week.weekday())
        except ValueError:
            errors.append(_("Vælg en af de viste uger."))
            form.uge.data = ""
    return form, channel, week, errors


def _short(day: date) -> str:
    from flask_babel import format_date

    return format_date(day, "d. MMMM")


def _choose_page(  # type: ignore[no-untyped-def]
    ob: Obligation,
    *,
    booking: Booking | None = None,
    form: ChooseSlotForm | None = None,
    problem: str | None = None,
    alternatives: list | None = None,  # type: ignore[type-arg]
    status: int = 200,
):
    citizen = ob.citizen
    now = now_utc()
    today = now.astimezone(zone()).date()
    until = self_booking_until(ob, settings())
    filters, channel, week, filter_errors = _filters(citizen, ob, until, today)
    shown = settings().booking.slots_shown
    options = bookable_slots(
        db.session,
        citizen,
        ob,
        until=until,
        today=today,
        channel=channel,
        week=week,
        ignore_booking_id=booking.id if booking else None,
        limit=shown + 1,
    )
    if booking is not None:
        options = [o for o in options if o.slot_id != booking.slot_id]
    more = len(options) > shown
    options = options[:shown]
    days: dict[date, list] = {}  # type: ignore[type-arg]
    for option in options:
        days.setdefault(option.local_day, []).append(option)
    form = form or ChooseSlotForm()
    form.request_key.data = secrets.token_urlsafe(24)
    action = (
        url_for("citizen.rebook", booking_id=booking.id)
        if booking
        else url_for("citizen.book", obligation_id=ob.id)
    )
    return (
        render_template(
            "citizen/choose.html",
            ob=ob,
            booking=booking,
            until=until,
            today=today,
            filters=filters,
            filter_errors=filter_errors,
            form=form,
            days=days,
            more=more,
            shown=shown,
            action=action,
            problem=problem,
            alternatives=alternatives or [],
            channel_labels=CHANNEL_LABELS,
            deadline_passed=until < today,
        ),
        status,
    )


@bp.route("/samtale/<int:obligation_id>")
def choose(obligation_id: int):  # type: ignore[no-untyped-def]
    ob = _own_obligation(obligation_id)
    if ob.state == ObligationState.booked:
        live = db.session.scalar(
            select(Booking).where(
                Booking.obligation_id == ob.id, Booking.state == BookingState.booked
            )
        )
        if live is not None:
            return redirect(url_for("citizen.booking", booking_id=live.id))
    _viewed("citizen_viewed_slots", ob.citizen_id, "obligation", ob.id)
    return _choose_page(ob)


def _submit(ob: Obligation, booking: Booking | None):  # type: ignore[no-untyped-def]
    form = ChooseSlotForm()
    if not form.validate_on_submit():
        problem = next(iter(form.slot.errors), None) or _("Formularen kunne ikke læses.")
        return _choose_page(ob, booking=booking, form=form, problem=problem, status=422)
    common = dict(
        citizen_id=current_user.citizen_id,
        slot_id=int(form.slot.data),
        request_key=form.request_key.data or None,
        settings=settings(),
    )
    try:
        if booking is None:
            outcome = reservations.book(db.session, obligation_id=ob.id, **common)
        else:
            outcome = reservations.rebook(db.session, booking_id=booking.id, **common)
    except reservations.ReservationError as exc:
        if exc.code == "not_found":
            abort(404)
        if exc.code == "already_booked":
            flash(error_message(exc.code), "info")
            return redirect(url_for("citizen.home"))
        if exc.code in ("cutoff_passed", "deadline_passed") and booking is not None:
            flash(error_message(exc.code), "error")
            return redirect(url_for("citizen.booking", booking_id=booking.id))
        form.slot.data = ""
        status = 409 if exc.code == "slot_taken" else 422
        return _choose_page(
            ob,
            booking=booking,
            form=form,
            problem=error_message(exc.code),
            alternatives=exc.alternatives,
            status=status,
        )
    shown = "flyttet" if booking is not None else "booket"
    return redirect(url_for("citizen.booking", booking_id=outcome.booking.id, vist=shown))


@bp.route("/samtale/<int:obligation_id>/book", methods=["POST"])
def book(obligation_id: int):  # type: ignore[no-untyped-def]
    return _submit(_own_obligation(obligation_id), None)


@bp.route("/booking/<int:booking_id>")
def booking(booking_id: int):  # type: ignore[no-untyped-def]
    item = _own_booking(booking_id)
    _viewed("citizen_viewed_booking", item.citizen_id, "booking", item.id)
    return render_template(
        "citizen/booking.html",
        booking=item,
        shown=request.args.get("vist"),
        changeable=reservations.changeable(item, settings()),
        place=booking_mail.place_text(item),
        ends_at=item.slot.starts_at + timedelta(minutes=item.slot.minutes),
        channel_labels=CHANNEL_LABELS,
        cutoff_hours=reservations.cutoff_hours(settings()),
    )


@bp.route("/booking/<int:booking_id>/kalender.ics")
def calendar_file(booking_id: int):  # type: ignore[no-untyped-def]
    item = _own_booking(booking_id)
    method = "CANCEL" if item.state == BookingState.cancelled else "PUBLISH"
    text = booking_mail.booking_ics(item, settings(), method)
    return current_app.response_class(
        text,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": 'attachment; filename="samtale-jobcenter.ics"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/booking/<int:booking_id>/flyt", methods=["GET", "POST"])
def rebook(booking_id: int):  # type: ignore[no-untyped-def]
    item = _own_booking(booking_id)
    if item.obligation is None or item.state != BookingState.booked:
        abort(404)
    if request.method == "POST":
        return _submit(item.obligation, item)
    if not reservations.changeable(item, settings()):
        flash(error_message("cutoff_passed"), "error")
        return redirect(url_for("citizen.booking", booking_id=item.id))
    return _choose_page(item.obligation, booking=item)


@bp.route("/booking/<int:booking_id>/aflys", methods=["GET", "POST"])
def cancel(booking_id: int):  # type: ignore[no-untyped-def]
    item = _own_booking(booking_id)
    form = CancelForm()
    if item.state == BookingState.cancelled:
        flash(_("Samtalen er aflyst."), "info")
        return redirect(url_for("citizen.home"))
    if not reservations.changeable(item, settings()):
        flash(error_message("cutoff_passed"), "error")
        return redirect(url_for("citizen.booking", booking_id=item.id))
    if form.validate_on_submit():
        try:
            reservations.cancel(
                db.session,
                citizen_id=current_user.citizen_id,
                booking_id=item.id,
                settings=settings(),
            )
        except reservations.ReservationError as exc:
            flash(error_message(exc.code), "error")
            return redirect(url_for("citizen.booking", booking_id=item.id))
        flash(
            _("Din samtale er aflyst. Du skal stadig have en samtale: book en ny tid nedenfor."),
            "info",
        )
        return redirect(url_for("citizen.home"))
    return render_template(
        "citizen/cancel.html",
        booking=item,
        form=form,
        place=booking_mail.place_text(item),
        channel_labels=CHANNEL_LABELS,
    )
