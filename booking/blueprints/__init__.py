"""One blueprint per room: citizen, caseworker, call-in, planner, manager, lookup, rules, admin,
api."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .api.v1 import bp as api_v1_bp
    from .auth import bp as auth_bp
    from .callin import bp as callin_bp
    from .caseworker import bp as caseworker_bp
    from .caseworker import time_bp as staff_time_bp
    from .citizen import bp as citizen_bp
    from .exports import bp as exports_bp
    from .feed import bp as feed_bp
    from .imports import bp as imports_bp
    from .lookup import bp as lookup_bp
    from .manager import bp as manager_bp
    from .plan import bp as plan_bp
    from .planner import bp as planner_bp
    from .rules import bp as rules_bp
    from .whatif import bp as whatif_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(citizen_bp, url_prefix="/borger")
    app.register_blueprint(caseworker_bp, url_prefix="/sagsbehandler")
    app.register_blueprint(callin_bp, url_prefix="/indkald")
    app.register_blueprint(plan_bp, url_prefix="/planlaegning/samtaler")
    app.register_blueprint(planner_bp, url_prefix="/planlaegning")
    app.register_blueprint(whatif_bp, url_prefix="/planlaegning/hvad-hvis")
    app.register_blueprint(manager_bp, url_prefix="/ledelse")
    app.register_blueprint(lookup_bp, url_prefix="/borgere")
    app.register_blueprint(rules_bp, url_prefix="/regler")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(imports_bp, url_prefix="/import")
    app.register_blueprint(api_v1_bp, url_prefix="/api/v1")  # API keys (docs/api.md)
    app.register_blueprint(exports_bp, url_prefix="/eksport")
    app.register_blueprint(staff_time_bp, url_prefix="/sagsbehandler")
    app.register_blueprint(feed_bp, url_prefix="/feed")
