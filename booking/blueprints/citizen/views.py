"""The citizen's own pages (reached only through a personal link): see, book, move, cancel."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date
from typing import TypedDict
from urllib.parse import urlencode

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields import SelectChoice

from ...db import db
from ...extensions import settings
from ...services import citizen_view, reservations
from ...services.errors import NotFound
from ...services.slot_search import SlotOption
from . import bp, page_cache
from .forms import CHANNEL_LABELS, CancelForm, ChooseSlotForm, FilterForm
from .messages import cutoff_message, message


def _channel_labels() -> dict[str, str]:
    """The channel names translated once per page (a list of free times names them often)."""
    return {channel: str(label) for channel, label in CHANNEL_LABELS.items()}


def _citizen_id() -> int:
    citizen_id: int = current_user.citizen_id
    return citizen_id


@bp.route("/")
def home() -> ResponseReturnValue:
    def build() -> ResponseReturnValue:
        try:
            page = citizen_view.home_page(db.session, _citizen_id(), settings())
        except NotFound:
            abort(404)
        return render_template(
            "citizen/home.html",
            citizen=page.citizen,
            overview=page.overview,
            channel_labels=_channel_labels(),
        )

    return page_cache.rendered(
        build, lambda: citizen_view.home_seen(db.session, _citizen_id(), settings())
    )


def _short(day: date) -> str:
    return str(format_date(day, "d. MMMM"))


def _filters(page: citizen_view.ChoosePage) -> FilterForm:
    form = FilterForm(formdata=request.args)
    form.kanal.choices = [SelectChoice("", _("Alle"))] + [
        SelectChoice(c, str(CHANNEL_LABELS[c])) for c in page.channels
    ]
    form.uge.choices = [SelectChoice("", _("Alle uger"))] + [
        SelectChoice(
            monday.isoformat(),
            _("Uge %(n)s (fra %(date)s)", n=monday.isocalendar()[1], date=_short(monday)),
        )
        for monday in page.weeks
    ]
    codes = {problem.code for problem in page.problems}
    if "unknown_channel" in codes:
        form.kanal.data = ""
    if "unknown_week" in codes:
        form.uge.data = ""
    return form


class _Picker(TypedDict):
    channel: str | None
    week: str | None
    day: str | None


def _picker() -> _Picker:
    """The query string's filters (channel, week) and the day whose times are shown (``?dag=``
    an ISO date); raw: the service checks them."""
    args = request.args
    return _Picker(channel=args.get("kanal"), week=args.get("uge"), day=args.get("dag"))


def _picker_args(page: citizen_view.ChoosePage) -> dict[str, str]:
    """The filters in force, for the day links and the form's action (a choice that cannot
    be booked shows the same day and filters again)."""
    args = {k: v for k in ("kanal", "uge") if (v := request.args.get(k, ""))}
    if page.day is not None and page.day_given:
        args["dag"] = page.day.isoformat()
    return args


def _render_choose(
    page: citizen_view.ChoosePage,
    *,
    form: ChooseSlotForm | None = None,
    problem: str | None = None,
    alternatives: Sequence[SlotOption] = (),
    status: int = 200,
    keep: bool = False,
) -> ResponseReturnValue:
    """The free times; ``keep``: a rendering the citizen's page cache may keep (its request key
    a stand-in that :func:`page_cache.rendered` fills in for every response)."""
    form = form or ChooseSlotForm()
    form.request_key.data = page_cache.REQUEST_KEY_MARK if keep else secrets.token_urlsafe(24)
    booking = page.booking
    args = _picker_args(page)
    action = (
        url_for("citizen.rebook", booking_id=booking.id)
        if booking
        else url_for("citizen.book", obligation_id=page.obligation.id)
    )
    if args:
        action += "?" + urlencode(args)
    filter_args = {k: v for k, v in args.items() if k != "dag"}
    here = (  # the page of free times (GET): the filters' and the day links' address
        url_for("citizen.rebook", booking_id=booking.id)
        if booking
        else url_for("citizen.choose", obligation_id=page.obligation.id)
    )
    return (
        render_template(
            "citizen/choose.html",
            ob=page.obligation,
            booking=booking,
            until=page.until,
            today=page.today,
            filters=_filters(page),
            filter_errors=[message(p) for p in page.problems],
            form=form,
            days=page.day_choices,
            day=page.day,
            day_given=page.day_given,
            times=page.times,
            filter_args=filter_args,
            here=here,
            more=page.more,
            shown=page.shown,
            action=action,
            problem=problem,
            alternatives=list(alternatives),
            channel_labels=_channel_labels(),
            deadline_passed=page.deadline_passed,
        ),
        status,
    )


@bp.route("/samtale/<int:obligation_id>")
def choose(obligation_id: int) -> ResponseReturnValue:
    def build() -> ResponseReturnValue:
        try:
            page = citizen_view.open_choose_page(
                db.session, _citizen_id(), obligation_id, settings(), **_picker()
            )
        except NotFound:
            abort(404)
        if isinstance(page, citizen_view.AlreadyBooked):
            return redirect(url_for("citizen.booking", booking_id=page.booking_id))
        return _render_choose(page, keep=True)

    return page_cache.rendered(
        build,
        lambda: citizen_view.slots_seen(db.session, _citizen_id(), obligation_id, settings()),
    )


def _page_again(obligation_id: int | None, booking_id: int | None) -> citizen_view.ChoosePage:
    """The free times (again, after a choice that was not booked; or to move a booking)."""
    try:
        if booking_id is not None:
            return citizen_view.rebook_page(
                db.session, _citizen_id(), booking_id, settings(), **_picker()
            )
        assert obligation_id is not None
        return citizen_view.choose_page(
            db.session, _citizen_id(), obligation_id, settings(), **_picker()
        )
    except NotFound:
        abort(404)


def _submit(obligation_id: int | None, booking_id: int | None) -> ResponseReturnValue:
    """Book (``obligation_id``) or move (``booking_id``) to the time chosen in the form."""
    form = ChooseSlotForm()
    if not form.validate_on_submit():
        problem = next(iter(form.slot.errors), None) or _("Formularen kunne ikke læses.")
        return _render_choose(
            _page_again(obligation_id, booking_id), form=form, problem=problem, status=422
        )
    slot_id = int(form.slot.data or 0)
    request_key = form.request_key.data or None
    try:
        if booking_id is None:
            assert obligation_id is not None
            outcome = reservations.book(
                db.session,
                citizen_id=_citizen_id(),
                obligation_id=obligation_id,
                slot_id=slot_id,
                request_key=request_key,
                settings=settings(),
            )
        else:
            outcome = reservations.rebook(
                db.session,
                citizen_id=_citizen_id(),
                booking_id=booking_id,
                slot_id=slot_id,
                request_key=request_key,
                settings=settings(),
            )
    except reservations.ReservationError as exc:
        if exc.code == "not_found":
            abort(404)
        if exc.code == "already_booked":
            flash(message(exc), "info")
            return redirect(url_for("citizen.home"))
        if exc.code in ("cutoff_passed", "deadline_passed") and booking_id is not None:
            flash(message(exc), "error")
            return redirect(url_for("citizen.booking", booking_id=booking_id))
        form.slot.data = ""
        return _render_choose(
            _page_again(obligation_id, booking_id),
            form=form,
            problem=message(exc),
            alternatives=exc.alternatives,
            status=409 if exc.code == "slot_taken" else 422,
        )
    shown = "flyttet" if booking_id is not None else "booket"
    return redirect(url_for("citizen.booking", booking_id=outcome.booking.id, vist=shown))


@bp.route("/samtale/<int:obligation_id>/book", methods=["POST"])
def book(obligation_id: int) -> ResponseReturnValue:
    return _submit(obligation_id, None)


@bp.route("/booking/<int:booking_id>")
def booking(booking_id: int) -> ResponseReturnValue:
    try:
        page = citizen_view.booking_page(db.session, _citizen_id(), booking_id, settings())
    except NotFound:
        abort(404)
    return render_template(
        "citizen/booking.html",
        booking=page.booking,
        shown=request.args.get("vist"),
        changeable=page.changeable,
        ends_at=page.ends_at,
        channel_labels=_channel_labels(),
        cutoff_hours=page.cutoff_hours,
    )


@bp.route("/booking/<int:booking_id>/kalender.ics")
def calendar_file(booking_id: int) -> ResponseReturnValue:
    try:
        text = citizen_view.calendar_file(db.session, _citizen_id(), booking_id, settings())
    except NotFound:
        abort(404)
    return current_app.response_class(
        text,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": 'attachment; filename="samtale-jobcenter.ics"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/booking/<int:booking_id>/flyt", methods=["GET", "POST"])
def rebook(booking_id: int) -> ResponseReturnValue:
    if request.method == "POST":
        return _submit(None, booking_id)
    page = _page_again(None, booking_id)
    if not page.changeable:
        flash(cutoff_message(page.cutoff_hours), "error")
        return redirect(url_for("citizen.booking", booking_id=booking_id))
    return _render_choose(page)


@bp.route("/booking/<int:booking_id>/aflys", methods=["GET", "POST"])
def cancel(booking_id: int) -> ResponseReturnValue:
    form = CancelForm()
    if form.validate_on_submit():
        try:
            outcome = reservations.cancel(
                db.session, citizen_id=_citizen_id(), booking_id=booking_id, settings=settings()
            )
        except reservations.ReservationError as exc:
            if exc.code == "not_found":
                abort(404)
            flash(message(exc), "error")
            return redirect(url_for("citizen.booking", booking_id=booking_id))
        if outcome.replayed:
            flash(_("Samtalen er aflyst."), "info")
        else:
            flash(
                _(
                    "Din samtale er aflyst. Du skal stadig have en samtale: book en ny tid "
                    "nedenfor."
                ),
                "info",
            )
        return redirect(url_for("citizen.home"))
    try:
        page = citizen_view.cancel_page(db.session, _citizen_id(), booking_id, settings())
    except NotFound:
        abort(404)
    if page.cancelled:
        flash(_("Samtalen er aflyst."), "info")
        return redirect(url_for("citizen.home"))
    if not page.changeable:
        flash(cutoff_message(page.cutoff_hours), "error")
        return redirect(url_for("citizen.booking", booking_id=booking_id))
    return render_template(
        "citizen/cancel.html",
        booking=page.booking,
        form=form,
        channel_labels=_channel_labels(),
    )
