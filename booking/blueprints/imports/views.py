"""Upload a file, see what it would create, change and leave alone (and every bad row), then
import it: the checked file waits on the server so it need not be chosen again."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from flask import current_app, render_template, session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...models import ActorKind
from ...services.imports import COLUMNS, Actor, ImportError_, ImportResult, run_import
from . import bp
from .forms import ConfirmForm, ImportForm
from .messages import KIND_LABELS, message, row_message

PENDING = "import_pending"  # the session key of the file a dry run has checked
KEEP_SECONDS = 3600  # a checked file not imported within this is deleted


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "import-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stash(data: bytes, kind: str, filename: str) -> str:
    """Keep a checked file for the confirm step; returns its token."""
    folder = _folder()
    now = time.time()
    for old in folder.iterdir():
        if now - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / token).write_bytes(data)
    session[PENDING] = {"token": token, "kind": kind, "name": filename[:200],
                        "staff": current_user.staff_id}
    return token


def _unstash(token: str) -> tuple[bytes, str, str] | None:
    pending = session.pop(PENDING, None)
    if (not pending or not secrets.compare_digest(str(pending.get("token", "")), token)
            or pending.get("staff") != current_user.staff_id):
        return None
    path = _folder() / pending["token"]
    if not path.is_file():
        return None
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    return data, pending["kind"], pending["name"]


def _form_page(form: ImportForm, status: int = 200, problem: str | None = None
               ) -> ResponseReturnValue:
    return render_template("imports/form.html", form=form, columns=COLUMNS,
                           labels=KIND_LABELS, problem=problem), status


def _run(data: bytes, kind: str, filename: str, dry_run: bool) -> ImportResult | str:
    try:
        return run_import(db.session, kind, data, filename, settings=settings(),
                          actor=Actor(ActorKind.staff, current_user.staff_id), dry_run=dry_run)
    except ImportError_ as err:
        return message(err)


def _result_page(result: ImportResult, filename: str, token: str | None) -> ResponseReturnValue:
    errors = [(e.row, e.column, row_message(e)) for e in result.shown_errors]
    confirm = ConfirmForm(formdata=None, data={"token": token}) if token else None
    return render_template("imports/result.html", result=result, filename=filename,
                           kind_label=KIND_LABELS[result.kind], errors=errors,
                           confirm=confirm), (200 if result.ok else 422)


@bp.get("/")
def home() -> ResponseReturnValue:
    return _form_page(ImportForm(formdata=None))


@bp.post("/")
def upload() -> ResponseReturnValue:
    form = ImportForm()
    if not form.validate_on_submit():
        return _form_page(form, 422)
    kind = str(form.kind.data)
    upload = form.file.data
    filename = str(upload.filename or "")
    data = upload.read()
    outcome = _run(data, kind, filename, bool(form.dry_run.data))
    if isinstance(outcome, str):
        return _form_page(form, 422, outcome)
    token = _stash(data, kind, filename) if outcome.dry_run and outcome.ok else None
    return _result_page(outcome, filename, token)


@bp.post("/bekraeft")
def confirm() -> ResponseReturnValue:
    form = ConfirmForm()
    pending = _unstash(str(form.token.data or "")) if form.validate_on_submit() else None
    if pending is None:
        return _form_page(ImportForm(formdata=None), 422,
                          _("Prøvekørslen er udløbet. Vælg filen igen."))
    data, kind, filename = pending
    outcome = _run(data, kind, filename, False)
    if isinstance(outcome, str):
        return _form_page(ImportForm(formdata=None), 422, outcome)
    return _result_page(outcome, filename, None)
