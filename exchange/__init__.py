"""The Exchange: public agencies share what works."""
import logging
from importlib import import_module

from flask import Flask

from exchange import config


def create_app(test_config: dict | None = None) -> Flask:
    """Make and configure an app: the only place one is made."""
    # Templates ship inside the package (exchange/templates: a symlink to templates/ in a checkout).
    # The instance folder is needed before the config exists, so it is read first.
    app = Flask(__name__, template_folder="templates", instance_path=config.instance_path(test_config))
    config.load(app, test_config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # The format above shows no caller, thread or process: not working them out for each record (the logging
    # HOWTO's "Optimization") takes a quarter off the request log line, written for every request.
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its lines only when asked: `exchange db upgrade --verbose`

    from exchange import cli, converters, errors, extensions, pagecache, serving, site, templating
    from exchange.accounts.sessions import enforce_timeouts, require_new_password, require_public_read
    from exchange.db import db

    converters.init_app(app)
    db.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    errors.init_app(app)
    serving.init_app(app)
    app.before_request(enforce_timeouts)
    app.before_request(require_public_read)
    app.before_request(require_new_password)
    pagecache.init_app(app)  # after the access hooks (a kept page is never served past one); its after_request
    # runs before serving's
    templating.init_app(app)

    app.register_blueprint(site.bp)
    site.init_app(app)
    _register_domains(app)
    cli.init_app(app)
    return app


def _register_domains(app: Flask) -> None:
    """Each domain's pages, API endpoints and own set-up, in layer order (``exchange/domains.py``)."""
    from exchange import api
    from exchange.domains import DOMAINS, each

    for name in DOMAINS:
        package = import_module(f"exchange.{name}")
        app.register_blueprint(import_module(f"exchange.{name}.routes").bp)
        if hasattr(package, "init_app"):
            package.init_app(app)
    api.init_app(app, each("api"))
