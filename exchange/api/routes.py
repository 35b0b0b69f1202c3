"""The API blueprint: authentication, who am I, agencies, and the OpenAPI document."""
from flask import Blueprint, jsonify

from exchange.api import openapi
from exchange.api.auth import guard_api, require_api_user
from exchange.api.serializers import user_json
from exchange.errors import NotFound
from exchange.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


bp.before_request(guard_api)


@bp.get("/me")
def me():
    return jsonify(user_json(require_api_user(), private=True))


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())


@bp.route("/<path:unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown_path(unknown):
    raise NotFound(f"There is no API endpoint /api/v1/{unknown}.")
