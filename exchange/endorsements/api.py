"""The endorsement rows of the API: PUT and DELETE /articles/{slug}/endorsement."""
from flask import jsonify

from exchange.api import bp, openapi, read_json, require_api_user
from exchange.articles.services import get_article
from exchange.endorsements import services
from exchange.endorsements.limits import endorse_rate
from exchange.errors import Invalid

FIELDS = ("kind", "note")


def _endorsement_body() -> dict:
    data = read_json(FIELDS)
    if data.get("note") is not None and not isinstance(data["note"], str):
        raise Invalid("note must be a string.", {"note": "a string"})
    return data


@bp.put("/articles/<slug>/endorsement")
@endorse_rate()
def put_endorsement(slug):
    user = require_api_user()
    data = _endorsement_body()
    article = get_article(user, slug)
    services.endorse(user, article, data.get("kind"), data.get("note") or "")
    return jsonify(services.summary(article, user))


@bp.delete("/articles/<slug>/endorsement")
@endorse_rate()
def delete_endorsement(slug):
    user = require_api_user()
    services.withdraw(user, get_article(user, slug))
    return "", 204


SCHEMAS = {
    "EndorsementInput": {
        "type": "object", "required": ["kind"], "additionalProperties": False,
        "properties": {"kind": {"type": "string", "enum": ["endorse", "adopt"]},
                       "note": {"type": ["string", "null"], "maxLength": services.NOTE_MAX,
                                "pattern": openapi.NO_NUL_PATTERN}},
    },
    "EndorsementSummary": {
        "type": "object",
        "properties": {
            "count": {"type": "integer"}, "adoptions": {"type": "integer"},
            "agencies": {"type": "integer", "description": "distinct agencies"},
            "score": {"type": "number", "description": "sum of weights (DESIGN.md section 4)"},
            "yours": {"type": ["object", "null"], "properties": {
                "kind": {"type": "string"}, "note": {"type": "string"}, "weight": {"type": "number"}}},
        },
    },
}
PATHS = {
    "/articles/{slug}/endorsement": {
        "put": {
            "summary": "Endorse or adopt a published article (replaces your earlier one)",
            "parameters": [openapi.path_param("slug")],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": openapi.ref("EndorsementInput")}}},
            "responses": {"200": openapi.json_response(openapi.ref("EndorsementSummary")),
                          **openapi.errors("401", "403", "404", "409", "422", "429")},
        },
        "delete": {
            "summary": "Withdraw your endorsement",
            "parameters": [openapi.path_param("slug")],
            "responses": {"204": {"description": "Withdrawn (or there was none)"},
                          **openapi.errors("401", "404", "429")},
        },
    },
}

