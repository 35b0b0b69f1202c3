"""What every response gets: a request id, security headers, caching rules and a log line."""
import json
import logging
import os
import re
import time

from flask import abort, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import get_host

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; object-src 'none'; base-uri 'self'; "
        "frame-ancestors 'self'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
request_log = logging.getLogger("exchange.request")
REFUSED_HOST = "exchange.refused_host"


class TrustedHosts:
    """WSGI middleware: a request for a host name not in ``trusted`` is marked, and carries a trusted one.

    The request is then answered 400 by ``_start``, with the usual error page, and nothing in it
    (links, cache keys, feeds) is built from the forged name.
    """

    def __init__(self, wsgi_app, trusted: list[str]):
        self.wsgi_app = wsgi_app
        self.trusted = trusted
        self.fallback = next((h.lstrip(".") for h in trusted if h.lstrip(".")), "localhost")

    def __call__(self, environ, start_response):
        try:
            get_host(environ, self.trusted)
        except SecurityError:
            environ[REFUSED_HOST] = True
            environ["HTTP_HOST"] = self.fallback
        return self.wsgi_app(environ, start_response)


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signer made once: Flask makes one for every request (a
    2% share of a kept page's time); the secret keys do not change while the app runs."""

    def get_signing_serializer(self, app):
        signer = app.extensions.get("exchange.session_signer")
        if signer is None:
            signer = app.extensions["exchange.session_signer"] = super().get_signing_serializer(app)
        return signer


def init_app(app) -> None:
    """Install the hooks, and ProxyFix when the app runs behind a reverse proxy."""
    app.session_interface = SessionCookies()
    app.wsgi_app = TrustedHosts(app.wsgi_app, app.config["TRUSTED_HOSTS"])
    hops = {k: app.config[f"PROXY_FIX_{k.upper()}"] for k in ("x_for", "x_proto", "x_host", "x_prefix")}
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)
    app.before_request(_start)
    app.after_request(_finish)


def _start():
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if _REQUEST_ID.match(given) else os.urandom(6).hex()
    g.started = time.perf_counter()
    if request.environ.get(REFUSED_HOST):
        abort(400, "This site does not answer to that host name.")
    _refuse_unstorable()


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # no database text column holds NUL or a lone surrogate


def _refuse_unstorable():
    """In one place: a path value no database can hold is a 404; query values lose those characters.

    Query values are dropped characters rather than refused because search, lenient by design,
    answers a hostile filter with a normal page (tests/search/test_hostile_queries.py).
    """
    if any(_UNSTORABLE.search(str(value)) for value in (request.view_args or {}).values()):
        abort(404)
    if any(_UNSTORABLE.search(name + value) for name, value in request.args.items(multi=True)):
        request.args = ImmutableMultiDict([(_UNSTORABLE.sub("", name), _UNSTORABLE.sub("", value))
                                           for name, value in request.args.items(multi=True)])


_SECURITY = [(name.lower(), name, value) for name, value in SECURITY_HEADERS.items()]


def _finish(response):
    headers = response.headers
    given = {name.lower() for name in headers.keys()}  # one pass over the headers, not one per security header
    headers.extend((name, value) for lowered, name, value in _SECURITY if lowered not in given)
    headers["X-Request-Id"] = g.get("request_id", "")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    response = _caching(response)
    _log(response)
    return response


def _caching(response):
    """Visitors' pages answer conditional requests; signed-in pages are private."""
    if request.path.startswith("/api/"):
        return response  # the API keeps its own (exchange/api/responses.py)
    signed_in = current_user.is_authenticated if current_user else False
    if signed_in:
        response.headers.setdefault("Cache-Control", "private, no-cache")
        _vary_on_cookie(response)
        return response
    if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.is_streamed \
            and response.mimetype in ("text/html", "application/json", "application/atom+xml"):
        response.headers.setdefault("Cache-Control", "no-cache")
        response.add_etag()
        _vary_on_cookie(response)
        return response.make_conditional(request)
    return response


def _vary_on_cookie(response) -> None:
    """``response.vary.add("Cookie")``, without parsing and writing back the header when there is none yet."""
    if "Vary" in response.headers:
        response.vary.add("Cookie")
    else:
        response.headers["Vary"] = "Cookie"


def _log(response) -> None:
    if not request_log.isEnabledFor(logging.INFO):
        return
    record = {
        "request_id": g.get("request_id"),
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
        "user": current_user.get_id().split(":")[0] if current_user and current_user.is_authenticated else None,
    }
    request_log.info(json.dumps(record))
