"""The API blueprint: token checks before every endpoint, the OpenAPI document, and unknown paths."""
from flask import Blueprint, jsonify

from exchange.api import openapi
from exchange.api.auth import guard_api
from exchange.errors import NotFound
from exchange.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.before_request(guard_api)


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())


@bp.route("/<path:unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown_path(unknown):
    raise NotFound(f"There is no API endpoint /api/v1/{unknown}.")
