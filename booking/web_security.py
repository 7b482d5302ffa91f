"""HTTP security of the whole app, set up by :func:`init_security` (one call in ``init_web``).

- **Headers** (Flask-Talisman) on every response: a Content-Security-Policy that allows
  scripts, styles, images, fonts and fetches from the app's own origin only (no inline script or
  style anywhere: every script is a file under ``static/``), ``frame-ancestors 'none'`` with
  ``X-Frame-Options: DENY`` (no other site can frame a page, e.g. the citizen's cancel page),
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: strict-origin-when-cross-origin`` and
  ``Strict-Transport-Security`` (one year) on a request that came over https, or on every
  response when ``[app] public_url`` is https (a TLS proxy may talk plain http to the app; a
  browser ignores the header on a page it got over http). Plain http is not redirected here:
  the TLS-terminating proxy does that, and tests and the demo run on http.
- **Client address** behind reverse proxies: werkzeug's ProxyFix trusts ``[app] proxies`` hops
  of X-Forwarded-For and X-Forwarded-Proto; 0 (the default) reads neither header.
- **Cookies**: HttpOnly, SameSite=Lax, and Secure when ``[app] public_url`` is https.
- **Citizen read rate**: every page about citizens a staff member opens counts
  (:class:`~booking.services.access_scope.ReadMeter`); past ``[security]
  citizen_reads_per_hour`` the page is a 429 in Danish and the refusal is audited.
  ``RATELIMIT_ENABLED = False`` (the tests' default) turns it off with the log-in limits.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_talisman import Talisman
from limits.storage import Storage, storage_from_string
from werkzeug.middleware.proxy_fix import ProxyFix

from .blueprints.messages import translate
from .db import db
from .extensions import settings
from .services.access_scope import ReadMeter, ReadsBlocked, note_read
from .settings import Settings

SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "default-src": SELF,
    "script-src": SELF,
    "style-src": SELF,
    "img-src": SELF,
    "font-src": SELF,
    "connect-src": SELF,
    "form-action": SELF,
    "base-uri": "'none'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}
PERMISSIONS_POLICY = {"camera": "()", "microphone": "()", "geolocation": "()", "payment": "()"}
HSTS_SECONDS = 365 * 24 * 3600
HSTS_HEADER = "Strict-Transport-Security"

# Pages that read citizens: every GET in these blueprints (and the CPR search, a POST), except
# the endpoints below, which show no citizen (the plan page polls its progress every second).
CITIZEN_BLUEPRINTS = frozenset(
    {"lookup", "api", "callin", "caseworker", "plan", "planner", "manager"}
)
NO_CITIZEN_ENDPOINTS = frozenset(
    {
        "api.me",
        "plan.home",
        "plan.progress",
        "callin.home",
        "callin.plan",
        "planner.schedule",
        "planner.scenario_list",
        "planner.scenario_compare",
        "planner.scenario_csv",
        "planner.scenario_xlsx",
        "callin.desk_status",  # the desk's board fingerprint, polled (no citizen in it)
        "caseworker.queue_status",  # "Min kø" fingerprint, polled (no citizen in it)
    }
)
COUNTED_POSTS = frozenset({"lookup.search"})

READS_BLOCKED_TITLE = _l("For mange borgeropslag")
MESSAGES = {
    "reads_blocked": _l(
        "Du har åbnet sider om borgere mere end %(per_hour)s gange inden for en time. Siderne "
        "er spærret for dig et stykke tid, og en administrator kan se spærringen. Kontakt din "
        "administrator, hvis du har brug for adgang nu."
    ),
}


def https_only_cookies(settings: Settings) -> bool:
    """Cookies are Secure when the app is reached over https (``[app] public_url``)."""
    return settings.app.public_url.lower().startswith("https://")


def init_security(app: Flask, settings: Settings) -> None:
    proxies = settings.app.proxies
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies
        )
    secure = https_only_cookies(settings)
    app.config.update(
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
    )
    Talisman(
        app,
        force_https=False,
        strict_transport_security=True,  # sent only on a request that came over https
        strict_transport_security_max_age=HSTS_SECONDS,
        strict_transport_security_include_subdomains=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy=PERMISSIONS_POLICY,
        session_cookie_secure=secure,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        x_content_type_options=True,
        x_xss_protection=False,  # obsolete; CSP does its work
    )
    if secure:
        app.after_request(_hsts_behind_tls_proxy)
    if (settings.security.rate_limit_storage.startswith("memory://")
            and settings.app.mode == "production" and not (app.testing or app.debug)):
        # (demo mode runs one local process; `check-config` reports it for production too)
        app.logger.warning(
            "rate limits count per process (memory://): with several web processes set "
            "REDIS_URL so the log-in limit and the citizen read rate hold across them"
        )
    storage = storage_from_string(settings.security.rate_limit_storage)
    assert isinstance(storage, Storage)  # a synchronous storage (the URI is not async+…)
    meter = ReadMeter(storage, prefix=str(app.config.get("RATELIMIT_KEY_PREFIX") or ""))
    app.extensions["citizen_read_meter"] = meter
    app.before_request(_count_citizen_read)


def _hsts_behind_tls_proxy(response: Response) -> Response:
    """``public_url`` is https: the browser reached the page over https even when the proxy's
    request to the app did not say so (Talisman sends the header only on a secure request)."""
    response.headers.setdefault(HSTS_HEADER, f"max-age={HSTS_SECONDS}")
    return response


def reads_citizens() -> bool:
    """Does this request open a page about citizens (see :data:`CITIZEN_BLUEPRINTS`)?"""
    endpoint = request.endpoint or ""
    if endpoint in COUNTED_POSTS and request.method == "POST":
        return True
    return (
        request.method in ("GET", "HEAD")
        and request.blueprint in CITIZEN_BLUEPRINTS
        and endpoint not in NO_CITIZEN_ENDPOINTS
    )


def _count_citizen_read() -> ResponseReturnValue | None:
    if not current_app.config.get("RATELIMIT_ENABLED", True) or not reads_citizens():
        return None
    if not current_user.is_authenticated or current_user.kind != "staff":
        return None  # the blueprint's own check refuses them
    meter: ReadMeter = current_app.extensions["citizen_read_meter"]
    per_hour = settings().security.citizen_reads_per_hour
    try:
        note_read(
            db.session, meter, current_user.staff_id, per_hour=per_hour, page=request.endpoint or ""
        )
    except ReadsBlocked as err:
        text = translate(err, MESSAGES)
        if request.path.startswith("/api/"):
            return jsonify({"error": {"status": 429, "code": err.code, "message": text}}), 429
        return render_template(
            "errors/error.html", code=429, title=str(READS_BLOCKED_TITLE), text=text
        ), 429
    return None
