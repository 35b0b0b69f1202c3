"""The curation rows of the API: the featured list (public), feature and unfeature (admins)."""
from flask import jsonify, request

from exchange.api import bp, openapi, read_json, require_api_user
from exchange.articles.api import article_json
from exchange.challenges.api import challenge_json
from exchange.curation import services
from exchange.errors import Invalid
from exchange.permissions import require_admin
from exchange.templating import isodate

FIELDS = ("slug", "kind", "note", "position", "until")


def feature_json(feature) -> dict:
    challenge = feature.challenge if feature.kind == "challenge" else None
    return {"slug": feature.item.slug, "kind": feature.kind, "note": feature.note, "position": feature.position,
            "until": isodate(feature.until) or None,
            "article": None if challenge else article_json(feature.article, body=False),
            "challenge": challenge_json(challenge, answers=False) if challenge else None}


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
                                data.get("until"), data.get("kind") or "practice")
    return jsonify(feature_json(feature)), 201


@bp.delete("/featured/<slug>")
def delete_feature(slug):
    services.unfeature(_admin(), slug, request.args.get("kind") or "practice")
    return "", 204


SCHEMAS = {
    "Feature": {"type": "object", "properties": {
        "slug": {"type": "string"}, "note": {"type": "string"}, "position": {"type": "integer"},
        "kind": {"type": "string", "enum": ["practice", "challenge"]},
        "until": {"type": ["string", "null"], "format": "date"},
        "article": {"anyOf": [openapi.ref("Article"), {"type": "null"}], "description": "null for a challenge"},
        "challenge": {"anyOf": [openapi.ref("Challenge"), {"type": "null"}],
                      "description": "the featured challenge (as GET /challenges/{slug} without answers); "
                                     "null for a practice"}}},
    "FeatureInput": {"type": "object", "required": ["slug"], "additionalProperties": False, "properties": {
        "slug": {"type": "string", "pattern": openapi.SLUG_PATTERN,
                 "description": "a published article's (or with kind challenge, a public challenge's); "
                                "another is a 422"},
        "kind": {"type": ["string", "null"], "enum": ["practice", "challenge", None],
                 "description": "what slug names; omitted: practice"},
        "note": {"type": ["string", "null"], "maxLength": services.NOTE_MAX, "pattern": openapi.NO_NUL_PATTERN},
        "position": {"type": ["integer", "null"], "minimum": 1, "description": "1 is first; omitted: last"},
        "until": {"type": ["string", "null"], "format": "date", "description": "last day shown"}}},
}
PATHS = {
    "/featured": {
        "get": {"summary": "Featured practices (and challenges) shown now, in order", "security": [{}, {"bearer": []}],
                "responses": {"200": openapi.json_response({"type": "object", "properties": {
                    "items": {"type": "array", "items": openapi.ref("Feature")}}})}},
        "post": {"summary": "Feature a published article, or change its feature (admins)",
                 "requestBody": {"required": True, "content": {
                     "application/json": {"schema": openapi.ref("FeatureInput")}}},
                 "responses": {"201": openapi.json_response(openapi.ref("Feature"), "Featured"),
                               **openapi.errors("401", "403", "422")}},
    },
    "/featured/{slug}": {
        "delete": {"summary": "Stop featuring an article, or with kind=challenge a challenge (admins)",
                   "parameters": [openapi.path_param("slug"), openapi.query_param(
                       "kind", {"type": "string", "enum": ["practice", "challenge"], "default": "practice"})],
                   "responses": {"204": {"description": "Unfeatured"}, **openapi.errors("401", "403", "404", "422")}},
    },
}

