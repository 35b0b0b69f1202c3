"""Domain errors, and how every error becomes an HTML page or a JSON error, in one place."""
import functools
import logging
import uuid
from dataclasses import dataclass

import click
import sqlalchemy as sa
from flask import g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger("exchange")


class DomainError(Exception):
    """A refusal a service raises; ``status`` and ``code`` say how it reaches the user."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, str] | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra


class Invalid(DomainError):
    """Input that breaks a rule; ``fields`` names each field and its problem."""

    status = 422
    code = "invalid"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Unverified(Forbidden):
    """A signed-in person whose address is not yet proved, asking for more than reading and drafting."""

    code = "unverified"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Throttled(DomainError):
    """Too many failed attempts on one account or address: wait, then try again."""

    status = 429
    code = "too_many_attempts"


class Unavailable(DomainError):
    """A part the site needs (the database, the search index) cannot answer just now: 503, try again later."""

    status = 503
    code = "unavailable"


RETRY_AFTER = "30"  # seconds a client is asked to wait after a 503
DATABASE_DOWN = "The site cannot reach its database just now. Please try again in a minute."


class PreconditionFailed(DomainError):
    """An If-Match that no longer names the current version."""

    status = 412
    code = "precondition_failed"


class UnsupportedMediaType(DomainError):
    """A request body in a format the endpoint does not read."""

    status = 415
    code = "unsupported_media_type"


TITLES = {
    400: "Bad request",
    401: "Please sign in",
    403: "Not allowed",
    404: "Page not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Too large",
    415: "Unsupported media type",
    422: "Check what you entered",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}

EXPLANATIONS = {
    400: "The request could not be understood.",
    401: "You need to sign in first.",
    403: "You do not have permission to do that.",
    404: "There is nothing at this address. It may have moved, or it may never have existed.",
    405: "This address does not accept that kind of request.",
    413: "What you sent is larger than the site accepts (1 MiB at most).",
    429: "You have made too many requests in a short time. Please wait a minute and try again.",
    500: "The problem has been logged. If it keeps happening, quote the reference below.",
    503: "Part of the site is not answering just now. Please try again in a minute.",
}


# What a person can do next, per (endpoint, status): make(**view_args) -> Suggestion or None. Domains add
# theirs with ``suggest`` (e.g. a missing article offers a search for the words of its address).
SUGGESTIONS: dict = {}


@dataclass
class Suggestion:
    """The next steps an error page offers: a heading and (label, url) links."""

    heading: str
    links: list[tuple[str, str]]


def suggest(endpoint: str, status: int, make) -> None:
    """Offer next steps on the error pages of one endpoint and status."""
    SUGGESTIONS[(endpoint, status)] = make


def _suggestion(status: int) -> Suggestion | None:
    make = SUGGESTIONS.get((request.endpoint, status))
    return make(**(request.view_args or {})) if make is not None else None


def wants_json() -> bool:
    """API requests get JSON errors; everything else gets a page."""
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, fields=None, extra=None):
    """Render one error as JSON (API) or as a page in the site's layout."""
    if wants_json():
        body = {"error": {"code": code, "message": message}}
        if fields:
            body["error"]["fields"] = fields
        body["error"].update(extra or {})
        response = jsonify(body)
    else:
        response = render_template(
            "errors/error.html",
            status=status,
            title=TITLES.get(status, "Error"),
            message=message,
            request_id=g.get("request_id"),
            suggestion=_suggestion(status),
        )
    return response, status


def _http_code(status: int) -> str:
    return TITLES.get(status, "error").lower().replace(" ", "_")


def error_title(response):
    """A page refusing what was entered (422) says so first in its title: "Error: Write a case study ..."."""
    if response.status_code == 422 and response.mimetype == "text/html" and not response.direct_passthrough:
        page = response.get_data(as_text=True)
        if "<title>" in page and "<title>Error: " not in page:
            response.set_data(page.replace("<title>", "<title>Error: ", 1))
    return response


def init_app(app):
    """Register every error handler, and the "Error: " title of refused forms."""
    app.after_request(error_title)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        response, status = error_response(error.status, error.code, error.message, error.fields, error.extra)
        return response, status, {"Retry-After": RETRY_AFTER} if status == 503 else {}

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    def database_down(error: sa.exc.DBAPIError):
        # The database refused a connection, dropped one or is shutting down: not a bug, an outage.
        log.error("database unavailable, request id %s: %s", g.get("request_id"), str(error).splitlines()[0])
        return domain_error(Unavailable(DATABASE_DOWN))

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = "The form expired or was sent from elsewhere. Go back, reload the page and try again."
        return error_response(400, "csrf", message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if getattr(error, "response", None) is not None:
            return error.response  # made for this refusal (e.g. the comment form, its text kept, over the limit)
        status = error.code or 500
        message = EXPLANATIONS.get(status) or error.description or TITLES.get(status, "Error")
        if status == 429:
            message = EXPLANATIONS[429]
        code = _http_code(status)
        if status == 404 and wants_json() and request.url_rule is None:
            code, message = NotFound.code, f"There is no API endpoint {request.path}."
        response, status = error_response(status, code, message)
        if status == 503:
            return response, status, {"Retry-After": RETRY_AFTER}
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            return response, status, {"Allow": ", ".join(error.valid_methods)}
        return response, status

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        reference = g.get("request_id") or uuid.uuid4().hex[:12]
        log.exception("unhandled error, request id %s", reference)
        return error_response(500, "internal", f"{EXPLANATIONS[500]} Reference: {reference}.")


def friendly(command):
    """For CLI commands: a domain error becomes one clear line on stderr and exit status 1, never a traceback."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            raise click.ClickException(error.message) from None

    return wrapped
