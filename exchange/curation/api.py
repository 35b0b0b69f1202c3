"""The curation rows of the API: the featured list (public), feature and unfeature (admins)."""
from flask import jsonify

from exchange.api import bp, openapi, read_json, require_api_user
from exchange.articles.api import article_json
from exchange.curation import services
from exchange.errors import Invalid
from exchange.permissions import require_admin
from exchange.templating import isodate

FIELDS = ("slug", "note", "position", "until")


def feature_json(feature) -> dict:
    return {"slug": feature.article.slug, "note": feature.note, "position": feature.position,
            "until": isodate(feature.until) or None, "article": article_json(feature.article, body=False)}


def _admin():
    user = require_api_user()
    require_admin(user, "Only admins may feature practices.")
    return user


@bp.get("/featured")
def featured():
    return jsonify({"items": [feature_json(f) for f in services.active_features()]})


@bp.post("/featured")
def add_feature():
    user = _admin()
    data = read_json(FIELDS)
    if data.get("note") is not None and not isinstance(data["note"], str):
        raise Invalid("note must be a string.", {"note": "a string"})
    feature = services.feature(user, data.get("slug"), data.get("note") or "", data.get("position"),
                                data.get("until"))
    return jsonify(feature_json(feature)), 201


@bp.delete("/featured/<slug>")
def delete_feature(slug):
    services.unfeature(_admin(), slug)
    return "", 204


SCHEMAS = {
    "Feature": {"type": "object", "properties": {
        "slug": {"type": "string"}, "note": {"type": "string"}, "position": {"type": "integer"},
        "until": {"type": ["string", "null"], "format": "date"}, "article": openapi.ref("Article")}},
    "FeatureInput": {"type": "object", "required": ["slug"], "additionalProperties": False, "properties": {
        "slug": {"type": "string", "pattern": openapi.SLUG_PATTERN,
                 "description": "a published article's; another is a 422"},
        "note": {"type": ["string", "null"], "maxLength": services.NOTE_MAX, "pattern": openapi.NO_NUL_PATTERN},
        "position": {"type": ["integer", "null"], "minimum": 1, "description": "1 is first; omitted: last"},
        "until": {"type": ["string", "null"], "format": "date", "description": "last day shown"}}},
}
PATHS = {
    "/featured": {
        "get": {"summary": "Featured practices shown now, in order", "security": [{}, {"bearer": []}],
                "responses": {"200": openapi.json_response({"type": "object", "properties": {
                    "items": {"type": "array", "items": openapi.ref("Feature")}}})}},
        "post": {"summary": "Feature a published article, or change its feature (admins)",
                 "requestBody": {"required": True, "content": {
                     "application/json": {"schema": openapi.ref("FeatureInput")}}},
                 "responses": {"201": openapi.json_response(openapi.ref("Feature"), "Featured"),
                               **openapi.errors("401", "403", "422")}},
    },
    "/featured/{slug}": {
        "delete": {"summary": "Stop featuring an article (admins)", "parameters": [openapi.path_param("slug")],
                   "responses": {"204": {"description": "Unfeatured"}, **openapi.errors("401", "403", "404")}},
    },
}

