"""The audit trail: names and readable actions, filtered by staff member, citizen, action and
date range, a page at a time, and the same selection as a CSV file for Danish Excel."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ...db import db
from ...services.audit_trail import TrailFilter, TrailRow, trail_export, trail_page
from ...services.clock import today_local
from ...services.exports.csv_writer import write_csv
from ...services.exports.table import Column, Export, Sheet
from ..bounds import database_id
from . import bp
from .forms import TrailFilterForm
from .messages import action_label, actor_kind_label

MAX_PAGE = 10_000
FILTER_KEYS = ("staff", "citizen", "action", "first", "last")


def _form() -> tuple[TrailFilterForm, TrailFilter]:
    """The filter form from the query string; an unusable field is left out of the filter
    (and shown with its message)."""
    args = MultiDict({k: v for k, v in request.args.items(multi=True) if k in FILTER_KEYS})
    form = TrailFilterForm(formdata=args if args else None)
    if args:
        form.validate()
    staff_raw = form.staff.data or ""
    try:
        staff_id = database_id(staff_raw) if staff_raw else None
    except ValueError:
        staff_id = None
    flt = TrailFilter(
        staff_id=staff_id,
        citizen=(form.citizen.data or "").strip() if not form.citizen.errors else "",
        action=(form.action.data or "").strip()[:64],
        first=form.first.data if not form.first.errors else None,
        last=form.last.data if not form.last.errors and not form.first.errors else None,
    )
    return form, flt


def _query(flt: TrailFilter) -> dict[str, Any]:
    """The filter as query-string values (for the pagination and export links)."""
    values = {
        "staff": flt.staff_id,
        "citizen": flt.citizen or None,
        "action": flt.action or None,
        "first": flt.first.strftime("%d-%m-%Y") if flt.first else None,
        "last": flt.last.strftime("%d-%m-%Y") if flt.last else None,
    }
    return {k: v for k, v in values.items() if v is not None}


@bp.route("/revisionsspor")
def audit_trail() -> ResponseReturnValue:
    form, flt = _form()
    page_no = min(max(request.args.get("side", 1, type=int) or 1, 1), MAX_PAGE)
    page = trail_page(db.session, flt, page=page_no, viewer_id=current_user.staff_id)
    form.staff.choices = [("", _("Alle"))] + [
        (str(s.id), f"{s.full_name} ({s.username})") for s in page.staff
    ]
    form.action.choices = [("", _("Alle"))] + sorted(
        ((code, action_label(code)) for code in page.actions), key=lambda c: c[1].lower()
    )
    query = _query(flt)
    return render_template(
        "admin/audit_trail.html",
        form=form,
        page=page,
        rows=page.rows,
        action_label=action_label,
        actor_kind_label=actor_kind_label,
        previous_url=url_for("admin.audit_trail", side=page.page - 1, **query)
        if page.page > 1 else None,
        next_url=url_for("admin.audit_trail", side=page.page + 1, **query)
        if page.has_next else None,
        export_url=url_for("admin.audit_export", **query),
    ), 422 if form.errors else 200


COLUMNS = (
    Column("Tidspunkt", "Time", "datetime"),
    Column("Aktørtype", "Actor type"),
    Column("Aktør", "Actor"),
    Column("Aktør-id", "Actor id", "int"),  # staff user, citizen or API client, by kind
    Column("Handling", "Action"),
    Column("Handlingskode", "Action code"),
    Column("Antal borgere", "Citizens", "int"),
    Column("Borgere", "Citizens (names)"),
    Column("Objekt", "Object"),
    Column("Objekt-id", "Object id", "int"),
)


def _csv_row(row: TrailRow) -> list[Any]:
    names = ", ".join(c.name or f"#{c.id}" for c in row.citizens)
    if row.citizen_count > len(row.citizens):
        names += " " + _("og %(count)s flere", count=row.citizen_count - len(row.citizens))
    return [
        row.at, str(actor_kind_label(row.actor_kind)), row.actor_name, row.actor_id,
        action_label(row.action), row.action, row.citizen_count, names, row.object_type,
        row.object_id,
    ]


@bp.route("/revisionsspor/eksport.csv")
def audit_export() -> ResponseReturnValue:
    _form_unused, flt = _form()
    result = trail_export(db.session, flt, viewer_id=current_user.staff_id)
    sheet = Sheet("Revisionsspor", "Audit trail", COLUMNS, [_csv_row(r) for r in result.rows])
    export = Export("revisionsspor", today_local(), [sheet])
    headers = {
        "Content-Disposition": f'attachment; filename="{export.filename("csv")}"',
        "Cache-Control": "no-store",
    }
    if result.truncated:
        headers["X-Rettidig-Truncated"] = "1"
    return Response(write_csv(sheet), mimetype="text/csv; charset=utf-8", headers=headers)
