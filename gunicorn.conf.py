"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be overridden with GUNICORN_* environment variables or command-line flags.
"""
import multiprocessing
import os
import sys

from exchange.config import ConfigError, from_environment

# A bad EXCHANGE_* setting stops gunicorn here with one line, before any worker starts.
try:
    from_environment(os.environ)
except ConfigError as error:
    sys.exit(f"Error: {error}")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound (every cache a worker keeps has a
# budget). Not often: a new worker pays about 1.7 s (importing, making the app, compiling templates, its
# first pages), which at every 5,000 requests came to 0.34 ms a request, most of what a kept page costs.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# The app logs one JSON line per request itself (with its request id); gunicorn logs errors.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = False  # each worker makes its own app, so database connections are never shared
# Long searches are GETs: let a request line through up to 8190 bytes, the most gunicorn allows
# short of no limit at all (its default, 4094, answered long searches with a bare HTML 414).
# The app itself cuts a query to exchange/search/query.py MAX_CHARS and says so ("shortened").
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "8190"))
limit_request_field_size = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", "8190"))


def post_worker_init(worker):
    """A new worker reads the search index's arrays in the background before its first searches (the
    Exchange's workers only: `make bench` serves its ceiling, a bare Flask app, with these same settings)."""
    from exchange import search

    search.warm_up(worker.wsgi)
