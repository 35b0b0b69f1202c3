"""The API blueprint: token checks before every endpoint and the OpenAPI document.

There is no catch-all route: a path no endpoint has is the router's 404 (worded for the API in
``exchange/errors.py``), and a path that exists under other methods is its 405 with ``Allow``.
"""
from flask import Blueprint, jsonify

from exchange.api import openapi
from exchange.api.auth import guard_api
from exchange.api.responses import conditional
from exchange.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.before_request(guard_api)


@bp.after_request
def no_content_has_no_type(response):
    """A 204 has no body, so it claims no Content-Type (Flask would say text/html)."""
    if response.status_code == 204:
        response.headers.pop("Content-Type", None)
    return conditional(response)


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())

