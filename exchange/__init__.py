"""The Exchange: public agencies share what works."""
import logging

from flask import Flask

from exchange import config
from exchange.config import ROOT

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
    from exchange import api, community, curation, endorsements

    endorsements.init_app(app)
    curation.init_app(app)
    api.init_app(app)
    community.init_app(app)


def _register_request_hooks(app: Flask) -> None:
    from exchange import serving
    from exchange.accounts.access import require_public_read
    from exchange.accounts.sessions import enforce_timeouts

    serving.init_app(app)
    app.before_request(enforce_timeouts)
    app.before_request(require_public_read)

    from exchange import pagecache

    pagecache.init_app(app)  # after the access hooks; its after_request runs before serving's


def _register_template_helpers(app: Flask) -> None:
    from exchange import templating

    templating.init_app(app)
