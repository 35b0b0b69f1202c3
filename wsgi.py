"""WSGI entry point: ``gunicorn wsgi:app``."""
from gunicorn.errors import AppImportError

from exchange import create_app
from exchange.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    # gunicorn prints this one line and stops, where any other error is a traceback per worker.
    raise AppImportError(f"Error: {error}") from None
