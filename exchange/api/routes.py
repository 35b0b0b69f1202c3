"""The API blueprint: authentication, who am I, agencies, and the OpenAPI document."""
from flask import Blueprint, current_app, jsonify

from exchange.api import openapi
from exchange.api.auth import api_user, authenticate_request, require_api_user
from exchange.api.serializers import user_json
from exchange.errors import NotFound, Unauthorized
from exchange.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def authenticate():
    authenticate_request()
    if not current_app.config["PUBLIC_READ"] and api_user() is None:
        raise Unauthorized("This Exchange is not public: send an API token.")


@bp.get("/me")
def me():
    return jsonify(user_json(require_api_user(), private=True))


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())


@bp.route("/<path:unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown_path(unknown):
    raise NotFound(f"There is no API endpoint /api/v1/{unknown}.")
