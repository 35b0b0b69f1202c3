"""The Exchange: public agencies share what works."""
import logging
import uuid

from flask import Flask, g, request

from exchange import config
from exchange.config import ROOT

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; object-src 'none'; base-uri 'self'; "
        "frame-ancestors 'self'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(test_config: dict | None = None) -> Flask:
    """Make and configure an app: the only place one is made."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    config.load(app, test_config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    from exchange import errors, extensions
    from exchange.db import db

    db.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    errors.init_app(app)

    _register_blueprints(app)
    _register_request_hooks(app)

    from exchange import search

    search.init_app(app)
    _register_template_helpers(app)

    from exchange import cli

    cli.init_app(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from exchange.accounts.routes import bp as accounts
    from exchange.articles.routes import bp as articles
    from exchange.site import bp as site

    for blueprint in (site, accounts, articles):
        app.register_blueprint(blueprint)
    from exchange import api

    api.init_app(app)


def _register_request_hooks(app: Flask) -> None:
    @app.before_request
    def assign_request_id():
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex[:12]

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers["X-Request-Id"] = g.get("request_id", "")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    from exchange.accounts.access import require_public_read

    app.before_request(require_public_read)


def _register_template_helpers(app: Flask) -> None:
    from exchange import templating

    templating.init_app(app)
